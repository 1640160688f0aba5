"""Staff groups of the care process: a coordinating unit per municipality, the auditors, and team members."""

from django.contrib.auth.models import Group
from django.db import transaction

from core.permissions import permission
from directory.models import Municipality

from .models import CoordinatingUnit

AUDITORS = "Revisorer (pasientforløp)"
CARE_TEAM = "Helsepersonell i aktørfellesskap"


def coordinating_unit_group_name(municipality):
    return f"Koordinerende enhet – {municipality.name} ({municipality.number})"


@transaction.atomic
def ensure_coordinating_unit(number):
    """The group whose members register needs and see every process of this municipality; idempotent."""
    municipality = Municipality.objects.get(number=number)
    unit = CoordinatingUnit.objects.filter(municipality=municipality).select_related("group").first()
    if unit is None:
        group, _ = Group.objects.get_or_create(name=coordinating_unit_group_name(municipality))
        unit = CoordinatingUnit.objects.create(municipality=municipality, group=group)
    unit.group.permissions.add(permission("wagtailadmin", "access_admin"))
    return unit


@transaction.atomic
def ensure_auditors():
    """Auditors read the whole audit trail (never the records themselves)."""
    group, _ = Group.objects.get_or_create(name=AUDITORS)
    group.permissions.add(permission("wagtailadmin", "access_admin"), permission("workflows", "view_audit"))
    return group


@transaction.atomic
def ensure_care_team():
    """Team members with an account (a GP, a hospital doctor) log in here to answer their tasks."""
    group, _ = Group.objects.get_or_create(name=CARE_TEAM)
    group.permissions.add(permission("wagtailadmin", "access_admin"))
    return group
