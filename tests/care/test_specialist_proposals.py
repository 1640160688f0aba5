"""The actor map step proposes, from the patient's address, the specialist units for the contact doctor and the
internal coordinator beside the municipal actors – and only those serving that address."""

import pytest

from directory.groups import create_health_trust
from directory.models import AreaScope, PostalCode
from tests import factories
from tests.factories import page_text
from workflows.matching import chosen_actors, proposed_actors

CONTACT_DOCTOR = "kontaktlege-kontaktpsykolog"
INTERNAL = "intern-koordinator-spesialisthelsetjenesten"


@pytest.fixture
def coordinator_client(care, client_for):
    return client_for(care.coordinator)


def _area(actor, codes):
    actor.area_scope = AreaScope.CHOSEN
    actor.area_postal_codes.set(PostalCode.objects.filter(code__in=codes))
    actor.save_revision().publish()
    return actor


def test_specialist_units_of_the_patients_catchment_are_proposed_for_the_specialist_roles(
    coordinator_client, make_municipality, make_actor
):
    bjornafjorden, _, _ = make_municipality("4624")
    trust, _, _ = create_health_trust("Helse Bergen HF", catchment=["4601", "4624"])
    other, _, _ = create_health_trust("Helse Fonna HF", catchment=["4625"])
    dps = make_actor(trust, "Bjørgvin DPS", type_slugs=(CONTACT_DOCTOR, "dps"), phone="55 90 00 00")
    coordinating = make_actor(trust, "Koordinerende enhet Haukeland", type_slugs=(INTERNAL,))
    bergen_only = _area(make_actor(trust, "DPS Bergen sentrum", type_slugs=(CONTACT_DOCTOR,)), ["5003", "5004"])
    elsewhere = make_actor(other, "Stord DPS", type_slugs=(CONTACT_DOCTOR,))
    home_nursing_os = _area(make_actor(bjornafjorden, "Hjemmesykepleien Os", type_slugs=("hjemmesykepleie",)), ["5200"])
    home_nursing_far = _area(
        make_actor(bjornafjorden, "Hjemmesykepleien Eikelandsosen", type_slugs=("hjemmesykepleie",)), ["5640"]
    )
    process = factories.through_consent(coordinator_client)  # address 5200 Os, Bjørnafjorden
    factories.post_step(coordinator_client, process, "good_day", factories.good_day())

    proposals = proposed_actors(process)
    titles = [a.title for a in proposals]
    assert set(titles) == {"Hjemmesykepleien Os", "Bjørgvin DPS", "Koordinerende enhet Haukeland"}
    assert titles[0] == "Hjemmesykepleien Os"  # the municipality's own first
    roles = {a.title: a.proposed_roles for a in proposals}
    assert roles["Bjørgvin DPS"] == ["Kontaktlege i spesialisthelsetjenesten"]
    assert roles["Koordinerende enhet Haukeland"] == ["Intern koordinator i spesialisthelsetjenesten"]

    page = page_text(coordinator_client.get(factories.task_url(process, "actor_map")))
    assert f'name="propose" value="{dps.pk}"' in page
    assert "Bjørgvin DPS (Helse Bergen HF) – oppnevner kontaktlege i spesialisthelsetjenesten" in page
    assert "Stord DPS" not in page and "DPS Bergen sentrum" not in page and "Eikelandsosen" not in page

    picked = [dps, coordinating, bergen_only, elsewhere, home_nursing_far]
    assert {a.pk for a in chosen_actors(process, [str(a.pk) for a in picked])} == {dps.pk, coordinating.pk}
    data = factories.team(factories.MEMBERS) | {"propose": [str(a.pk) for a in picked + [home_nursing_os]]}
    factories.post_step(coordinator_client, process, "actor_map", data)
    added = set(process.team.filter(actor__isnull=False).values_list("actor__title", flat=True))
    assert added == {"Bjørgvin DPS", "Koordinerende enhet Haukeland", "Hjemmesykepleien Os"}
