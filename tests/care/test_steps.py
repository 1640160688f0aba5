"""Each step and branch of the care process, as the people in it experience it through the test client.

Start, consent (granted, refused, bad input, the signed form), Min gode dag, the actor map, plan drafting,
approval (with a request for changes), the evaluation timer and its three outcomes, withdrawal,
coordinator hand-over and the task e-mails.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from core.dates import add_months
from tests import factories
from tests.factories import page_text
from workflows.flows import ForlopFlow
from workflows.models import ApprovalAnswer, CareProcess, Consent, Evaluation, GoodDay, PlanVersion, TeamMember

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
INBOX = reverse("forlop:inbox")
REQUIRED = "Dette feltet er påkrevet."  # Django's own Norwegian message for a required field
OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED]
MEMBERS_WITH_ACTOR = factories.MEMBERS + [("aktor", "Anne Aktør", "Bjørnafjorden kommune", "56 00 00 09", "aktor")]


@pytest.fixture
def coordinator_client(care, client_for):
    """The coordinator's verified client."""
    return client_for(care.coordinator)


@pytest.fixture
def gp_client(care, client_for):
    """The GP's verified client."""
    return client_for(care.gp)


@pytest.fixture
def clients_by_owner(care, coordinator_client, gp_client):
    """The clients that answer approval tasks, by their owner's user id: each task answered by its owner."""
    return {care.coordinator.pk: coordinator_client, care.gp.pk: gp_client}


def open_tasks(process, node_name=None):
    tasks = process.task_set.filter(status__in=OPEN)
    if node_name is not None:
        tasks = tasks.filter(flow_task=getattr(ForlopFlow, node_name))
    return tasks


def task_status(process, node_name):
    return list(process.task_set.filter(flow_task=getattr(ForlopFlow, node_name)).values_list("status", flat=True))


def reload(process):
    return CareProcess.objects.get(pk=process.pk)


def through_good_day(client):
    process = factories.through_consent(client)
    factories.post_step(client, process, "good_day", factories.good_day())
    return process


def active_process(coordinator_client, clients_by_owner, members=factories.MEMBERS, interval="6"):
    process = factories.through_team(coordinator_client, members)
    factories.post_step(coordinator_client, process, "draft_plan", factories.plan(process, interval=interval))
    factories.approve_all(process, clients_by_owner)
    process = reload(process)
    assert process.stage == CareProcess.Stage.ACTIVE
    return process


def assert_rejected(response, message):
    assert response.status_code == 200, response.status_code
    text = page_text(response)
    assert message in text, message
    assert "Skjemaet har feil" in text
    return text


# --- 1. start ---------------------------------------------------------------------------------------------


def test_registration_creates_process_waiting_for_consent_from_the_registering_coordinator(care, coordinator_client):
    before = CareProcess.objects.count()
    process = factories.register_process(coordinator_client)

    assert CareProcess.objects.count() == before + 1
    assert process.stage == CareProcess.Stage.REGISTERED
    assert process.status == PROCESS.NEW
    assert process.coordinator == care.coordinator
    assert process.postal_code.code == "5200"
    assert process.municipality.number == "4624"
    assert process.municipality.name == "Bjørnafjorden"
    assert process.areas_of_need == ["somatisk", "psykisk"]
    consent_task = factories.open_task(process, "consent")
    assert consent_task.owner == care.coordinator
    assert consent_task.status == STATUS.ASSIGNED
    assert task_status(process, "start") == [STATUS.DONE]
    assert coordinator_client.get(factories.detail_url(process)).status_code == 200


def test_registration_by_a_colleague_in_the_unit_makes_them_the_coordinator(care, client_for):
    process = factories.register_process(client_for(care.colleague))
    assert process.coordinator == care.colleague
    assert factories.open_task(process, "consent").owner == care.colleague


def _register_rejected(client, message, **overrides):
    before, tasks_before = CareProcess.objects.count(), Task.objects.count()
    data = factories.registration(**overrides)
    response = client.post(factories.start_url(), data)
    text = assert_rejected(response, message)
    # What the user typed is still there.
    assert 'value="Astrid Testesen"' in text
    assert "Trenger koordinerte tjenester etter hjerneslag." in text
    assert CareProcess.objects.count() == before
    assert Task.objects.count() == tasks_before
    return response, text


def test_registration_rejects_a_national_id_with_a_wrong_control_digit(coordinator_client):
    valid = factories.fnr()
    wrong = valid[:10] + str((int(valid[10]) + 1) % 10)
    _response, text = _register_rejected(
        coordinator_client, "Kontrollsifrene stemmer ikke. Sjekk nummeret.", national_id=wrong
    )
    assert f'value="{wrong}"' in text


@pytest.mark.parametrize("length", [10, 12])
def test_registration_rejects_a_national_id_of_the_wrong_length(coordinator_client, length):
    typed = (factories.fnr() + "1")[:length]
    _response, text = _register_rejected(
        coordinator_client, "Fødselsnummer og D-nummer har 11 sifre.", national_id=typed
    )
    assert f'value="{typed}"' in text


def test_registration_rejects_a_synthetic_number_where_the_setting_forbids_it(coordinator_client, settings):
    settings.LKT_ALLOW_SYNTHETIC_NATIONAL_IDS = False
    _register_rejected(coordinator_client, "Syntetiske testnumre (måned + 80) er ikke tillatt i dette miljøet.")


@pytest.mark.parametrize("d_number", [False, True], ids=["fodselsnummer", "d-nummer"])
def test_registration_accepts_a_real_format_number_where_synthetic_ones_are_forbidden(
    coordinator_client, settings, d_number
):
    settings.LKT_ALLOW_SYNTHETIC_NATIONAL_IDS = False
    number = factories.national_number(datetime.date(1961, 3, 15), d_number=d_number)
    assert number[2:4] == "03" and (number[0] == "5") == d_number
    process = factories.register_process(coordinator_client, national_id=number)
    assert process.national_id == number


def test_registration_accepts_a_number_typed_with_spaces(coordinator_client):
    number = factories.fnr()
    process = factories.register_process(coordinator_client, national_id=f"{number[:6]} {number[6:]}")
    assert process.national_id == number


def test_registration_rejects_an_unknown_postal_code(coordinator_client):
    _response, text = _register_rejected(coordinator_client, "Ukjent postnummer: 9999.", postal_code_input="9999")
    assert 'value="9999"' in text


def test_registration_rejects_a_postal_code_outside_the_coordinating_units_municipality(coordinator_client):
    _response, text = _register_rejected(
        coordinator_client,
        "5003 ligger i Bergen. Behovet registreres av koordinerende enhet i pasientens kommune.",
        postal_code_input="5003",
    )
    assert 'value="5003"' in text


def test_registration_requires_an_area_of_need(coordinator_client):
    response, _text = _register_rejected(coordinator_client, REQUIRED, areas_of_need=[])
    assert list(response.context["form"].errors) == ["areas_of_need"]


# --- 2. consent -------------------------------------------------------------------------------------------


def test_granted_consent_moves_on_to_min_gode_dag(care, coordinator_client):
    process = factories.register_process(coordinator_client)
    factories.post_step(coordinator_client, process, "consent", factories.consent())

    process = reload(process)
    assert process.stage == CareProcess.Stage.MAPPING
    consent = process.consents.get()
    assert consent.granted and consent.covers_community and consent.covers_sharing
    assert consent.recorded_by == care.coordinator
    assert consent.method == Consent.Method.DIGITAL
    assert task_status(process, "consent") == [STATUS.DONE]
    assert factories.open_task(process, "good_day").owner == care.coordinator


def test_consent_given_by_a_guardian_records_name_and_relation(coordinator_client):
    process = factories.register_process(coordinator_client)
    factories.post_step(
        coordinator_client,
        process,
        "consent",
        factories.consent(
            given_by="verge",
            guardian_name="Nils Testesen",
            guardian_relation="Sønn",
            method="muntlig",
            witness="Kari Vitne",
        ),
    )
    consent = process.consents.get()
    assert (consent.given_by, consent.guardian_name, consent.guardian_relation) == ("verge", "Nils Testesen", "Sønn")
    assert consent.witness == "Kari Vitne"
    assert reload(process).stage == CareProcess.Stage.MAPPING


def test_refused_consent_ends_the_process_and_keeps_only_the_minimum(care, coordinator_client):
    process = factories.register_process(coordinator_client)
    national_id = process.national_id
    factories.post_step(
        coordinator_client,
        process,
        "consent",
        factories.consent(granted="nei", method=None, covers_community=None, covers_sharing=None, valid_until=None),
    )

    process = reload(process)
    assert process.status == PROCESS.DONE
    assert process.finished is not None
    assert process.stage == CareProcess.Stage.REFUSED
    # Cleared: the referral's details.
    assert process.address == ""
    assert process.postal_code is None
    assert process.need_description == ""
    assert process.referred_by == ""
    assert process.areas_of_need == []
    # Kept: who, where, and the refusal itself.
    assert process.patient_name == "Astrid Testesen"
    assert process.national_id == national_id
    assert process.municipality_id == "4624"
    refusal = process.consents.get()
    assert refusal.granted is False
    assert refusal.recorded_by == care.coordinator
    assert not open_tasks(process).exists()
    assert not process.task_set.filter(flow_task=ForlopFlow.good_day).exists()
    assert task_status(process, "refused") == [STATUS.DONE]
    text = page_text(coordinator_client.get(factories.detail_url(process)))
    assert "Ikke gitt" in text
    assert "Fjordvegen" not in text


def _upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _too_big():
    return _upload("stort.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1 - 5))


def _bad_consents():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    return {
        "future-date": ({"given_at": (today + day).isoformat()}, "Datoen kan ikke være fram i tid."),
        "over-a-year-back": (
            {"given_at": (today - 366 * day).isoformat()},
            "Datoen kan ikke være mer enn ett år tilbake.",
        ),
        "valid-until-before-given": (
            {"valid_until": (today - day).isoformat()},
            "Gyldig til må være etter datoen samtykket ble gitt.",
        ),
        "form-without-document": ({"method": "skjema"}, "Last opp det signerte skjemaet."),
        "text-file": (
            {"method": "skjema", "document": lambda: _upload("samtykke.txt", b"Jeg samtykker.", "text/plain")},
            "Filen må være PDF, PNG eller JPEG.",
        ),
        "exe-renamed-to-pdf": (
            {"method": "skjema", "document": lambda: _upload("samtykke.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 64)},
            "Filen må være PDF, PNG eller JPEG.",
        ),
        "over-10-mb": (
            {"method": "skjema", "document": _too_big},
            "Filen er for stor. Største tillatte størrelse er 10 MB.",
        ),
        "verbal-without-witness": ({"method": "muntlig"}, "Et muntlig samtykke krever et vitne."),
        "guardian-without-name-or-relation": (
            {"given_by": "verge"},
            "Fyll ut når samtykket er gitt av verge eller foresatt.",
        ),
        "valid-over-ten-years": (
            {"valid_until": (today + 3660 * day).isoformat()},
            "Gyldigheten kan ikke være lengre enn ti år.",
        ),
        "no-method": ({"method": ""}, "Velg hvordan samtykket ble gitt."),
        "not-covering-the-community": (
            {"covers_community": None},
            "Uten samtykke til å opprette aktørfellesskap kan ikke forløpet gå videre.",
        ),
    }


@pytest.mark.parametrize("case", list(_bad_consents()))
def test_bad_consent_input_is_rejected_and_changes_nothing(coordinator_client, case):
    overrides, message = _bad_consents()[case]
    overrides = {key: value() if callable(value) else value for key, value in overrides.items()}
    process = factories.register_process(coordinator_client)
    data = factories.consent(**overrides)

    response = factories.post_step(coordinator_client, process, "consent", data, expect_redirect=False)

    text = assert_rejected(response, message)
    assert f'value="{data["given_at"]}"' in text  # the date typed is kept
    assert not Consent.objects.filter(process=process).exists()
    assert factories.open_task(process, "consent").status == STATUS.ASSIGNED
    process = reload(process)
    assert process.stage == CareProcess.Stage.REGISTERED
    assert process.address == "Fjordvegen 1"
    if case == "guardian-without-name-or-relation":
        assert {"guardian_name", "guardian_relation"} <= set(response.context["form"].errors)


def test_signed_consent_form_is_stored_and_downloadable_by_the_coordinator_only(care, coordinator_client, client_for):
    process = factories.register_process(coordinator_client)
    factories.post_step(
        coordinator_client,
        process,
        "consent",
        factories.consent(method="skjema", document=_upload("skannet skjema.pdf", PDF)),
    )
    consent = process.consents.get()
    assert consent.document.name.startswith("samtykke/")
    with consent.document.open("rb") as stored:
        assert stored.read() == PDF

    url = reverse("forlop:consent_document", args=[process.pk, consent.pk])
    assert f'href="{url}"' in coordinator_client.get(factories.detail_url(process)).content.decode()
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert f"samtykke-{process.pk}-{consent.pk}.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"
    # Nobody outside the process gets it.
    for outsider in (care.outsider, care.gp, care.stranger):
        assert client_for(outsider).get(url).status_code == 404


# --- 3. Min gode dag --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "ability", "quadrant"),
    [
        ("hoy", "lav", "Høy sykdomsgrad, svak mestring"),
        ("lav", "hoy", "Lav sykdomsgrad, god mestring"),
    ],
)
def test_min_gode_dag_is_saved_and_its_matrix_cell_shown(care, coordinator_client, severity, ability, quadrant):
    process = factories.through_consent(coordinator_client)
    factories.post_step(coordinator_client, process, "good_day", factories.good_day(severity=severity, ability=ability))

    good_day = GoodDay.objects.get(process=process)
    assert (good_day.severity, good_day.ability) == (severity, ability)
    assert good_day.what_matters == "Å bo hjemme og klare meg selv."
    assert factories.open_task(process, "actor_map").owner == care.coordinator
    text = page_text(coordinator_client.get(factories.detail_url(process)))
    assert quadrant in text
    assert text.count('class="is-here"') == 1
    assert "Å bo hjemme og klare meg selv." in text


def test_min_gode_dag_requires_what_matters(coordinator_client):
    process = factories.through_consent(coordinator_client)
    response = factories.post_step(
        coordinator_client, process, "good_day", factories.good_day(what_matters=""), expect_redirect=False
    )
    text = assert_rejected(response, REQUIRED)
    assert "Kaffe med naboen og en tur langs sjøen." in text
    assert not GoodDay.objects.filter(process=process).exists()
    assert factories.open_task(process, "good_day").status == STATUS.ASSIGNED


# --- 4. actor map -----------------------------------------------------------------------------------------


def _team_rejected(client, process, data, message):
    response = factories.post_step(client, process, "actor_map", data, expect_redirect=False)
    text = assert_rejected(response, message)
    assert not TeamMember.objects.filter(process=process).exists()
    assert factories.open_task(process, "actor_map").status == STATUS.ASSIGNED
    assert not process.task_set.filter(flow_task=ForlopFlow.draft_plan).exists()
    return text


def test_actor_map_cannot_be_completed_without_all_four_mandatory_roles(coordinator_client):
    process = through_good_day(coordinator_client)
    members = [m for m in factories.MEMBERS if m[0] not in ("kontaktlege", "intern_koordinator")]
    text = _team_rejected(
        coordinator_client,
        process,
        factories.team(members),
        "Disse rollene må fylles før du går videre: Kontaktlege i spesialisthelsetjenesten, "
        "Intern koordinator i spesialisthelsetjenesten.",
    )
    assert 'value="Ola Lege"' in text
    assert reload(process).stage == CareProcess.Stage.MAPPING


def test_actor_map_rejects_a_mandatory_member_without_contact_information(coordinator_client):
    process = through_good_day(coordinator_client)
    members = [
        (role, name, org, "" if role == "kontaktlege" else phone, user)
        for role, name, org, phone, user in factories.MEMBERS
    ]
    text = _team_rejected(
        coordinator_client, process, factories.team(members), "Oppgi telefon eller e-post for en obligatorisk rolle."
    )
    assert 'value="Per Spesialist"' in text


def test_actor_map_rejects_an_unknown_username(coordinator_client):
    process = through_good_day(coordinator_client)
    members = [
        (role, name, org, phone, "ukjent" if role == "fastlege" else user)
        for role, name, org, phone, user in factories.MEMBERS
    ]
    _team_rejected(
        coordinator_client,
        process,
        factories.team(members),
        "Finner ingen aktiv bruker med brukernavnet ukjent som kan være med i et aktørfellesskap.",
    )


def test_actor_map_rejects_two_people_in_one_mandatory_role(coordinator_client):
    process = through_good_day(coordinator_client)
    members = factories.MEMBERS + [("fastlege", "Eva Lege", "Os legesenter", "56 00 00 06", "")]
    _team_rejected(
        coordinator_client, process, factories.team(members), "Rollen Fastlege er fylt av mer enn én person."
    )


def test_saving_a_partial_actor_map_keeps_the_task_open_and_can_be_finished_later(care, coordinator_client):
    process = through_good_day(coordinator_client)
    url = factories.task_url(process, "actor_map")
    response = coordinator_client.post(url, factories.team(factories.MEMBERS[:2]) | {"_save": "1"})

    assert response.status_code == 302
    assert response["Location"] == url
    assert sorted(process.team.values_list("role", flat=True)) == ["fastlege", "koordinator"]
    assert process.team.get(role="fastlege").user == care.gp
    assert factories.open_task(process, "actor_map").status == STATUS.ASSIGNED
    assert not process.task_set.filter(flow_task=ForlopFlow.draft_plan).exists()
    assert reload(process).stage == CareProcess.Stage.MAPPING
    page = page_text(coordinator_client.get(url))
    assert 'value="Ola Lege"' in page

    factories.post_step(
        coordinator_client, process, "actor_map", factories.team_existing(process, factories.MEMBERS[2:])
    )
    assert process.team.count() == 5
    assert reload(process).stage == CareProcess.Stage.PLANNING
    assert factories.open_task(process, "draft_plan").owner == care.coordinator


def test_actor_map_proposes_matching_actors_from_the_municipalitys_directory(
    coordinator_client, make_municipality, make_actor
):
    bjornafjorden, _editors, _reviewers = make_municipality("4624")
    bergen, _editors, _reviewers = make_municipality("4601")
    home_nursing = make_actor(
        bjornafjorden, "Hjemmesykepleien i Os", type_slugs=("hjemmesykepleie",), phone="56 57 00 00"
    )
    substance = make_actor(bjornafjorden, "Rusbehandling Bjørnafjorden", type_slugs=("tsb",))
    elsewhere = make_actor(bergen, "Hjemmesykepleien i Bergen", type_slugs=("hjemmesykepleie",))
    process = through_good_day(coordinator_client)  # areas: somatisk, psykisk

    page = page_text(coordinator_client.get(factories.task_url(process, "actor_map")))
    assert f'name="propose" value="{home_nursing.pk}"' in page
    assert "Hjemmesykepleien i Os" in page
    assert "Rusbehandling Bjørnafjorden" not in page
    assert "Hjemmesykepleien i Bergen" not in page

    data = factories.team(factories.MEMBERS) | {"propose": [str(home_nursing.pk), str(substance.pk), str(elsewhere.pk)]}
    factories.post_step(coordinator_client, process, "actor_map", data)

    from_directory = process.team.filter(actor__isnull=False)
    # The ticked matching actor is added; an actor of another municipality cannot be smuggled in.
    assert {member.actor_id for member in from_directory} <= {home_nursing.pk, substance.pk}
    added = from_directory.get(actor=home_nursing)
    assert (added.role, added.name, added.phone) == ("aktor", "Hjemmesykepleien i Os", "56 57 00 00")
    assert not process.team.filter(actor=elsewhere).exists()


# --- 5. plan drafting -------------------------------------------------------------------------------------


def test_saving_a_plan_draft_keeps_the_task_open_and_submitting_freezes_version_one(coordinator_client):
    process = factories.through_team(coordinator_client)
    url = factories.task_url(process, "draft_plan")
    response = coordinator_client.post(
        url, factories.plan(process, goals=("Klare morgenstellet selv",)) | {"_save": "1"}
    )

    assert response.status_code == 302
    draft = process.plan_versions.get()
    assert (draft.number, draft.status) == (1, PlanVersion.Status.DRAFT)
    assert draft.goals == [{"text": "Klare morgenstellet selv"}]
    assert draft.submitted_at is None
    assert factories.open_task(process, "draft_plan").status == STATUS.ASSIGNED
    assert not open_tasks(process, "approve_gp").exists()
    assert reload(process).stage == CareProcess.Stage.PLANNING
    assert "Klare morgenstellet selv" in page_text(coordinator_client.get(url))

    factories.post_step(
        coordinator_client, process, "draft_plan", factories.plan(process, goals=("Klare morgenstellet selv",))
    )
    submitted = process.plan_versions.get()
    assert (submitted.pk, submitted.number, submitted.status) == (draft.pk, 1, PlanVersion.Status.SUBMITTED)
    assert submitted.submitted_at is not None
    measure = submitted.measures[0]
    assert measure["responsible_name"] and measure["deadline"]
    assert reload(process).stage == CareProcess.Stage.APPROVAL
    assert open_tasks(process).filter(flow_task_type="HUMAN").count() == 5


def _bad_plans(process):
    today = timezone.localdate()
    base = factories.plan(process)
    no_goal = base | {"goals-0-text": ""}
    no_goal_rows = base | {"goals-TOTAL_FORMS": "0"}
    no_goal_rows.pop("goals-0-text")
    return {
        "empty-goal": (no_goal, REQUIRED),
        "no-goal-rows": (no_goal_rows, "Vennligst send inn minst 1 skjema."),
        "deadline-passed": (
            base | {"measures-0-deadline": (today - datetime.timedelta(days=1)).isoformat()},
            "Fristen kan ikke være passert.",
        ),
        "measure-without-responsible": (base | {"measures-0-responsible": ""}, REQUIRED),
        "interval-0": (base | {"evaluation_interval_months": "0"}, "Verdien må være større enn eller lik 1."),
        "interval-25": (base | {"evaluation_interval_months": "25"}, "Verdien må være mindre enn eller lik 24."),
    }


@pytest.mark.parametrize(
    "case",
    ["empty-goal", "no-goal-rows", "deadline-passed", "measure-without-responsible", "interval-0", "interval-25"],
)
@pytest.mark.parametrize("button", ["submit", "save"])
def test_bad_plan_input_is_rejected_and_nothing_saved(coordinator_client, case, button):
    process = factories.through_team(coordinator_client)
    data, message = _bad_plans(process)[case]
    if button == "save":
        data = data | {"_save": "1"}

    response = factories.post_step(coordinator_client, process, "draft_plan", data, expect_redirect=False)

    text = assert_rejected(response, message)
    assert "Ansvarsgruppemøte hver tredje måned." in text
    assert not PlanVersion.objects.filter(process=process).exists()
    assert factories.open_task(process, "draft_plan").status == STATUS.ASSIGNED
    assert reload(process).stage == CareProcess.Stage.PLANNING


# --- 6. approval ------------------------------------------------------------------------------------------


def test_approval_tasks_go_to_members_with_accounts_and_the_rest_to_the_coordinator(
    care, coordinator_client, clients_by_owner, client_for
):
    process = factories.through_team(coordinator_client)
    factories.post_step(coordinator_client, process, "draft_plan", factories.plan(process, interval="3"))

    owners = {node: factories.open_task(process, node).owner for node in factories.APPROVAL_NODES}
    assert owners == {
        "approve_coordinator": care.coordinator,
        "approve_gp": care.gp,
        "approve_contact_doctor": care.coordinator,
        "approve_internal_coordinator": care.coordinator,
        "patient_confirmation": care.coordinator,
    }
    inbox = page_text(coordinator_client.get(INBOX))
    assert "Godkjenning: kontaktlege" in inbox and "Pasientens bekreftelse" in inbox
    assert "Godkjenning: fastlege" not in inbox
    assert "Godkjenning: fastlege" in page_text(client_for(care.gp).get(INBOX))
    page = page_text(coordinator_client.get(factories.task_url(process, "approve_contact_doctor")))
    assert "Du registrerer svaret på vegne av Per Spesialist" in page

    factories.approve_all(process, clients_by_owner)

    plan = process.plan_versions.get()
    answers = {answer.role: answer for answer in plan.answers.all()}
    assert set(answers) == {"koordinator", "fastlege", "kontaktlege", "intern_koordinator", "pasient"}
    assert {role for role, answer in answers.items() if answer.on_behalf} == {
        "kontaktlege",
        "intern_koordinator",
        "pasient",
    }
    assert answers["fastlege"].recorded_by == care.gp
    assert answers["kontaktlege"].recorded_by == care.coordinator
    assert answers["kontaktlege"].member.name == "Per Spesialist"

    process = reload(process)
    assert process.stage == CareProcess.Stage.ACTIVE
    assert plan.status == PlanVersion.Status.APPROVED and plan.approved_at is not None
    assert process.evaluation_interval_months == 3
    assert process.next_evaluation == add_months(timezone.localdate(), 3)
    timer = process.task_set.get(flow_task_type="TIMER")
    assert timer.status == STATUS.SCHEDULED
    assert timer.flow_task == ForlopFlow.wait_evaluation
    assert timezone.localtime(timer.scheduled).date() == process.next_evaluation
    assert not open_tasks(process).filter(flow_task_type="HUMAN").exists()
    assert "registrert av koordinator" in page_text(coordinator_client.get(factories.detail_url(process)))


def test_a_request_for_changes_sends_the_plan_back_and_a_new_version_goes_round_again(
    care, coordinator_client, gp_client, clients_by_owner
):
    process = factories.through_plan(coordinator_client)
    factories.post_step(coordinator_client, process, "approve_coordinator", {"decision": "godkjent"})
    factories.post_step(gp_client, process, "approve_gp", {"decision": "endringer", "comment": "Legg inn fysioterapi."})

    process = reload(process)
    assert process.stage == CareProcess.Stage.PLANNING
    assert task_status(process, "approve_coordinator") == [STATUS.DONE]
    assert task_status(process, "approve_gp") == [STATUS.DONE]
    for node in ("approve_contact_doctor", "approve_internal_coordinator", "patient_confirmation"):
        assert task_status(process, node) == [STATUS.CANCELED], node
    first = process.plan_versions.get()
    assert first.status == PlanVersion.Status.CHANGES
    change = first.answers.get(role="fastlege")
    assert (change.decision, change.comment, change.on_behalf) == ("endringer", "Legg inn fysioterapi.", False)
    redraft = factories.open_task(process, "draft_plan")
    assert redraft.owner == care.coordinator
    assert "Legg inn fysioterapi." in page_text(coordinator_client.get(factories.task_url(process, "draft_plan")))

    factories.post_step(
        coordinator_client,
        process,
        "draft_plan",
        factories.plan(process, goals=("Bo hjemme med trygghet", "Gå tur med fysioterapeut")),
    )
    versions = list(process.plan_versions.order_by("number").values_list("number", "status"))
    assert versions == [(1, PlanVersion.Status.CHANGES), (2, PlanVersion.Status.SUBMITTED)]
    assert reload(process).stage == CareProcess.Stage.APPROVAL
    assert open_tasks(process).filter(flow_task_type="HUMAN").count() == 5
    assert factories.open_task(process, "approve_gp").owner == care.gp

    factories.approve_all(process, clients_by_owner)

    process = reload(process)
    assert process.stage == CareProcess.Stage.ACTIVE
    second = process.plan_versions.get(number=2)
    assert second.status == PlanVersion.Status.APPROVED
    assert second.answers.filter(decision="godkjent").count() == 5
    assert process.plan_versions.get(number=1).answers.count() == 2  # the first round is kept as it was
    assert open_tasks(process).get().flow_task_type == "TIMER"


def test_requested_changes_stay_in_view_while_the_new_draft_is_saved(coordinator_client, gp_client):
    process = factories.through_plan(coordinator_client)
    factories.post_step(gp_client, process, "approve_gp", {"decision": "endringer", "comment": "Legg inn fysioterapi."})
    url = factories.task_url(process, "draft_plan")
    assert coordinator_client.post(url, factories.plan(process) | {"_save": "1"}).status_code == 302
    assert list(process.plan_versions.order_by("number").values_list("number", "status")) == [
        (1, PlanVersion.Status.CHANGES),
        (2, PlanVersion.Status.DRAFT),
    ]
    assert "Legg inn fysioterapi." in page_text(coordinator_client.get(url))


def test_a_request_for_changes_without_a_comment_is_rejected(gp_client, coordinator_client):
    process = factories.through_plan(coordinator_client)
    response = factories.post_step(
        gp_client, process, "approve_gp", {"decision": "endringer", "comment": "  "}, expect_redirect=False
    )
    assert_rejected(response, "Skriv hvilke endringer som trengs.")
    assert not ApprovalAnswer.objects.filter(plan__process=process).exists()
    assert factories.open_task(process, "approve_gp").status == STATUS.ASSIGNED
    assert reload(process).stage == CareProcess.Stage.APPROVAL


def test_a_team_member_cannot_answer_another_members_task(care, gp_client, coordinator_client, client_for):
    process = factories.through_plan(coordinator_client)
    url = factories.task_url(process, "approve_coordinator")

    # The GP is on the team, so need-to-know holds and Viewflow refuses the task itself (403); the outsider is not,
    # and finds nothing there (404).
    for client, status in ((gp_client, 403), (client_for(care.outsider), 404)):
        assert client.get(url).status_code == status
        response = client.post(url, {"decision": "godkjent"})
        assert response.status_code == status
    assert not ApprovalAnswer.objects.filter(plan__process=process).exists()
    assert factories.open_task(process, "approve_coordinator").owner == care.coordinator
    # The GP's own task works.
    factories.post_step(gp_client, process, "approve_gp", {"decision": "godkjent"})
    assert ApprovalAnswer.objects.get(plan__process=process).role == "fastlege"


# --- 7. timer and evaluation ------------------------------------------------------------------------------


def test_due_timer_gives_the_coordinator_one_evaluation_task(care, coordinator_client, clients_by_owner):
    process = active_process(coordinator_client, clients_by_owner)
    call_command("workflow_timers", stdout=io.StringIO())
    assert not process.task_set.filter(flow_task=ForlopFlow.evaluate).exists()  # not due yet

    factories.fire_timers(process)
    factories.fire_timers(process)

    assert reload(process).stage == CareProcess.Stage.EVALUATION
    evaluate = process.task_set.filter(flow_task=ForlopFlow.evaluate)
    assert evaluate.count() == 1
    assert evaluate.get().owner == care.coordinator
    assert evaluate.get().status == STATUS.ASSIGNED
    assert task_status(process, "wait_evaluation") == [STATUS.DONE]
    assert "Bo hjemme med trygghet" in page_text(coordinator_client.get(factories.task_url(process, "evaluate")))


def test_evaluation_continue_keeps_the_plan_active_with_a_new_timer(coordinator_client, clients_by_owner):
    process = active_process(coordinator_client, clients_by_owner)
    factories.fire_timers(process)
    factories.post_step(coordinator_client, process, "evaluate", factories.evaluation(process, "fortsett"))

    process = reload(process)
    assert process.stage == CareProcess.Stage.ACTIVE
    assert process.status == PROCESS.NEW
    assert process.next_evaluation == add_months(timezone.localdate(), 6)
    evaluation = process.evaluations.get()
    assert evaluation.outcome == Evaluation.Outcome.CONTINUE
    assert evaluation.per_goal[0]["goal"] == "Bo hjemme med trygghet"
    assert evaluation.per_goal[0]["achieved"] == "Bor fortsatt hjemme."
    assert evaluation.plan == process.plan_versions.get()
    timers = process.task_set.filter(flow_task_type="TIMER").order_by("pk")
    assert [t.status for t in timers] == [STATUS.DONE, STATUS.SCHEDULED]
    assert timezone.localtime(timers.last().scheduled).date() == process.next_evaluation


def test_evaluation_revise_sends_a_new_version_through_approval(care, coordinator_client, clients_by_owner):
    process = active_process(coordinator_client, clients_by_owner)
    factories.fire_timers(process)
    factories.post_step(coordinator_client, process, "evaluate", factories.evaluation(process, "revider"))

    process = reload(process)
    assert process.stage == CareProcess.Stage.PLANNING
    assert process.next_evaluation is None
    assert factories.open_task(process, "draft_plan").owner == care.coordinator
    assert not process.task_set.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED).exists()

    factories.post_step(
        coordinator_client, process, "draft_plan", factories.plan(process, goals=("Bo hjemme", "Færre innleggelser"))
    )
    assert reload(process).stage == CareProcess.Stage.APPROVAL
    assert open_tasks(process).filter(flow_task_type="HUMAN").count() == 5
    factories.approve_all(process, clients_by_owner)

    process = reload(process)
    assert process.stage == CareProcess.Stage.ACTIVE
    assert list(process.plan_versions.order_by("number").values_list("number", "status")) == [
        (1, PlanVersion.Status.SUPERSEDED),
        (2, PlanVersion.Status.APPROVED),
    ]
    assert process.task_set.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED).count() == 1


def test_evaluation_close_finishes_the_process(coordinator_client, clients_by_owner):
    process = active_process(coordinator_client, clients_by_owner)
    factories.fire_timers(process)
    factories.post_step(coordinator_client, process, "evaluate", factories.evaluation(process, "avslutt"))

    process = reload(process)
    assert process.stage == CareProcess.Stage.CLOSED
    assert process.status == PROCESS.DONE
    assert process.finished is not None
    assert process.next_evaluation is None
    assert not open_tasks(process).exists()
    assert task_status(process, "closed") == [STATUS.DONE]


def test_evaluation_requires_what_was_done_per_goal(coordinator_client, clients_by_owner):
    process = active_process(coordinator_client, clients_by_owner)
    factories.fire_timers(process)
    data = factories.evaluation(process, "fortsett") | {"goal-0-done": ""}
    response = factories.post_step(coordinator_client, process, "evaluate", data, expect_redirect=False)
    assert_rejected(response, REQUIRED)
    assert not process.evaluations.exists()
    assert factories.open_task(process, "evaluate").status == STATUS.ASSIGNED


# --- 8. withdrawal ----------------------------------------------------------------------------------------


def _process_at(step, coordinator_client, clients_by_owner):
    if step == "mapping":
        return factories.through_consent(coordinator_client)
    if step == "approval":
        process = factories.through_plan(coordinator_client)
        factories.post_step(coordinator_client, process, "approve_coordinator", {"decision": "godkjent"})
        return process
    if step == "active":
        return active_process(coordinator_client, clients_by_owner)
    process = active_process(coordinator_client, clients_by_owner)
    factories.fire_timers(process)
    return process


@pytest.mark.parametrize("step", ["mapping", "approval", "active", "evaluation"])
def test_withdrawn_consent_stops_the_process_at_once(
    care, coordinator_client, gp_client, clients_by_owner, client_for, step
):
    process = _process_at(step, coordinator_client, clients_by_owner)
    assert open_tasks(process).exists()
    gp_sees_it = step != "mapping"
    assert gp_client.get(factories.detail_url(process)).status_code == (200 if gp_sees_it else 404)
    gp_task_url = factories.task_url(process, "approve_gp") if step == "approval" else None
    if gp_task_url:
        assert "Astrid Testesen" in page_text(gp_client.get(INBOX))

    response = coordinator_client.post(
        factories.withdraw_url(process), {"note": "Pasienten ringte og trakk samtykket.", "confirm": "on"}
    )

    assert response.status_code == 302
    process = reload(process)
    assert process.status == PROCESS.CANCELED
    assert process.stage == CareProcess.Stage.WITHDRAWN
    assert process.next_evaluation is None
    assert not open_tasks(process).exists()
    if step in ("active",):
        assert task_status(process, "wait_evaluation") == [STATUS.CANCELED]
    if step in ("approval", "evaluation"):
        assert process.task_set.filter(status=STATUS.CANCELED, flow_task_type="HUMAN").exists()
    consent = process.consents.get()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_by == care.coordinator
    assert consent.withdrawal_note == "Pasienten ringte og trakk samtykket."
    assert not process.team.filter(active=True).exists()
    if step != "mapping":
        assert set(process.plan_versions.values_list("status", flat=True)) == {PlanVersion.Status.STOPPED}
    # The team loses access; the coordinating unit keeps the record.
    assert gp_client.get(factories.detail_url(process)).status_code == 404
    if gp_task_url:
        assert gp_client.get(gp_task_url).status_code == 404
        # Off the only team they were on, the GP no longer uses the process app at all: the inbox is not there.
        inbox = gp_client.get(INBOX)
        assert inbox.status_code == 404
        assert "Astrid Testesen" not in inbox.content.decode()
    for unit_member in (coordinator_client, client_for(care.colleague)):
        page = unit_member.get(factories.detail_url(process))
        assert page.status_code == 200
        assert 'data-stage="trukket"' in page.content.decode()
    # A stopped process cannot be withdrawn or handed over again.
    assert coordinator_client.get(factories.withdraw_url(process)).status_code == 404


def test_withdrawal_without_confirmation_changes_nothing(coordinator_client, clients_by_owner):
    process = _process_at("approval", coordinator_client, clients_by_owner)
    tasks_before = list(process.task_set.order_by("pk").values_list("pk", "status"))

    response = coordinator_client.post(factories.withdraw_url(process), {"note": "Pasienten trakk samtykket."})

    text = assert_rejected(response, REQUIRED)
    assert "Pasienten trakk samtykket." in text
    assert list(response.context["form"].errors) == ["confirm"]
    process = reload(process)
    assert process.status == PROCESS.NEW
    assert process.stage == CareProcess.Stage.APPROVAL
    assert process.consents.get().withdrawn_at is None
    assert list(process.task_set.order_by("pk").values_list("pk", "status")) == tasks_before
    assert process.team.filter(active=True).count() == 5


def test_a_team_member_who_does_not_coordinate_cannot_withdraw(
    care, coordinator_client, gp_client, clients_by_owner, client_for
):
    process = _process_at("approval", coordinator_client, clients_by_owner)
    for client in (gp_client, client_for(care.outsider)):
        assert client.get(factories.withdraw_url(process)).status_code == 404
        response = client.post(factories.withdraw_url(process), {"note": "Trekker", "confirm": "on"})
        assert response.status_code == 404
    process = reload(process)
    assert process.stage == CareProcess.Stage.APPROVAL
    assert process.status == PROCESS.NEW
    assert process.consents.get().withdrawn_at is None
    assert open_tasks(process).filter(flow_task_type="HUMAN").count() == 4


# --- 9. hand-over -----------------------------------------------------------------------------------------


def test_hand_over_moves_the_coordinator_role_and_open_tasks_to_another_member(
    care, coordinator_client, client_for, django_capture_on_commit_callbacks
):
    process = factories.through_team(coordinator_client, MEMBERS_WITH_ACTOR)
    factories.post_step(coordinator_client, process, "draft_plan", factories.plan(process))
    moving = set(open_tasks(process).filter(owner=care.coordinator).values_list("pk", flat=True))
    assert len(moving) == 4
    new_member = process.team.get(role="aktor", user=care.actor)
    old_member = process.team.get(role="koordinator")
    page = coordinator_client.get(factories.handover_url(process))
    assert "Anne Aktør" in page_text(page)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(factories.handover_url(process), {"member": new_member.pk})

    assert response.status_code == 302
    process = reload(process)
    assert process.coordinator == care.actor
    old_member.refresh_from_db()
    new_member.refresh_from_db()
    assert old_member.active is False
    assert (new_member.role, new_member.active) == ("koordinator", True)
    assert set(open_tasks(process).filter(owner=care.actor).values_list("pk", flat=True)) == moving
    assert not open_tasks(process).filter(owner=care.coordinator).exists()
    assert factories.open_task(process, "approve_gp").owner == care.gp
    assert [message.to for message in mail.outbox] == [["aktor@example.com"]] * 4

    new_coordinator = client_for(care.actor)
    factories.post_step(new_coordinator, process, "approve_contact_doctor", {"decision": "godkjent"})
    factories.post_step(new_coordinator, process, "approve_coordinator", {"decision": "godkjent"})
    answer = ApprovalAnswer.objects.get(plan__process=process, role="koordinator")
    assert (answer.member, answer.on_behalf, answer.recorded_by) == (new_member, False, care.actor)
    # The old coordinator_client is still in the municipality's unit: the process stays visible, the tasks do not.
    assert coordinator_client.get(factories.detail_url(process)).status_code == 200


def test_hand_over_to_a_member_holding_a_mandatory_role_is_refused(care, coordinator_client):
    process = factories.through_plan(coordinator_client, MEMBERS_WITH_ACTOR)
    gp_member = process.team.get(role="fastlege")
    response = coordinator_client.post(factories.handover_url(process), {"member": gp_member.pk})
    assert_rejected(response, "Velg et gyldig valg")
    process = reload(process)
    assert process.coordinator == care.coordinator
    assert process.team.get(role="koordinator").user == care.coordinator


def test_hand_over_is_not_for_other_team_members(care, coordinator_client, client_for):
    process = factories.through_plan(coordinator_client, MEMBERS_WITH_ACTOR)
    actor_member = process.team.get(role="aktor")
    response = client_for(care.gp).post(factories.handover_url(process), {"member": actor_member.pk})
    assert response.status_code == 404
    assert reload(process).coordinator == care.coordinator


# --- 10. e-mail -------------------------------------------------------------------------------------------


def test_waiting_task_email_carries_a_link_and_no_patient_data(
    coordinator_client, gp_client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        process = factories.register_process(coordinator_client)
    # The coordinator who registered the need is on the consent page already: no e-mail about it.
    assert mail.outbox == []
    base = settings.WAGTAILADMIN_BASE_URL  # links in e-mail are absolute

    with django_capture_on_commit_callbacks(execute=True):
        factories.post_step(coordinator_client, process, "consent", factories.consent())
        factories.post_step(coordinator_client, process, "good_day", factories.good_day())
        factories.post_step(coordinator_client, process, "actor_map", factories.team())
        factories.post_step(coordinator_client, process, "draft_plan", factories.plan(process))
    gp_mail = [m for m in mail.outbox if m.to == ["fastlege@example.com"]]
    assert len(gp_mail) == 1
    gp_task = factories.open_task(process, "approve_gp")
    assert gp_task.flow_task.reverse("index", args=[process.pk, gp_task.pk]) in gp_mail[0].body
    assert (
        gp_client.get(gp_task.flow_task.reverse("index", args=[process.pk, gp_task.pk]), follow=True).status_code == 200
    )

    process = reload(process)
    forbidden = [
        "Astrid",
        "Testesen",
        process.national_id,
        process.national_id[:6],
        "Fjordvegen",
        "hjerneslag",
        "Bjørnafjorden",
        "Kaffe med naboen",
    ]
    # The coordinator finished every step and records the answers of members without an account: only the GP,
    # who has one, is e-mailed.
    assert [m.to for m in mail.outbox] == [["fastlege@example.com"]]
    for sent in mail.outbox:
        for word in forbidden:
            assert word not in sent.subject and word not in sent.body, (word, sent.subject)
        assert base + reverse("forlop:index") in sent.body
