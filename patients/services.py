"""Every write from Min side: through the care process's own services and Viewflow activations, and audit-logged.

The patient answers the same ``patient_confirmation`` task and records consent at the same ``consent`` task the
coordinator would: the task is taken under the flow's lock, the answer is written by ``workflows.services`` and the
activation completes it, so the process moves on exactly as with any answer. What differs is who is recorded: the
patient's own user, and ``on_behalf=False``.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from core.dates import add_months
from workflows import audit
from workflows import forms as care_forms
from workflows import services as care_services
from workflows.flows import ForlopFlow
from workflows.models import PATIENT, AuditEntry, CareProcess

from .models import Citizen, NextOfKinGrant, PatientMessage

Action = AuditEntry.Action
OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


class NothingToAnswer(Exception):  # noqa: N818 – reads as what happened
    """The task is no longer open (answered meanwhile, by the patient elsewhere or the coordinator on their behalf)."""


# --- identity ----------------------------------------------------------------------------------------------


def ensure_citizen(pid):
    """The citizen with this pid, created with a user that can never log in any other way (random username, no
    password, no group)."""
    citizen = Citizen.objects.select_for_update().filter(pid=pid).select_related("user").first()
    if citizen is None:
        user = get_user_model()(username=f"borger-{secrets.token_hex(8)}", is_active=True)
        user.set_unusable_password()
        user.save()
        citizen = Citizen.objects.create(pid=pid, user=user)
    return citizen


@transaction.atomic
def citizen_for_login(pid, acr):
    """The citizen ID-porten vouched for, created on their first login."""
    citizen = ensure_citizen(pid)
    citizen.last_login_at = timezone.now()
    citizen.last_acr = acr
    citizen.save(update_fields=["last_login_at", "last_acr"])
    return citizen


# --- reads -------------------------------------------------------------------------------------------------


def record_read(citizen, process, what):
    audit.record(citizen.user, process, Action.VIEW, what)


def record_refused(citizen, process_pk, what):
    audit.record_denied(citizen.user, process_pk, what)


# --- tasks the patient answers -----------------------------------------------------------------------------


def open_task(process, node):
    return process.task_set.filter(flow_task=node, status__in=OPEN).first()


def _complete(task, write):
    """Run ``write(activation)`` and complete the task, all under the lock and in one transaction."""
    with task.activation() as activation, transaction.atomic():
        if activation.task.status not in (STATUS.ASSIGNED, STATUS.STARTED):
            raise NothingToAnswer
        if activation.task.status == STATUS.ASSIGNED:
            activation.start(None)
        write(activation)
        activation.execute()


def answer_plan(process, citizen, decision, comment):
    """The patient's own answer to the plan version under approval (``patient_confirmation``)."""
    task = open_task(process, ForlopFlow.patient_confirmation)
    if task is None:
        raise NothingToAnswer

    def write(activation):
        care_services.record_answer(activation.process, PATIENT, decision, comment, citizen.user, on_behalf=False)

    _complete(task, write)


def consent_form(covers_sharing, years):
    """The consent step's own form, bound to what the patient chose on Min side: the same rules apply."""
    today = timezone.localdate()
    data = {
        "granted": "ja",
        "given_by": "pasient",
        "given_at": today.isoformat(),
        "method": "digitalt",
        "covers_community": "on",
        "valid_until": add_months(today, 12 * years).isoformat(),
    }
    if covers_sharing:
        data["covers_sharing"] = "on"
    return care_forms.ConsentForm(data)


def give_consent(process, citizen, covers_sharing, years):
    """Consent given digitally by the patient at the ``consent`` step."""
    task = open_task(process, ForlopFlow.consent)
    if task is None:
        raise NothingToAnswer
    form = consent_form(covers_sharing, years)
    if not form.is_valid():
        raise ValueError(form.errors.as_json())

    def write(activation):
        care_services.record_consent(activation.process, form.save(commit=False), citizen.user)

    _complete(task, write)


def withdraw_consent(process, citizen, note):
    """The same withdrawal as the coordinator's (the process stops, the team loses access at once); the team is told."""
    if process.stage == CareProcess.Stage.WITHDRAWN or not process.is_open:
        raise NothingToAnswer
    recipients = _team_addresses(process)
    try:
        care_services.withdraw_consent(process, citizen.user, note or _("Trukket tilbake av pasienten på Min side."))
    except care_services.AlreadyDone:
        # Withdrawn a moment ago (a second tab, a double click, or the coordinator at the same time).
        raise NothingToAnswer from None
    subject = _("Et samtykke er trukket tilbake i LKT")
    body = _(
        "Hei,\n\nPasienten har trukket tilbake samtykket i forløp nr. %(pk)s. Forløpet er stoppet, og "
        "aktørfellesskapet har ikke lenger tilgang til opplysningene.\n\n"
        "Denne e-posten inneholder ingen pasientopplysninger.\n"
    ) % {"pk": process.pk}
    transaction.on_commit(lambda: [send_mail(subject, body, None, [to], fail_silently=True) for to in recipients])


def _team_addresses(process):
    """The coordinator and every active team member with an account: the people who lose access."""
    users = [process.coordinator] + [m.user for m in process.team.active().select_related("user") if m.user_id]
    return sorted({user.email for user in users if user.email and user.is_active})


# --- messages ----------------------------------------------------------------------------------------------


def send_message(process, citizen, kind, text):
    message = PatientMessage.objects.create(process=process, author=citizen, kind=kind, text=text)
    audit.record(citizen.user, process, Action.CREATE, _("Min side: sendte melding til koordinator"))
    coordinator = process.coordinator
    if coordinator.email:
        url = (
            settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("pasientmeldinger:process", args=[process.pk])
            + f"#melding-{message.uuid}"
        )
        subject = _("En melding fra en pasient venter på deg i LKT")
        body = _(
            "Hei,\n\nEn pasient har sendt deg en melding i LKT:\n%(url)s\n\n"
            "Logg inn med to-faktor for å lese og svare. Denne e-posten inneholder ingen pasientopplysninger.\n"
        ) % {"url": url}
        recipient = coordinator.email
        transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))
    return message


def answer_message(message, user, answer):
    message.answer = answer
    message.answered_by = user
    message.answered_at = timezone.now()
    message.save(update_fields=["answer", "answered_by", "answered_at"])
    audit.record(user, message.process, Action.CHANGE, _("Svarte på melding fra pasienten"))


# --- next of kin -------------------------------------------------------------------------------------------


def grant_next_of_kin(process, citizen, pid, name, relation):
    grant = NextOfKinGrant.objects.create(process=process, pid=pid, name=name, relation=relation, granted_by=citizen)
    audit.record(citizen.user, process, Action.CHANGE, _("Min side: ga en pårørende innsyn"))
    return grant


def revoke_next_of_kin(grant, citizen):
    if grant.revoked_at is not None:
        return
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit.record(citizen.user, grant.process, Action.CHANGE, _("Min side: trakk tilbake innsyn for en pårørende"))
