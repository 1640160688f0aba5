"""Min side in real headless Chromium, logged in through TestID over real OpenID Connect.

A patient whose plan is out for approval logs in with ID-porten's stand-in (the client fetches TestID's discovery
document and keys and exchanges the code over HTTP with the live server), reads her plan and her team, approves the
plan – the process moves on and, once the others have answered, the plan is active – and sends a message that her
coordinator, logged in with password and TOTP, answers; she reads the answer. She gives her son read access; he logs
in with his own identity and sees her plan, until she takes the access back. Finally she withdraws her consent, and
the GP on her team loses access at once. Every patient page passes axe-core with no serious or critical WCAG 2.1 AA
violation and reflows at 320 px without horizontal scrolling.
"""

import datetime
import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from lkt_site.settings.testid import client_settings
from testid.clients import callback_uris, ensure_client
from tests import factories as steps
from tests.conftest import verify_client
from workflows.models import ApprovalAnswer, CareProcess, Consent
from workflows.national_id import synthetic

from .axe import scrolls_sideways_at_320, serious_violations
from .conftest import SCREENSHOTS, keep_screenshot
from .test_editor_journey import log_in_with_totp

pytestmark = [
    pytest.mark.browser,
    # The live server answers from another thread (and TestID and the client share it), so data must be committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PATIENT_PID = synthetic(datetime.date(1950, 5, 17))
SON_PID = synthetic(datetime.date(1978, 10, 2))
MESSAGE = "Jeg har falt to ganger denne uka."
ANSWER = "Takk for beskjed. Fysioterapeuten kommer på torsdag."


@pytest.fixture
def approval_in_progress(migrated_data, care, settings, live_server):
    """Astrid's process at approval in Bjørnafjorden (the coordinator has answered her own approval), TestID
    serving the live server's address, and the coordinator with an authenticator app."""
    settings.LKT_OIDC = client_settings(f"{live_server.url}/testid")
    ensure_client(callback_uris(live_server.url))
    care.coordinator.first_name, care.coordinator.last_name = "Kari", "Koordinator"
    care.coordinator.save()
    care.gp.first_name, care.gp.last_name = "Ola", "Lege"
    care.gp.save()
    coordinator = verify_client(Client(), care.coordinator)
    process = steps.to_approval(coordinator, national_id=PATIENT_PID)
    steps.post_step(coordinator, process, "approve_coordinator", {"decision": "godkjent"})
    device = TOTPDevice.objects.create(user=care.coordinator, name="Autentiseringsapp", confirmed=True)
    return {"process": process, "coordinator": coordinator, "device": device}


class Checked:
    """Runs axe and the 320 px reflow check on each page visited; with LKT_SCREENSHOTS=1 it keeps a 320 px
    screenshot of it (in the test's tmp_path) for a person to look at."""

    def __init__(self, folder):
        self.folder = folder
        self.pages = []

    def __call__(self, page, name):
        page.wait_for_load_state()
        assert serious_violations(page) == [], (name, serious_violations(page))
        assert not scrolls_sideways_at_320(page), f"{name} scrolls sideways at 320 px"
        if SCREENSHOTS:
            before = page.viewport_size
            page.set_viewport_size({"width": 320, "height": 640})
            keep_screenshot(page, self.folder / f"{len(self.pages):02d}-{name.replace(' ', '-')}.png")
            page.set_viewport_size(before)
        self.pages.append(name)


def log_in_with_testid(page, pid, check=None):
    page.goto("/min-side/logg-inn/")
    if check:
        check(page, "login")
    page.get_by_role("button", name="Logg inn med ID-porten").click()
    page.wait_for_url(re.compile(r"/testid/authorize/\?"))
    page.get_by_label("Syntetisk fødselsnummer").fill(pid)
    page.get_by_label(re.compile(r"^Betydelig")).check()
    page.get_by_role("button", name="Logg inn", exact=True).click()
    page.wait_for_url(re.compile(r"/min-side/$"))


def go(page, link):
    page.locator("nav.min-side-nav").get_by_role("link", name=link, exact=True).click()
    page.wait_for_load_state()


def test_patient_journey_on_min_side(approval_in_progress, new_page, care, tmp_path):
    process = approval_in_progress["process"]
    check = Checked(tmp_path)
    page = new_page()

    # Log in through TestID over OIDC.
    log_in_with_testid(page, PATIENT_PID, check)
    check(page, "overview")
    assert "Samarbeidet om deg" in page.locator("main").inner_text()

    # Min plan and Mitt team.
    page.get_by_role("link", name="Min plan", exact=True).first.click()
    page.wait_for_url(re.compile(rf"/min-side/{process.pk}/plan/$"))
    plan_text = page.locator("main").inner_text()
    assert "Bo hjemme med trygghet" in plan_text and "Slutter å spise" in plan_text
    check(page, "plan")
    page.get_by_role("link", name="Utskrift eller PDF").click()
    check(page, "plan print")
    page.go_back()
    go(page, "Mitt team")
    team_text = page.locator("main").inner_text()
    assert "Kari Koordinator" in team_text and "Din kontaktperson" in team_text
    check(page, "team")
    go(page, "Min gode dag")
    assert "Kaffe med naboen" in page.locator("main").inner_text()
    check(page, "good day")

    # The approval: a request for changes without a comment is refused in plain words, then she approves.
    page.locator("nav.min-side-nav").get_by_role("link", name=re.compile(r"^Godkjenning")).click()
    check(page, "approval")
    page.get_by_label("Jeg vil ha endringer i planen").check()
    page.get_by_role("button", name="Send svaret").click()
    assert "Skriv hva du vil endre" in page.locator("main").inner_text()
    check(page, "approval with an error")
    page.get_by_label("Jeg godkjenner planen").check()
    page.get_by_role("button", name="Send svaret").click()
    page.wait_for_url(re.compile(rf"/min-side/{process.pk}/godkjenning/$"))
    assert "Svaret ditt er sendt" in page.locator("main").inner_text()
    answer = ApprovalAnswer.objects.get(plan__process=process, role="pasient")
    assert (answer.decision, answer.on_behalf) == ("godkjent", False)
    # The other approvals, as the GP and the coordinator give them; the process moves on to an active plan.
    steps.post_step(verify_client(Client(), care.gp), process, "approve_gp", {"decision": "godkjent"})
    for node in ("approve_contact_doctor", "approve_internal_coordinator"):
        steps.post_step(approval_in_progress["coordinator"], process, node, {"decision": "godkjent"})
    process.refresh_from_db()
    assert process.stage == CareProcess.Stage.ACTIVE

    # A message to the coordinator, who answers it after logging in with password and TOTP.
    go(page, "Meldinger")
    check(page, "messages")
    page.get_by_label("Noe har endret seg for meg").check()
    page.get_by_label("Meldingen din").fill(MESSAGE)
    page.get_by_role("button", name="Send meldingen").click()
    page.wait_for_load_state()
    assert "Ikke besvart ennå" in page.locator("main").inner_text()
    staff = new_page()
    log_in_with_totp(staff, care.coordinator, approval_in_progress["device"])
    staff.goto("/prosesser/meldinger/")
    staff.get_by_role("link", name=re.compile("Astrid Testesen")).click()
    staff.wait_for_url(re.compile(rf"/prosesser/meldinger/{process.pk}/#melding-"))
    assert MESSAGE in staff.locator("main").inner_text()
    staff.get_by_label("Svar til pasienten").fill(ANSWER)
    staff.get_by_role("button", name="Send svaret").click()
    staff.wait_for_url(re.compile(r"/prosesser/meldinger/(#.*)?$"))
    page.reload()
    assert ANSWER in page.locator("main").inner_text()
    check(page, "messages with an answer")

    # Who has seen her information: the GP and the coordinator, by name, role and unit.
    go(page, "Hvem har sett")
    log_text = page.locator("main").inner_text()
    assert "Kari Koordinator" in log_text
    check(page, "access log")

    # Her son gets read access, logs in with his own identity and sees the plan; then she takes it back.
    go(page, "Pårørende")
    check(page, "next of kin")
    page.get_by_label("Navn").fill("Nils Testesen")
    page.get_by_label(re.compile("^Hvem er personen")).fill("Sønn")
    page.get_by_label(re.compile("^Personens fødselsnummer")).fill(SON_PID)
    page.get_by_role("button", name="Gi innsyn").click()
    page.wait_for_load_state()
    assert "Nils Testesen kan nå se planen" in page.locator("main").inner_text()
    son = new_page()
    log_in_with_testid(son, SON_PID)
    assert "Du er pårørende" in son.locator("main").inner_text()
    check(son, "overview as next of kin")
    son.get_by_role("link", name="Se planen").click()
    assert "Bo hjemme med trygghet" in son.locator("main").inner_text()
    check(son, "plan as next of kin")
    page.get_by_role("button", name="Ta tilbake innsynet for Nils Testesen").click()
    page.wait_for_load_state()
    assert "har ikke lenger innsyn" in page.locator("main").inner_text()
    assert son.reload().status == 404
    son.goto("/min-side/")
    assert "Du er pårørende" not in son.locator("main").inner_text()

    # She withdraws her consent: the team loses access at once.
    gp = verify_client(Client(), care.gp)
    assert gp.get(steps.detail_url(process)).status_code == 200
    go(page, "Samtykke")
    check(page, "consent")
    page.get_by_label(re.compile("^Jeg forstår at samarbeidet stopper")).check()
    page.get_by_role("button", name="Trekk samtykket tilbake").click()
    page.wait_for_load_state()
    assert "Samtykket er trukket tilbake" in page.locator("main").inner_text()
    check(page, "consent withdrawn")
    process.refresh_from_db()
    assert process.stage == CareProcess.Stage.WITHDRAWN
    assert Consent.objects.get(process=process).withdrawn_at is not None
    assert gp.get(steps.detail_url(process)).status_code == 404

    # No JavaScript errors; the only 4xx answers are the refused form (422), the son's refused page and favicons.
    problems = [p for p in page.lkt_errors + son.lkt_errors if "/favicon.ico" not in p]
    expected = [p for p in problems if p.startswith("422 ") or (p.startswith("404 ") and "/plan/" in p)]
    assert problems == expected, problems
    print("Pages checked with axe and at 320 px:", check.pages, "screenshots in", tmp_path)
