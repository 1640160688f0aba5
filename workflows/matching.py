"""Which actors serving the patient's address fit the registered areas of need, and which were picked."""

from django.db.models import Prefetch

from core.digits import parse_ids
from core.vocabulary import Role
from directory.models import ActorPage, ActorType

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
# Always relevant: the LKT roles the municipality itself appoints, and the specialist units that appoint the two
# specialist roles (contact doctor or psychologist, internal coordinator) for the patient's address.
ALWAYS = [
    "koordinerende-enhet-kommune",
    "koordinator-kommune",
    "fastlege",
    "kontaktlege-kontaktpsykolog",
    "intern-koordinator-spesialisthelsetjenesten",
]


def type_slugs_for(areas):
    slugs = list(ALWAYS)
    for area in areas:
        slugs.extend(slug for slug in TYPES_BY_AREA.get(area, []) if slug not in slugs)
    return slugs


def _serving_patient(process):
    """Live actors serving the patient's address: the municipality's (by district where it is split), the
    inter-municipal services, and the specialist units of its catchment area."""
    return ActorPage.objects.live().serving(process.municipality_id, process.postal_code_id)


def proposed_actors(process):
    """Actors serving the patient's address whose types match the needs, municipal ones first, in two queries.

    Each carries ``proposed_roles``: the LKT roles (labels) its types fill, so that the coordinator sees which
    specialist unit appoints the contact doctor and which the internal coordinator.
    """
    slugs = type_slugs_for(process.areas_of_need)
    actors = list(
        _serving_patient(process)
        .filter(actor_types__slug__in=slugs, actor_types__live=True)
        .distinct()
        .select_related("municipality")
        .prefetch_related(Prefetch("actor_types", queryset=ActorType.objects.filter(live=True, slug__in=slugs)))
        .order_by("title")
    )
    for actor in actors:
        actor.proposed_roles = [Role(t.lkt_role).label for t in actor.actor_types.all() if t.lkt_role in Role.values]
    return sorted(actors, key=lambda actor: actor.is_specialist_unit)


def chosen_actors(process, ids):
    """The directory actors picked (by id, as submitted) for the team: live, serving the patient's address, and
    not on the team already. Anything else in ``ids`` is ignored, so a tampered or stale form adds nobody."""
    valid = parse_ids(ids)
    present = process.team.filter(actor__isnull=False).values("actor_id")
    return list(_serving_patient(process).filter(pk__in=valid).exclude(pk__in=present))
