"""Innsyn i logg: who read a patient's information – name, role and unit – worked out for a page of entries at once.

Three queries whatever the page holds: the team rows of the people on the page (their role and unit in this
process, also after they left the team), their groups (a coordinating unit and its municipality, or the auditors),
and the next of kin among them (the name the patient gave them). No username is ever shown.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core.vocabulary import Role
from workflows.groups import AUDITORS
from workflows.models import TeamMember

from .models import Citizen, NextOfKinGrant
from .stages import ROLE_PLAIN


@dataclass(frozen=True)
class Reader:
    at: object
    name: str
    role: str
    unit: str
    listed: bool


def readers(process, entries):
    user_ids = {entry.user_id for entry in entries}
    if not user_ids:
        return []
    roles = {}
    for member in TeamMember.objects.filter(process=process, user_id__in=user_ids).order_by("-active", "pk"):
        roles.setdefault(
            member.user_id, (str(ROLE_PLAIN.get(member.role, member.get_role_display())), member.organisation)
        )
    memberships = (
        get_user_model()
        .groups.through.objects.filter(user_id__in=user_ids)
        .select_related("group__coordinating_unit__municipality")
        .order_by("pk")
    )
    units = {}
    for row in memberships:
        unit = getattr(row.group, "coordinating_unit", None)
        if unit is not None:
            units.setdefault(row.user_id, (_("Koordinerende enhet"), unit.municipality.name))
        elif row.group.name == AUDITORS:
            units.setdefault(row.user_id, (_("Kontroll av loggen (revisor)"), ""))
    citizens = dict(Citizen.objects.filter(user_id__in=user_ids).values_list("user_id", "pid"))
    kin = {}
    if citizens:
        for grant in NextOfKinGrant.objects.filter(process=process, pid__in=citizens.values()).order_by("granted_at"):
            kin[grant.pid] = grant.name
    rows = []
    for entry in entries:
        user = entry.user
        if entry.user_id in citizens:
            name = kin.get(citizens[entry.user_id], _("Pårørende"))
            role, unit = str(ROLE_PLAIN[Role.NEXT_OF_KIN]), ""
        else:
            name = user.get_full_name() or _("Navn ikke registrert")
            role, unit = roles.get(entry.user_id) or units.get(entry.user_id) or (_("Helsepersonell"), "")
        rows.append(Reader(at=entry.at, name=name, role=role, unit=unit, listed=entry.action == entry.Action.LIST))
    return rows
