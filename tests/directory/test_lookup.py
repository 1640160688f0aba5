"""«Finn hjelp der du bor»: from postal code, address, place or name to the actor map; bad input never a 500."""

from pathlib import Path

import pytest

from directory.models import Municipality, MunicipalityIndexPage, PostalCode
from directory.postal_register import import_register
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
    response = client.get(bjornafjorden.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Koordinerende enhet Bjørnafjorden" in body
    assert "Sist bekreftet" in body


@pytest.mark.parametrize(
    ("query", "searched_for"),
    [
        ("5200", "5200 Os"),
        (" 5200 ", "5200 Os"),
        ("Rådhusvegen 5, 5200 Os", "5200 Os"),
        ("5640 Eikelandsosen", "5640 Eikelandsosen"),
        ("５２００", "5200 Os"),
    ],
)
def test_a_postal_code_answers_for_that_address(client, lookup_url, bjornafjorden, query, searched_for):
    response = client.get(lookup_url, {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Du søkte på {searched_for}" in body
    assert f"{searched_for} ligger i Bjørnafjorden kommune." in body
    assert bjornafjorden.url in body  # the whole actor map is one link away
    assert "Koordinerende enhet Bjørnafjorden" in body
    # The answer comes before the municipality picker and takes the focus.
    assert body.index('id="svar"') < body.index('id="kommune"')
    assert 'tabindex="-1" autofocus' in body


@pytest.mark.parametrize("query", ["Bjørnafjorden", "bjørnafjorden", "Os"])
def test_a_municipality_or_place_name_leads_to_the_actor_map(client, lookup_url, bjornafjorden, query):
    response = client.get(lookup_url, {"q": query})
    assert response.status_code == 302
    assert response["Location"] == bjornafjorden.url


def test_the_municipality_picker_starts_at_velg_kommune(client, lookup_url, bjornafjorden):
    body = client.get(lookup_url).content.decode()
    select = body[body.index('<select id="kommune"') :]
    assert select.index('<option value="">Velg kommune</option>') < select.index('value="4624"')
    response = client.get(lookup_url, {"kommune": ""})
    assert response.status_code == 200
    assert "Velg en kommune i listen" in response.content.decode()


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
        ({"q": "5914"}, "5914 Isdalstø ligger i Alver kommune, som ennå ikke har publisert sitt aktørkart her."),
        ({"kommune": "4631"}, "Alver kommune, som ennå ikke har publisert sitt aktørkart her."),
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


# --- names shared by a municipality and a postal place elsewhere (the whole register) -------------------------------

FULL_REGISTER = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "postnummerregister.tsv"


@pytest.fixture
def whole_register(db):
    if not FULL_REGISTER.exists():
        pytest.skip("Bring's whole register is not on this machine")
    import_register(FULL_REGISTER.read_bytes())


def shadowed_names():
    """{name: (municipality numbers, postal codes elsewhere)} read from the register, not written down here."""
    found = {}
    for municipality in Municipality.objects.all():
        elsewhere = PostalCode.objects.filter(place=municipality.name.upper()).exclude(
            municipality__name__iexact=municipality.name
        )
        if elsewhere.exists():
            entry = found.setdefault(municipality.name, (set(), set()))
            entry[0].add(municipality.number)
            entry[1].update(elsewhere.values_list("municipality_id", flat=True))
    return found


def test_every_name_a_municipality_shares_with_a_postal_place_elsewhere_offers_both(client, lookup_url, whole_register):
    names = shadowed_names()
    assert len(names) == 9  # Hemnes, Kvam, Lund, Molde, Os, Osen, Sortland, Sula, Åmot in the 2026 register
    for name, (numbers, elsewhere) in names.items():
        response = client.get(lookup_url, {"q": name})
        assert response.status_code == 200, name
        choices = response.context["result"].choices
        assert f"Flere steder heter «{name}»" in response.content.decode()
        offered = [c.query for c in choices]
        assert {f"kommune={n}" for n in numbers} <= set(offered), name
        places = [PostalCode.objects.get(code=q) for q in offered if not q.startswith("kommune=")]
        assert {p.municipality_id for p in places} == elsewhere, name
        assert all(p.place == name.upper() for p in places), name


def test_os_offers_os_kommune_in_innlandet_and_5200_os_in_bjornafjorden(client, lookup_url, whole_register):
    body = factories.page_body(client, lookup_url, q="os")
    assert "Os kommune (Innlandet)" in body
    assert "5200 Os (i Bjørnafjorden kommune)" in body
    assert 'href="?kommune=3430"' in body and 'href="?q=5200"' in body
    body = factories.page_body(client, lookup_url, kommune="3430")
    assert "Os kommune, som ennå ikke har publisert sitt aktørkart her." in body
    response = client.get(lookup_url, {"q": "5200"})
    assert "Du søkte på 5200 Os" in response.content.decode()


def test_a_pathway_names_both_places_called_os(rf, whole_register):
    from home.pathways import municipality_from_query

    page, message, postal_code = municipality_from_query(rf.get("/forlop/x/", {"q": "Os"}))
    assert page is None and postal_code is None
    assert "Os kommune (Innlandet)" in message and "5200 Os (i Bjørnafjorden kommune)" in message
    assert "Skriv postnummeret" in message
