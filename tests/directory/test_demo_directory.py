"""The demo's directory: Helse Bergen's units and catchment, Bergen's home nursing by district and the
inter-municipal service resolve for every postal code of the demo municipalities."""

import pytest

from demo.content import MUNICIPALITIES, SHARED_SERVICE, TRUST, load_demo
from directory.catchments import specialist_coverage
from directory.models import ActorPage, HealthTrustPage, PostalCode

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_every_demo_postal_code_has_its_district_shared_and_specialist_services(settings):
    settings.DEBUG = True
    load_demo()
    trust = HealthTrustPage.objects.get(title=TRUST)
    assert trust.org_number == "983974724"
    codes = list(PostalCode.objects.filter(municipality_id__in=MUNICIPALITIES).values_list("code", "municipality_id"))
    assert len(codes) > 250
    for code, municipality in codes:
        served = ActorPage.objects.live().serving(municipality, code).prefetch_related("actor_types")
        by_type = {}
        for actor in served:
            for actor_type in actor.actor_types.all():
                by_type.setdefault(actor_type.slug, []).append(actor.title)
        # The specialist roles: one DPS and the trust's coordinating unit for every address.
        assert len(by_type["kontaktlege-kontaktpsykolog"]) == 1, (code, by_type)
        assert by_type["intern-koordinator-spesialisthelsetjenesten"] == ["Koordinerende enhet i Helse Bergen"]
        assert SHARED_SERVICE[0] in by_type["legevakt"], code
        if municipality == "4601":
            assert len(by_type["hjemmesykepleie"]) == 1, (code, by_type["hjemmesykepleie"])  # one district each
    coverage = specialist_coverage(MUNICIPALITIES)
    assert all(not c.missing and not c.partly and c.trusts == [TRUST] for c in coverage.values()), coverage
    load_demo()  # twice changes nothing
    assert ActorPage.objects.filter(municipality=trust).count() == 7
