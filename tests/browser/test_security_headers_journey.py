"""The Content-Security-Policy against real pages in headless Chromium: nothing any page needs is refused.

A visitor reads the front page, the lookup and an actor page. A new colleague logs in and gets the two-factor
set-up page with its QR code (an inline SVG). A coordinator in Bjørnafjorden, who also edits its directory, logs
in with password and TOTP (the second-factor page), opens Wagtail's dashboard, edits an actor page and opens its
live preview (a same-origin frame), reads the actor page with Wagtail's user bar, then Viewflow's process list,
inbox, a patient's process page, an approval task form and the printable plan. Every page and frame reports
each ``securitypolicyviolation`` event to the test, and the console's messages about the policies (a refused
frame, an unknown Permissions-Policy feature) are collected too; any of them fails the test.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import EnrolmentGrant
from tests import factories as flow

from .test_editor_journey import PASSWORD, assert_admin_assets_loaded, log_in_with_totp

pytestmark = [
    pytest.mark.browser,
    # As in test_editor_journey: the live server answers from another thread, so the data must be committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ACTOR_TITLE = "Koordinerende enhet Bjørnafjorden"

# Runs in every document and frame before the page's own scripts; reports through a binding, which a
# Content-Security-Policy cannot block.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.lktCspViolations = (window.lktCspViolations || 0) + 1;
  window.lktCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: `${event.sourceFile}:${event.lineNumber}`,
    sample: event.sample,
    page: document.location.href,
  });
});
"""


def watch_policy(page):
    """Collect CSP violations (events from every frame, console messages) on ``page.lkt_violations``."""
    page.lkt_violations = []
    page.expose_binding("lktCspViolation", lambda _source, violation: page.lkt_violations.append(violation))
    page.add_init_script(REPORT_VIOLATIONS)
    # The console also tells of a refused frame, and of a Permissions-Policy feature Chromium does not know.
    page.on(
        "console",
        lambda message: (
            ("Content Security Policy" in message.text or "Permissions-Policy" in message.text)
            and page.lkt_violations.append({"console": message.text, "page": page.url})
        ),
    )
    return page


@pytest.fixture
def places(migrated_data, make_municipality, make_actor, care):
    """Bjørnafjorden with an actor in its directory; its coordinator edits the directory too, and has a process
    standing at approval (plan sent) – created through the real forms with a test client."""
    from django.test import Client

    from tests.conftest import verify_client

    municipality_page, editors, _reviewers = make_municipality("4624")
    actor = make_actor(municipality_page, ACTOR_TITLE)
    care.coordinator.groups.add(editors)
    process = flow.to_approval(verify_client(Client(), care.coordinator))
    device = TOTPDevice.objects.create(user=care.coordinator, name="Autentiseringsapp", confirmed=True)
    return {"actor": actor, "process": process, "coordinator": (care.coordinator, device), "newcomer": care.colleague}


def settle(page):
    """Let the reports the page has sent reach the test: bindings are delivered in order with the answer to this."""
    page.evaluate("() => null")


def visit(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    page.wait_for_load_state("networkidle")
    settle(page)
    return response


def test_public_pages_keep_to_the_policy(places, new_page):
    page = watch_policy(new_page())
    front = visit(page, "/")
    assert "default-src 'self'" in front.headers["content-security-policy"]
    visit(page, "/finn-hjelp/?q=5200")
    assert ACTOR_TITLE in page.locator("main").inner_text()
    visit(page, urlsplit(places["actor"].get_url()).path)
    assert page.locator("h1").inner_text().strip() == ACTOR_TITLE
    assert not page.lkt_violations, page.lkt_violations
    assert not page.lkt_errors, page.lkt_errors


def test_two_factor_enrolment_keeps_to_the_policy(places, new_page):
    """A colleague without an authenticator app logs in, is asked for an enrolment link or code, opens the link
    an administrator gave: the QR code is an inline SVG, shown under the policy."""
    newcomer = places["newcomer"]
    page = watch_policy(new_page())
    page.goto("/admin/login/")
    page.fill("input[name=username]", newcomer.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/to-faktor/oppsett/"))
    page.wait_for_load_state("networkidle")
    _grant, code = services.issue_grant(newcomer, EnrolmentGrant.Channel.ADMIN)
    visit(page, reverse("accounts:enrolment_link", args=[code]))
    assert page.locator("figure.qr svg").is_visible()
    settle(page)
    assert not page.lkt_violations, page.lkt_violations
    assert not page.lkt_errors, page.lkt_errors


def test_staff_pages_keep_to_the_policy(places, new_page):
    user, device = places["coordinator"]
    page = watch_policy(new_page())
    log_in_with_totp(page, user, device)  # the second-factor page, then Wagtail's dashboard

    # Wagtail's page editor (an InlinePanel of contact persons, started by an inline script) and its preview,
    # which Wagtail shows in a frame of the editor: the one page this origin may frame.
    actor = places["actor"]
    visit(page, f"/admin/pages/{actor.pk}/edit/")
    assert_admin_assets_loaded(page)
    assert page.locator("input[name^=contacts-][name$=-name]").first.input_value() == "Kari Nordmann"
    page.locator("[data-side-panel-toggle=preview]").click()
    preview = page.frame_locator("iframe[data-w-preview-target=iframe]").first
    assert ACTOR_TITLE in preview.locator("h1").inner_text()

    # The public page again, now with Wagtail's user bar for the logged-in editor.
    visit(page, urlsplit(actor.get_url()).path)
    assert page.locator("wagtail-userbar").count() == 1

    # Viewflow's frontend: lists, a patient's process, a task form and the printable plan.
    process = places["process"]
    visit(page, reverse("forlop:index"))
    assert process.patient_name in page.locator("main, body").first.inner_text()
    visit(page, reverse("forlop:inbox"))
    visit(page, flow.detail_url(process))
    visit(page, flow.task_url(process, "approve_coordinator"))
    assert page.locator("form#lkt-task-form").is_visible()
    visit(page, f"{flow.detail_url(process)}plan/")
    page.evaluate("window.print = () => { window.lktPrinted = true; }")  # no print dialog in a test
    page.get_by_role("button", name="Skriv ut").click()
    assert page.evaluate("window.lktPrinted") is True

    assert not page.lkt_violations, page.lkt_violations
    problems = [e for e in page.lkt_errors if e.startswith(("JS error", "5")) or "/static/" in e]
    assert not problems, page.lkt_errors


def test_the_policy_is_enforced(places, new_page):
    """The test above can fail: an inline script without the nonce is refused and reported."""
    page = watch_policy(new_page())
    visit(page, "/")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.lktRan = 1";
                   document.body.append(s); }"""
    )
    page.wait_for_function("() => window.lktCspViolations > 0")
    assert page.evaluate("window.lktRan") is None
    settle(page)
    assert any(v.get("directive") == "script-src-elem" for v in page.lkt_violations), page.lkt_violations
