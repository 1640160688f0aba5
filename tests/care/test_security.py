"""Who may join a care team and approve, what consent lets the team see, and the trail of refusals and lists.

Every check goes through the real views; each fails when its protection is removed.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.utils import timezone

from core.database_roles import grant
from tests import factories as steps
from tests.factories import page_text
from workflows.models import AuditEntry, CareProcess, Consent, TeamMember

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOT_FOUND = "Finner ingen aktiv bruker med brukernavnet {} som kan være med i et aktørfellesskap."


@pytest.fixture
def coordinator(care, client_for):
    return client_for(care.coordinator)


def _consented(coordinator, **consent):
    process = steps.register_process(coordinator)
    steps.post_step(coordinator, process, "consent", steps.consent(**consent))
    steps.post_step(coordinator, process, "good_day", steps.good_day())
    return CareProcess.objects.get(pk=process.pk)


def _members(**changes):
    """The standard team, with some rows replaced: ``changes`` maps a role to (name, username)."""
    rows = []
    for role, name, organisation, phone, username in steps.MEMBERS:
        if role in changes:
            name, username = changes[role]
        rows.append((role, name, organisation, phone, username))
    return rows


def _team_refused(coordinator, process, members, message):
    response = coordinator.post(steps.task_url(process, "actor_map"), steps.team(members))
    assert response.status_code == 200
    assert message in page_text(response)
    assert not process.team.exists()


# --- who may be named ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["editor", "reviewer", "auditor", "missing", "inactive"])
def test_only_care_staff_can_be_named_and_the_answer_reveals_nothing(
    care, coordinator, make_user, make_municipality, kind
):
    _page, editors, reviewers = make_municipality("4624")
    username = f"person-{kind}"
    if kind == "editor":
        make_user(username, [editors])
    elif kind == "reviewer":
        make_user(username, [reviewers])
    elif kind == "auditor":
        make_user(username, care.auditor.groups.all())
    elif kind == "inactive":
        user = make_user(username, care.gp.groups.all())
        user.is_active = False
        user.save()
    process = _consented(coordinator)
    members = _members(fastlege=("Ola Lege", username))
    _team_refused(coordinator, process, members, NOT_FOUND.format(username))


def test_the_four_roles_are_four_different_people(care, coordinator):
    process = _consented(coordinator)
    same_account = _members(kontaktlege=("Per Spesialist", "fastlege"))
    _team_refused(coordinator, process, same_account, "De fire rollene skal ha fire ulike personer.")
    same_name = _members(intern_koordinator=("ola  LEGE", ""))
    _team_refused(coordinator, process, same_name, "De fire rollene skal ha fire ulike personer.")


def test_the_coordinator_cannot_also_hold_an_approving_role(care, coordinator):
    process = _consented(coordinator)
    members = _members(koordinator=("Kari Koordinator", ""), fastlege=("Ola Lege", "koordinator"))
    _team_refused(coordinator, process, members, "Koordinatoren kan ikke også ha rollen Fastlege.")


# --- consent decides what the team sees ---------------------------------------------------------------------------


def test_without_consent_to_sharing_no_actor_gets_an_account_in_the_team(care, coordinator):
    process = _consented(coordinator, covers_sharing=None)
    assert not process.shares_with_team()
    _team_refused(coordinator, process, steps.MEMBERS, "Samtykket omfatter ikke deling med navngitte aktører.")
    # Without usernames (but the coordinator's own) the team is saved, and the GP's approval goes to the coordinator.
    members = [
        (role, name, org, phone, "koordinator" if role == "koordinator" else "")
        for role, name, org, phone, _u in steps.MEMBERS
    ]
    steps.post_step(coordinator, process, "actor_map", steps.team(members))
    steps.post_step(coordinator, process, "draft_plan", steps.plan(process))
    assert steps.open_task(process, "approve_gp").owner == care.coordinator


def test_the_team_loses_access_when_the_consent_runs_out(care, coordinator, client_for):
    process = steps.through_plan(coordinator)
    gp = client_for(care.gp)
    assert gp.get(steps.detail_url(process)).status_code == 200
    Consent.objects.filter(process=process).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    CareProcess.objects.filter(pk=process.pk).update(shared_until=timezone.localdate() - datetime.timedelta(days=1))
    assert gp.get(steps.detail_url(process)).status_code == 404
    assert coordinator.get(steps.detail_url(process)).status_code == 200


def test_a_new_consent_sets_how_long_the_team_may_see(coordinator):
    until = timezone.localdate() + datetime.timedelta(days=200)
    process = _consented(coordinator, valid_until=until.isoformat())
    assert process.shared_until == until


# --- the trail of refusals and lists ------------------------------------------------------------------------------


def test_a_refused_access_is_recorded_on_the_process_and_by_number(care, coordinator, client_for):
    process = steps.register_process(coordinator)
    outsider = client_for(care.outsider)
    assert outsider.get(steps.detail_url(process)).status_code == 404
    denied = AuditEntry.objects.get(action=AuditEntry.Action.DENIED, user=care.outsider)
    assert denied.process_id == process.pk
    assert denied.requested_process_id == process.pk
    missing = process.pk + 1000
    assert outsider.get(f"/prosesser/forlop/{missing}/").status_code == 404
    guess = AuditEntry.objects.get(action=AuditEntry.Action.DENIED, requested_process_id=missing)
    assert guess.process_id is None
    assert guess.user == care.outsider


def test_lists_record_every_patient_they_show(care, coordinator):
    first = steps.register_process(coordinator)
    second = steps.register_process(coordinator, national_id=steps.fnr(day=16))
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    for url in ("/prosesser/forlop/", "/prosesser/forlop/inbox/"):
        response = coordinator.get(url)
        assert response.status_code == 200
        listed = AuditEntry.objects.filter(action=AuditEntry.Action.LIST).exclude(pk__in=before)
        assert set(listed.values_list("process_id", flat=True)) == {first.pk, second.pk}
        before |= set(listed.values_list("pk", flat=True))


def test_the_dashboard_panel_records_the_patients_it_shows(care, coordinator):
    process = steps.register_process(coordinator)
    response = coordinator.get("/admin/")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.LIST, process=process, what="wagtailadmin:mine_oppgaver"
    ).exists()


# --- less patient data on screen and on disk ----------------------------------------------------------------------


def test_task_pages_show_a_summary_without_number_address_or_story(care, coordinator, client_for):
    process = steps.through_plan(coordinator)
    task = steps.open_task(process, "approve_gp")
    gp = client_for(care.gp)
    for action in ("index", "detail"):
        response = gp.get(task.flow_task.reverse(action, args=[process.pk, task.pk]), follow=True)
        assert response.status_code == 200
        text = page_text(response)
        assert process.patient_name in text
        assert process.national_id not in text
        assert process.address not in text
        assert process.need_description not in text


def test_the_number_is_masked_until_asked_for_and_the_asking_is_recorded(care, coordinator):
    process = steps.register_process(coordinator)
    response = coordinator.get(steps.detail_url(process))
    assert response.status_code == 200
    assert process.national_id not in page_text(response)
    reveal = f"/prosesser/forlop/{process.pk}/fodselsnummer/"
    assert reveal in page_text(response)
    response = coordinator.get(reveal)
    assert response.status_code == 200
    assert process.national_id in page_text(response)
    assert AuditEntry.objects.filter(process=process, what="Viste fødselsnummer", user=care.coordinator).exists()


def test_a_consent_form_is_stored_under_a_random_name(coordinator):
    process = steps.register_process(coordinator)
    upload = SimpleUploadedFile("Astrid Testesen samtykke.pdf", PDF, content_type="application/pdf")
    data = steps.consent(method="skjema", document=upload)
    steps.post_step(coordinator, process, "consent", data)
    name = Consent.objects.get(process=process).document.name
    assert "Astrid" not in name and "samtykke.pdf" not in name
    assert re.fullmatch(r"samtykke/\d{4}/[0-9a-f]{32}\.pdf", name)


def test_process_pages_offer_logout_and_the_way_back_to_the_admin(coordinator):
    response = coordinator.get("/prosesser/forlop/")
    assert response.status_code == 200
    text = page_text(response)
    assert 'action="/konto/logg-ut/"' in text
    assert "Til administrasjonen" in text and 'href="/admin/"' in text


# --- the database role ---------------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_the_application_role_cannot_erase_the_trails(care, coordinator):
    if connection.vendor != "postgresql":
        pytest.skip("database roles are a PostgreSQL set-up")
    process = steps.register_process(coordinator)
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE lkt_test_app NOLOGIN")
    grant("lkt_test_app")
    with connection.cursor() as cursor:
        cursor.execute("SET ROLE lkt_test_app")
        try:
            cursor.execute("SELECT count(*) FROM workflows_auditentry")
            cursor.execute(
                "INSERT INTO workflows_auditentry (at, action, what, process_id) VALUES (now(), 'vis', 'test', %s)",
                [process.pk],
            )
            cursor.execute("UPDATE workflows_teammember SET active = active")
            for statement in (
                "DELETE FROM workflows_auditentry",
                "TRUNCATE workflows_auditentry",
                "UPDATE workflows_auditentry SET what = 'x'",
                "TRUNCATE accounts_securityevent",
                "DELETE FROM accounts_securityevent",
                "DROP TABLE workflows_auditentry",
            ):
                with pytest.raises(ProgrammingError, match="permission denied|must be owner"):
                    with transaction.atomic():
                        cursor.execute(statement)
        finally:
            cursor.execute("RESET ROLE")
    assert AuditEntry.objects.filter(process=process).count() >= 2
    assert TeamMember.objects.count() == 0
