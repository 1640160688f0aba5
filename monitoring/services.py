"""Writes of self-monitoring: plan parameters, reports, alerts, reminders – each audit-logged, each all or nothing.

A report is refused with a Norwegian message, and nothing is stored, when the value is not a number, lies outside
what can be measured, belongs to no parameter of the active plan, or the patient's consent no longer stands.
Reports for one patient are taken one at a time under a lock on the care process row, so two red values arriving at
once raise one alert; the partial unique constraint on :class:`~monitoring.models.Alert` holds that even without it.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.digits import parse_id, to_ascii_digits
from core.vocabulary import Role
from patients.access import consent_stands
from workflows import audit
from workflows.models import AuditEntry, CareProcess, PlanVersion

from .models import (
    ZONE_RANK,
    Alert,
    MonitoringStatus,
    Parameter,
    PlanParameter,
    Reminder,
    Report,
    Series,
    Zone,
)

Action = AuditEntry.Action
APPROVED = PlanVersion.Status.APPROVED
YES = {"ja", "j", "yes", "1", "true"}
NO = {"nei", "n", "no", "0", "false"}
# A measurement may be registered a while after it was taken, but not from the future (clocks differ a little).
CLOCK_SKEW = datetime.timedelta(minutes=5)
LATEST_BACKDATE = datetime.timedelta(days=7)


class ReportRefused(Exception):  # noqa: N818 – reads as what happened
    """The report was not stored; ``message`` says why, in words the patient understands."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- values ------------------------------------------------------------------------------------------------


def _number(text):
    return f"{text.normalize():f}".replace(".", ",")


def parse_value(parameter, raw):
    """The typed value as a Decimal (yes is 1, no is 0), or :class:`ReportRefused`."""
    text = to_ascii_digits(str(raw or "")).strip().casefold()
    if parameter.is_yes_no:
        if text in YES:
            return Decimal(1)
        if text in NO:
            return Decimal(0)
        raise ReportRefused(_("Svar ja eller nei."))
    if not text:
        raise ReportRefused(_("Skriv inn en verdi."))
    try:
        value = Decimal(text.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ReportRefused(_("Verdien må være et tall, for eksempel 72 eller 72,5."))
    if parameter.kind == Parameter.Kind.SCALE and value != value.to_integral_value():
        raise ReportRefused(_("Velg et helt tall fra 0 til 10."))
    if not parameter.min_value <= value <= parameter.max_value:
        raise ReportRefused(
            _(
                "%(value)s %(unit)s er utenfor det som er mulig å måle for %(name)s (%(low)s–%(high)s). "
                "Sjekk at du har skrevet riktig."
            )
            % {
                "value": _number(value),
                "unit": parameter.unit_label,
                "name": parameter.name.lower(),
                "low": _number(parameter.min_value),
                "high": _number(parameter.max_value),
            }
        )
    return value.quantize(Decimal(1).scaleb(-parameter.decimals))


# --- reports -----------------------------------------------------------------------------------------------


def active_parameters(process):
    """The monitoring parameters of the process's active (approved) plan version, in the plan's order."""
    return (
        PlanParameter.objects.filter(plan__process=process, plan__status=APPROVED)
        .select_related("series__parameter")
        .order_by("order", "pk")
    )


@transaction.atomic
def submit_report(process, plan_parameter_pk, raw_value, user, on_behalf=False, effective_at=None):
    """Judge and store one value; raise the agreed alert for yellow and red. Returns the stored report."""
    now = timezone.now()
    # One report at a time per patient: the lock makes «is an alert already open?» and the insert one step.
    # One query: the lock, and whether the consent still stands.
    locked = CareProcess.objects.select_for_update(of=("self",)).filter(pk=process.pk).filter(consent_stands())
    process = locked.first()
    if process is None:
        raise ReportRefused(_("Samtykket ditt er trukket tilbake eller utløpt, så målinger kan ikke registreres."))
    pk = parse_id(str(plan_parameter_pk))
    parameter = active_parameters(process).filter(pk=pk).first() if pk is not None else None
    if parameter is None:
        raise ReportRefused(_("Denne målingen er ikke en del av planen som gjelder nå. Ingenting er lagret."))
    value = parse_value(parameter.series.parameter, raw_value)
    effective_at = effective_at or now
    if effective_at > now + CLOCK_SKEW:
        raise ReportRefused(_("Tidspunktet for målingen kan ikke være fram i tid."))
    if effective_at < now - LATEST_BACKDATE:
        raise ReportRefused(_("Målingen kan ikke være eldre enn sju dager."))
    catalogue = parameter.series.parameter
    zone = parameter.zone_for(value)
    report = Report.objects.create(
        process=process,
        series=parameter.series,
        plan_parameter=parameter,
        value=value,
        zone=zone,
        effective_at=effective_at,
        recorded_at=now,
        recorded_by=user,
        on_behalf=on_behalf,
        code_system=catalogue.code_system,
        code=catalogue.code,
        display=catalogue.display,
        unit=catalogue.unit,
    )
    series = parameter.series
    if series.latest_at is None or effective_at >= series.latest_at:
        Series.objects.filter(pk=series.pk).update(latest_at=effective_at, latest_value=value, latest_zone=zone)
    Reminder.objects.filter(series=series, resolved_at__isnull=True).update(resolved_at=now)
    if zone in (Zone.YELLOW, Zone.RED):
        raise_alert(process, parameter, report, zone)
    refresh_status(process)
    what = _("Egenmåling: registrerte måling på vegne av pasienten") if on_behalf else _("Egenmåling: ny måling")
    audit.record(user, process, Action.CREATE, what)
    return report


def responsible_for(process, role, member):
    """Who takes over: the named member, else whoever holds the role now, else the coordinator.

    Only members with an account who may see the process (the consent covers sharing with them) can get a task.
    """
    if process.shares_with_team():
        candidates = process.team.active().filter(user__isnull=False, user__is_active=True).select_related("user")
        if member is not None:
            chosen = candidates.filter(pk=member.pk).first()
            if chosen is not None:
                return chosen.user, chosen.role
        chosen = candidates.filter(role=role).order_by("pk").first()
        if chosen is not None:
            return chosen.user, chosen.role
    return process.coordinator, Role.COORDINATOR


def raise_alert(process, parameter, report, zone):
    """Start an alert flow, or add the report to the alert of this kind already open for the series."""
    # flows.py calls this module's services from its nodes; starting a new alert needs the flow class itself (there
    # is no process yet whose ``flow_class`` could be used), so it is imported here, breaking that cycle.
    from .flows import AlertFlow

    kind = Alert.Kind.RED if zone == Zone.RED else Alert.Kind.YELLOW
    open_alert = Alert.objects.filter(series=parameter.series, kind=kind, closed_at__isnull=True).first()
    if open_alert is not None:
        Alert.objects.filter(pk=open_alert.pk).update(latest_report=report, report_count=open_alert.report_count + 1)
        return open_alert
    role, member = parameter.responsible(zone)
    user, held_role = responsible_for(process, role, member)
    return AlertFlow.start.run(
        care_process=process,
        series=parameter.series,
        plan_parameter=parameter,
        kind=kind,
        report=report,
        responsible=user,
        responsible_role=held_role,
    )


def raise_missed(process, parameter, reminder):
    """A report still missing after the reminder: a task for the coordinator (one open per series)."""
    from .flows import AlertFlow  # see raise_alert: the one cycle with flows.py

    if Alert.objects.filter(series=parameter.series, kind=Alert.Kind.MISSED, closed_at__isnull=True).exists():
        return None
    return AlertFlow.start.run(
        care_process=process,
        series=parameter.series,
        plan_parameter=parameter,
        kind=Alert.Kind.MISSED,
        report=None,
        responsible=process.coordinator,
        responsible_role=Role.COORDINATOR,
    )


def acknowledge(alert, user, action_taken):
    """The member acknowledged the alert and recorded what was done; the flow's join then ends it."""
    now = timezone.now()
    alert.acknowledged_at = now
    alert.acknowledged_by = user
    alert.action_taken = action_taken
    alert.closed_at = now
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "action_taken", "closed_at"])
    if alert.kind == Alert.Kind.MISSED:
        Reminder.objects.filter(series=alert.series, resolved_at__isnull=True).update(resolved_at=now)
    refresh_status(alert.care_process)
    audit.record(user, alert.care_process, Action.CHANGE, _("Egenmåling: kvitterte for varsel"))


def escalated(alert):
    alert.escalated_at = timezone.now()
    alert.save(update_fields=["escalated_at"])
    audit.record(None, alert.care_process, Action.CHANGE, _("Egenmåling: rødt varsel eskalert til koordinator"))


def refresh_status(process):
    """Recompute the process's overview row: worst current zone of the active plan's series, open alerts."""
    series = Series.objects.filter(plan_parameters__plan__process=process, plan_parameters__plan__status=APPROVED)
    latest_rows = list(series.values_list("latest_zone", "latest_at"))
    zones = {zone for zone, _at in latest_rows if zone}
    worst = max(zones, key=lambda z: ZONE_RANK[z], default=Zone.GREEN)
    alerts = Alert.objects.filter(care_process=process, closed_at__isnull=True).aggregate(
        count=Count("pk"),
        oldest=Min("opened_at"),
        missing=Count("pk", filter=Q(kind=Alert.Kind.MISSED)),
    )
    reminders = Reminder.objects.filter(process=process, resolved_at__isnull=True).count()
    latest = max((at for _zone, at in latest_rows if at is not None), default=None)
    values = {
        "worst_rank": ZONE_RANK[worst],
        "worst_zone": worst,
        "latest_report_at": latest,
        "open_alerts": alerts["count"],
        "oldest_open_alert_at": alerts["oldest"],
        "missing": alerts["missing"] + reminders,
    }
    # Callers hold the lock on the care process row, so update-then-create cannot race with itself.
    if not MonitoringStatus.objects.filter(process=process).update(**values):
        MonitoringStatus.objects.create(process=process, **values)


# --- missed reports ----------------------------------------------------------------------------------------


def sweep_missed(now=None):
    """For every scheduled parameter of an active plan: a reminder once a report is overdue (period plus
    tolerance), and a coordinator task once it is overdue by another tolerance after the reminder.

    Run by ``monitoring_reminders`` from cron, beside ``workflow_timers``. Returns (reminders, tasks) created.
    """
    now = now or timezone.now()
    reminders = tasks = 0
    rows = (
        PlanParameter.objects.filter(plan__status=APPROVED, frequency__in=["daglig", "ukentlig"])
        .filter(plan__process__stage__in=[CareProcess.Stage.ACTIVE, CareProcess.Stage.EVALUATION])
        .select_related("series", "plan__process")
    )
    for parameter in rows.iterator(chunk_size=500):
        since = max(filter(None, [parameter.series.latest_at, parameter.plan.approved_at]), default=None)
        if since is None:
            continue
        period = datetime.timedelta(hours=parameter.period_hours())
        tolerance = datetime.timedelta(hours=parameter.tolerance_hours)
        due = since + period
        if now < due + tolerance:
            continue
        with transaction.atomic():
            process = CareProcess.objects.select_for_update(of=("self",)).get(pk=parameter.plan.process_id)
            reminder = Reminder.objects.filter(series=parameter.series, resolved_at__isnull=True).first()
            if reminder is None:
                Reminder.objects.create(
                    process=process, series=parameter.series, plan_parameter=parameter, due_since=due
                )
                audit.record(None, process, Action.CREATE, _("Egenmåling: påminnelse om manglende måling"))
                reminders += 1
            elif reminder.escalated_at is None and now >= reminder.created_at + tolerance:
                reminder.escalated_at = now
                reminder.save(update_fields=["escalated_at"])
                if raise_missed(process, parameter, reminder) is not None:
                    tasks += 1
            else:
                continue
            refresh_status(process)
    return reminders, tasks


# --- the plan ----------------------------------------------------------------------------------------------


def series_for(process, parameter, question=""):
    """The process's series for this parameter (and question), created on first use."""
    series, _created = Series.objects.get_or_create(process=process, parameter=parameter, question=question)
    return series


def save_plan_parameters(plan, rows, user):
    """Replace the draft version's monitoring parameters with these rows (dicts of PlanParameter fields)."""
    process = plan.process
    plan.monitoring_parameters.all().delete()
    created = []
    for order, row in enumerate(rows):
        row = dict(row)
        series = series_for(process, row.pop("parameter"), row.pop("question", "") or "")
        if any(p.series_id == series.pk for p in created):
            continue
        created.append(PlanParameter.objects.create(plan=plan, series=series, order=order, **row))
    if created or rows:
        audit.record(
            user, process, Action.CHANGE, _("Egenmåling: lagret parametere i plan versjon %(n)s") % {"n": plan.number}
        )
    return created


# --- the care process ends ---------------------------------------------------------------------------------


def close_for_ended_process(process):
    """Consent withdrawn or the process closed: open alerts are cancelled (their tasks and timers with them) and
    open reminders resolved – nobody may act on, or be chased by, a process that has ended."""
    now = timezone.now()
    open_alerts = list(Alert.objects.filter(care_process=process, closed_at__isnull=True))
    for alert in open_alerts:
        alert.flow_class.instance.cancel(alert)
        Alert.objects.filter(pk=alert.pk).update(closed_at=now)
    resolved = Reminder.objects.filter(process=process, resolved_at__isnull=True).update(resolved_at=now)
    if open_alerts or resolved:
        refresh_status(process)
        audit.record(None, process, Action.CHANGE, _("Egenmåling: åpne varsler lukket fordi forløpet er avsluttet"))
