"""Plain words for the patient: where the process stands, and how to reach each person in the team."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.vocabulary import Role
from workflows.models import CareProcess
from workflows.national_id import parse

Stage = CareProcess.Stage

PLAIN = {
    Stage.REGISTERED: _("Koordinatoren venter på samtykket ditt før arbeidet kan begynne."),
    Stage.REFUSED: _("Du ga ikke samtykke. Det er ikke opprettet noe samarbeid."),
    Stage.MAPPING: _("Koordinatoren kartlegger hvem som skal være med og hva som er viktig for deg."),
    Stage.PLANNING: _("Planen for samarbeidet blir skrevet."),
    Stage.APPROVAL: _("Planen er sendt til godkjenning hos deg og de viktigste aktørene."),
    Stage.ACTIVE: _("Planen er godkjent og gjelder nå."),
    Stage.EVALUATION: _("Det er tid for å se på hvordan planen har fungert."),
    Stage.CLOSED: _("Samarbeidet er avsluttet."),
    Stage.WITHDRAWN: _("Du har trukket samtykket tilbake. Samarbeidet er stoppet."),
}

ROLE_PLAIN = {
    Role.COORDINATOR: _("Koordinator"),
    Role.GP: _("Fastlege"),
    Role.CONTACT_DOCTOR: _("Kontaktlege eller -psykolog på sykehuset"),
    Role.INTERNAL_COORDINATOR: _("Koordinator på sykehuset"),
    Role.ACTOR: _("Tjeneste som hjelper deg"),
    Role.NEXT_OF_KIN: _("Pårørende"),
}


def describe(process):
    return PLAIN.get(process.stage, "")


@dataclass(frozen=True)
class Contact:
    """One team member as the patient sees them; contact data live from the directory where the member is an actor."""

    name: str
    role: str
    unit: str
    phone: str
    email: str
    address: str
    opening_hours: str
    is_contact_point: bool
    from_directory: bool


def contact(member):
    actor = member.actor if member.actor_id and member.actor.live else None
    return Contact(
        name=member.name,
        role=str(ROLE_PLAIN.get(member.role, member.get_role_display())),
        unit=member.organisation or (actor.title if actor else ""),
        phone=(actor.phone if actor and actor.phone else member.phone),
        email=(actor.email if actor and actor.email else member.email),
        address=actor.visiting_address if actor else "",
        opening_hours=actor.opening_hours if actor else "",
        is_contact_point=member.role == Role.COORDINATOR,
        from_directory=actor is not None,
    )


def is_under_16(pid, today=None):
    birth, _kind = parse(pid)
    today = today or timezone.localdate()
    sixteenth = (
        birth.replace(year=birth.year + 16)
        if not (birth.month == 2 and birth.day == 29)
        else datetime.date(birth.year + 16, 3, 1)
    )
    return today < sixteenth
