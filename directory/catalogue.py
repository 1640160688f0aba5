"""Seeding and updating the national catalogue of actor types from :mod:`directory.catalogue_data`."""

from django.db import transaction

from .catalogue_data import CATALOGUE
from .models import ActorType

FIELDS = ["name", "description", "legal_basis", "legal_url", "level", "lkt_role", "required", "sort_order"]


@transaction.atomic
def seed_catalogue(user=None):
    """Create missing actor types and publish them; existing ones keep their edits. Returns (created, total)."""
    created = 0
    for entry in CATALOGUE:
        if ActorType.objects.filter(slug=entry["slug"]).exists():
            continue
        actor_type = ActorType(slug=entry["slug"], **{f: entry[f] for f in FIELDS})
        actor_type.live = False
        actor_type.save()
        actor_type.save_revision(user=user).publish(user=user)
        created += 1
    return created, len(CATALOGUE)
