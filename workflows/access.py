"""Who may do what with a care process; every check answers from the database, never from a session."""

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery

from .groups import CARE_TEAM
from .models import CareProcess, CoordinatingUnit, TeamMember


def _per_request(name):
    """Remember an answer on the user object, which lives for one request: Viewflow asks several times a page."""

    def decorator(func):
        def wrapper(user):
            cached = getattr(user, name, None)
            if cached is None:
                cached = func(user)
                if user.is_authenticated:
                    setattr(user, name, cached)
            return cached

        return wrapper

    return decorator


@_per_request("_lkt_coordinating_municipalities")
def coordinating_municipalities(user):
    """Municipality numbers whose coordinating unit this user belongs to."""
    if not user.is_authenticated:
        return []
    return list(CoordinatingUnit.objects.filter(group__in=user.groups.all()).values_list("municipality_id", flat=True))


@_per_request("_lkt_team_processes_outside_units")
def team_processes_outside_units(user):
    """Processes this member of a coordinating unit is on the team of outside the unit's municipalities.

    Usually none; a literal list keeps the need-to-know rule free of a subquery the planner cannot estimate
    (see ``CareProcessQuerySet.visible_to``).
    """
    # The municipality is read per membership through the process's primary key (a correlated subquery): a join
    # let PostgreSQL scan every process to find the few hundred a coordinator is on the team of.
    municipality = CareProcess.objects.filter(pk=OuterRef("process_id")).order_by().values("municipality_id")[:1]
    memberships = (
        TeamMember.objects.filter(user=user, active=True)
        .annotate(municipality_id=Subquery(municipality))
        .exclude(municipality_id__in=coordinating_municipalities(user))
    )
    return sorted(set(memberships.order_by().values_list("process_id", flat=True)))


def can_register(user):
    """Registering a need is for members of a municipality's coordinating unit."""
    return user.is_authenticated and user.is_active and bool(coordinating_municipalities(user))


@_per_request("_lkt_may_use_processes")
def may_use_processes(user):
    """Whether the process menu is shown at all: coordinating units, team members with accounts, auditors."""
    if not user.is_authenticated or not user.is_active:
        return False
    # The coordinating unit first: the need-to-know rule reads it anyway, the permissions cost two queries more.
    if can_register(user) or user.has_perm("workflows.view_audit"):
        return True
    return TeamMember.objects.filter(user=user, active=True).exists()


def can_see(user, process):
    return CareProcess.objects.visible_to(user).filter(pk=process.pk).exists()


def is_coordinating_unit_for(user, process):
    return process.municipality_id in coordinating_municipalities(user)


def is_responsible_for(user, process):
    """The process's coordinator or its municipality's coordinating unit, whether the process is open or not."""
    return process.coordinator_id == user.pk or is_coordinating_unit_for(user, process)


def can_manage(user, process):
    """Withdrawal and hand-over: the process's coordinator or its municipality's coordinating unit."""
    return process.is_open and is_responsible_for(user, process)


def team_eligible_users():
    """Accounts that may be named in a care team: health and care staff in the care-team group or a coordinating
    unit – never directory editors, reviewers or auditors on the strength of those roles alone."""
    eligible = Q(groups__name=CARE_TEAM) | Q(groups__coordinating_unit__isnull=False)
    return get_user_model().objects.filter(is_active=True).filter(eligible).distinct()
