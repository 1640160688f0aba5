from django.urls import path

from . import staff_views

app_name = "pasientmeldinger"

urlpatterns = [
    path("", staff_views.MessageListView.as_view(), name="list"),
    path("<int:process_pk>/<uuid:message>/", staff_views.AnswerView.as_view(), name="answer"),
]
