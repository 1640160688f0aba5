"""Search finds pathways by the words in their steps (modules included), escapes the query and survives
search-engine operators."""

import re

import pytest
from django.urls import reverse
from wagtail.rich_text import RichText

from home.models import PathwayModule
from tests.factories import count_queries, make_pathway, page_body, pathway_phase, pathway_step, step_block_value

MAX_SEARCH_QUERIES = 12  # the whole search page, whatever the number of hits


def test_search_finds_a_pathway_by_a_word_in_a_step(client, units_and_index):
    make_pathway(
        units_and_index.index,
        "Psykisk helse og rus",
        "psykisk-helse",
        [
            pathway_phase(
                "Kartlegging", [pathway_step("Innhent samtykke", body="Bruk skjemaet for informasjonsdeling.")]
            )
        ],
    )
    make_pathway(
        units_and_index.index,
        "Annet forløp",
        "annet",
        [pathway_phase("Fase", [pathway_step("Avslutning", body="Ferdig.")])],
    )
    body = page_body(client, reverse("search"), q="informasjonsdeling")
    assert "Psykisk helse og rus" in body
    assert "Annet forløp" not in body


@pytest.mark.usefixtures("pathway")
def test_search_with_an_empty_query_shows_no_results(client):
    for params in ({}, {"q": ""}, {"q": "   "}):
        body = page_body(client, reverse("search"), **params)
        assert "search-results" not in body
        assert "Ingen treff" not in body


@pytest.mark.usefixtures("pathway")
def test_search_escapes_the_query(client):
    attack = '"><script>alert(1)</script>'
    body = page_body(client, reverse("search"), q=attack)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("query", ["samtykke*", '"samtykke', "NOT", "AND", "NEAR(", "a:b", "^", "-", "SAMTYKKE"])
@pytest.mark.usefixtures("pathway")
def test_search_survives_operator_characters(client, query):
    body = page_body(client, reverse("search"), q=query)
    if "samtykke" in query.lower():
        assert "Psykisk helse og rus" in body


def test_search_finds_words_that_live_in_a_module_and_follows_its_changes(client, pathway):
    step = step_block_value(title="Tverrfaglig gjennomgang", responsible_role="koordinator")
    module = PathwayModule(title="Evaluering", steps=[("step", step)])
    module.save()
    module.save_revision().publish()
    draft = pathway.get_latest_revision_as_object()
    draft.phases = [(block.block_type, block.value) for block in draft.phases] + [("module", module)]
    draft.save_revision().publish()
    assert pathway.title in page_body(client, reverse("search"), q="tverrfaglig")

    module.steps = [("step", step_block_value(title="Kvartalsvis statusmøte", responsible_role="koordinator"))]
    module.save_revision().publish()
    assert pathway.title in page_body(client, reverse("search"), q="kvartalsvis")


# --- Actors, services and municipalities; ranking, counts and the way on when nothing is found ----------------


def _guidance(home, title, slug, text):
    from home.models import GuidancePage

    page = GuidancePage(title=title, slug=slug, summary=text, body=[("paragraph", RichText(f"<p>{text}</p>"))])
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def services(units_and_index, make_actor):
    """Bjørnafjorden's coordinating unit (from the fixture), a legevakt in Bjørnafjorden and one in Austevoll."""
    return {
        "bjorna_legevakt": make_actor(
            units_and_index.bjorna, "Os legevakt", type_slugs=["legevakt"], phone="56 57 40 00"
        ),
        "austevoll_legevakt": make_actor(units_and_index.austevoll, "Storebø legevakt", type_slugs=["legevakt"]),
    }


def _results(body):
    """The hits' titles, in the order shown."""
    listing = body.split('<ol class="search-results"', 1)[1].split("</ol>", 1)[0]
    return [title.strip() for title in re.findall(r'<a href="[^"]*">([^<]*)</a>', listing)]


def test_search_finds_services_by_their_type(client, services):
    body = page_body(client, reverse("search"), q="legevakt")
    assert set(_results(body)) == {"Os legevakt", "Storebø legevakt"}
    assert "2 treff på «legevakt»" in body
    assert "Tjeneste i Bjørnafjorden" in body and "Tjeneste i Austevoll" in body
    assert 'href="tel:56574000"' in body


def test_search_finds_a_municipality_and_its_services_by_name(client, services):
    hits = _results(page_body(client, reverse("search"), q="Bjørnafjorden"))
    assert "Aktørkart for Bjørnafjorden" in hits
    assert "Koordinerende enhet Bjørnafjorden" in hits
    assert "Os legevakt" in hits  # named for Os, found through its municipality
    assert "Storebø legevakt" not in hits
    assert _results(page_body(client, reverse("search"), q="legevakt bjørnafjorden")) == ["Os legevakt"]


def test_search_finds_individuell_plan_in_the_services_and_the_guidance(client, site_tree, services):
    _guidance(
        site_tree,
        "Om individuell plan",
        "individuell-plan",
        "Alle med behov for langvarige tjenester har rett til individuell plan.",
    )
    hits = _results(page_body(client, reverse("search"), q="individuell plan"))
    assert "Om individuell plan" in hits
    assert "Koordinerende enhet Bjørnafjorden" in hits  # the coordinating unit's duty, from the catalogue
    assert "Os legevakt" not in hits


def test_published_guidance_ranks_above_draft_pathways_which_only_staff_find(
    client, client_for, make_user, site_tree, units_and_index
):
    from django.contrib.auth.models import Group

    from home.groups import OWNERS, ensure_pathway_groups

    # The draft mentions the word far more often: relevance alone would put it first.
    make_pathway(
        units_and_index.index,
        "Skjelett: hjerneslag",
        "hjerneslag",
        [pathway_phase("Fase", [pathway_step("Rehabilitering", body="Rehabilitering " * 20)])],
        awaiting_clinical_content=True,
    )
    _guidance(site_tree, "Rehabilitering i kommunen", "rehabilitering", "Om rehabilitering.")
    body = page_body(client, reverse("search"), q="rehabilitering")
    assert _results(body) == ["Rehabilitering i kommunen"]
    assert "1 treff på «rehabilitering»" in body

    ensure_pathway_groups(units_and_index.index)
    staff = client_for(make_user("forlopseier", groups=[Group.objects.get(name=OWNERS)]))
    response = staff.get(reverse("search"), {"q": "rehabilitering"})
    body = response.content.decode()
    assert _results(body) == ["Rehabilitering i kommunen", "Skjelett: hjerneslag"]
    assert "Utkast – bare for ansatte" in body
    assert "2 treff på «rehabilitering»" in body
    assert "private" in response["Cache-Control"]


def test_no_hits_points_to_the_lookup(client, services):
    body = page_body(client, reverse("search"), q="sjiraff")
    assert "Ingen treff på «sjiraff»" in body
    assert 'href="/finn-hjelp/">Finn hjelp der du bor</a>' in body
    assert "search-results" not in body


def test_results_are_paginated_with_the_count_of_all_hits(client, units_and_index, make_actor):
    for i in range(23):
        make_actor(units_and_index.bjorna, f"Legevakt {i:02d}", type_slugs=["legevakt"], contacts=())
    first = page_body(client, reverse("search"), q="legevakt")
    assert "23 treff på «legevakt»" in first
    assert "side 1 av 2" in first
    assert len(_results(first)) == 20
    second = page_body(client, reverse("search"), q="legevakt", side="2")
    assert len(_results(second)) == 3
    assert not set(_results(first)) & set(_results(second))


def test_search_query_count_does_not_grow_with_hits(client, units_and_index, make_actor):
    make_actor(units_and_index.bjorna, "Legevakt A", type_slugs=["legevakt"], contacts=())
    page_body(client, reverse("search"), q="legevakt")  # the site's root paths are cached alike for both counts
    few, _ = count_queries(client, reverse("search"), q="legevakt")
    for i in range(30):
        make_actor(units_and_index.austevoll, f"Legevakt {i:02d}", type_slugs=["legevakt"], contacts=())
    many, body = count_queries(client, reverse("search"), q="legevakt")
    assert "31 treff" in body
    assert many == few <= MAX_SEARCH_QUERIES, (few, many)


def test_a_renamed_actor_type_is_found_by_its_new_name(client, services):
    from directory.models import ActorType

    legevakt = ActorType.objects.get(slug="legevakt")
    draft = legevakt.get_latest_revision_as_object() if legevakt.latest_revision_id else legevakt
    draft.name = "Kommunal akuttmottaksordning"
    draft.save_revision().publish()
    hits = _results(page_body(client, reverse("search"), q="akuttmottaksordning"))
    assert sorted(hits) == ["Os legevakt", "Storebø legevakt"]
