"""«Finn hjelp der du bor»: from postal code, address, place or name to the actor map; bad input never a 500."""

import pytest

from directory.models import MunicipalityIndexPage
from tests import factories


@pytest.fixture
def lookup_url(db):
    """The URL of the seeded «Finn hjelp der du bor» page, where the lookup is served."""
    return MunicipalityIndexPage.objects.get().url


@pytest.fixture(scope="module")
def _bjornafjorden(module_db):
    with module_db():
        page, _, _ = factories.municipality("4624")
        factories.make_actor(page, "Koordinerende enhet Bjørnafjorden")
        return factories.keys_of({"page": page})


@pytest.fixture
def bjornafjorden(db, _bjornafjorden):
    """Bjørnafjorden's actor map with its coordinating unit (built once for the module)."""
    return factories.fresh(_bjornafjorden)["page"]


def test_front_and_lookup_pages_render(client, lookup_url, bjornafjorden, site_tree):
    assert client.get(site_tree.url).status_code == 200
    response = client.get(lookup_url, {"q": "5200"})
    assert response.status_code == 302
    assert response["Location"] == bjornafjorden.url
    response = client.get(bjornafjorden.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Koordinerende enhet Bjørnafjorden" in body
    assert "Sist bekreftet" in body


@pytest.mark.parametrize(
    "query",
    ["5200", " 5200 ", "Rådhusvegen 5, 5200 Os", "Bjørnafjorden", "bjørnafjorden", "Os", "5640 Eikelandsosen"],
)
def test_postal_code_address_place_or_name_leads_to_the_actor_map(client, lookup_url, bjornafjorden, query):
    response = client.get(lookup_url, {"q": query})
    assert response.status_code == 302
    assert response["Location"] == bjornafjorden.url


def test_picking_a_municipality_leads_to_its_actor_map(client, lookup_url, bjornafjorden):
    response = client.get(lookup_url, {"kommune": "4624"})
    assert response.status_code == 302
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
def test_bad_or_unknown_input_gets_a_clear_message_and_suggestions(client, lookup_url, bjornafjorden, params, message):
    response = client.get(lookup_url, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<script>alert(1)</script>" not in body
    assert bjornafjorden.url in body  # suggestions link to the published actor maps


def test_ambiguous_names_list_the_candidates(client, lookup_url):
    # Bjørnafjorden and Samnanger (both seeded) have an «n» in their names.
    response = client.get(lookup_url, {"q": "n"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Flere kommuner passer" in body
    assert "Samnanger" in body and "Bjørnafjorden" in body
