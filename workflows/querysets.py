"""Reads of care processes, named for who reads them and why (need-to-know lives here)."""

from django.db import models
from django.db.models import Q


class CareProcessQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Processes a user has a need to know: their coordinating unit's municipality, or a team they are on.

        A withdrawn consent removes the team's access at once; the coordinating
        unit keeps the record (and its audit trail) but sees that it is closed.
        """
        from .models import CoordinatingUnit, TeamMember

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        # Two small id lists the planner can use as indexes, rather than a join per process row.
        units = CoordinatingUnit.objects.filter(group__in=user.groups.all()).values("municipality_id")
        teams = TeamMember.objects.filter(user=user, active=True).values("process_id")
        return self.filter(Q(municipality_id__in=units) | (Q(pk__in=teams) & ~Q(stage="trukket")))

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


class AuditQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The coordinating unit reads its municipality's trail; the auditor role reads all of it."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.has_perm("workflows.view_audit"):
            return self
        return self.filter(process__municipality__coordinating_unit__group__in=user.groups.all())

    def update(self, **kwargs):
        raise NotImplementedError("The audit log is append-only.")

    def delete(self):
        raise NotImplementedError("The audit log is append-only.")
