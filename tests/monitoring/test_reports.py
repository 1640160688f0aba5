"""Reports judged against the active plan version; bad input refused in Norwegian with nothing stored."""

import datetime

import pytest
from django.utils import timezone

from monitoring import services
from monitoring.models import Alert, MonitoringStatus, PlanParameter, Report, Zone
from workflows import services as care_services
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db


def weight(process):
    return PlanParameter.objects.get(plan__process=process, plan__status="godkjent", series__parameter__slug="vekt")


def test_plan_holds_the_parameters_with_codes_and_units(active):
    parameter = weight(active)
    assert parameter.series.parameter.code == "29463-7"
    assert parameter.series.parameter.code_system == "http://loinc.org"
    assert parameter.series.parameter.unit == "kg"
    assert parameter.responsible_role_red == "fastlege"
    assert parameter.escalate_after_minutes == 60


@pytest.mark.parametrize(
    ("typed", "zone"), [("72,5", Zone.GREEN), ("80", Zone.GREEN), ("81", Zone.YELLOW), ("85,1", Zone.RED)]
)
def test_zone_follows_the_thresholds(active, care, typed, zone):
    report = services.submit_report(active, weight(active).pk, typed, care.coordinator, on_behalf=True)
    assert report.zone == zone
    assert report.code == "29463-7" and report.unit == "kg" and report.on_behalf


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("mye", "Verdien må være et tall"),
        ("", "Skriv inn en verdi"),
        ("NaN", "Verdien må være et tall"),
        ("1e9", "utenfor det som er mulig å måle"),
        ("900", "utenfor det som er mulig å måle"),
        ("-3", "utenfor det som er mulig å måle"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(active, care, typed, message):
    with pytest.raises(services.ReportRefused) as refused:
        services.submit_report(active, weight(active).pk, typed, care.coordinator)
    assert message in refused.value.message
    assert not Report.objects.exists()


def test_a_parameter_outside_the_active_plan_is_refused(active, care):
    with pytest.raises(services.ReportRefused) as refused:
        services.submit_report(active, 999999, "70", care.coordinator)
    assert "ikke en del av planen" in refused.value.message
    assert not Report.objects.exists()


def test_reports_after_withdrawal_are_refused(active, care):
    parameter = weight(active)
    care_services.withdraw_consent(active, care.coordinator, "Pasienten ringte.")
    with pytest.raises(services.ReportRefused) as refused:
        services.submit_report(active, parameter.pk, "70", care.coordinator)
    assert "Samtykket" in refused.value.message
    assert not Report.objects.exists()


def test_future_time_is_refused(active, care):
    with pytest.raises(services.ReportRefused):
        services.submit_report(
            active, weight(active).pk, "70", care.coordinator, effective_at=timezone.now() + datetime.timedelta(hours=2)
        )


def test_report_is_audit_logged_and_updates_the_overview_row(active, care):
    services.submit_report(active, weight(active).pk, "86", care.coordinator, on_behalf=True)
    assert AuditEntry.objects.filter(process=active, what__contains="på vegne av pasienten").exists()
    status = MonitoringStatus.objects.get(process=active)
    assert status.worst_zone == Zone.RED and status.open_alerts == 1
    assert Alert.objects.get().responsible == care.gp


def test_fhir_ready_fields(active, care):
    report = services.submit_report(active, weight(active).pk, "72,5", care.coordinator)
    from monitoring.fhir import observation

    resource = observation(report)
    assert resource["resourceType"] == "Observation"
    assert resource["code"]["coding"][0] == {"system": "http://loinc.org", "code": "29463-7", "display": "Body weight"}
    assert resource["valueQuantity"] == {
        "value": 72.5,
        "unit": "kg",
        "system": "http://unitsofmeasure.org",
        "code": "kg",
    }
    assert resource["subject"]["identifier"]["system"] == "urn:oid:2.16.578.1.12.4.1.4.1"
