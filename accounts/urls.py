from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("to-faktor/", views.verify, name="verify"),
    path("to-faktor/oppsett/", views.enrol, name="enrol"),
    path("to-faktor/lenke/<str:code>/", views.enrolment_link, name="enrolment_link"),
    path("to-faktor/enheter/", views.devices, name="devices"),
    path("to-faktor/enheter/ny/", views.add_device, name="add_device"),
    path("to-faktor/enheter/<int:device_pk>/fjern/", views.remove_device, name="remove_device"),
    path("to-faktor/reservekoder/", views.renew_backup_codes, name="renew_backup_codes"),
]
