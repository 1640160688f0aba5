"""Viewflow's frontend for alerts, narrowed: the user's own open alerts, and each alert's task pages.

Mounted at ``/prosesser/varsler/``, under the process prefix, so two factors and the need-to-know middleware apply:
an alert's URL names the alert process, and the middleware judges it by the care process it belongs to
(``Alert.care_process_pk_for``). Lists across patients (queue, archive, process list, kanban, bulk actions, cancel)
are switched off; the process page of an alert goes to the patient's monitoring page.
"""

from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from viewflow.urls import Site
from viewflow.utils import viewprop
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.status import STATUS

from workflows.viewsets import ListRowsMixin, TaskColumnsMixin

from .flows import AlertFlow
from .models import Alert
from .querysets import alert_tasks_visible_to


class AlertInboxView(ListRowsMixin, TaskColumnsMixin, flow_views.FlowInboxListView):
    title = _("Mine varsler fra egenmåling")
    filterset_class = None

    def patient(self, task):
        return task.process.alert.care_process.patient_name

    patient.short_description = _("Pasient")

    def municipality(self, task):
        return task.process.alert.care_process.municipality.name

    municipality.short_description = _("Kommune")

    @viewprop
    def queryset(self):
        return (
            alert_tasks_visible_to(self.request.user)
            .select_related(None)
            .select_related("process__alert__care_process__municipality")
            .filter(owner=self.request.user, status=STATUS.ASSIGNED)
            .order_by("-created")
        )

    def listed_process(self, task):
        return task.process.alert.care_process_id


class AlertProcessView(View):
    """An alert's own page is the patient's monitoring page (the middleware has checked need-to-know)."""

    def get(self, request, process_pk):
        alert = get_object_or_404(Alert, pk=process_pk)
        return redirect(reverse("egenmaling:process", args=[alert.care_process_id]))


class AlertFlowViewset(FlowAppViewset):
    base_template_name = "workflows/base_page.html"
    menu_template_name = "monitoring/alert_menu.html"
    inbox_view_class = AlertInboxView
    process_detail_view_class = AlertProcessView
    queue_path = None
    archive_path = None
    process_list_path = None
    task_list_path = None
    tasks_assign_path = None
    tasks_unassign_path = None
    process_cancel_path = None

    @property
    def index_path(self):
        return path("", self.inbox_view, name="index")

    def get_context_data(self, request):
        return {}


site = Site(
    title=_("LKT – varsler fra egenmåling"),
    viewsets=[AlertFlowViewset(AlertFlow, icon="notifications", title=_("Varsler fra egenmåling"))],
)
