"""Search finds pathways by the words in their steps (modules included), escapes the query and survives
search-engine operators."""

import pytest
from django.urls import reverse

from home.models import PathwayModule
from tests.factories import make_pathway, page_body, pathway_phase, pathway_step, step_block_value


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
