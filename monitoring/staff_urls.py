from django.urls import path

from . import staff_views

app_name = "egenmaling"

urlpatterns = [
    path("", staff_views.OverviewView.as_view(), name="overview"),
    path("<int:process_pk>/", staff_views.ProcessView.as_view(), name="process"),
    path("<int:process_pk>/registrer/<int:parameter_pk>/", staff_views.ReportOnBehalfView.as_view(), name="report"),
]
