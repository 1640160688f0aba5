"""The LKT care-community process, declared node by node; what each step does lives in views and services."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow, lock

from core.vocabulary import Role

from . import access, services, views
from .models import PATIENT, CareProcess
from .nodes import ApprovalView, PersonalView


def _owner_for(approver):
    def owner(activation):
        return activation.process.owner_for(approver)

    return owner


def _approval(approver, title):
    return (
        ApprovalView(views.ApprovalView.as_view(), approver)
        .Annotation(title=title)
        .Assign(_owner_for(approver))
        .onCreate(this.task_created)
        .Next(this.approval_join)
    )


# Named in Norwegian because Viewflow derives the URL segment from it: /prosesser/forlop/.
class ForlopFlow(flow.Flow):
    process_class = CareProcess
    process_title = _("Pasientforløp")
    process_description = _("Samtykke, Min gode dag, aktørkart, plan for samarbeid, godkjenning og evaluering.")
    # Block (not fail fast) on the process row, so two approvals sent at the same instant both land, in turn.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = (
        flow.Start(views.RegisterView.as_view())
        .Annotation(title=_("Registrer behov"))
        .Available(access.can_register)
        .Next(this.consent)
    )
    consent = (
        PersonalView(views.ConsentView.as_view())
        .Annotation(title=_("Samtykke"))
        .Assign(act.process.coordinator)
        .onCreate(this.task_created)
        .Next(this.consent_given)
    )
    consent_given = (
        flow.If(lambda activation: activation.process.stage != CareProcess.Stage.REFUSED)
        .Annotation(title=_("Samtykke gitt?"))
        .Then(this.good_day)
        .Else(this.refused)
    )
    refused = flow.End().Annotation(title=_("Ikke samtykke"))

    good_day = (
        PersonalView(views.GoodDayView.as_view())
        .Annotation(title=_("Min gode dag"))
        .Assign(act.process.coordinator)
        .onCreate(this.task_created)
        .Next(this.actor_map)
    )
    actor_map = (
        PersonalView(views.ActorMapView.as_view())
        .Annotation(title=_("Aktørkart og aktørfellesskap"))
        .Assign(act.process.coordinator)
        .onCreate(this.task_created)
        .Next(this.draft_plan)
    )
    draft_plan = (
        PersonalView(views.PlanView.as_view())
        .Annotation(title=_("Plan for samarbeid"))
        .Assign(act.process.coordinator)
        .onCreate(this.task_created)
        .Next(this.approval_split)
    )
    approval_split = (
        flow.Split()
        .Annotation(title=_("Send til godkjenning"))
        .Next(this.approve_coordinator)
        .Next(this.approve_gp)
        .Next(this.approve_contact_doctor)
        .Next(this.approve_internal_coordinator)
        .Next(this.patient_confirmation)
    )
    approve_coordinator = _approval(Role.COORDINATOR, _("Godkjenning: koordinator"))
    approve_gp = _approval(Role.GP, _("Godkjenning: fastlege"))
    approve_contact_doctor = _approval(Role.CONTACT_DOCTOR, _("Godkjenning: kontaktlege"))
    approve_internal_coordinator = _approval(Role.INTERNAL_COORDINATOR, _("Godkjenning: intern koordinator"))
    patient_confirmation = _approval(PATIENT, _("Pasientens bekreftelse"))
    approval_join = (
        flow.Join(continue_on_condition=this.changes_requested)
        .Annotation(title=_("Alle har svart"))
        .Next(this.approval_outcome)
    )
    approval_outcome = (
        flow.If(this.plan_approved)
        .Annotation(title=_("Godkjent av alle?"))
        .Then(this.activate_plan)
        .Else(this.draft_plan)
    )
    activate_plan = (
        flow.Function(services.activate_plan).Annotation(title=_("Planen er aktiv")).Next(this.wait_evaluation)
    )
    wait_evaluation = flow.Timer(this.evaluation_due).Annotation(title=_("Venter på evaluering")).Next(this.evaluate)
    evaluate = (
        PersonalView(views.EvaluationView.as_view())
        .Annotation(title=_("Evaluering"))
        .Assign(act.process.coordinator)
        .onCreate(this.evaluation_opened)
        .Next(this.evaluation_outcome)
    )
    evaluation_outcome = (
        flow.Switch()
        .Annotation(title=_("Fortsette, revidere eller avslutte?"))
        .Case(this.wait_evaluation, lambda activation: activation.process.stage == CareProcess.Stage.ACTIVE)
        .Case(this.draft_plan, lambda activation: activation.process.stage == CareProcess.Stage.PLANNING)
        .Default(this.closed)
    )
    closed = flow.End().Annotation(title=_("Forløpet er avsluttet"))

    def task_created(self, activation):
        services.notify_task_owner(activation.task)

    def evaluation_opened(self, activation):
        services.open_evaluation(activation.process)
        services.notify_task_owner(activation.task)

    def changes_requested(self, activation, active_tasks):
        return activation.process.changes_requested()

    def plan_approved(self, activation):
        return not activation.process.changes_requested()

    def evaluation_due(self, activation):
        return activation.process.evaluation_due_at()

    def has_view_permission(self, user, obj=None):
        if obj is not None:
            return access.can_see(user, obj)
        return access.may_use_processes(user)

    def has_manage_permission(self, user, obj=None):
        # Viewflow's generic cancel/undo/revive would bypass the recorded withdrawal; nobody gets them.
        return False
