"""«Finn hjelp der du bor»: from postal code, address, place or name to the actor map; bad input never a 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import ActorConfirmation, ActorPage, ActorType, ContactPerson


@pytest.fixture
def bjornafjorden(make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    make_actor(page, "Koordinerende enhet Bjørnafjorden")
    return page


@pytest.mark.parametrize(
    "query",
    ["5200", " 5200 ", "Rådhusvegen 5, 5200 Os", "Bjørnafjorden", "bjørnafjorden", "Os", "5640 Eikelandsosen"],
)
def test_postal_code_address_place_or_name_leads_to_the_actor_map(client, bjornafjorden, query):
    response = client.get("/finn-hjelp/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == bjornafjorden.url


def test_picking_a_municipality_leads_to_its_actor_map(client, bjornafjorden):
    response = client.get("/finn-hjelp/", {"kommune": "4624"})
    assert response["Location"] == bjornafjorden.url


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "9999"}, "Postnummeret 9999 finnes ikke"),
        ({"q": "52"}, "Et postnummer har fire sifre"),
        ({"q": "123456"}, "Et postnummer har fire sifre"),
        ({"q": "Atlantis"}, "Fant ingen kommune eller poststed"),
        ({"q": "<script>alert(1)</script>"}, "Fant ingen kommune eller poststed"),
        ({"q": "x" * 5000}, "Fant ingen kommune eller poststed"),
        ({"kommune": "abcd"}, "Fant ikke kommunen du valgte"),
        ({"q": "5914"}, "Alver kommune, som ennå ikke har publisert"),
    ],
)
def test_bad_or_unknown_input_gets_a_clear_message_and_suggestions(client, bjornafjorden, params, message):
    response = client.get("/finn-hjelp/", params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<script>alert(1)</script>" not in body
    assert bjornafjorden.url in body  # suggestions link to the published actor maps


def test_ambiguous_names_list_the_candidates(client, make_municipality):
    make_municipality("4624")
    make_municipality("4623")
    response = client.get("/finn-hjelp/", {"q": "n"})
    body = response.content.decode()
    assert "Flere kommuner passer" in body
    assert "Samnanger" in body and "Bjørnafjorden" in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code in (200, 302)
    return len(ctx.captured_queries)


def _add_actors(page, make_actor, count):
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


def test_municipality_page_and_lookup_use_a_fixed_number_of_queries(client, make_municipality, make_actor):
    from django.core.cache import cache

    small, _, _ = make_municipality("4624")
    large, _, _ = make_municipality("4601")
    _add_actors(small, make_actor, 5)
    _add_actors(large, make_actor, 200)
    cache.clear()
    small_count = _queries(client, small.url)
    large_count = _queries(client, large.url)
    assert small_count == large_count
    assert large_count <= 14, large_count
    body = client.get(large.url).content.decode()
    assert "Enhet 199" in body and "Person 199-2" in body
    # Lookups for both municipalities cost the same, and little.
    assert _queries(client, "/finn-hjelp/?q=5200") == _queries(client, "/finn-hjelp/?q=5003") <= 8
    # A cached page is served without reading the actors again.
    assert _queries(client, large.url) < large_count


def test_actor_page_uses_a_fixed_number_of_queries(client, make_municipality, make_actor):
    from django.core.cache import cache

    page, _, _ = make_municipality("4624")
    few = make_actor(page, "Få", contacts=[("A", "B", "55 00 00 00")])
    many = make_actor(page, "Mange", contacts=[(f"P{i}", "R", "55 00 00 00") for i in range(40)])
    cache.clear()
    assert _queries(client, few.url) == _queries(client, many.url) <= 14
