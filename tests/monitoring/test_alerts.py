"""Yellow and red values set the agreed response in motion: one alert task for the right member, acknowledged,
escalated once when a red one waits too long; a missed report gives a reminder, then a task for the coordinator."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from monitoring import services
from monitoring.flows import AlertFlow
from monitoring.models import Alert, MonitoringStatus, PlanParameter, Reminder, Report, Series, Zone
from tests import factories
from workflows.models import CareProcess

from .conftest import WEIGHT, plan_with

pytestmark = pytest.mark.django_db


def parameter(process, slug="vekt"):
    return PlanParameter.objects.get(plan__process=process, plan__status="godkjent", series__parameter__slug=slug)


def report(process, value, user, slug="vekt", **kwargs):
    return services.submit_report(process, parameter(process, slug).pk, value, user, **kwargs)


def open_alert_tasks(alert, node=None):
    tasks = Task.objects.filter(process=alert, status=STATUS.ASSIGNED)
    return tasks.filter(flow_task=node) if node is not None else tasks


def fire_timers():
    Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED).update(
        scheduled=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("workflow_timers", stdout=io.StringIO())


def test_red_value_creates_one_task_for_the_agreed_member_and_an_empty_mail(
    active, care, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report(active, "86", care.coordinator, on_behalf=True)
    alert = Alert.objects.get()
    assert alert.kind == Alert.Kind.RED and alert.responsible == care.gp
    task = open_alert_tasks(alert).get()
    assert task.owner == care.gp and task.flow_task == AlertFlow.acknowledge
    assert Task.objects.filter(process=alert, flow_task=AlertFlow.wait_escalation, status=STATUS.SCHEDULED).exists()
    sent = [m for m in mail.outbox if care.gp.email in m.to]
    assert len(sent) == 1
    assert active.patient_name not in sent[0].body and "86" not in sent[0].body
    assert "ingen pasientopplysninger" in sent[0].body


def test_a_second_red_value_joins_the_open_alert(active, care):
    report(active, "86", care.coordinator)
    report(active, "87", care.coordinator)
    alert = Alert.objects.get()
    assert alert.report_count == 2 and alert.latest_report.value == 87
    assert Task.objects.filter(process__in=Alert.objects.all(), flow_task=AlertFlow.acknowledge).count() == 1


def test_yellow_goes_to_the_coordinator_without_escalation(active, care):
    report(active, "82", care.coordinator)
    alert = Alert.objects.get()
    assert alert.kind == Alert.Kind.YELLOW and alert.responsible == care.coordinator
    assert not Task.objects.filter(process=alert, flow_task_type="TIMER").exists()


def test_green_raises_nothing(active, care):
    report(active, "70", care.coordinator)
    assert not Alert.objects.exists()
    assert MonitoringStatus.objects.get(process=active).worst_zone == Zone.GREEN


def test_acknowledgement_closes_the_alert_and_cancels_the_escalation(active, care, gp_client, coordinator_client):
    report(active, "86", care.coordinator)
    alert = Alert.objects.get()
    task = open_alert_tasks(alert).get()
    url = task.flow_task.reverse("execute", args=[alert.pk, task.pk])
    page = gp_client.get(url)
    assert page.status_code == 200
    text = factories.page_text(page)
    assert "86" in text and "Fastlegen vurderer pasienten samme dag." in text and "Rød" in text
    # Another member of the team cannot answer the GP's task.
    assert coordinator_client.post(url, {"action_taken": "Ringte."}).status_code in (403, 404)
    refused = gp_client.post(url, {"action_taken": ""})
    assert refused.status_code == 200 and "Dette feltet er påkrevet." in factories.page_text(refused)
    assert gp_client.post(url, {"action_taken": "Ringte pasienten, time i dag."}).status_code == 302
    alert = Alert.objects.get()
    assert alert.acknowledged_by == care.gp and alert.closed_at is not None
    assert alert.status == PROCESS.DONE
    timer = Task.objects.get(process=alert, flow_task=AlertFlow.wait_escalation)
    assert timer.status == STATUS.CANCELED
    assert MonitoringStatus.objects.get(process=active).open_alerts == 0
    # A new red value after the acknowledgement is a new alert.
    report(active, "88", care.coordinator)
    assert Alert.objects.filter(closed_at__isnull=True).count() == 1


def test_unacknowledged_red_escalates_once_to_the_coordinator(active, care, coordinator_client):
    report(active, "86", care.coordinator)
    alert = Alert.objects.get()
    fire_timers()
    fire_timers()
    escalations = Task.objects.filter(process=alert, flow_task=AlertFlow.escalate)
    assert escalations.count() == 1
    assert escalations.get().owner == care.coordinator
    assert Alert.objects.get().escalated_at is not None
    # The coordinator acknowledges; the GP's task is cancelled with it.
    task = escalations.get()
    url = task.flow_task.reverse("execute", args=[alert.pk, task.pk])
    assert coordinator_client.post(url, {"action_taken": "Fikk tak i fastlegen."}).status_code == 302
    assert Task.objects.get(process=alert, flow_task=AlertFlow.acknowledge).status == STATUS.CANCELED
    assert Alert.objects.get().status == PROCESS.DONE


def test_a_timer_not_yet_due_does_not_escalate(active, care):
    report(active, "86", care.coordinator)
    call_command("workflow_timers", stdout=io.StringIO())
    assert not Task.objects.filter(flow_task=AlertFlow.escalate).exists()


def test_missed_report_reminds_the_patient_then_gives_the_coordinator_a_task(active, care):
    weight = parameter(active)
    long_ago = timezone.now() - datetime.timedelta(days=3)
    type(weight.plan).objects.filter(pk=weight.plan_id).update(approved_at=long_ago)
    assert services.sweep_missed() == (1, 0)
    reminder = Reminder.objects.get()
    assert reminder.series == weight.series and reminder.resolved_at is None
    assert services.sweep_missed() == (0, 0)  # not yet a tolerance since the reminder
    Reminder.objects.filter(pk=reminder.pk).update(created_at=long_ago)
    assert services.sweep_missed() == (0, 1)
    alert = Alert.objects.get(kind=Alert.Kind.MISSED)
    assert open_alert_tasks(alert).get().owner == care.coordinator
    assert services.sweep_missed() == (0, 0)
    # The value arrives: the reminder is resolved.
    report(active, "70", care.coordinator)
    assert Reminder.objects.get().resolved_at is not None
    call_command("monitoring_reminders", stdout=io.StringIO())


def test_thresholds_follow_plan_versions(active, care, coordinator_client, clients_by_owner):
    first = report(active, "86", care.coordinator)
    assert first.zone == Zone.RED
    # The evaluation revises the plan: the new version moves the thresholds up.
    factories.fire_timers(active)
    factories.post_step(coordinator_client, active, "evaluate", factories.evaluation(active, "revider"))
    changed = dict(WEIGHT, yellow_above="90", red_above="95")
    factories.post_step(coordinator_client, active, "draft_plan", plan_with(active, rows=[changed]))
    factories.approve_all(active, clients_by_owner)
    process = CareProcess.objects.get(pk=active.pk)
    assert process.plan_versions.active().number == 2
    second = report(process, "86", care.coordinator)
    assert second.zone == Zone.GREEN
    assert Report.objects.get(pk=first.pk).zone == Zone.RED
    assert Report.objects.get(pk=first.pk).plan_parameter.plan.number == 1
    assert Series.objects.filter(process=process, parameter__slug="vekt").count() == 1


def test_withdrawal_cancels_open_alerts_and_reminders(active, care):
    from workflows import services as care_services

    report(active, "86", care.coordinator)
    alert = Alert.objects.get()
    care_services.withdraw_consent(active, care.coordinator, "Pasienten ringte.")
    alert = Alert.objects.get()
    assert alert.closed_at is not None and alert.status == PROCESS.CANCELED
    assert not Task.objects.filter(process=alert).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).exists()
    assert MonitoringStatus.objects.get(process=active).open_alerts == 0
    fire_timers()
    assert not Task.objects.filter(flow_task=AlertFlow.escalate).exists()
