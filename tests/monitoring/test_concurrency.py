"""Two red values for one patient at the same instant on PostgreSQL: both are stored, exactly one alert is raised.

Each report runs in its own thread and database connection, released together by a barrier; the lock on the care
process row makes «is an alert open?» and the insert one step, and the partial unique constraint backs it up.
"""

import threading
import time

import pytest
from django.db import IntegrityError, connections, transaction
from viewflow.workflow.models import Task

from monitoring import services
from monitoring.flows import AlertFlow
from monitoring.models import Alert, PlanParameter, Report

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _slow_reports(monkeypatch):
    """Hold each report's transaction open a little after the lock, so the two always overlap."""
    original = services.parse_value

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "parse_value", slow)


def test_two_simultaneous_red_values_raise_exactly_one_alert(active, care):
    weight = PlanParameter.objects.get(plan__process=active, plan__status="godkjent", series__parameter__slug="vekt")
    barrier = threading.Barrier(2)
    errors = []

    def send(value):
        try:
            barrier.wait(timeout=10)
            services.submit_report(active, weight.pk, value, care.coordinator, on_behalf=True)
        except Exception as error:  # noqa: BLE001 – reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(value,)) for value in ("86", "87")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Report.objects.filter(zone="rod").count() == 2
    alert = Alert.objects.get()
    assert alert.report_count == 2
    assert Task.objects.filter(process=alert, flow_task=AlertFlow.acknowledge).count() == 1


def test_the_database_refuses_a_second_open_alert_of_a_kind(active, care):
    weight = PlanParameter.objects.get(plan__process=active, plan__status="godkjent", series__parameter__slug="vekt")
    services.submit_report(active, weight.pk, "86", care.coordinator)
    alert = Alert.objects.get()
    duplicate = Alert(
        care_process=active,
        series=alert.series,
        plan_parameter=alert.plan_parameter,
        kind=alert.kind,
        responsible=care.gp,
        responsible_role="fastlege",
        flow_class=AlertFlow,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
