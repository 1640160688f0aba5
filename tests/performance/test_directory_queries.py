"""The public directory and its export cost a fixed number of queries, however many actors and contacts there are.

The municipality page (the actor map), an actor page, the lookup and the spreadsheet export are measured with
a few and with many actors; the counts must be equal and stay under a pinned bound.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import (
    ActorConfirmation,
    ActorPage,
    ActorType,
    ContactPerson,
    MunicipalityIndexPage,
    MunicipalityPage,
)
from directory.spreadsheet import export_rows

pytestmark = pytest.mark.django_db


def _queries(client, url, status=200, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == status, (url, response.status_code)
    return len(ctx.captured_queries)


def _clear_caches_but_the_shared_reads(client):
    """Empty the shared cache, then read what any server holds once it has served a page: the site
    (core.route_cache) and the live catalogue. The counts below are then a page's own, equal for the first and
    the second page measured."""
    cache.clear()
    client.get(MunicipalityIndexPage.objects.get().url)
    ActorType.live_catalogue()


def _add_actors(page, count):
    """Live actors with three contacts each, created directly (publishing 200 pages one by one is slow)."""
    types = list(ActorType.objects.all())
    contacts = []
    for i in range(count):
        actor = ActorPage(title=f"Enhet {i:03d}", phone="55 00 00 00", live=True)
        page.add_child(instance=actor)
        actor.actor_types.set([types[i % len(types)]])
        ActorConfirmation.objects.create(page=actor, confirmed_at=timezone.now())
        contacts += [
            ContactPerson(page=actor, name=f"Person {i}-{j}", role="Rådgiver", phone="55 00 00 00", sort_order=j)
            for j in range(3)
        ]
    ContactPerson.objects.bulk_create(contacts)


def test_municipality_page_and_lookup_use_a_fixed_number_of_queries(client, make_municipality):
    small, _, _ = make_municipality("4624")
    large, _, _ = make_municipality("4601")
    _add_actors(small, 5)
    _add_actors(large, 200)
    _clear_caches_but_the_shared_reads(client)
    small_count = _queries(client, small.url)
    large_count = _queries(client, large.url)
    assert small_count == large_count
    assert large_count <= 16, large_count  # 14 before service areas: their two prefetches
    body = client.get(large.url).content.decode()
    assert "Enhet 199" in body and "Person 199-2" in body
    # Lookups by postal code in both municipalities cost the same, however many actors serve the address.
    lookup = MunicipalityIndexPage.objects.get().url
    client.get(lookup)  # the address routed once (core.route_cache): every lookup below is routed alike
    assert _queries(client, lookup, q="5200") == _queries(client, lookup, q="5003") <= 14
    # Lookups by name answer with a redirect to the map.
    assert _queries(client, lookup, 302, q="Bjørnafjorden") == _queries(client, lookup, 302, q="Bergen") <= 9
    # A cached page is served without reading the actors again.
    assert _queries(client, large.url) < large_count


def test_actor_page_uses_a_fixed_number_of_queries(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    few = make_actor(page, "Få", contacts=[("A", "B", "55 00 00 00")])
    many = make_actor(page, "Mange", contacts=[(f"P{i}", "R", "55 00 00 00") for i in range(40)])
    _clear_caches_but_the_shared_reads(client)
    assert _queries(client, few.url) == _queries(client, many.url) <= 15  # 15th: the breadcrumbs (one query)


def test_export_query_count_does_not_grow_with_actors(make_municipality, make_actor):
    def export_queries(number, actors):
        page, _, _ = make_municipality(number)
        for i in range(actors):
            make_actor(page, f"Enhet {i}", contacts=(("A", "", "55 00 00 01"), ("B", "", "55 00 00 02")))
        page = MunicipalityPage.objects.get(pk=page.pk)
        with CaptureQueriesContext(connection) as queries:
            rows = export_rows(page)
        assert len(rows) == 2 * actors
        return len(queries)

    assert export_queries("4625", 3) == export_queries("4601", 30) <= 5  # 3 before the area columns


def _add_units(trust, count, codes):
    """Live units of a trust: half serve the whole catchment, half a chosen area of ``codes``."""
    from directory.models import AreaScope, PostalCode

    types = list(ActorType.objects.filter(level="spesialist"))
    for i in range(count):
        unit = ActorPage(title=f"Enhet {trust.title} {i:03d}", phone="55 00 00 00", live=True)
        if i % 2:
            unit.area_scope = AreaScope.CHOSEN
            unit.area_name = f"Område {i}"
            unit.area_postal_codes = list(PostalCode.objects.filter(code__in=codes))
        trust.add_child(instance=unit)
        unit.actor_types.set([types[i % len(types)]])
        ActorConfirmation.objects.create(page=unit, confirmed_at=timezone.now())
        ContactPerson.objects.create(page=unit, name=f"Person {i}", phone="55 00 00 00", sort_order=0)


def test_municipality_page_and_lookup_cost_the_same_however_many_units_areas_and_postal_codes(
    client, make_municipality
):
    from directory.groups import create_health_trust
    from directory.models import PostalCode

    samnanger, _, _ = make_municipality("4623")
    bergen, _, _ = make_municipality("4601")
    small, _, _ = create_health_trust("Liten HF", catchment=["4623"])
    large, _, _ = create_health_trust("Stor HF", catchment=["4601"])
    _add_units(small, 2, ["5650"])
    bergen_codes = list(PostalCode.objects.filter(municipality_id="4601").values_list("code", flat=True))
    _add_units(large, 60, bergen_codes)
    _clear_caches_but_the_shared_reads(client)
    small_count = _queries(client, samnanger.url)
    large_count = _queries(client, bergen.url)
    # 17: the map's rows, then the units whose blocks are not cached yet (here all of them) read in full.
    assert small_count == large_count <= 17, (small_count, large_count)
    assert "Enhet Stor HF 059" in client.get(bergen.url).content.decode()
    lookup = MunicipalityIndexPage.objects.get().url
    client.get(lookup)  # the address routed once (core.route_cache): every lookup below is routed alike
    assert _queries(client, lookup, q="5650") == _queries(client, lookup, q=bergen_codes[0]) <= 14
