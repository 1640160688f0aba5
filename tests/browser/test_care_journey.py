"""The care-community process in real headless Chromium, from a registered need to an evaluated, active plan.

A coordinator in Bjørnafjorden's coordinating unit logs in with a password and a TOTP code, opens the
process app from the Wagtail menu and registers a fictional patient's need (a mistyped fødselsnummer is
refused first, in Norwegian, keeping what was typed). She records consent, Min gode dag and the actor
community (a proposal from the municipality's directory, the four mandatory roles – the GP with an account –
and a next of kin, with «Legg til rad» for the rows beyond the form's two empty ones), saves the plan as a
draft and sends it for approval, and answers the approvals she holds: her own, on behalf of the two hospital
roles without accounts, and the patient's confirmation. The GP logs in in a browser of his own and approves
from «Mine oppgaver». The plan is then active. The evaluation interval is made due and the timer fired by
Viewflow's scheduled command; the coordinator evaluates and continues with the plan, which is active again.

Viewflow's frontend submits forms with Turbo (fetch, then the new <body> swapped in), so the journey
waits for the page to change rather than for a load event; see :func:`submit`.
"""

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests import factories
from workflows import groups
from workflows.flows import ForlopFlow
from workflows.models import CareProcess, Evaluation, PlanVersion
from workflows.national_id import synthetic

from .conftest import keep_screenshot
from .test_editor_journey import log_in_with_totp

pytestmark = [
    pytest.mark.browser,
    # As in test_editor_journey: the live server answers from another thread, so the data must be committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data"),
    pytest.mark.slow,
]

PROCESSES = reverse("forlop:index")
INBOX = reverse("forlop:inbox")
START = reverse("forlop:start:execute")
PATIENT = "Ingrid Fjordheim"
NATIONAL_ID = synthetic(datetime.date(1948, 11, 2))  # month + 80: a synthetic test number, never a real person
BAD_NATIONAL_ID = "02914810187"  # the same number with the last control digit wrong
GOAL = "Bo trygt hjemme og gå tur langs sjøen hver dag"
PROPOSED_ACTOR = "Hjemmesykepleien i Bjørnafjorden"
COORDINATOR = ("koordinator.os", "Kari", "Koordinator")
GP = ("fastlege.os", "Ola", "Lege")
# Role, name, organisation, relation, phone, username (only members with an account have one).
TEAM = [
    ("koordinator", "Kari Koordinator", "Bjørnafjorden kommune", "", "56 57 50 10", COORDINATOR[0]),
    ("fastlege", "Ola Lege", "Os legesenter", "", "56 30 00 00", GP[0]),
    ("kontaktlege", "Per Spesialist", "Haukeland universitetssjukehus", "", "55 97 50 00", ""),
    ("intern_koordinator", "Siri Sykehus", "Haukeland universitetssjukehus", "", "55 97 50 01", ""),
    ("parorende", "Nils Fjordheim", "", "Sønn", "900 00 005", ""),
]
MEASURES = [
    ("Hjemmesykepleie morgen og kveld", f"{PROPOSED_ACTOR} (Annen aktør)"),
    ("Gjennomgang av medisinlisten", "Ola Lege (Fastlege)"),
    ("Besøksvenn fra frivilligsentralen", "Kari Koordinator (Koordinator (kommunen))"),
]
# The approvals the coordinator answers herself: her own, two roles without accounts, and the patient's.
COORDINATOR_APPROVALS = {
    "Godkjenning: koordinator",
    "Godkjenning: kontaktlege",
    "Godkjenning: intern koordinator",
    "Pasientens bekreftelse",
}


@pytest.fixture
def coordinator_and_gp(make_municipality, make_actor, staff_with_totp):
    """Bjørnafjorden (postal code 5200 OS) with a home-nursing actor in its directory, a coordinator in its
    coordinating unit, and a GP in the care-team group; both log in with password and TOTP."""
    municipality_page, _editors, _reviewers = make_municipality("4624")
    make_actor(
        municipality_page,
        PROPOSED_ACTOR,
        type_slugs=("hjemmesykepleie",),
        contacts=(("Berit Sykepleier", "Avdelingsleder", "56 57 60 00"),),
    )
    people = {}
    for key, (username, first, last), group in (
        ("coordinator", COORDINATOR, groups.ensure_coordinating_unit("4624").group),
        ("gp", GP, groups.ensure_care_team()),
    ):
        user, device = staff_with_totp(username, [group])
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
        people[key] = (user, device)
    return people


@pytest.fixture
def shot(tmp_path):
    """Full-page screenshots of the key pages in the test's tmp_path, for a person to look at (LKT_SCREENSHOTS=1)."""

    def take(page, name):
        path = tmp_path / f"{name}.png"
        keep_screenshot(page, path)
        return path

    yield take
    print(f"Screenshots of the care journey: {tmp_path}")


def submit(page, label):
    """Press a submit button and wait until Viewflow's Turbo has put the answer on screen.

    Turbo sends the form with fetch and swaps in the new <body> (a redirect's target, or the form again with
    its errors, answered 422), so no load event comes; a mark on the old body tells when it has been replaced.
    """
    page.evaluate("document.body.dataset.lktStale = '1'")
    page.get_by_role("button", name=label, exact=True).click()
    # A function, not an expression: Playwright polls an expression with eval, which the page's CSP refuses.
    page.wait_for_function("() => !document.body.dataset.lktStale")
    page.wait_for_load_state()


def heading(page):
    return page.locator("h1.vf-card__title").first.inner_text().strip()


def stage_on_detail_page(page, process):
    page.goto(reverse("forlop:process_detail", args=[process.pk]))
    return page.locator("td[data-stage]").inner_text()


def register_need(page):
    """The start form, first with a mistyped fødselsnummer: a Norwegian error, nothing saved, nothing lost."""
    page.get_by_role("link", name="Registrer behov").click()
    page.wait_for_url(re.compile(re.escape(START) + "$"))
    assert heading(page) == "Registrer behov"
    page.fill("input[name=patient_name]", PATIENT)
    page.fill("input[name=national_id]", BAD_NATIONAL_ID)
    page.fill("input[name=address]", "Fjordvegen 12")
    page.fill("input[name=postal_code_input]", "5200")
    page.get_by_label("Somatisk helse").check()
    page.get_by_label("Psykisk helse").check()
    page.fill("textarea[name=need_description]", "Trenger koordinerte tjenester etter hjerneslag.")
    page.fill("input[name=referred_by]", "Fastlege Ola Lege")
    submit(page, "Registrer behovet")

    assert heading(page) == "Registrer behov"
    form = page.locator("form#lkt-task-form")
    assert "Skjemaet har feil" in form.inner_text()
    assert "Kontrollsifrene stemmer ikke. Sjekk nummeret." in form.inner_text()
    assert page.locator("input[name=patient_name]").input_value() == PATIENT
    assert page.locator("input[name=national_id]").input_value() == BAD_NATIONAL_ID
    assert page.locator("input[name=postal_code_input]").input_value() == "5200"
    assert page.get_by_label("Psykisk helse").is_checked()
    assert not CareProcess.objects.exists()


def record_consent(page):
    today = timezone.localdate()
    page.get_by_label("Ja, samtykke er gitt").check()
    page.get_by_label("Pasienten selv").check()
    page.fill("input[name=given_at]", today.isoformat())
    page.select_option("select[name=method]", "digitalt")
    page.check("input[name=covers_community]")
    page.check("input[name=covers_sharing]")
    page.fill("input[name=valid_until]", (today + datetime.timedelta(days=365)).isoformat())
    submit(page, "Registrer samtykket")


def record_good_day(page):
    page.fill("textarea[name=good_day]", "Kaffe med naboen og en tur langs sjøen.")
    page.fill("textarea[name=bad_day]", "Smerter, og ingen å snakke med.")
    page.fill("textarea[name=what_matters]", "Å bo hjemme og klare meg selv.")
    page.fill("textarea[name=life_before]", "Lærer i førti år, korpsmusikant.")
    page.fill("textarea[name=life_now]", "Trenger hjelp til det meste etter slaget.")
    page.fill("textarea[name=challenges]", "Mobilitet, ensomhet, mange medisiner.")
    page.check("input[name=severity][value=hoy]")
    page.check("input[name=ability][value=lav]")
    submit(page, "Lagre og gå videre")


def fill_team(page):
    """Tick the directory's proposal and fill one row per member, adding rows beyond the two empty ones."""
    page.get_by_label(PROPOSED_ACTOR).check()
    rows = page.locator("[data-formset=team] [data-formset-row]")
    assert rows.count() == 2
    while rows.count() < len(TEAM):
        page.get_by_role("button", name="Legg til rad").click()
    assert page.locator("input[name=team-TOTAL_FORMS]").input_value() == str(len(TEAM))
    for i, (role, name, organisation, relation, phone, username) in enumerate(TEAM):
        page.select_option(f"select[name=team-{i}-role]", role)
        page.fill(f"input[name=team-{i}-name]", name)
        page.fill(f"input[name=team-{i}-organisation]", organisation)
        page.fill(f"input[name=team-{i}-relation]", relation)
        page.fill(f"input[name=team-{i}-phone]", phone)
        page.fill(f"input[name=team-{i}-username]", username)


def fill_plan(page):
    """One goal, three measures (the third in a row added in the browser), one trigger point."""
    page.fill("input[name=goals-0-text]", GOAL)
    page.locator("[data-formset-add=measures]").click()
    assert page.locator("input[name=measures-TOTAL_FORMS]").input_value() == "3"
    deadline = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    for i, (text, responsible) in enumerate(MEASURES):
        page.fill(f"input[name=measures-{i}-text]", text)
        page.select_option(f"select[name=measures-{i}-responsible]", label=responsible)
        page.fill(f"input[name=measures-{i}-deadline]", deadline)
    page.fill("input[name=triggers-0-signal]", "Slutter å spise")
    page.fill("input[name=triggers-0-response]", "Fastlegen kontaktes samme dag")
    page.select_option("select[name=triggers-0-takeover]", label="Ola Lege (Fastlege)")
    page.fill("textarea[name=meetings]", "Ansvarsgruppemøte hver tredje måned.")
    page.fill("textarea[name=reporting]", "Koordinator sender referat til alle.")
    page.fill("input[name=evaluation_interval_months]", "6")


def approve(page):
    """On an approval task: the plan is shown, and the answer is «Godkjent»."""
    assert GOAL in page.locator("main").inner_text()
    page.get_by_label("Godkjent", exact=True).check()
    submit(page, "Send svaret")


def test_coordinator_and_gp_take_a_patient_from_need_to_an_evaluated_plan(coordinator_and_gp, new_page, shot):
    coordinator, gp = coordinator_and_gp["coordinator"][0], coordinator_and_gp["gp"][0]
    page = new_page()
    log_in_with_totp(page, *coordinator_and_gp["coordinator"])

    # From the Wagtail admin to the process app, and the start form.
    page.locator(f'#wagtail-sidebar a[href="{PROCESSES}"]').click()
    page.wait_for_url(re.compile(re.escape(PROCESSES) + "$"))
    shot(page, "01-process-list")
    register_need(page)
    shot(page, "02-start-error")
    page.fill("input[name=national_id]", NATIONAL_ID)
    submit(page, "Registrer behovet")
    process = CareProcess.objects.get()
    assert (process.patient_name, process.national_id, process.municipality_id, process.coordinator) == (
        PATIENT,
        NATIONAL_ID,
        "4624",
        coordinator,
    )

    # Each step leads straight on to the coordinator's next task in the process.
    assert heading(page) == "Samtykke"
    shot(page, "03-consent")
    record_consent(page)
    assert heading(page) == "Min gode dag"
    shot(page, "04-good-day")
    record_good_day(page)

    # The actor community, first with a mandatory role lacking contacts: refused, and nothing typed is lost,
    # not even the rows added in the browser or the ticked proposal.
    assert heading(page) == "Aktørkart og aktørfellesskap"
    fill_team(page)
    page.fill("input[name=team-3-phone]", "")
    submit(page, "Lagre og gå videre til planen")
    assert heading(page) == "Aktørkart og aktørfellesskap"
    card = page.locator("[data-formset=team] [data-formset-row]").nth(3)
    assert "Oppgi telefon eller e-post for en obligatorisk rolle." in card.inner_text()
    assert page.locator("[data-formset=team] [data-formset-row]").count() == len(TEAM)
    assert [page.locator(f"input[name=team-{i}-name]").input_value() for i in range(len(TEAM))] == [
        row[1] for row in TEAM
    ]
    assert page.locator("input[name=team-4-relation]").input_value() == "Sønn"
    assert page.get_by_label(PROPOSED_ACTOR).is_checked()
    assert not process.team.exists()
    page.fill("input[name=team-3-phone]", TEAM[3][4])
    shot(page, "05-actor-map")
    submit(page, "Lagre og gå videre til planen")
    assert heading(page) == "Plan for samarbeid", page.locator("form").inner_text()
    team = {member.role: member for member in process.team.all()}
    assert sorted(team) == sorted([row[0] for row in TEAM] + ["aktor"])
    assert (team["fastlege"].user, team["koordinator"].user, team["kontaktlege"].user) == (gp, coordinator, None)
    assert team["aktor"].name == PROPOSED_ACTOR
    assert team["parorende"].relation == "Sønn"

    # The plan: saved as a draft first (the same page again, the goal kept), then sent for approval.
    fill_plan(page)
    shot(page, "06-plan")
    submit(page, "Lagre")
    assert heading(page) == "Plan for samarbeid"
    assert page.locator("input[name=goals-0-text]").input_value() == GOAL
    assert PlanVersion.objects.get(process=process).status == PlanVersion.Status.DRAFT
    submit(page, "Send til godkjenning")
    plan = PlanVersion.objects.get(process=process)
    assert (plan.status, plan.goals) == (PlanVersion.Status.SUBMITTED, [{"text": GOAL}])
    assert [(m["text"], m["responsible_name"]) for m in plan.measures] == MEASURES

    # The approvals the coordinator holds, one after the other; then she is back on the process page.
    answered = []
    while page.locator("input[name=decision]").count():
        answered.append(heading(page))
        if len(answered) == 2:
            shot(page, "07-approval-on-behalf")
        approve(page)
    assert set(answered) == COORDINATOR_APPROVALS and len(answered) == len(COORDINATOR_APPROVALS)
    shot(page, "08-process-waiting-for-gp")
    assert page.locator("td[data-stage]").inner_text() == "Plan til godkjenning"
    assert {(a.role, a.on_behalf) for a in plan.answers.all()} == {
        ("koordinator", False),
        ("kontaktlege", True),
        ("intern_koordinator", True),
        ("pasient", True),
    }

    # The GP, in a browser of his own: the dashboard panel, then «Mine oppgaver» in the process app.
    gp_page = new_page()
    log_in_with_totp(gp_page, *coordinator_and_gp["gp"])
    panel = gp_page.locator("#mine-oppgaver")
    assert "Godkjenning: fastlege" in panel.inner_text()
    panel.get_by_role("link", name="Åpne pasientforløp").click()
    gp_page.wait_for_url(re.compile(re.escape(INBOX) + "$"))
    assert heading(gp_page) == "Mine oppgaver"
    shot(gp_page, "09-gp-inbox")
    gp_page.get_by_role("link", name="Godkjenning: fastlege").click()
    gp_page.wait_for_url(re.compile(re.escape(factories.task_url(process, "approve_gp")) + "$"))
    shot(gp_page, "10-gp-approval")
    approve(gp_page)

    # All have approved: an active plan, shown on the process page and printable with the goal.
    process.refresh_from_db()
    plan.refresh_from_db()
    assert (process.stage, plan.status) == (CareProcess.Stage.ACTIVE, PlanVersion.Status.APPROVED)
    assert stage_on_detail_page(gp_page, process) == "Aktiv plan"
    assert stage_on_detail_page(page, process) == "Aktiv plan"
    shot(page, "11-process-active")
    page.goto(reverse("forlop:plan_print", args=[process.pk]))
    assert GOAL in page.locator("body").inner_text()
    shot(page, "12-plan-print")

    # The evaluation interval comes due; the scheduled command fires the timer.
    timer = Task.objects.get(process=process, flow_task_type="TIMER", status=STATUS.SCHEDULED)
    Task.objects.filter(pk=timer.pk).update(scheduled=timezone.now() - datetime.timedelta(minutes=1))
    call_command("workflow_timers", stdout=io.StringIO())
    timer.refresh_from_db()
    assert timer.status == STATUS.DONE

    # The coordinator finds the evaluation in «Mine oppgaver» and continues with the plan.
    page.goto(PROCESSES)
    page.locator(".vf-page__menu").get_by_role("link", name="Mine oppgaver").click()
    page.wait_for_url(re.compile(re.escape(INBOX) + "$"))
    page.get_by_role("link", name="Evaluering").click()
    page.wait_for_url(re.compile(re.escape(factories.task_url(process, "evaluate")) + "$"))
    card = page.locator(f"fieldset[data-formset-row]:has(legend:text-is('{GOAL}'))")
    card.locator("textarea[name=goal-0-done]").fill("Hjemmesykepleien kom morgen og kveld.")
    card.locator("textarea[name=goal-0-achieved]").fill("Bor fortsatt hjemme, går tur tre dager i uka.")
    page.fill("textarea[name=summary]", "Gikk gjennom planen i ansvarsgruppemøte.")
    page.get_by_label("Fortsett med planen").check()
    shot(page, "13-evaluation")
    submit(page, "Registrer evalueringen")

    evaluation = Evaluation.objects.get(process=process)
    assert (evaluation.outcome, evaluation.plan, evaluation.created_by) == (
        Evaluation.Outcome.CONTINUE,
        plan,
        coordinator,
    )
    assert evaluation.per_goal == [
        {
            "goal": GOAL,
            "done": "Hjemmesykepleien kom morgen og kveld.",
            "achieved": "Bor fortsatt hjemme, går tur tre dager i uka.",
            "change": "",
        }
    ]
    process.refresh_from_db()
    assert process.stage == CareProcess.Stage.ACTIVE
    assert process.next_evaluation > timezone.localdate()
    # Waiting for the next evaluation: a new timer, scheduled.
    assert Task.objects.filter(process=process, flow_task_type="TIMER", status=STATUS.SCHEDULED).count() == 1
    assert stage_on_detail_page(page, process) == "Aktiv plan"
    assert "Fortsett med planen" in page.locator("main").inner_text()
    shot(page, "14-process-evaluated")

    # No JavaScript error, server error or missing static file on any page. The only 4xx answers are the two
    # refused forms (Viewflow answers a form with errors 422, so that Turbo renders it) and the favicon.
    problems = page.lkt_errors + gp_page.lkt_errors
    print("Failed requests and JS errors:", problems or "none")
    refused = [urlsplit(p.split()[1]).path for p in problems if p.startswith("422 ")]
    actor_map = Task.objects.get(process=process, flow_task=ForlopFlow.actor_map)
    actor_map_url = actor_map.flow_task.reverse("execute", args=[process.pk, actor_map.pk])
    assert refused == [START, actor_map_url], problems
    assert not [p for p in problems if not p.startswith("422 ") and "/favicon.ico" not in p], problems
