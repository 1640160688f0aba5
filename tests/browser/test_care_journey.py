"""The care-community process in real headless Chromium, from a registered need to an evaluated, active plan.

A coordinator in Bjørnafjorden's coordinating unit logs in with a password and a TOTP code, registers a
fictional patient's need (after one rejected fødselsnummer), records consent, Min gode dag and the actor
community (the four mandatory roles, one of them a GP with an account), drafts and submits the plan, and
answers the approvals held on behalf of members without accounts and the patient's confirmation. The GP
logs in and approves from «Mine oppgaver». The plan is then active; the evaluation timer is fired as the
scheduled command would, and the coordinator evaluates and continues with the plan.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows import roles
from workflows.models import CareProcess, Evaluation, PlanVersion
from workflows.national_id import synthetic

from .test_editor_journey import log_in_with_totp

pytestmark = [
    pytest.mark.browser,
    # As in test_editor_journey: the live server answers from another thread, so the data must be committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROCESSES = "/prosesser/forlop/"
PATIENT = "Ingrid Fjordheim"
NATIONAL_ID = synthetic(datetime.date(1948, 11, 2))  # month + 80: a synthetic test number
BAD_NATIONAL_ID = "12345678901"
GOAL = "Bo trygt hjemme og gå tur langs sjøen hver dag"
PROPOSED_ACTOR = "Hjemmesykepleien i Bjørnafjorden"
SCREENSHOTS = "/tmp/care-journey-{}.png"


@pytest.fixture
def journey(migrated_data, make_municipality, make_actor, staff_with_totp):
    municipality_page, _editors, _reviewers = make_municipality("4624")
    make_actor(municipality_page, PROPOSED_ACTOR, type_slugs=("hjemmesykepleie",),
               contacts=(("Berit Sykepleier", "Avdelingsleder", "56 57 60 00"),))
    unit = roles.ensure_coordinating_unit("4624")
    coordinator = staff_with_totp("koordinator.os", [unit.group])
    gp = staff_with_totp("fastlege.os", [roles.ensure_care_team()])
    for (user, _device), (first, last) in ((coordinator, ("Kari", "Koordinator")), (gp, ("Ola", "Lege"))):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    return {"coordinator": coordinator, "gp": gp}


def shot(page, name):
    page.screenshot(path=SCREENSHOTS.format(name), full_page=True)


def submit(page, label):
    """Press a submit button and wait until Viewflow's Turbo has put the answer on screen.

    Turbo sends the form with fetch and swaps in the new <body> (a redirect's target, or the form again
    with errors, answered 422), so a page load never happens; a mark on the old body tells when it is gone.
    """
    page.evaluate("document.body.dataset.lktStale = '1'")
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_function("!document.body.dataset.lktStale")
    page.wait_for_load_state()


def heading(page):
    return page.locator("h1.vf-card__title").first.inner_text().strip()


def test_coordinator_and_gp_take_a_patient_from_need_to_evaluated_plan(journey, new_page):
    coordinator_user = journey["coordinator"][0]
    page = new_page()
    page.on("pageerror", lambda exc: print("PAGEERROR", page.url, exc.stack))
    log_in_with_totp(page, *journey["coordinator"])

    page.goto(PROCESSES)
    shot(page, "01-list")
    page.get_by_role("link", name="Registrer behov").click()
    page.wait_for_url(re.compile(r"/prosesser/forlop/start/$"))
    assert heading(page) == "Registrer behov"

    # Registration, first with a fødselsnummer whose control digits are wrong.
    page.fill("input[name=patient_name]", PATIENT)
    page.fill("input[name=national_id]", BAD_NATIONAL_ID)
    page.fill("input[name=address]", "Fjordvegen 12")
    page.fill("input[name=postal_code_input]", "5200")
    page.check("input[name=areas_of_need][value=somatisk]")
    page.check("input[name=areas_of_need][value=psykisk]")
    page.fill("textarea[name=need_description]", "Trenger koordinerte tjenester etter hjerneslag.")
    page.fill("input[name=referred_by]", "Fastlege Ola Lege")
    submit(page, "Registrer behovet")
    shot(page, "02-start-error")
    assert "Kontrollsifrene stemmer ikke" in page.locator("form").inner_text()
    assert page.locator("input[name=patient_name]").input_value() == PATIENT
    assert page.locator("input[name=national_id]").input_value() == BAD_NATIONAL_ID
    assert CareProcess.objects.count() == 0

    page.fill("input[name=national_id]", NATIONAL_ID)
    submit(page, "Registrer behovet")
    process = CareProcess.objects.get()
    print(page.url, heading(page))
    shot(page, "03-consent")
    print(page.lkt_errors)
