"""Need-to-know on every Min side URL and on the coordinator's message pages, for everyone who should not get in.

The URLs are read from ``patients.urls`` and ``patients.staff_urls``, so a page added later is covered without
touching this file. Who is tried: an anonymous visitor, another patient, a former next of kin (grant revoked), a
current next of kin on the patient-only pages, and staff – with and without a role – at the patient's pages. And the
other way round: a patient's session at the staff URLs, which must answer exactly as for anyone not logged in.
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from patients import urls as patient_urls
from patients.models import Citizen, NextOfKinGrant, PatientMessage
from tests import factories as steps
from workflows.models import AuditEntry
from workflows.national_id import synthetic

pytestmark = pytest.mark.django_db

PATIENT_PID = synthetic(datetime.date(1950, 5, 17))
OTHER_PID = synthetic(datetime.date(1962, 1, 9))
KIN_PID = synthetic(datetime.date(1978, 10, 2))
FORMER_KIN_PID = synthetic(datetime.date(1980, 4, 4))
PATIENT_NAME = "Astrid Testesen"
NEXT_OF_KIN_PAGES = {"plan", "plan_print", "team"}


@pytest.fixture
def patient_with_kin(care, client_for, citizen_client):
    coordinator = client_for(care.coordinator)
    process = steps.to_approval(coordinator, national_id=PATIENT_PID)
    other = steps.to_approval(coordinator, national_id=OTHER_PID, patient_name="Berit Annen")
    patient = citizen_client(PATIENT_PID)
    for pid, name in ((KIN_PID, "Nils Testesen"), (FORMER_KIN_PID, "Tidligere Pårørende")):
        patient.post(f"/min-side/{process.pk}/parorende/", {"name": name, "pid": pid})
    former = NextOfKinGrant.objects.get(pid=FORMER_KIN_PID)
    patient.post(f"/min-side/{process.pk}/parorende/{former.pk}/trekk-tilbake/")
    patient.post(f"/min-side/{process.pk}/meldinger/", {"kind": "melding", "text": "Hei"})
    return {
        "process": process,
        "other": other,
        "patient": patient,
        "grant": NextOfKinGrant.objects.get(pid=KIN_PID),
        "message": PatientMessage.objects.get(process=process),
    }


def process_urls(patient_with_kin, process=None):
    """(name, url) of every Min side URL that names a process, for the patient_with_kin's patient's process."""
    process = process or patient_with_kin["process"]
    found = []
    for pattern in patient_urls.urlpatterns:
        keys = set(pattern.pattern.converters)
        if "process_pk" not in keys:
            continue
        kwargs = {"process_pk": process.pk}
        if "grant_pk" in keys:
            kwargs["grant_pk"] = patient_with_kin["grant"].pk
        found.append((pattern.name, reverse(f"patients:{pattern.name}", kwargs=kwargs)))
    assert len(found) >= 10, found
    return found


def all_urls(patient_with_kin):
    return [
        ("overview", "/min-side/"),
        *process_urls(patient_with_kin),
        ("staff list", "/prosesser/meldinger/"),
        ("staff messages", f"/prosesser/meldinger/{patient_with_kin['process'].pk}/"),
    ]


def test_anonymous_visitors_are_sent_to_log_in(patient_with_kin):
    client = Client()
    for name, url in all_urls(patient_with_kin):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 400), (method, name, response.status_code)
            if response.status_code == 302:
                assert response["Location"].split("?")[0] in ("/min-side/logg-inn/", reverse(settings.LOGIN_URL))
            assert PATIENT_NAME not in response.content.decode()


@pytest.mark.parametrize("pid", [OTHER_PID, FORMER_KIN_PID])
def test_another_patient_and_a_former_next_of_kin_get_404_everywhere(patient_with_kin, citizen_client, pid):
    client = citizen_client(pid)
    for name, url in process_urls(patient_with_kin):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (pid, method, name, response.status_code)
    overview = client.get("/min-side/").content.decode()
    assert PATIENT_NAME not in overview and f"/min-side/{patient_with_kin['process'].pk}/" not in overview
    # Each refusal is in the patient's trail.
    assert AuditEntry.objects.filter(process=patient_with_kin["process"], action=AuditEntry.Action.DENIED).count() >= 10


def test_a_next_of_kin_gets_plan_and_team_and_nothing_else(patient_with_kin, citizen_client):
    client = citizen_client(KIN_PID)
    for name, url in process_urls(patient_with_kin):
        expected = 200 if name in NEXT_OF_KIN_PAGES else 404
        assert client.get(url).status_code == expected, name
        if name not in NEXT_OF_KIN_PAGES:
            assert client.post(url).status_code == 404, name


def test_the_patient_does_not_reach_another_patient_s_process(patient_with_kin):
    patient = patient_with_kin["patient"]
    for name, url in process_urls(patient_with_kin, patient_with_kin["other"]):
        if "grant_pk" in url:
            continue
        assert patient.get(url).status_code == 404, name


@pytest.mark.parametrize("who", ["stranger", "gp", "coordinator"])
def test_staff_sessions_are_not_patients(patient_with_kin, care, client_for, who):
    """A verified staff session – a role or none – is sent to the patient login; it never sees a patient page."""
    client = client_for(getattr(care, who))
    for name, url in [("overview", "/min-side/"), *process_urls(patient_with_kin)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/min-side/logg-inn/"), name


def test_staff_without_a_role_get_404_on_the_message_pages(patient_with_kin, care, client_for):
    for who in ("stranger", "outsider"):
        client = client_for(getattr(care, who))
        answer = f"/prosesser/meldinger/{patient_with_kin['process'].pk}/"
        assert client.get(answer).status_code == 404, who
        assert (
            client.post(answer, {"message": str(patient_with_kin["message"].uuid), "answer": "x"}).status_code == 404
        ), who
    assert client_for(care.stranger).get("/prosesser/meldinger/").status_code == 404
    assert "Astrid" not in client_for(care.outsider).get("/prosesser/meldinger/").content.decode()


def test_a_message_cannot_be_answered_under_another_process(patient_with_kin, care, client_for):
    client = client_for(care.coordinator)
    url = f"/prosesser/meldinger/{patient_with_kin['other'].pk}/"
    assert client.post(url, {"message": str(patient_with_kin["message"].uuid), "answer": "x"}).status_code == 404
    assert not PatientMessage.objects.filter(answered_at__isnull=False).exists()


def test_a_patient_session_answers_at_staff_urls_as_for_anyone_not_logged_in(patient_with_kin):
    patient = patient_with_kin["patient"]
    login = reverse(settings.LOGIN_URL)
    for url in (
        "/admin/",
        "/admin/pages/",
        "/admin/users/",
        "/prosesser/forlop/",
        f"/prosesser/forlop/{patient_with_kin['process'].pk}/",
        "/prosesser/forlop/inbox/",
        "/prosesser/meldinger/",
    ):
        response = patient.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), (url, response["Location"])
        assert not response["Location"].startswith("/konto/to-faktor/")
    # The account pages treat the session as nobody's: no second factor can be attached to a patient.
    enrol = patient.get("/konto/to-faktor/")
    assert enrol.status_code in (302, 404)
    # And the patient's session still works on Min side afterwards.
    assert patient.get("/min-side/").status_code == 200


def test_a_patient_user_given_staff_rights_loses_the_session(patient_with_kin):
    patient = patient_with_kin["patient"]
    user = Citizen.objects.get(pid=PATIENT_PID).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    assert patient.get("/min-side/").status_code == 302
    assert patient.get("/admin/").status_code == 302
