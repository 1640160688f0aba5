"""The seeded pathway content: generic LKT pathway, reusable modules and the four skeleton pathways."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Revision, Workflow, WorkflowTask

from home.groups import CLINICAL_APPROVERS, OWNERS, PUBLISHERS
from home.models import HomePage, PathwayIndexPage, PathwayModule, PathwayPage
from home.pathway_seed import (
    GENERIC_SLUG,
    MODULE_ACTOR_COMMUNITY,
    MODULE_EVALUATION,
    PLACEHOLDER,
    SKELETONS,
    seed_pathways,
)
from tests.factories import page_body

pytestmark = pytest.mark.django_db

SKELETON_SLUGS = [slug for _title, slug, _name in SKELETONS]


def _counts():
    return {
        "pages": Page.objects.count(),
        "modules": PathwayModule.objects.count(),
        "revisions": Revision.objects.count(),
        "groups": Group.objects.count(),
        "workflows": Workflow.objects.count(),
        "workflow_tasks": WorkflowTask.objects.count(),
        "page_permissions": GroupPagePermission.objects.count(),
    }


def _steps(page):
    """Every step of a pathway, module steps included, as (phase title, step value)."""
    for block in page.phases:
        if block.block_type == "module":
            for step in block.value.steps:
                yield block.value.title, step.value
        else:
            for step in block.value["steps"]:
                yield block.value["title"], step


def test_seeding_twice_creates_nothing_new(site_tree):
    created = seed_pathways(site_tree)
    assert len(created) == 1 + 2 + 1 + len(SKELETONS)  # index, two modules, generic, skeletons
    before = _counts()

    assert seed_pathways(site_tree) == []
    assert _counts() == before
    assert PathwayIndexPage.objects.get().slug == "forlop"
    assert PathwayPage.objects.count() == 1 + len(SKELETONS)


def test_second_run_keeps_editors_changes(site_tree):
    seed_pathways(site_tree)
    page = PathwayPage.objects.get(slug=GENERIC_SLUG)
    page.summary = "Redigert av forløpseier."
    page.save_revision().publish()

    seed_pathways(site_tree)
    assert PathwayPage.objects.get(slug=GENERIC_SLUG).summary == "Redigert av forløpseier."


def test_index_is_in_the_menu_and_has_the_workflow(site_tree):
    seed_pathways(site_tree)
    index = PathwayIndexPage.objects.get()
    assert index.get_parent().specific == site_tree
    assert index.live and index.show_in_menus
    assert index.get_workflow().name == "Godkjenning av forløp"
    assert set(
        Group.objects.filter(name__in=[OWNERS, CLINICAL_APPROVERS, PUBLISHERS]).values_list("name", flat=True)
    ) == {OWNERS, CLINICAL_APPROVERS, PUBLISHERS}


def test_modules_are_published_and_valid(site_tree):
    seed_pathways(site_tree)
    for title in (MODULE_ACTOR_COMMUNITY, MODULE_EVALUATION):
        module = PathwayModule.objects.get(title=title)
        assert module.live and not module.has_unpublished_changes
        assert module.live_revision is not None
        module.steps.stream_block.clean(module.steps)  # passes StepBlock's own validation
    community = PathwayModule.objects.get(title=MODULE_ACTOR_COMMUNITY)
    first = community.steps[0].value
    assert "samtykke" in first["title"].lower()  # consent comes first


def test_generic_pathway_has_five_phases_and_uses_both_modules(site_tree):
    seed_pathways(site_tree)
    page = PathwayPage.objects.get(slug=GENERIC_SLUG)

    assert page.live and not page.awaiting_clinical_content
    assert page.version == "1.0"
    assert page.owner_unit == "LKT-prosjektet, Helse Bergens foretaksområde"
    assert page.content_owner is None  # no invented people
    assert abs(page.next_review - (timezone.localdate() + timedelta(days=365))) <= timedelta(days=31)

    assert len(page.phases) == 5
    modules = [block.value for block in page.phases if block.block_type == "module"]
    assert {m.title for m in modules} == {MODULE_ACTOR_COMMUNITY, MODULE_EVALUATION}

    steps = list(_steps(page))
    assert steps
    for phase_title, step in steps:
        assert step["responsible_type"] or step["responsible_role"], (phase_title, step["title"])
        assert not (step["responsible_type"] and step["responsible_role"]), (phase_title, step["title"])
    page.phases.stream_block.clean(page.phases)  # the editor could save it unchanged
    assert steps[0][1]["title"] == "Samtykke"


def test_skeletons_are_published_drafts_without_clinical_content(site_tree, client, client_for, make_user):
    seed_pathways(site_tree)
    staff = client_for(make_user("forlopseier", groups=[Group.objects.get(name=OWNERS)]))
    community = PathwayModule.objects.get(title=MODULE_ACTOR_COMMUNITY)
    evaluation = PathwayModule.objects.get(title=MODULE_EVALUATION)
    skeletons = PathwayPage.objects.filter(slug__in=SKELETON_SLUGS)
    assert skeletons.count() == 4

    for page in skeletons:
        assert page.live and page.awaiting_clinical_content
        assert page.version == "0.1"
        assert "skjelett" in page.summary.lower() and "fagmiljøet" in page.summary
        modules = [block.value for block in page.phases if block.block_type == "module"]
        assert modules == [community, evaluation]
        for block in page.phases:
            if block.block_type == "phase":
                for step in block.value["steps"]:
                    assert step["body"].source == f"<p>{PLACEHOLDER}</p>"

        # Not for the public; signed-in staff see it, marked as a draft.
        assert client.get(page.url).status_code == 404
        assert "Utkast:" in page_body(staff, page.url)


def test_generic_pathway_is_no_draft(site_tree, client):
    seed_pathways(site_tree)
    assert "Utkast:" not in page_body(client, PathwayPage.objects.get(slug=GENERIC_SLUG).url)


def test_generic_pathway_for_bjornafjorden_shows_the_coordinating_unit(
    site_tree, client, make_municipality, make_actor
):
    municipality, _editors, _reviewers = make_municipality("4624")
    make_actor(
        municipality,
        "Koordinerende enhet Bjørnafjorden",
        type_slugs=["koordinerende-enhet-kommune", "koordinator-kommune"],
        phone="56 57 50 00",
    )
    seed_pathways(site_tree)
    page = PathwayPage.objects.get(slug=GENERIC_SLUG)

    body = page_body(client, page.municipality_url(municipality))
    assert "Viser aktørene i <strong>Bjørnafjorden</strong>" in body
    assert "Koordinerende enhet Bjørnafjorden" in body
    assert "56 57 50 00" in body
    assert "Etablering av aktørfellesskap" in body and "Evaluering" in body


def test_command_needs_a_home_page():
    HomePage.objects.all().delete()
    with pytest.raises(CommandError, match="Fant ingen forside"):
        call_command("seed_pathways")


def test_command_seeds_and_reports(capsys):
    call_command("seed_pathways")
    assert "LKT – generisk forløp" in capsys.readouterr().out
    call_command("seed_pathways")
    assert "ingenting er endret" in capsys.readouterr().out
