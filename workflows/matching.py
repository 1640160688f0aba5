"""Which actors in the patient's municipality's directory fit the registered areas of need, and which were picked."""

from django.db.models import Q

from core.digits import parse_ids
from directory.models import ActorPage

# Actor types (catalogue slugs) that usually serve each area of need; the coordinator still decides.
TYPES_BY_AREA = {
    "somatisk": [
        "hjemmesykepleie",
        "habilitering-rehabilitering-kommune",
        "tildelingskontor",
        "praktisk-bistand-personlig-assistanse",
        "legevakt",
    ],
    "psykisk": ["psykisk-helse-rus-kommune", "kommunepsykolog", "dps", "kommunal-akutt-dognenhet"],
    "rus": ["psykisk-helse-rus-kommune", "tsb", "boligsosialt-arbeid"],
    "annet": ["nav-kontor", "boligsosialt-arbeid", "avlastning-parorendestotte"],
}
# Always relevant: the LKT roles the municipality itself appoints.
ALWAYS = ["koordinerende-enhet-kommune", "koordinator-kommune", "fastlege"]


def type_slugs_for(areas):
    slugs = list(ALWAYS)
    for area in areas:
        slugs.extend(slug for slug in TYPES_BY_AREA.get(area, []) if slug not in slugs)
    return slugs


def proposed_actors(process):
    """Live actors of the patient's municipality whose types match the needs, in one query (+ prefetch)."""
    slugs = type_slugs_for(process.areas_of_need)
    return list(
        ActorPage.objects.live()
        .filter(municipality__municipality_id=process.municipality_id)
        .filter(Q(actor_types__slug__in=slugs, actor_types__live=True))
        .distinct()
        .select_related("municipality")
        .order_by("title")
    )


def chosen_actors(process, ids):
    """The directory actors picked (by id, as submitted) for the team: live, in the patient's municipality, and not
    on the team already. Anything else in ``ids`` is ignored, so a tampered or stale form adds nobody."""
    valid = parse_ids(ids)
    present = process.team.filter(actor__isnull=False).values("actor_id")
    return list(
        ActorPage.objects.live()
        .filter(pk__in=valid, municipality__municipality=process.municipality)
        .exclude(pk__in=present)
    )
