"""Health trusts and their units in the directory: catchment areas resolved for every postal code of the demo
municipalities, the units on the municipalities' maps and in the lookup, the trust's own page, and the report of
municipalities with no unit for a specialist actor type."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from directory.catchments import specialist_coverage
from directory.groups import NATIONAL_ADMINS, create_health_trust
from directory.models import ActorPage, AreaScope, HealthTrustPage, MunicipalityIndexPage, PostalCode
from tests import factories
from tests.directory.test_service_areas import bergen_halves, with_area

DEMO = ("4601", "4623", "4624", "4625")
CONTACT_DOCTOR = "kontaktlege-kontaktpsykolog"
INTERNAL = "intern-koordinator-spesialisthelsetjenesten"


@pytest.fixture(scope="module")
def _trust(module_db):
    with module_db():
        trust, _, _ = create_health_trust("Helse Bergen HF", catchment=DEMO, org_number="974557746")
        bjornafjorden, _, _ = factories.municipality("4624")
        north, _south = bergen_halves()
        built = {
            "trust": trust,
            "bjornafjorden": bjornafjorden,
            "coordinating": factories.make_actor(
                trust,
                "Koordinerende enhet Haukeland",
                type_slugs=(INTERNAL, "koordinerende-enhet-spesialisthelsetjenesten"),
            ),
            "dps": with_area(
                factories.make_actor(trust, "Bjørgvin DPS", type_slugs=(CONTACT_DOCTOR, "dps")),
                municipalities=("4624",),
                postal_codes=north,
                name="Bergen nord og Bjørnafjorden",
            ),
        }
        return factories.keys_of(built)


@pytest.fixture
def trust(db, _trust):
    """Helse Bergen with a coordinating unit serving its whole catchment (the four demo municipalities) and a DPS
    serving Bjørnafjorden and the north half of Bergen's postal codes."""
    return factories.fresh(_trust)


def test_every_postal_code_of_the_demo_municipalities_resolves_to_its_units(trust):
    north, _south = bergen_halves()
    codes = PostalCode.objects.filter(municipality_id__in=DEMO).values_list("code", "municipality_id")
    for code, municipality in codes:
        expected = {"Koordinerende enhet Haukeland"}
        if municipality == "4624" or code in north:
            expected.add("Bjørgvin DPS")
        served = ActorPage.objects.live().serving(municipality, code).filter(municipality=trust["trust"])
        assert set(served.values_list("title", flat=True)) == expected, code
    # Outside the catchment area (Alver) no unit serves.
    assert not ActorPage.objects.live().serving("4631", "5914").exists()


def test_a_part_of_a_trusts_catchment_by_postal_code(trust):
    fonna, _, _ = create_health_trust("Helse Fonna HF")
    fonna.catchment_postal_codes = list(PostalCode.objects.filter(code__in=["5392", "5393"]))
    fonna.save_revision().publish()
    unit = factories.make_actor(fonna, "Stord DPS", type_slugs=("dps",))
    assert unit.area_scope == AreaScope.WHOLE
    assert list(ActorPage.objects.live().serving("4625", "5392").filter(pk=unit.pk)) == [unit]
    assert not ActorPage.objects.live().serving("4625", "5384").filter(pk=unit.pk).exists()
    assert ActorPage.objects.live().serving("4625").filter(pk=unit.pk).exists()  # serves part of Austevoll


def test_the_municipality_map_shows_the_units_and_fills_the_specialist_roles(client, trust):
    body = factories.page_body(client, trust["bjornafjorden"].url)
    assert "Bjørgvin DPS" in body and "Koordinerende enhet Haukeland" in body
    assert "Opptaksområdet til Helse Bergen HF" in body
    assert "Bergen nord og Bjørnafjorden" in body
    assert "Oppnevnes av spesialisthelsetjenesten" not in body  # both specialist roles have units now
    austevoll, _, _ = factories.municipality("4625")
    body = factories.page_body(client, austevoll.url)
    assert "Bjørgvin DPS" not in body and "Koordinerende enhet Haukeland" in body
    assert "Oppnevnes av spesialisthelsetjenesten" in body  # the contact doctor has no unit in Austevoll


def test_the_lookup_by_postal_code_lists_the_specialist_units_marked_with_their_area(client, trust):
    body = factories.page_body(client, MunicipalityIndexPage.objects.get().url, q="5200")
    assert "Du søkte på 5200 Os" in body
    specialist = body[body.index("<h2>Spesialisthelsetjenesten</h2>") :]
    assert "Bjørgvin DPS" in specialist and "Koordinerende enhet Haukeland" in specialist
    assert "Opptaksområdet til Helse Bergen HF" in specialist


def test_the_trusts_own_page_lists_its_units_and_catchment(client, trust):
    body = factories.page_body(client, trust["trust"].url)
    assert "Opptaksområde: Austevoll, Bergen, Bjørnafjorden og Samnanger" in body
    assert "Bjørgvin DPS" in body
    unit = factories.page_body(client, trust["dps"].url)
    assert ">Helse Bergen HF</a>" in unit


def test_the_coverage_report_finds_municipalities_without_a_unit(trust):
    coverage = specialist_coverage(["4601", "4624", "4625", "4631"])
    names = {n: ([t.slug for t in c.missing], [t.slug for t in c.partly]) for n, c in coverage.items()}
    assert names["4624"] == ([], [])
    assert names["4601"] == ([], [CONTACT_DOCTOR])  # only the north half of Bergen
    assert names["4625"] == ([CONTACT_DOCTOR], [])
    assert sorted(names["4631"][0]) == sorted([CONTACT_DOCTOR, INTERNAL])  # Alver: in no catchment area
    assert coverage["4625"].trusts == ["Helse Bergen HF"] and coverage["4631"].trusts == []


def test_the_coverage_report_screen(trust, make_user, verified_client):
    from django.contrib.auth.models import Group

    admin = make_user("nasjonal", groups=[Group.objects.get(name=NATIONAL_ADMINS)])
    response = verified_client(admin).get(reverse("directory_catchments"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alver" in body and "Kontaktlege / kontaktpsykolog" in body
    # A municipality's editor sees their own municipality only.
    _, editors, _ = factories.municipality("4625")
    editor = make_user("redaktor-au", groups=[editors])
    body = verified_client(editor).get(reverse("directory_catchments")).content.decode()
    assert "Austevoll" in body and "Alver" not in body


def test_the_health_trust_command_checks_its_input(db):
    with pytest.raises(CommandError, match="finnes ikke i postregisteret: 9999"):
        call_command("create_health_trust", "Helse Vest Test HF", kommuner="4601,9999")
    with pytest.raises(CommandError, match="kontrollsifferet stemmer ikke"):
        call_command("create_health_trust", "Helse Vest Test HF", organisasjonsnummer="974557747")
    call_command("create_health_trust", "Helse Vest Test HF", kommuner="4601, 4624", organisasjonsnummer="974 557 746")
    trust = HealthTrustPage.objects.get(title="Helse Vest Test HF")
    assert trust.live and trust.org_number == "974557746"
    assert sorted(m.number for m in trust.catchment_municipalities.all()) == ["4601", "4624"]
