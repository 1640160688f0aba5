"""A pathway page costs a fixed number of queries, whatever the number of its steps or of the actors behind it.

The whole public page is rendered cold (fragment cache cleared) for a municipality, once with a few steps or
actors and once with many; the counts must be equal and stay under a pinned bound.
"""

from django.core.cache import cache

from directory.models import ActorPage, MunicipalityPage
from tests.factories import (
    COORDINATING_UNIT as KE,
)
from tests.factories import (
    GP_TYPE as GP,
)
from tests.factories import (
    count_queries,
    make_module,
    make_pathway,
    page_body,
    pathway_phase,
    pathway_step,
    step_titles,
)

UNUSED = "barnekoordinator"  # no actor has it; only these pathways name it
MAX_PATHWAY_QUERIES = 25  # the whole public pathway page, cold cache, municipality chosen
MAX_LIST_QUERIES = 8  # the list of pathways («Forløp»)


def _queries_for_cold_render(client, page):
    url = page.municipality_url(MunicipalityPage.objects.get(municipality_id="4624"))
    page_body(client, url)  # session and site caches warmed alike for every measurement
    cache.clear()
    count, body = count_queries(client, url)
    return count, body


def _many_steps(n):
    slugs = [GP, "legevakt", "hjemmesykepleie", "nav-kontor", UNUSED]
    return [
        pathway_step(
            f"Steg nummer {i}",
            responsible=KE if i % 2 else None,
            role="" if i % 2 else "koordinator",
            participants=(slugs[i % len(slugs)], KE),
        )
        for i in range(n)
    ]


def test_query_count_does_not_grow_with_steps(client, units_and_index, make_actor):
    module = make_module("Evaluering", ["Evalueringsmøte", "Avslutning"])
    small = make_pathway(
        units_and_index.index, "Lite forløp", "lite", [pathway_phase("Fase", _many_steps(5)), ("module", module)]
    )
    large = make_pathway(
        units_and_index.index,
        "Stort forløp",
        "stort",
        [pathway_phase("Fase 1", _many_steps(50)), pathway_phase("Fase 2", _many_steps(50)), ("module", module)],
    )
    make_actor(units_and_index.bjorna, "Bjørnafjorden legevakt", type_slugs=["legevakt", "koordinator-kommune"])

    few_steps, body = _queries_for_cold_render(client, small)
    assert len(step_titles(body)) == 7
    assert "Bjørnafjorden legevakt" in body
    many_steps, body = _queries_for_cold_render(client, large)
    assert len(step_titles(body)) == 102
    assert many_steps == few_steps
    assert many_steps <= MAX_PATHWAY_QUERIES, many_steps


def test_query_count_does_not_grow_with_actors(client, units_and_index, make_actor):
    module = make_module("Evaluering", ["Evalueringsmøte"])
    page = make_pathway(
        units_and_index.index, "Forløp", "forlop-med-modul", [pathway_phase("Fase", _many_steps(5)), ("module", module)]
    )
    make_actor(units_and_index.bjorna, "Bjørnafjorden legevakt", type_slugs=["legevakt", "koordinator-kommune"])
    two_actors, body = _queries_for_cold_render(client, page)
    assert body.count('class="step-actor"') > 0

    other_types = ["legevakt", "hjemmesykepleie", "nav-kontor", GP, "koordinator-kommune"]
    for i in range(58):
        make_actor(
            units_and_index.bjorna,
            f"Enhet {i:02d}",
            type_slugs=[KE, other_types[i % len(other_types)]],
            contacts=[(f"Person {i}", "Leder", "55 00 00 01"), (f"Vara {i}", "", "")],
        )
    sixty_actors, body = _queries_for_cold_render(client, page)
    assert "Enhet 57" in body
    assert ActorPage.objects.live().filter(municipality=units_and_index.bjorna).count() == 60
    assert sixty_actors == two_actors
    assert sixty_actors <= MAX_PATHWAY_QUERIES, sixty_actors


def test_the_pathway_list_costs_the_same_with_more_pathways(client, units_and_index):
    index = units_and_index.index
    make_pathway(index, "Forløp 0", "forlop-0", [pathway_phase("Fase", _many_steps(1))])
    page_body(client, index.url)  # the site's root paths and the breadcrumb trail cached alike for both counts
    few, _ = count_queries(client, index.url)
    for i in range(1, 12):
        make_pathway(
            index,
            f"Forløp {i}",
            f"forlop-{i}",
            [pathway_phase("Fase", _many_steps(1))],
            awaiting_clinical_content=bool(i % 2),
        )
    page_body(client, index.url)  # the publishes changed the page tree: its trail is read again once
    many, body = count_queries(client, index.url)
    assert "Forløp 10" in body and "Forløp 11" not in body  # skeletons are not listed for the public
    assert many == few <= MAX_LIST_QUERIES, (few, many)
