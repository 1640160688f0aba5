from django.urls import path

from . import staff_views

app_name = "pasientmeldinger"

urlpatterns = [
    path("", staff_views.MessageListView.as_view(), name="list"),
    path("<int:process_pk>/", staff_views.ProcessMessagesView.as_view(), name="process"),
]
