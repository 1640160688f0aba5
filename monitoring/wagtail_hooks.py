"""Self-monitoring in the Wagtail admin: the catalogue and the templates as snippets, a menu item for «Hvem er rød
nå», and the user's open alerts beside «Mine oppgaver» on the dashboard (what the user has a need to know only)."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from workflows import access, audit

from .models import MonitoringTemplate, Parameter
from .querysets import open_alerts_for

PANEL_ROWS = 10


class ParameterViewSet(SnippetViewSet):
    model = Parameter
    icon = "list-ol"
    menu_label = _("Måleparametere")
    menu_order = 230
    add_to_settings_menu = True
    list_display = ["name", "code_system", "code", "unit", "kind"]
    search_fields = ["name"]


class MonitoringTemplateViewSet(SnippetViewSet):
    model = MonitoringTemplate
    icon = "clipboard-list"
    menu_label = _("Maler for egenmåling")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "clinically_approved"]
    list_filter = ["clinically_approved"]


register_snippet(ParameterViewSet)
register_snippet(MonitoringTemplateViewSet)


class OverviewMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_use_processes(request.user)


@hooks.register("register_admin_menu_item")
def register_overview_menu_item():
    return OverviewMenuItem(
        _("Egenmåling: hvem er rød nå"),
        reverse("egenmaling:overview"),
        name="egenmaling",
        icon_name="warning",
        order=155,
    )


class OpenAlertsPanel(Component):
    name = "varsler_fra_egenmaling"
    order = 55
    template_name = "monitoring/staff/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        alerts = open_alerts_for(self.user)
        mine = Task.objects.filter(owner=self.user, status=STATUS.ASSIGNED)
        rows = []
        for alert in alerts.prefetch_related(Prefetch("task_set", queryset=mine, to_attr="mine"))[:PANEL_ROWS]:
            task = alert.mine[0]
            rows.append({"alert": alert, "url": task.flow_task.reverse("index", args=[alert.pk, task.pk])})
        audit.record_listed(self.user, [row["alert"].care_process_id for row in rows], "wagtailadmin:varsler")
        return {"rows": rows, "total": alerts.count(), "inbox_url": reverse("varsel:index")}


@hooks.register("construct_homepage_panels")
def add_open_alerts_panel(request, panels):
    if access.may_use_processes(request.user):
        panels.append(OpenAlertsPanel(request.user))
