"""Reads of care processes, named for who reads them and why (need-to-know lives here)."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from viewflow.workflow.models import Task

from core.append_only import AppendOnlyQuerySet
from core.vocabulary import Role


class CareProcessQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Processes a user has a need to know: their coordinating unit's municipality, or a team they are on.

        A withdrawn consent removes the team's access at once; the coordinating
        unit keeps the record (and its audit trail) but sees that it is closed.

        Shaped for PostgreSQL's planner (checked with EXPLAIN ANALYZE on 50,000 processes, ``bench/README.md``),
        whose row estimates decide between an index and a scan of every process: a condition on a subquery
        inside an ``OR`` is always guessed at half the table. So a member of a coordinating unit gets literal
        lists, remembered for the request (``workflows.access``): the unit's municipalities and the few processes
        they are on the team of elsewhere (usually none, and then there is no ``OR`` at all); the planner knows
        how many rows each matches and uses the index on ``municipality_id`` or walks the processes by ``created``.
        A user with no unit (a team member) gets only the subquery on the partial index of their active
        memberships, which then drives the query.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        from . import access  # access reads the models, which read this module

        today = timezone.localdate()
        units = access.coordinating_municipalities(user)
        if units:
            elsewhere = access.team_processes_outside_units(user)
            visible = Q(municipality_id__in=units)
            if elsewhere:
                visible |= Q(pk__in=elsewhere, shared_until__gte=today) & ~Q(stage=self.model.Stage.WITHDRAWN)
            return self.filter(visible)
        teams = user.care_memberships.filter(active=True).order_by().values("process_id")
        # The team sees the process only while the patient's consent covers sharing with them.
        return self.filter(pk__in=teams, shared_until__gte=today).exclude(stage=self.model.Stage.WITHDRAWN)

    def open(self):
        return self.exclude(stage__in=self.model.CLOSED_STAGES)

    def for_listing(self):
        return self.select_related("municipality", "coordinator").only(
            "pk",
            "status",
            "created",
            "finished",
            "flow_class",
            "patient_name",
            "stage",
            "municipality__number",
            "municipality__name",
            "coordinator__username",
            "coordinator__first_name",
            "coordinator__last_name",
            "next_evaluation",
        )


def tasks_visible_to(user, flow_class):
    """Tasks of this flow whose process the user has a need to know.

    The flow is told by the task's own ``flow_task`` column rather than by ``process__flow_class``: that join
    made PostgreSQL hash every process row for each count (about 60 ms with 50,000 processes); the need-to-know
    ``EXISTS`` already reaches the process by its primary key.
    """
    visible = flow_class.process_class.objects.visible_to(user).filter(pk=OuterRef("process_id"))
    return (
        Task.objects.filter(flow_task__in=list(flow_class.instance.nodes()))
        .filter(Exists(visible))
        .select_related("process__careprocess__municipality", "owner")
    )


class TeamMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_handover(self, process):
        """Who may take over as coordinator: other actors with an account. A person holding another LKT role keeps
        it rather than leave it empty."""
        return (
            self.active()
            .filter(process=process, role=Role.ACTOR, user__isnull=False, user__is_active=True)
            .exclude(user=process.coordinator_id)
            .select_related("user")
        )


class PlanVersionQuerySet(models.QuerySet):
    def working(self):
        """The draft being written, or the latest version to start the next draft from (None before the first)."""
        return self.order_by("-number").first()

    def under_approval(self):
        Status = self.model.Status
        return self.filter(status__in=[Status.SUBMITTED, Status.CHANGES]).first()

    def active(self):
        return self.filter(status=self.model.Status.APPROVED).first()

    def sent(self):
        """Versions that left drafting: what the print view and the history show."""
        return self.exclude(status=self.model.Status.DRAFT)


class AuditQuerySet(AppendOnlyQuerySet):
    def readable_by(self, user):
        """The coordinating unit reads its municipality's trail; the auditor role reads all of it."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.has_perm("workflows.view_audit"):
            return self
        return self.filter(process__municipality__coordinating_unit__group__in=user.groups.all())
