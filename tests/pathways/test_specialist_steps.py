"""Pathway steps that name a specialist actor type resolve to the units serving the chosen municipality or postal
code (by the trusts' catchment areas and the units' own areas); the rendering's queries do not grow with them."""

import pytest

from directory.groups import create_health_trust
from directory.models import AreaScope, PostalCode
from tests.factories import count_queries, make_actor, make_pathway, page_body, pathway_phase, pathway_step
from tests.pathways.test_rendering import responsible_section, step_sections

CONTACT_DOCTOR = "kontaktlege-kontaktpsykolog"


def _chosen_area(actor, codes):
    actor.area_scope = AreaScope.CHOSEN
    actor.area_postal_codes.set(PostalCode.objects.filter(code__in=codes))
    actor.save_revision().publish()
    return actor


@pytest.fixture
def specialist_pathway(units_and_index):
    return make_pathway(
        units_and_index.index,
        "Psykose",
        "psykose",
        [
            pathway_phase(
                "Utredning",
                [
                    pathway_step("Kontaktlege oppnevnes", responsible=CONTACT_DOCTOR, participants=()),
                    pathway_step("Samtykke"),
                ],
            )
        ],
    )


def _address(client, pathway, **params):
    """The pathway's own URL for a choice made in its form (the municipality, or the address by postal code)."""
    response = client.get(pathway.url, params)
    assert response.status_code == 302, response.status_code
    return response["Location"]


def _rendered(client, pathway, **params):
    return page_body(client, _address(client, pathway, **params))


def test_a_specialist_step_names_the_units_serving_the_municipality_or_the_address(
    client, units_and_index, specialist_pathway
):
    trust, _, _ = create_health_trust("Helse Bergen HF", catchment=["4624", "4625"])
    whole = make_actor(trust, "Bjørgvin DPS", type_slugs=(CONTACT_DOCTOR,), phone="55 90 00 00")
    os_only = _chosen_area(make_actor(trust, "DPS Os", type_slugs=(CONTACT_DOCTOR,)), ["5200"])

    steps = step_sections(_rendered(client, specialist_pathway, kommune="4624"))
    section = responsible_section(steps["Kontaktlege oppnevnes"])
    assert "Bjørgvin DPS" in section and "DPS Os" in section
    assert "Opptaksområdet til Helse Bergen HF" in section
    assert "Oppnevnes av spesialisthelsetjenesten" not in section

    # A postal code narrows to the units serving that address.
    section = responsible_section(
        step_sections(_rendered(client, specialist_pathway, q="5640"))["Kontaktlege oppnevnes"]
    )
    assert "Bjørgvin DPS" in section and "DPS Os" not in section
    section = responsible_section(
        step_sections(_rendered(client, specialist_pathway, q="5200"))["Kontaktlege oppnevnes"]
    )
    assert "DPS Os" in section

    # Outside every catchment area the step says who appoints the role.
    trust.catchment_municipalities = []
    trust.save_revision().publish()
    _chosen_area(os_only, ["5640"])  # now outside Austevoll too
    section = responsible_section(
        step_sections(_rendered(client, specialist_pathway, kommune="4625"))["Kontaktlege oppnevnes"]
    )
    assert "Bjørgvin DPS" not in section
    assert "Oppnevnes av spesialisthelsetjenesten" in section
    assert whole.pk


def test_the_rendering_costs_the_same_however_many_units_areas_and_postal_codes(
    client, units_and_index, specialist_pathway
):
    trust, _, _ = create_health_trust("Helse Bergen HF", catchment=["4624"])
    make_actor(trust, "Bjørgvin DPS", type_slugs=(CONTACT_DOCTOR,))
    codes = list(PostalCode.objects.filter(municipality_id="4624").values_list("code", flat=True))
    # One unit with a chosen area from the start: the areas are read (two queries) only when some unit has one.
    _chosen_area(make_actor(trust, "Enhet Os", type_slugs=(CONTACT_DOCTOR,)), codes[:1])
    address = _address(client, specialist_pathway, q="5200")
    few, body = count_queries(client, address)
    assert "Bjørgvin DPS" in body
    for i in range(12):
        _chosen_area(make_actor(trust, f"Enhet {i:02d}", type_slugs=(CONTACT_DOCTOR,)), codes)
    other, _, _ = create_health_trust("Helse Fonna HF", catchment=["4624", "4625"])
    for i in range(5):
        make_actor(other, f"Fonna-enhet {i}", type_slugs=(CONTACT_DOCTOR,))
    assert _address(client, specialist_pathway, q="5200") == address  # the form's redirect, as before the first count
    many, body = count_queries(client, address)
    assert "Enhet 11" in body and "Fonna-enhet 4" in body
    assert few == many
