"""The patient reports on Min side: the zone at once with the agreed action, bad input refused, only their own."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from monitoring.models import Alert, PlanParameter, Report
from tests.factories import count_queries, page_text, response_text
from workflows import services as care_services
from workflows.models import AuditEntry
from workflows.national_id import synthetic

from .conftest import make_active

pytestmark = pytest.mark.django_db

PATIENT_PID = synthetic(datetime.date(1950, 5, 17))
OTHER_PID = synthetic(datetime.date(1962, 1, 9))


@pytest.fixture
def patient(coordinator_client, clients_by_owner, citizen_client):
    process = make_active(coordinator_client, clients_by_owner, national_id=PATIENT_PID)
    return process, citizen_client(PATIENT_PID)


def weight(process):
    return PlanParameter.objects.get(plan__process=process, plan__status="godkjent", series__parameter__slug="vekt")


def index_url(process):
    return reverse("egenmaling_min_side:index", args=[process.pk])


def report_url(process, parameter):
    return reverse("egenmaling_min_side:report", args=[process.pk, parameter.pk])


def test_the_patient_sees_what_to_measure_and_the_agreed_zones(patient):
    process, client = patient
    response = client.get(index_url(process))
    assert response.status_code == 200
    text = page_text(response)
    assert "Mine målinger" in text and "Vekt" in text and "Mer tung pust enn vanlig?" in text
    assert "Ring fastlegen i dag." in text  # the red zone's agreed action
    assert AuditEntry.objects.filter(process=process, what="min-side:egenmaling").exists()


def test_a_red_value_shows_the_zone_and_the_agreed_action_at_once(patient, care):
    process, client = patient
    response = client.post(report_url(process, weight(process)), {"value": "86,5"})
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    text = page_text(receipt)
    assert "Sone: Rød" in text and "Ring fastlegen i dag." in text and "86,5" in text
    stored = Report.objects.get()
    assert stored.on_behalf is False and stored.recorded_by == process_user(client)
    assert Alert.objects.get().responsible == care.gp


def process_user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_yes_no_question(patient):
    process, client = patient
    symptom = PlanParameter.objects.get(plan__process=process, series__parameter__slug="symptom")
    response = client.post(report_url(process, symptom), {"value": "ja"})
    assert response.status_code == 302
    assert "Sone: Gul" in page_text(client.get(response["Location"]))
    assert Alert.objects.get().kind == Alert.Kind.YELLOW


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("åtti", "Verdien må være et tall"),
        ("1000", "utenfor det som er mulig å måle"),
        ("", "Dette feltet er påkrevet"),
    ],
)
def test_bad_values_are_refused_in_norwegian_and_nothing_is_stored(patient, value, message):
    process, client = patient
    response = client.post(report_url(process, weight(process)), {"value": value})
    assert response.status_code == 422
    assert message in response_text(response)
    assert not Report.objects.exists()


def test_a_parameter_not_in_the_active_plan_is_refused(patient):
    process, client = patient
    response = client.post(
        reverse("egenmaling_min_side:report", args=[process.pk, 999999]), {"value": "70"}, follow=True
    )
    assert "ikke en del av planen som gjelder nå" in page_text(response)
    assert not Report.objects.exists()


def test_reports_after_withdrawal_are_refused(patient, care):
    process, client = patient
    parameter = weight(process)
    care_services.withdraw_consent(process, care.coordinator, "Pasienten ringte.")
    response = client.post(report_url(process, parameter), {"value": "70"}, follow=True)
    assert "ikke en del av planen som gjelder nå" in page_text(response) or "Samtykket" in page_text(response)
    assert not Report.objects.exists()


def test_another_patients_pages_are_404_and_recorded(patient, coordinator_client, clients_by_owner, citizen_client):
    process, _client = patient
    other = citizen_client(OTHER_PID)
    for url in (index_url(process), report_url(process, weight(process))):
        assert other.get(url).status_code == 404
        assert other.post(url, {"value": "86"}).status_code == 404
    assert AuditEntry.objects.filter(process=process, action=AuditEntry.Action.DENIED).count() >= 4
    assert not Report.objects.exists()


def test_receipt_of_another_process_is_404(patient, coordinator_client, clients_by_owner, citizen_client):
    process, client = patient
    client.post(report_url(process, weight(process)), {"value": "70"})
    stored = Report.objects.get()
    other_process = make_active(coordinator_client, clients_by_owner, national_id=OTHER_PID)
    other = citizen_client(OTHER_PID)
    assert other.get(reverse("egenmaling_min_side:receipt", args=[other_process.pk, stored.uuid])).status_code == 404


def test_staff_session_is_sent_to_log_in(patient, coordinator_client):
    process, _client = patient
    response = coordinator_client.get(index_url(process))
    assert response.status_code == 302 and "/min-side/logg-inn/" in response["Location"]


def test_page_queries_do_not_grow_with_reports(patient):
    process, client = patient
    parameter = weight(process)
    client.post(report_url(process, parameter), {"value": "70"})
    few, _body = count_queries(client, index_url(process))
    for value in ("71", "72", "73", "74", "75", "76", "77", "78"):
        client.post(report_url(process, parameter), {"value": value})
    many, _body = count_queries(client, index_url(process))
    assert many == few <= 30


KIN_PID = synthetic(datetime.date(1978, 10, 2))


def every_min_side_url(process, report_uuid):
    """Every URL of monitoring.patient_urls, filled for this process (read from the URLconf: new pages are covered)."""
    from monitoring import patient_urls

    values = {"process_pk": process.pk, "parameter_pk": weight(process).pk, "report": report_uuid}
    return [
        reverse(
            f"egenmaling_min_side:{pattern.name}",
            kwargs={k: values[k] for k in ["process_pk", *pattern.pattern.converters] if k in values},
        )
        for pattern in patient_urls.urlpatterns
    ]


def test_every_min_side_url_is_closed_to_next_of_kin_and_anonymous(patient, citizen_client, care):
    process, client = patient
    client.post(report_url(process, weight(process)), {"value": "70"})
    urls = every_min_side_url(process, Report.objects.get().uuid)
    assert len(urls) == 3
    client.post(f"/min-side/{process.pk}/parorende/", {"name": "Nils Testesen", "pid": KIN_PID})
    kin = citizen_client(KIN_PID)
    assert kin.get(f"/min-side/{process.pk}/plan/").status_code == 200  # the grant works …
    for url in urls:
        assert kin.get(url).status_code == 404, url  # … but self-monitoring is the patient's own
        assert kin.post(url, {"value": "86"}).status_code == 404, url
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/min-side/logg-inn/" in anonymous["Location"], url
    assert Report.objects.count() == 1
