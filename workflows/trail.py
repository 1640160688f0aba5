"""The audit trail as people read it: step names in Norwegian, and each person by name and role.

``AuditEntry.what`` holds what the request touched – a sentence written by a service («Lagret Min gode dag») or,
for a page read, the page's route (``forlop:consent:execute``), which is stable and exact but no reading for
people. :func:`step_name` turns a route into the step's own title and what was done there; :func:`people` names
the users of a page of entries with their role – their role on that patient's team, or their coordinating unit,
or the auditors – in two queries, however many entries the page holds.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .groups import AUDITORS
from .models import TeamMember

PAGES = {
    "process_detail": _("Forløpssiden"),
    "process_chart": _("Prosessdiagrammet"),
    "plan_print": _("Planen (utskrift)"),
    "national_id": _("Fødselsnummeret"),
    "consent_document": _("Signert samtykkeskjema"),
    "withdraw": _("Trekk samtykke"),
    "handover": _("Overfør koordinatorrollen"),
    "index": _("Listen over forløp"),
    "process_list": _("Listen over forløp"),
    "inbox": _("Mine oppgaver (liste)"),
    "queue": _("Ufordelte oppgaver (liste)"),
    "archive": _("Utførte oppgaver (liste)"),
    "mine_oppgaver": _("Mine oppgaver på oversikten i administrasjonen"),
}
TASK_ACTIONS = {
    "index": _("åpnet"),
    "execute": _("skjemaet"),
    "detail": _("detaljer"),
    "assign": _("ta oppgaven"),
    "unassign": _("gi fra seg oppgaven"),
    "undo": _("angre"),
    "cancel": _("avbryt"),
    "revive": _("gjenoppliv"),
}


def step_name(what):
    """What an entry's ``what`` means to a reader: a route becomes «Samtykke – skjemaet»; sentences stay."""
    from .flows import ForlopFlow  # the flow imports the views, which import this module's callers

    if " " in what or ":" not in what:
        return what
    parts = what.split(":")
    if parts[0] == "forlop" and len(parts) == 3:
        node = getattr(ForlopFlow, parts[1], None)
        title = getattr(node, "task_title", None)
        if title:
            return f"{title} – {TASK_ACTIONS.get(parts[2], parts[2])}"
    if parts[-1] in PAGES:
        return str(PAGES[parts[-1]])
    if parts[0] == "pasientmeldinger":
        return str(_("Meldinger fra pasienten"))
    return what


@dataclass(frozen=True)
class Person:
    name: str
    role: str


SYSTEM = Person(name=str(_("Systemet")), role="")


def people(entries):
    """{(user id, process id): Person} for a page of entries, in two queries."""
    pairs = {(entry.user_id, entry.process_id) for entry in entries if entry.user_id}
    if not pairs:
        return {}
    user_ids = {user_id for user_id, _process in pairs}
    process_ids = {process_id for _user, process_id in pairs if process_id}
    team_roles = {}
    members = TeamMember.objects.filter(user_id__in=user_ids, process_id__in=process_ids).order_by("-active", "pk")
    for member in members:
        team_roles.setdefault((member.user_id, member.process_id), member.get_role_display())
    units = {}
    memberships = (
        get_user_model()
        .groups.through.objects.filter(user_id__in=user_ids)
        .select_related("user", "group__coordinating_unit__municipality")
        .order_by("pk")
    )
    names = {}
    for row in memberships:
        names.setdefault(row.user_id, row.user.get_full_name() or row.user.get_username())
        unit = getattr(row.group, "coordinating_unit", None)
        if unit is not None:
            units.setdefault(row.user_id, _("Koordinerende enhet %(name)s") % {"name": unit.municipality.name})
        elif row.group.name == AUDITORS:
            units.setdefault(row.user_id, _("Revisor"))
    found = {}
    for entry in entries:
        if not entry.user_id:
            continue
        name = names.get(entry.user_id) or entry.user.get_full_name() or entry.user.get_username()
        role = team_roles.get((entry.user_id, entry.process_id)) or units.get(entry.user_id) or _("Helsepersonell")
        found[(entry.user_id, entry.process_id)] = Person(name=name, role=str(role))
    return found
