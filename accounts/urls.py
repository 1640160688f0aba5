from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("to-faktor/", views.verify, name="verify"),
    path("to-faktor/oppsett/", views.enrol, name="enrol"),
]
