"""Patients' messages beside «Mine oppgaver» on the Wagtail dashboard: what waits for the coordinator's answer."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component

from workflows import access as care_access
from workflows import audit

from .staff_views import waiting_for

PANEL_ROWS = 10


class PatientMessagesPanel(Component):
    name = "meldinger_fra_pasienter"
    order = 60
    template_name = "patients/staff/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        waiting = waiting_for(self.user).select_related("process").order_by("sent_at")
        rows = list(waiting[:PANEL_ROWS])
        audit.record_listed(self.user, [row.process_id for row in rows], "wagtailadmin:meldinger_fra_pasienter")
        return {"rows": rows, "total": waiting.count(), "list_url": reverse("pasientmeldinger:list")}


@hooks.register("construct_homepage_panels")
def add_patient_messages_panel(request, panels):
    if care_access.may_use_processes(request.user):
        panels.append(PatientMessagesPanel(request.user))
