"""The care processes inside the Wagtail admin: a menu item and a «Mine oppgaver» panel on the dashboard.

Both show only what the user has a need to know; the records themselves stay in
Viewflow's frontend and are never registered as Wagtail snippets or admin views.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.status import STATUS
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import access, audit, deadlines
from .flows import ForlopFlow
from .models import AuditEntry
from .querysets import tasks_visible_to

PANEL_ROWS = 10


class ProcessMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_use_processes(request.user)


@hooks.register("register_admin_menu_item")
def register_process_menu_item():
    return ProcessMenuItem(
        _("Pasientforløp"), reverse("forlop:index"), name="pasientforlop", icon_name="tasks", order=150
    )


class MyTasksPanel(Component):
    """The user's waiting tasks, newest first, in two queries however many there are."""

    name = "mine_oppgaver"
    order = 50
    template_name = "workflows/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        tasks = (
            tasks_visible_to(self.user, ForlopFlow).filter(owner=self.user, status=STATUS.ASSIGNED).order_by("-created")
        )
        today = timezone.localdate()
        rows = [
            {
                "title": task.flow_task.task_title,
                "patient": task.process.careprocess.patient_name,
                "municipality": task.process.careprocess.municipality.name,
                "created": task.created,
                "due": deadlines.deadline(task),
                "overdue": deadlines.is_overdue(task, today),
                "url": task.flow_task.reverse("index", args=[task.process_id, task.pk]),
                "process_pk": task.process_id,
            }
            for task in tasks[:PANEL_ROWS]
        ]
        # Patient names on the dashboard are a read of patient data like any list in the process app.
        audit.record_listed(self.user, [row["process_pk"] for row in rows], "wagtailadmin:mine_oppgaver")
        return {"rows": rows, "total": tasks.count(), "inbox_url": reverse("forlop:inbox")}


@hooks.register("construct_homepage_panels")
def add_my_tasks_panel(request, panels):
    if access.may_use_processes(request.user):
        panels.insert(0, MyTasksPanel(request.user))


@hooks.register("before_delete_user")
def keep_users_in_the_audit_trail(request, user):
    """A user who read or changed patient data is deactivated, never deleted: the audit trail keeps who it was."""
    if AuditEntry.objects.filter(user=user).exists():
        message = _("%(name)s står i en revisjonslogg og kan ikke slettes. Gjør brukeren inaktiv i stedet.")
        messages.error(request, message % {"name": user.get_username()})
        return redirect("wagtailusers_users:edit", user.pk)
    return None
