"""An alert from self-monitoring as a Viewflow flow of its own, declared node by node.

Started by :func:`monitoring.services.raise_alert` (or ``raise_missed``) with the alert's data. The responsible
member's acknowledgement task and, for a red value, an escalation timer run side by side; the join ends the alert
at the first acknowledgement and cancels whatever else is still waiting (the timer, or the other person's task).
The timer is database-backed and fired by the ``workflow_timers`` command like the care process's own.
"""

import datetime

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from workflows import access
from workflows import services as care_services
from workflows.nodes import PersonalView

from . import services, views
from .models import Alert


class VarselFlow(flow.Flow):
    """Named in Norwegian because Viewflow derives the URL segment and namespace from it: /prosesser/varsler/varsel/."""

    process_class = Alert
    process_title = _("Varsel fra egenmåling")
    process_description = _("En gul eller rød verdi, eller en manglende måling, som venter på den ansvarlige.")
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.start_alert).Annotation(title=_("Varsel opprettet")).Next(this.split)
    split = (
        flow.Split()
        .Annotation(title=_("Varsle"))
        .Next(this.acknowledge)
        .Next(this.wait_escalation, case=this.escalates)
    )
    acknowledge = (
        PersonalView(views.AcknowledgeView.as_view())
        .Annotation(title=_("Kvitter for varsel fra egenmåling"))
        .Assign(lambda activation: activation.process.responsible)
        .onCreate(this.task_created)
        .Next(this.join)
    )
    wait_escalation = flow.Timer(this.escalation_due).Annotation(title=_("Venter på kvittering")).Next(this.escalate)
    escalate = (
        PersonalView(views.AcknowledgeView.as_view())
        .Annotation(title=_("Eskalert: rødt varsel uten kvittering"))
        .Assign(lambda activation: activation.process.care_process.coordinator)
        .onCreate(this.escalation_opened)
        .Next(this.join)
    )
    join = flow.Join(continue_on_condition=this.acknowledged).Annotation(title=_("Kvittert")).Next(this.end)
    end = flow.End().Annotation(title=_("Varselet er lukket"))

    def start_alert(self, activation, **fields):
        for name, value in fields.items():
            setattr(activation.process, name, value)
        activation.process.latest_report = fields.get("report")
        return activation.process

    def escalates(self, activation):
        alert = activation.process
        return alert.kind == Alert.Kind.RED and alert.plan_parameter.escalate_after_minutes is not None

    def escalation_due(self, activation):
        alert = activation.process
        return alert.opened_at + datetime.timedelta(minutes=alert.plan_parameter.escalate_after_minutes)

    def task_created(self, activation):
        care_services.notify_task_owner(activation.task)

    def escalation_opened(self, activation):
        services.escalated(activation.process)
        care_services.notify_task_owner(activation.task)

    def acknowledged(self, activation, active_tasks):
        return Alert.objects.filter(pk=activation.process.pk, acknowledged_at__isnull=False).exists()

    def has_view_permission(self, user, obj=None):
        if obj is not None:
            care_process = obj.care_process if isinstance(obj, Alert) else Alert.objects.get(pk=obj.pk).care_process
            return access.can_see(user, care_process)
        return access.may_use_processes(user)

    def has_manage_permission(self, user, obj=None):
        # Generic cancel/undo/revive would close an alert without an acknowledgement on record.
        return False


AlertFlow = VarselFlow
