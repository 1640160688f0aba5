"""Side effects of the care process: every write of patient data goes through here and is audit-logged."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import get_resolver
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from core.dates import add_months
from core.vocabulary import Role

from . import audit, signals
from .models import PATIENT, ApprovalAnswer, AuditEntry, CareProcess, Consent, PlanVersion, TeamMember

Stage = CareProcess.Stage


# --- tasks and notification -------------------------------------------------------------------------------


# Nodes that run inside the request of the person who finished the step before them; walking back through them
# finds who set the new task going. A timer (or any other node type) is the system acting, not a person.
PASS_THROUGH_TYPES = {"EXCLUSIVE_GATEWAY", "PARALLEL_GATEWAY", "SWITCH", "JOIN", "FUNCTION", "START"}
PERSON_TYPES = {"HUMAN", "HUMAN_START"}


def opened_by(task):
    """The user whose finished step created ``task`` – the owner of the latest person's task before it, reached
    through gateways, joins and functions only – or None when the system opened it (a timer)."""
    latest, seen, frontier = None, set(), [task]
    while frontier:
        predecessors = [p for t in frontier for p in t.previous.all() if p.pk not in seen]
        seen.update(p.pk for p in predecessors)
        frontier = []
        for previous in predecessors:
            if previous.flow_task_type in PERSON_TYPES:
                if previous.finished and (latest is None or previous.finished > latest.finished):
                    latest = previous
            elif previous.flow_task_type in PASS_THROUGH_TYPES:
                frontier.append(previous)
            else:
                return None
    return latest.owner if latest is not None else None


def notify_task_owner(task):
    """E-mail that a task waits: a link only, never the patient's name or anything about them.

    Not to someone who set the task going themselves (finishing one step opens the next for the same
    coordinator, who is looking at it already); a timer's task, a colleague's answer or a hand-over e-mails.
    """
    owner = task.owner
    if owner is None or not owner.email:
        return
    if opened_by(task) == owner:
        return
    # Viewflow names its URLs when the URLconf is first built; a cron command may not have built it yet.
    get_resolver().url_patterns  # noqa: B018
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + task.flow_task.reverse("index", args=[task.process_id, task.pk])
    subject = _("En oppgave venter på deg i LKT")
    body = _(
        "Hei,\n\nDet venter en ny oppgave på deg i LKT:\n%(url)s\n\n"
        "Logg inn med to-faktor for å se den. Denne e-posten inneholder ingen pasientopplysninger.\n"
    ) % {"url": url}
    recipient = owner.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))


# --- start and consent -----------------------------------------------------------------------------------


def register_need(process, user):
    process.coordinator = process.coordinator if process.coordinator_id else user
    process.stage = Stage.REGISTERED
    process.save()
    audit.record(user, process, AuditEntry.Action.CREATE, _("Registrerte behov"))


def record_consent(process, consent, user):
    consent.process = process
    consent.recorded_by = user
    consent.save()
    if consent.granted:
        process.stage = Stage.MAPPING
        process.shared_until = consent.sharing_until()
        process.save(update_fields=["stage", "shared_until"])
        audit.record(user, process, AuditEntry.Action.CHANGE, _("Registrerte samtykke"))
    else:
        minimise_after_refusal(process)
        audit.record(user, process, AuditEntry.Action.CHANGE, _("Registrerte at samtykke ikke er gitt"))


def minimise_after_refusal(process):
    """Keep only who was referred, where and the refusal itself; the rest of the referral is cleared."""
    process.stage = Stage.REFUSED
    process.address = ""
    process.postal_code = None
    process.need_description = ""
    process.referred_by = ""
    process.areas_of_need = []
    process.save()
    process.team.all().delete()


class AlreadyDone(Exception):
    """The action was already carried out – by a request sent a moment before this one (a double click, or two
    people at once). Nothing more was done."""


@transaction.atomic
def withdraw_consent(process, user, note):
    """Stop at once: cancel every open task and the timer, end the process, and take the team's access away.

    Under the flow's lock on the process row: a second withdrawal sent at the same instant waits, then finds the
    process withdrawn and raises :class:`AlreadyDone` instead of recording the withdrawal twice.
    """
    with process.flow_class.lock(process.pk):
        process.refresh_from_db()
        if not process.is_open:
            raise AlreadyDone
        _withdraw(process, user, note)


def _withdraw(process, user, note):
    process.flow_class.instance.cancel(process)
    process.refresh_from_db()
    now = timezone.now()
    Consent.objects.filter(process=process, granted=True, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=user, withdrawal_note=note
    )
    process.stage = Stage.WITHDRAWN
    process.next_evaluation = None
    process.shared_until = None
    process.save(update_fields=["stage", "next_evaluation", "shared_until"])
    process.team.update(active=False)
    process.plan_versions.exclude(status=PlanVersion.Status.SUPERSEDED).update(status=PlanVersion.Status.STOPPED)
    audit.record(user, process, AuditEntry.Action.WITHDRAW, _("Samtykket ble trukket tilbake; forløpet er stoppet"))


# --- mapping ---------------------------------------------------------------------------------------------


def save_good_day(process, good_day, user, draft=False):
    good_day.process = process
    good_day.save()
    what = _("Lagret utkast av Min gode dag") if draft else _("Lagret Min gode dag")
    audit.record(user, process, AuditEntry.Action.CHANGE, what)


def save_team(process, formset, user, chosen_actors=(), complete=True):
    """Save the team rows and add the directory actors picked from the proposals as members.

    Runs under the flow's lock on the process row (Viewflow takes it for every task POST), and the formset has
    checked that its rows are the team as it is now (``require_current_rows``), so a «Lagre» sent twice cannot
    add its new rows twice.
    """
    formset.instance = process
    members = formset.save(commit=False)
    for member in formset.deleted_objects:
        member.delete()
    # Two members swapping roles pass through a moment where both hold one mandatory role, which the unique
    # constraint refuses mid-save: park every changed role on a role outside the constraint first.
    moved = [member.pk for member, fields in formset.changed_objects if "role" in fields]
    TeamMember.objects.filter(pk__in=moved).update(role=Role.ACTOR)
    for member in members:
        member.save()
    formset.save_m2m()
    for actor in chosen_actors:
        TeamMember.objects.create(
            process=process,
            role=Role.ACTOR,
            name=actor.title,
            phone=actor.phone,
            email=actor.email,
            organisation=actor.title,
            actor=actor,
        )
    if complete:
        process.stage = Stage.PLANNING
        process.save(update_fields=["stage"])
    audit.record(user, process, AuditEntry.Action.CHANGE, _("Lagret aktørkart og aktørfellesskap"))


# --- plan ------------------------------------------------------------------------------------------------


def save_plan(process, data, user, submit):
    """Save the draft; on submit it is frozen as a version of its own and the next edit starts a new one."""
    latest = process.plan_versions.working()
    if latest is not None and latest.status == PlanVersion.Status.DRAFT:
        plan = latest
    else:
        plan = PlanVersion(process=process, number=(latest.number + 1) if latest else 1, created_by=user)
    for field, value in data.items():
        setattr(plan, field, value)
    if submit:
        plan.status = PlanVersion.Status.SUBMITTED
        plan.submitted_at = timezone.now()
        process.stage = Stage.APPROVAL
        process.save(update_fields=["stage"])
    plan.save()
    what = _("Sendte plan versjon %(n)s til godkjenning") if submit else _("Lagret utkast til plan versjon %(n)s")
    audit.record(user, process, AuditEntry.Action.CHANGE, what % {"n": plan.number})
    return plan


def record_answer(process, role, decision, comment, user, on_behalf=None):
    """One approver's answer; ``on_behalf`` is worked out from the team unless the caller knows (the patient's own
    answer on Min side passes False)."""
    plan = process.plan_versions.under_approval()
    member = process.team.active().filter(role=role).first() if role != PATIENT else None
    if on_behalf is None:
        on_behalf = member is None or member.user_id != user.pk
    ApprovalAnswer.objects.create(
        plan=plan, role=role, member=member, decision=decision, comment=comment, recorded_by=user, on_behalf=on_behalf
    )
    if decision == ApprovalAnswer.Decision.CHANGES:
        plan.status = PlanVersion.Status.CHANGES
        plan.save(update_fields=["status"])
        process.stage = Stage.PLANNING
        process.save(update_fields=["stage"])
    audit.record(
        user,
        process,
        AuditEntry.Action.CHANGE,
        _("Svarte på plan versjon %(n)s (%(role)s)") % {"n": plan.number, "role": role},
    )


def activate_plan(activation):
    process = activation.process
    plan = process.plan_versions.under_approval()
    process.plan_versions.filter(status=PlanVersion.Status.APPROVED).update(status=PlanVersion.Status.SUPERSEDED)
    plan.status = PlanVersion.Status.APPROVED
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_at"])
    process.stage = Stage.ACTIVE
    process.evaluation_interval_months = plan.evaluation_interval_months
    process.next_evaluation = add_months(timezone.localdate(), plan.evaluation_interval_months)
    process.save(update_fields=["stage", "evaluation_interval_months", "next_evaluation"])
    audit.record(None, process, AuditEntry.Action.CHANGE, _("Plan versjon %(n)s godkjent av alle") % {"n": plan.number})


# --- evaluation ------------------------------------------------------------------------------------------


def open_evaluation(process):
    process.stage = Stage.EVALUATION
    process.save(update_fields=["stage"])


def record_evaluation(process, evaluation, user):
    evaluation.process = process
    evaluation.plan = process.plan_versions.active()
    evaluation.created_by = user
    evaluation.save()
    Outcome = evaluation.Outcome
    if evaluation.outcome == Outcome.CONTINUE:
        process.stage = Stage.ACTIVE
        process.next_evaluation = add_months(timezone.localdate(), process.evaluation_interval_months)
    elif evaluation.outcome == Outcome.REVISE:
        process.stage = Stage.PLANNING
        process.next_evaluation = None
    else:
        process.stage = Stage.CLOSED
        process.next_evaluation = None
        process.team.filter(user__isnull=False).exclude(role=Role.COORDINATOR).update(active=False)
    process.save(update_fields=["stage", "next_evaluation"])
    audit.record(
        user, process, AuditEntry.Action.CHANGE, _("Evaluerte planen: %(o)s") % {"o": evaluation.get_outcome_display()}
    )


# --- hand-over -------------------------------------------------------------------------------------------


@transaction.atomic
def hand_over(process, new_member, user):
    """Give the coordinator role to another team member with an account; their open tasks follow them."""
    with process.flow_class.lock(process.pk):
        process.refresh_from_db()
        old_user = process.coordinator
        old_member = process.team.active().filter(role=Role.COORDINATOR).first()
        if old_member is not None and old_member.pk != new_member.pk:
            old_member.active = False
            old_member.save(update_fields=["active"])
        new_member.role = Role.COORDINATOR
        new_member.save(update_fields=["role"])
        process.coordinator = new_member.user
        process.save(update_fields=["coordinator"])
        open_tasks = process.task_set.filter(owner=old_user, status=STATUS.ASSIGNED)
        for task in open_tasks:
            task.owner = new_member.user
            task.save(update_fields=["owner"])
            notify_task_owner(task)
        # The tasks left the old coordinator's inbox: the save signal only sees their new owner.
        signals.tasks_changed([old_user.pk])
        audit.record(user, process, AuditEntry.Action.HANDOVER, _("Koordinatorrollen ble overført"))
