from django.urls import path

from . import patient_views

app_name = "egenmaling_min_side"

urlpatterns = [
    path("", patient_views.MonitoringView.as_view(), name="index"),
    path("rapporter/<int:parameter_pk>/", patient_views.ReportView.as_view(), name="report"),
    path("kvittering/<uuid:report>/", patient_views.ReceiptView.as_view(), name="receipt"),
]
