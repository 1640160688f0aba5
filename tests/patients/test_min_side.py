"""What a patient does on Min side, end to end through the product's own flow, and what the staff side sees of it."""

import datetime
import re

import pytest
from django.core import mail
from viewflow.workflow.status import STATUS

from patients.models import Citizen, NextOfKinGrant, PatientMessage
from tests import factories as steps
from workflows.flows import ForlopFlow
from workflows.models import ApprovalAnswer, AuditEntry, CareProcess, Consent
from workflows.national_id import synthetic

pytestmark = pytest.mark.django_db

PATIENT_PID = synthetic(datetime.date(1950, 5, 17))
KIN_PID = synthetic(datetime.date(1978, 10, 2))


def text(response):
    """What a reader sees: the page without tags, with whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", steps.page_text(response)).split())


@pytest.fixture
def at_approval(care, client_for):
    """Bjørnafjorden's patient (PATIENT_PID) at approval; the coordinator has answered her own approval."""
    coordinator = client_for(care.coordinator)
    process = steps.to_approval(coordinator, national_id=PATIENT_PID)
    steps.post_step(coordinator, process, "approve_coordinator", {"decision": "godkjent"})
    return process


@pytest.fixture
def patient(citizen_client, at_approval):
    return citizen_client(PATIENT_PID)


def test_the_patient_reads_plan_and_team_in_plain_words(patient, at_approval, care):
    process = at_approval
    plan = patient.get(f"/min-side/{process.pk}/plan/")
    assert plan.status_code == 200
    body = text(plan)
    assert "Bo hjemme med trygghet" in body and "Slutter å spise" in body and "Fastlegen kontaktes samme dag" in body
    assert "no-store" in plan["Cache-Control"]
    team = text(patient.get(f"/min-side/{process.pk}/team/"))
    assert "Kari Koordinator" in team and "Din kontaktperson" in team and "Os legesenter" in team
    # No staff usernames, no internal step names.
    for internal in ("koordinator.", "patient_confirmation", "approve_", "draft_plan", care.gp.username + "@"):
        assert internal not in team and internal not in body
    citizen = Citizen.objects.get(pid=PATIENT_PID)
    reads = set(AuditEntry.objects.filter(user=citizen.user, process=process).values_list("what", flat=True))
    assert {"min-side:plan", "min-side:team"} <= reads


def test_the_team_shows_the_directory_s_current_phone_number(patient, at_approval, make_municipality, make_actor):
    process = at_approval
    page, _editors, _reviewers = make_municipality("4624")
    actor = make_actor(page, "Hjemmesykepleien Os", phone="56 00 11 22")
    member = process.team.get(role="fastlege")
    member.actor = actor
    member.save(update_fields=["actor"])
    assert "56 00 11 22" in text(patient.get(f"/min-side/{process.pk}/team/"))
    actor.phone = "56 99 99 99"
    actor.save_revision().publish()
    assert "56 99 99 99" in text(patient.get(f"/min-side/{process.pk}/team/"))


def test_the_patient_approves_and_the_process_moves_on(patient, at_approval, care, client_for):
    process = at_approval
    page = patient.get(f"/min-side/{process.pk}/godkjenning/")
    assert "venter på svaret ditt" in text(page)
    assert patient.post(f"/min-side/{process.pk}/godkjenning/", {"decision": "godkjent"}).status_code == 302
    answer = ApprovalAnswer.objects.get(plan__process=process, role="pasient")
    citizen = Citizen.objects.get(pid=PATIENT_PID)
    assert (answer.on_behalf, answer.recorded_by_id) == (False, citizen.user_id)
    task = process.task_set.get(flow_task=ForlopFlow.patient_confirmation)
    assert task.status == STATUS.DONE
    # The coordinator's detail page shows it as the patient's own answer.
    coordinator = client_for(care.coordinator)
    assert "pasientens eget svar" in text(coordinator.get(steps.detail_url(process)))
    # The others answer; the plan becomes active as with any approval.
    steps.post_step(client_for(care.gp), process, "approve_gp", {"decision": "godkjent"})
    steps.post_step(coordinator, process, "approve_contact_doctor", {"decision": "godkjent"})
    steps.post_step(coordinator, process, "approve_internal_coordinator", {"decision": "godkjent"})
    process.refresh_from_db()
    assert process.stage == CareProcess.Stage.ACTIVE
    # Answering twice is not possible.
    again = patient.post(f"/min-side/{process.pk}/godkjenning/", {"decision": "godkjent"}, follow=True)
    assert "allerede besvart" in text(again) or "ingen plan som venter" in text(again)
    assert ApprovalAnswer.objects.filter(plan__process=process, role="pasient").count() == 1


def test_the_patient_asks_for_changes_with_a_comment(patient, at_approval):
    process = at_approval
    refused = patient.post(f"/min-side/{process.pk}/godkjenning/", {"decision": "endringer", "comment": ""})
    assert refused.status_code == 422
    patient.post(f"/min-side/{process.pk}/godkjenning/", {"decision": "endringer", "comment": "Mer hjelp om natten"})
    process.refresh_from_db()
    assert process.stage == CareProcess.Stage.PLANNING
    answer = ApprovalAnswer.objects.get(plan__process=process, role="pasient")
    assert (answer.decision, answer.comment, answer.on_behalf) == ("endringer", "Mer hjelp om natten", False)


def test_on_behalf_stays_possible_and_marked(at_approval, care, client_for):
    process = at_approval
    coordinator = client_for(care.coordinator)
    page = coordinator.get(steps.task_url(process, "patient_confirmation"))
    assert "på vegne av" in text(page)
    steps.post_step(coordinator, process, "patient_confirmation", {"decision": "godkjent"})
    assert ApprovalAnswer.objects.get(plan__process=process, role="pasient").on_behalf is True
    assert "registrert av koordinator" in text(coordinator.get(steps.detail_url(process)))


def test_the_patient_gives_consent_digitally(care, client_for, citizen_client):
    coordinator = client_for(care.coordinator)
    process = steps.register_process(coordinator, national_id=PATIENT_PID)
    patient = citizen_client(PATIENT_PID)
    page = text(patient.get(f"/min-side/{process.pk}/samtykke/"))
    assert "Hva deles" in page and "Med hvem" in page and "Hvor lenge" in page
    assert patient.post(f"/min-side/{process.pk}/samtykke/", {"years": "2"}).status_code == 422
    data = {"covers_community": "on", "covers_sharing": "on", "years": "2"}
    assert patient.post(f"/min-side/{process.pk}/samtykke/", data).status_code == 302
    process.refresh_from_db()
    consent = Consent.objects.get(process=process)
    assert process.stage == CareProcess.Stage.MAPPING
    assert (consent.method, consent.given_by, consent.covers_sharing) == ("digitalt", "pasient", True)
    assert consent.recorded_by == Citizen.objects.get(pid=PATIENT_PID).user
    assert process.task_set.get(flow_task=ForlopFlow.consent).status == STATUS.DONE
    assert process.task_set.filter(flow_task=ForlopFlow.good_day, status=STATUS.ASSIGNED).exists()


def test_withdrawal_stops_the_team_at_once_and_tells_it(
    patient, at_approval, care, client_for, django_capture_on_commit_callbacks
):
    process = at_approval
    gp = client_for(care.gp)
    assert gp.get(steps.detail_url(process)).status_code == 200
    mail.outbox.clear()
    refused = patient.post(f"/min-side/{process.pk}/samtykke/", {"withdraw": "1", "note": ""})
    assert refused.status_code == 422
    with_confirm = {"withdraw": "1", "note": "", "confirm": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = patient.post(f"/min-side/{process.pk}/samtykke/", with_confirm)
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.stage == CareProcess.Stage.WITHDRAWN
    assert gp.get(steps.detail_url(process)).status_code == 404
    assert not CareProcess.objects.visible_to(care.gp).filter(pk=process.pk).exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {care.coordinator.email, care.gp.email} <= recipients
    for message in mail.outbox:
        assert "Testesen" not in message.body and PATIENT_PID not in message.body
    assert AuditEntry.objects.filter(process=process, action=AuditEntry.Action.WITHDRAW).exists()


def test_a_message_goes_to_the_coordinator_and_the_answer_comes_back(
    patient, at_approval, care, client_for, django_capture_on_commit_callbacks
):
    process = at_approval
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = patient.post(
            f"/min-side/{process.pk}/meldinger/", {"kind": "endring", "text": "Jeg har falt to ganger."}
        )
    assert sent.status_code == 302
    message = PatientMessage.objects.get(process=process)
    # The e-mail says only that something waits, with a link.
    (email,) = [m for m in mail.outbox if "melding" in m.subject]
    assert "falt" not in email.body and "Testesen" not in email.body
    link = re.search(r"https?://\S+", email.body).group(0)
    assert link.endswith(f"/prosesser/meldinger/{process.pk}/#melding-{message.uuid}")
    coordinator = client_for(care.coordinator)
    listing = text(coordinator.get("/prosesser/meldinger/"))
    assert "Astrid Testesen" in listing
    page = coordinator.get(f"/prosesser/meldinger/{process.pk}/")
    assert "Jeg har falt to ganger." in text(page)
    answered = coordinator.post(
        f"/prosesser/meldinger/{process.pk}/", {"message": str(message.uuid), "answer": "Jeg ringer deg i morgen."}
    )
    assert answered.status_code == 302
    assert "Jeg ringer deg i morgen." in text(patient.get(f"/min-side/{process.pk}/meldinger/"))
    assert PatientMessage.objects.get(pk=message.pk).answered_by == care.coordinator
    # The GP on the team sees the process but not the messages to the coordinator.
    gp = client_for(care.gp)
    assert "Astrid Testesen" not in text(gp.get("/prosesser/meldinger/"))
    assert gp.get(f"/prosesser/meldinger/{process.pk}/").status_code == 404


def test_a_good_day_proposal_goes_to_the_coordinator(patient, at_approval):
    process = at_approval
    page = text(patient.get(f"/min-side/{process.pk}/min-gode-dag/"))
    assert "Kaffe med naboen" in page
    patient.post(f"/min-side/{process.pk}/min-gode-dag/", {"text": "Jeg har begynt å male igjen."})
    assert PatientMessage.objects.get(process=process).kind == PatientMessage.Kind.GOOD_DAY


def test_innsyn_shows_staff_reads_with_name_role_and_unit_not_the_patient_s_own(patient, at_approval, care, client_for):
    process = at_approval
    care.gp.first_name, care.gp.last_name, care.gp.username = "Ola", "Lege", "ola.lege.4711"
    care.gp.save()
    care.colleague.first_name, care.colleague.last_name, care.colleague.username = "Kåre", "Kollega", "kk.0815"
    care.colleague.save()
    client_for(care.gp).get(steps.detail_url(process))
    client_for(care.colleague).get(steps.detail_url(process))
    page = text(patient.get(f"/min-side/{process.pk}/hvem-har-sett/"))
    assert "Ola Lege – Fastlege, Os legesenter" in page
    assert "Kåre Kollega – Koordinerende enhet, Bjørnafjorden" in page
    assert care.gp.username not in page and care.colleague.username not in page
    assert "min-side" not in page


def test_next_of_kin_sees_plan_and_team_only_while_granted(patient, at_approval, citizen_client):
    process = at_approval
    assert (
        patient.post(
            f"/min-side/{process.pk}/parorende/", {"name": "Nils Testesen", "relation": "Sønn", "pid": KIN_PID}
        ).status_code
        == 302
    )
    grant = NextOfKinGrant.objects.get(process=process)
    kin = citizen_client(KIN_PID)
    overview = text(kin.get("/min-side/"))
    assert "Du er pårørende" in overview
    assert kin.get(f"/min-side/{process.pk}/plan/").status_code == 200
    assert kin.get(f"/min-side/{process.pk}/team/").status_code == 200
    for page in ("godkjenning", "samtykke", "meldinger", "hvem-har-sett", "parorende", "min-gode-dag"):
        assert kin.get(f"/min-side/{process.pk}/{page}/").status_code == 404, page
    # The patient sees the next of kin's read in the log, under the name they gave.
    assert "Nils Testesen" in text(patient.get(f"/min-side/{process.pk}/hvem-har-sett/"))
    patient.post(f"/min-side/{process.pk}/parorende/{grant.pk}/trekk-tilbake/")
    assert kin.get(f"/min-side/{process.pk}/plan/").status_code == 404
    assert "Du er pårørende" not in text(kin.get("/min-side/"))


def test_next_of_kin_loses_access_when_consent_is_withdrawn(patient, at_approval, citizen_client):
    process = at_approval
    patient.post(f"/min-side/{process.pk}/parorende/", {"name": "Nils Testesen", "pid": KIN_PID})
    kin = citizen_client(KIN_PID)
    assert kin.get(f"/min-side/{process.pk}/plan/").status_code == 200
    patient.post(f"/min-side/{process.pk}/samtykke/", {"withdraw": "1", "confirm": "on"})
    assert kin.get(f"/min-side/{process.pk}/plan/").status_code == 404


def test_the_patient_cannot_grant_themselves_or_a_bad_number(patient, at_approval):
    process = at_approval
    url = f"/min-side/{process.pk}/parorende/"
    assert patient.post(url, {"name": "Meg", "pid": PATIENT_PID}).status_code == 422
    assert patient.post(url, {"name": "Feil", "pid": "12345678901"}).status_code == 422
    assert not NextOfKinGrant.objects.exists()


def test_earlier_plan_versions_and_print_view(patient, at_approval, care, client_for):
    process = at_approval
    patient.post(f"/min-side/{process.pk}/godkjenning/", {"decision": "endringer", "comment": "Mer om natten"})
    coordinator = client_for(care.coordinator)
    steps.post_step(coordinator, process, "draft_plan", steps.plan(process, goals=("Sove hele natten",)))
    page = text(patient.get(f"/min-side/{process.pk}/plan/"))
    assert "Sove hele natten" in page and "Tidligere versjoner" in page
    old = text(patient.get(f"/min-side/{process.pk}/plan/?versjon=1"))
    assert "Bo hjemme med trygghet" in old and "en annen versjon enn den som gjelder" in old
    assert patient.get(f"/min-side/{process.pk}/plan/?versjon=9").status_code == 404
    printed = patient.get(f"/min-side/{process.pk}/plan/utskrift/")
    assert printed.status_code == 200 and "Sove hele natten" in text(printed)


def test_when_the_coordinator_answered_first_the_patient_s_answer_is_refused(patient, at_approval, care, client_for):
    process = at_approval
    page = text(patient.get(f"/min-side/{process.pk}/godkjenning/"))
    assert "venter på svaret ditt" in page
    coordinator = client_for(care.coordinator)
    steps.post_step(coordinator, process, "patient_confirmation", {"decision": "godkjent", "comment": "På telefon"})
    late = patient.post(
        f"/min-side/{process.pk}/godkjenning/", {"decision": "endringer", "comment": "Nei"}, follow=True
    )
    assert "allerede besvart" in text(late)
    (answer,) = ApprovalAnswer.objects.filter(plan__process=process, role="pasient")
    assert (answer.decision, answer.on_behalf) == ("godkjent", True)
    # The patient sees that the coordinator recorded it for them.
    assert "registrert av koordinatoren for deg" in text(patient.get(f"/min-side/{process.pk}/godkjenning/"))


def test_the_coordinator_s_dashboard_shows_waiting_messages(patient, at_approval, care, client_for):
    process = at_approval
    patient.post(f"/min-side/{process.pk}/meldinger/", {"kind": "melding", "text": "Hei"})
    dashboard = text(client_for(care.coordinator).get("/admin/"))
    assert "Meldinger fra pasienter (1)" in dashboard and "Astrid Testesen" in dashboard
    assert "Meldinger fra pasienter (0)" in text(client_for(care.gp).get("/admin/"))
    listed = AuditEntry.objects.filter(user=care.coordinator, process=process, action=AuditEntry.Action.LIST)
    assert listed.filter(what="wagtailadmin:meldinger_fra_pasienter").exists()
