"""Which municipalities the specialist health service covers, per actor type: the catchment report's reads.

A health trust's catchment area is whole municipalities and postal codes; each unit serves the whole of it or
an area of its own. A municipality is covered for an actor type when units of that type serve all of its postal
codes, partly when they serve some. The whole country is answered in a fixed number of queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from .models import ActorPage, ActorType, AreaScope, HealthTrustPage, Level, PostalCode


def specialist_types():
    """The specialist actor types every municipality needs a unit for: required ones and the two LKT roles."""
    return ActorType.objects.filter(live=True, level=Level.SPECIALIST).filter(Q(required=True) | ~Q(lkt_role=""))


@dataclass
class Coverage:
    trusts: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    partly: list = field(default_factory=list)


def _area(municipalities, postal_codes):
    """(whole municipality numbers, postal codes) of an area."""
    return {m.number for m in municipalities}, {(p.municipality_id, p.code) for p in postal_codes}


def specialist_coverage(numbers):
    """{municipality number: Coverage} for the given municipality numbers."""
    numbers = list(numbers)
    types = list(specialist_types())
    codes_only = PostalCode.objects.only("code", "municipality_id")
    trusts = list(
        HealthTrustPage.objects.live().prefetch_related(
            "catchment_municipalities", Prefetch("catchment_postal_codes", queryset=codes_only)
        )
    )
    catchments = {t.pk: _area(t.catchment_municipalities.all(), t.catchment_postal_codes.all()) for t in trusts}
    units = (
        ActorPage.objects.live()
        .filter(municipality__in=[t.pk for t in trusts])
        .prefetch_related(
            Prefetch("actor_types", queryset=ActorType.objects.filter(live=True)),
            "area_municipalities",
            Prefetch("area_postal_codes", queryset=codes_only),
        )
    )
    whole, partial = defaultdict(set), defaultdict(lambda: defaultdict(set))
    for unit in units:
        if unit.area_scope == AreaScope.CHOSEN:
            municipalities, codes = _area(unit.area_municipalities.all(), unit.area_postal_codes.all())
        else:
            municipalities, codes = catchments[unit.municipality_id]
        for actor_type in unit.actor_types.all():
            for number in municipalities:
                whole[number].add(actor_type.pk)
            for number, code in codes:
                partial[number][actor_type.pk].add(code)
    all_codes = defaultdict(set)
    for number, code in PostalCode.objects.filter(municipality_id__in=numbers).values_list("municipality_id", "code"):
        all_codes[number].add(code)
    result = {}
    for number in numbers:
        coverage = Coverage(trusts=[t.title for t in trusts if _touches(catchments[t.pk], number)])
        for actor_type in types:
            if actor_type.pk in whole[number] or (
                all_codes[number] and partial[number][actor_type.pk] >= all_codes[number]
            ):
                continue
            (coverage.partly if partial[number][actor_type.pk] else coverage.missing).append(actor_type)
        result[number] = coverage
    return result


def _touches(area, number):
    municipalities, codes = area
    return number in municipalities or any(n == number for n, _code in codes)
