"""Viewflow's frontend for the care process, with every list narrowed to what the user has a need to know.

Viewflow's stock lists show every task a flow permission allows; here each one
is filtered through :meth:`CareProcessQuerySet.visible_to` and reads the patient
summary of its page in one more query, so a page costs the same number of queries
for 10 or 10,000 processes (``tests/test_care_queries.py`` holds it to that, and
``bench/serve_bench.py`` times the inbox with 50,000). Viewflow's ``ListModelView``
shows 25 rows a page.
"""

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site
from viewflow.utils import viewprop
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.flow.views.mixins import StoreRequestPathMixin
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core import cache_versions

from . import access, deadlines, process_views
from .flows import ForlopFlow
from .models import CareProcess
from .querysets import tasks_visible_to

PIN_LOCATION = "vf-pin-location"  # Viewflow's session key for the list a task page links back to


def visible_tasks(user):
    return tasks_visible_to(user, ForlopFlow)


def for_page(tasks):
    """A page of tasks with their patient summary, the care processes fetched by primary key in a second query.

    Joining the processes into the task query (``select_related``) let PostgreSQL hash the whole process table
    to sort the user's tasks (about 50 ms with 50,000 processes); a prefetch of the page's 25 processes costs 2 ms.
    The prefetch reads the care processes themselves (``task.process`` is then a :class:`CareProcess`), not
    Viewflow's base rows, which its manager would turn into care processes one more object at a time.
    """
    processes = CareProcess.objects.select_related("municipality").only("patient_name", "municipality__name")
    return tasks.select_related(None).prefetch_related(Prefetch("process", queryset=processes))


def menu_counts(request):
    """The request's :class:`MenuCounts`, shared by the menu and the inbox's or queue's paginator."""
    counts = getattr(request, "_lkt_menu_counts", None)
    if counts is None:
        counts = request._lkt_menu_counts = MenuCounts(request.user)
    return counts


# The counts are kept this long at most: a change of tasks invalidates them at once (versioned key); a change of
# who may see which process (a team or a group membership) shows within this time.
MENU_COUNTS_SECONDS = 10


class MenuCounts:
    """The menu's inbox and queue badges, counted in one query, and only if a template shows them.

    Viewflow's menu reads ``{{ user_inbox.count }}`` and ``{{ user_queue.count }}`` on every page of the app;
    two ``COUNT`` queries over the visible tasks become one conditional aggregate, kept in the shared cache for a
    few seconds under the versions of the user's tasks and the queue (``workflows.signals`` bumps them).
    """

    def __init__(self, user):
        self.user = user

    @cached_property
    def counts(self):
        versions = cache_versions.current(cache_versions.user_tasks(self.user.pk), cache_versions.task_queue())
        key = f"menu-counts:{self.user.pk}:{versions}"
        counts = cache.get(key)
        if counts is None:
            counts = self._count()
            cache.set(key, counts, MENU_COUNTS_SECONDS)
        return counts

    def _count(self):
        inbox = Q(owner=self.user, status=STATUS.ASSIGNED)
        queue = Q(flow_task_type="HUMAN", status=STATUS.NEW)
        return (
            visible_tasks(self.user)
            .filter(inbox | queue)
            .aggregate(inbox=Count("pk", filter=inbox), queue=Count("pk", filter=queue))
        )


class MenuBadge:
    def __init__(self, counts, key):
        self._counts, self._key = counts, key

    @property
    def count(self):
        return self._counts.counts[self._key]


class SessionPinMixin:
    """Viewflow's list views remember the list's path in the session on every page (``StoreRequestPathMixin``),
    which costs a session write per request even when the path is the one already stored; only a new path is
    written here, and the session's idle timeout is refreshed at most once a minute
    (``accounts.middleware.SessionLifetimeMiddleware``). Skipping past ``StoreRequestPathMixin`` skips no other
    ``dispatch``: it is the first of Viewflow's bases of these views (``tests/performance/test_care_queries.py``)."""

    def dispatch(self, request, *args, **kwargs):
        if StoreRequestPathMixin in type(self).__mro__ and request.session.get(PIN_LOCATION) == request.get_full_path():
            return super(StoreRequestPathMixin, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class ListRowsMixin:
    """The page's rows formatted here, for ``workflows/list.html``, and the processes listed noted for the audit.

    Each column is a method of the view taking the row's object, with its header as ``short_description``.
    ``request.lkt_listed_processes`` tells the middleware which patients the page showed
    (``workflows.middleware``), so each one is put in the audit trail.
    """

    template_name = "workflows/task_list.html"

    def listed_process(self, obj):
        """The care process a row shows."""
        return obj.process_id if isinstance(obj, Task) else obj.pk

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objects = list(context["object_list"])
        listed = self.request.__dict__.setdefault("lkt_listed_processes", [])
        listed.extend(self.listed_process(obj) for obj in objects)
        cells = [getattr(self, name) for name in self.columns]
        context["headers"] = [cell.short_description for cell in cells]
        context["rows"] = [(obj.pk, [cell(obj) for cell in cells]) for obj in objects]
        return context


class TaskColumnsMixin:
    columns = ("task_link", "patient", "municipality", "waiting", "deadline")

    def task_link(self, task):
        url = task.flow_task.reverse("index", args=[task.process_id, task.pk])
        return format_html('<a href="{}">{}</a>', url, task.flow_task.task_title)

    task_link.short_description = _("Oppgave")

    def patient(self, task):
        return task.process.patient_name

    patient.short_description = _("Pasient")

    def municipality(self, task):
        return task.process.municipality.name

    municipality.short_description = _("Kommune")

    def waiting(self, task):
        return timesince(task.created)

    waiting.short_description = _("Venter siden")

    def deadline(self, task):
        due = deadlines.deadline(task)
        if due is None:
            return ""
        shown = date_format(due, "j. M Y")
        if deadlines.is_overdue(task):
            return format_html('{} <strong class="lkt-overdue">{}</strong>', shown, _("forfalt"))
        return shown

    deadline.short_description = _("Frist")


class SharedCountMixin:
    """The inbox and the queue count the same rows as their menu badges: one aggregate answers both."""

    count_key = None

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if set(self.request.GET) <= {"page", "_orderby"}:  # no filter or search narrows the rows
            paginator.count = menu_counts(self.request).counts[self.count_key]
        return paginator


class InboxView(SessionPinMixin, ListRowsMixin, SharedCountMixin, TaskColumnsMixin, flow_views.FlowInboxListView):
    title = _("Mine oppgaver")
    filterset_class = None
    count_key = "inbox"

    @viewprop
    def queryset(self):
        return (
            for_page(visible_tasks(self.request.user))
            .filter(owner=self.request.user, status=STATUS.ASSIGNED)
            .order_by("-created")
        )


class QueueView(SessionPinMixin, ListRowsMixin, SharedCountMixin, TaskColumnsMixin, flow_views.FlowQueueListView):
    title = _("Ufordelte oppgaver")
    filterset_class = None
    count_key = "queue"

    @viewprop
    def queryset(self):
        return (
            for_page(visible_tasks(self.request.user))
            .filter(flow_task_type="HUMAN", status=STATUS.NEW)
            .order_by("-created")
        )


class ArchiveView(SessionPinMixin, ListRowsMixin, TaskColumnsMixin, flow_views.FlowArchiveListView):
    title = _("Utførte oppgaver")
    filterset_class = None
    columns = ("task_link", "patient", "municipality", "finished")

    def finished(self, task):
        return date_format(timezone.localtime(task.finished), "DATETIME_FORMAT")

    finished.short_description = capfirst(Task._meta.get_field("finished").verbose_name)

    @viewprop
    def queryset(self):
        return (
            for_page(visible_tasks(self.request.user))
            .filter(owner=self.request.user, finished__isnull=False)
            .order_by("-finished")
        )


class ProcessListView(SessionPinMixin, ListRowsMixin, flow_views.DashboardProcessListView):
    title = _("Pasientforløp")
    template_name = "workflows/process_list.html"
    columns = ("process_link", "municipality_name", "stage_label", "coordinator_name", "next_evaluation")
    filterset_class = None

    def process_link(self, process):
        url = self.request.resolver_match.flow_viewset.reverse("process_detail", args=[process.pk])
        return format_html('<a href="{}">{}</a>', url, process.patient_name)

    process_link.short_description = _("Pasient")

    def municipality_name(self, process):
        return process.municipality.name

    municipality_name.short_description = _("Kommune")

    def stage_label(self, process):
        # The enum's label directly: ``get_stage_display`` rebuilds a hashable copy of every choice on each call,
        # about 0.1 ms a row (bench/README.md, the GP's process list).
        try:
            return CareProcess.Stage(process.stage).label
        except ValueError:  # a stage no longer among the choices is shown as stored, as get_stage_display does
            return process.stage

    stage_label.short_description = _("Fase")

    def coordinator_name(self, process):
        return process.coordinator.get_full_name() or process.coordinator.get_username()

    coordinator_name.short_description = _("Koordinator")

    def next_evaluation(self, process):
        return date_format(process.next_evaluation) if process.next_evaluation else ""

    next_evaluation.short_description = capfirst(CareProcess._meta.get_field("next_evaluation").verbose_name)

    @property
    def model(self):
        return CareProcess

    def get_queryset(self):
        user = self.request.user
        return CareProcess.objects.visible_to(user).for_listing().order_by("-created")


class CareFlowViewset(FlowAppViewset):
    base_template_name = "workflows/base_page.html"
    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    process_list_view_class = ProcessListView
    process_detail_view_class = process_views.CareProcessDetailView
    # The kanban dashboard, the all-tasks list and bulk (un)assign show or touch tasks across patients.
    task_list_path = None
    tasks_assign_path = None
    tasks_unassign_path = None
    process_cancel_path = None

    @property
    def index_path(self):
        return path("", self.process_list_view, name="index")

    @property
    def withdraw_path(self):
        return path("<int:process_pk>/trekk-samtykke/", process_views.WithdrawConsentView.as_view(), name="withdraw")

    @property
    def handover_path(self):
        return path("<int:process_pk>/overfor/", process_views.HandoverView.as_view(), name="handover")

    @property
    def plan_print_path(self):
        return path("<int:process_pk>/plan/", process_views.PlanPrintView.as_view(), name="plan_print")

    @property
    def national_id_path(self):
        return path("<int:process_pk>/fodselsnummer/", process_views.NationalIdView.as_view(), name="national_id")

    @property
    def consent_document_path(self):
        return path(
            "<int:process_pk>/samtykke/<int:consent_pk>/",
            process_views.ConsentDocumentView.as_view(),
            name="consent_document",
        )

    @property
    def diagram_path(self):
        return path("<int:process_pk>/diagram/", process_views.ProcessDiagramView.as_view(), name="diagram")

    @property
    def audit_log_path(self):
        return path("revisjonslogg/", process_views.AuditLogView.as_view(), name="audit_log")

    def get_context_data(self, request):
        counts = menu_counts(request)
        return {
            "user_inbox": MenuBadge(counts, "inbox"),
            "user_queue": MenuBadge(counts, "queue"),
            "can_register": access.can_register(request.user),
        }


site = Site(
    title=_("LKT – pasientforløp"),
    viewsets=[CareFlowViewset(ForlopFlow, icon="diversity_3", title=_("Pasientforløp"))],
)
