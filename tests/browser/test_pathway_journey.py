"""A reader follows a pathway in real headless Chromium while the directory behind it changes.

A reader opens a published pathway, chooses Bjørnafjorden by name and sees, in every step
that names the coordinating unit, Bjørnafjorden's unit with its phone number. An editor
(password + TOTP) then changes that unit's main phone number and submits it to the
municipality's review workflow; a reviewer approves it. The reader reloads the pathway
without parameters (the municipality is remembered in a cookie and the reader is sent to its URL) and sees the
new number.
"""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import WorkflowState

from core.vocabulary import Role
from directory.models import ActorPage, ActorType
from home.models import PathwayIndexPage, PathwayPage

from .conftest import keep_screenshot
from .test_editor_journey import log_in_with_totp, log_out, open_action_menu, submit_for_review, success_message

ACTOR_TITLE = "Koordinerende enhet Bjørnafjorden"
COORDINATING_UNIT = "koordinerende-enhet-kommune"
OLD_PHONE = "56 57 50 00"
NEW_PHONE = "56 57 59 99"
CONTACT = ("Kari Nordmann", "Koordinator", "56 57 50 10")
PATHWAY_TITLE = "Forløp for koordinerte tjenester"
# Steps that name the coordinating unit, as the reader sees them (the pathway has one more step, for the GP).
COORDINATING_STEPS = ["Henvendelse til koordinerende enhet", "Oppnevning av koordinator", "Evaluering av forløpet"]

pytestmark = [
    pytest.mark.browser,
    # As in test_editor_journey: the live server answers from another thread, so the data must be committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data"),
    pytest.mark.slow,
]


def _step(
    title,
    *,
    responsible_type=None,
    responsible_role="",
    participants=(),
    handover_trigger="",
    handover_to_type=None,
    handover_to_role="",
):
    return {
        "title": title,
        "body": f"<p>{title}: hva som gjøres, og hvorfor.</p>",
        "responsible_type": responsible_type,
        "responsible_role": responsible_role,
        "participants": list(participants),
        "handover_trigger": handover_trigger,
        "handover_to_type": handover_to_type,
        "handover_to_role": handover_to_role,
        "documents": [],
        "links": [],
    }


def build_pathway(home):
    """A published pathway under «Forløp» whose steps name the coordinating unit (and one the GP)."""
    unit = ActorType.objects.get(slug=COORDINATING_UNIT)
    gp = ActorType.objects.get(slug="fastlege")
    index = PathwayIndexPage(title="Forløp", slug="forlop")
    home.add_child(instance=index)
    index.save_revision().publish()
    phases = [
        (
            "phase",
            {
                "title": "Oppstart",
                "intro": "",
                "steps": [
                    _step(
                        COORDINATING_STEPS[0],
                        responsible_type=unit,
                        participants=[gp],
                        handover_trigger="Når behovet er kartlagt",
                        handover_to_role=Role.COORDINATOR.value,
                    ),
                    _step(COORDINATING_STEPS[1], responsible_type=unit),
                ],
            },
        ),
        (
            "phase",
            {
                "title": "Oppfølging",
                "intro": "",
                "steps": [
                    _step("Medisinsk oppfølging", responsible_type=gp),
                    _step(COORDINATING_STEPS[2], responsible_type=unit),
                ],
            },
        ),
    ]
    pathway = PathwayPage(
        title=PATHWAY_TITLE, slug="koordinerte-tjenester", next_review=date.today() + timedelta(days=365), phases=phases
    )
    index.add_child(instance=pathway)
    pathway.save_revision().publish()
    return PathwayPage.objects.get(pk=pathway.pk)


@pytest.fixture
def pathway_with_editor_and_reviewer(site_tree, make_municipality, make_actor, staff_with_totp):
    """A published pathway naming Bjørnafjorden's coordinating unit (published with its phone number), and the
    municipality's editor and reviewer, both with TOTP."""
    municipality_page, editors, reviewers = make_municipality("4624")
    actor = make_actor(
        municipality_page, ACTOR_TITLE, type_slugs=[COORDINATING_UNIT], phone=OLD_PHONE, contacts=(CONTACT,)
    )
    pathway = build_pathway(site_tree)
    editor, editor_device = staff_with_totp("redaktor.bjornafjorden", [editors])
    reviewer, reviewer_device = staff_with_totp("godkjenner.bjornafjorden", [reviewers])
    return {
        "actor": actor,
        "pathway_path": urlsplit(pathway.get_url()).path,  # relative with one site; absolute if more sites exist
        "editor": (editor, editor_device),
        "reviewer": (reviewer, reviewer_device),
    }


def coordinating_steps(page):
    """{step title: text of its responsible actor block} for the steps that name the coordinating unit."""
    steps = {}
    for title in COORDINATING_STEPS:
        step = page.locator("li.step").filter(has=page.get_by_role("heading", name=title, exact=True))
        steps[title] = step.locator(".responsible").inner_text()
    return steps


def assert_reader_sees(page, phone, not_phone):
    page.locator("p.chosen strong", has_text="Bjørnafjorden").wait_for(state="visible")
    for title, text in coordinating_steps(page).items():
        assert ACTOR_TITLE in text, (title, text)
        assert phone in text, (title, text)
        assert not_phone not in text, (title, text)
    # The number is also a working tel: link, in each of those steps and once under «Dine kontakter».
    assert page.locator(f"a[href='tel:{phone.replace(' ', '')}']").count() == len(COORDINATING_STEPS) + 1
    assert phone in page.locator("section.pathway-contacts").inner_text()
    assert "/kommune/bjornafjorden/" in urlsplit(page.url).path  # the municipality, or an address in it
    assert not_phone not in page.locator("article.pathway").inner_text()


def test_reader_sees_new_phone_after_editor_change_is_approved(pathway_with_editor_and_reviewer, new_page, tmp_path):
    actor = pathway_with_editor_and_reviewer["actor"]
    path = pathway_with_editor_and_reviewer["pathway_path"]

    # The reader opens the pathway: no municipality yet, so no actors, only the types.
    reader = new_page()
    response = reader.goto(path)
    assert response.status == 200
    reader.get_by_role("heading", name=PATHWAY_TITLE, level=1).wait_for()
    assert reader.locator(".step-actor").count() == 0
    assert OLD_PHONE not in reader.locator("article.pathway").inner_text()

    # … types the municipality's name in the field and submits the form.
    field = reader.locator("form.lookup input[name=q]")
    field.fill("Bjørnafjorden")
    with reader.expect_navigation():
        field.press("Enter")
    assert urlsplit(reader.url).path == f"{path}kommune/bjornafjorden/"  # the choice is part of the URL
    assert_reader_sees(reader, OLD_PHONE, NEW_PHONE)
    assert field.input_value() == "Bjørnafjorden"
    # The GP step's participant and responsible are not covered in Bjørnafjorden: said so, not hidden.
    gp_step = reader.locator("li.step").filter(has=reader.get_by_role("heading", name="Medisinsk oppfølging"))
    assert "Ikke dekket i Bjørnafjorden" in gp_step.inner_text()

    # The editor changes the unit's main phone number and submits it for review.
    editor_page = new_page()
    log_in_with_totp(editor_page, *pathway_with_editor_and_reviewer["editor"])
    editor_page.goto(reverse("wagtailadmin_pages:edit", args=[actor.pk]))
    phone = editor_page.locator("input[name=phone]")
    assert phone.input_value() == OLD_PHONE
    phone.fill(NEW_PHONE)
    workflow_state = submit_for_review(editor_page, actor, ACTOR_TITLE)
    log_out(editor_page)

    # Awaiting review, the reader still sees the published number (the session remembers Bjørnafjorden).
    response = reader.goto(path)
    assert response.status == 200
    assert_reader_sees(reader, OLD_PHONE, NEW_PHONE)

    # The reviewer approves in the workflow's modal.
    reviewer_page = new_page()
    log_in_with_totp(reviewer_page, *pathway_with_editor_and_reviewer["reviewer"])
    reviewer_page.goto(reverse("wagtailadmin_pages:edit", args=[actor.pk]))
    assert reviewer_page.locator("input[name=phone]").input_value() == NEW_PHONE
    open_action_menu(reviewer_page)
    reviewer_page.locator("button[data-workflow-action-name=approve][data-workflow-action-modal-url]").click()
    modal = reviewer_page.locator(".modal-dialog, [role=dialog]").filter(has=reviewer_page.locator("textarea"))
    modal.locator("textarea[name=comment]").fill("Kontrollert mot sentralbordet.")
    modal.locator("[type=submit]").first.click()
    assert ACTOR_TITLE in success_message(reviewer_page)
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    assert ActorPage.objects.get(pk=actor.pk).phone == NEW_PHONE

    # The reader opens the bare pathway URL again: the remembered choice leads to Bjørnafjorden's URL, now with
    # the new number.
    response = reader.goto(path)
    assert response.status == 200
    assert urlsplit(reader.url).query == ""
    assert_reader_sees(reader, NEW_PHONE, OLD_PHONE)
    assert reader.locator("form.lookup input[name=q]").input_value() == "Bjørnafjorden"
    screenshot = tmp_path / "pathway-bjornafjorden.png"
    keep_screenshot(reader, screenshot)
    print(f"Screenshot of the pathway: {screenshot}")

    # No JavaScript error, server error or missing static file anywhere; other 4xx are reported, as in
    # test_editor_journey (/admin/jsi18n/ has been seen to answer 400 now and then).
    problems = reader.lkt_errors + editor_page.lkt_errors + reviewer_page.lkt_errors
    print("Failed requests and JS errors:", problems or "none")
    assert not [p for p in problems if p.startswith(("JS error", "5")) or settings.STATIC_URL in p], problems
    assert not reader.lkt_errors, reader.lkt_errors


def test_reader_by_postal_code(pathway_with_editor_and_reviewer, new_page):
    """5200 (Os) is in Bjørnafjorden: the postal code works as well as the name."""
    reader = new_page()
    reader.goto(pathway_with_editor_and_reviewer["pathway_path"])
    field = reader.locator("form.lookup input[name=q]")
    field.fill("5200")
    with reader.expect_navigation():
        reader.locator("form.lookup [type=submit]").click()
    assert_reader_sees(reader, OLD_PHONE, NEW_PHONE)
    assert urlsplit(reader.url).path.endswith("/kommune/bjornafjorden/postnummer/5200/")
