"""The actor map's blocks, each cached on its own so that a publish re-renders one actor, not the whole map."""

from django import template
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from core import cache_versions

register = template.Library()

BLOCK_SECONDS = 24 * 60 * 60


def _key(actor, versions, today):
    # What a block shows changes only with a publish of the actor (its fields, contacts and types are in its
    # revision), its confirmation, the catalogue (type names), the page tree (its URL) – and with the calendar,
    # which turns «Sist bekreftet» into «for over N måneder siden» (``today`` from the page's context).
    published = actor.last_published_at.timestamp() if actor.last_published_at else ""
    confirmed = actor.last_confirmed_at.timestamp() if actor.last_confirmed_at else ""
    return f"actor-block:{actor.pk}:{published}:{confirmed}:{versions}:{today}"


@register.simple_tag(takes_context=True)
def actor_blocks(context, actors):
    """``directory/_actor.html`` for each actor, from the shared cache where it is current (one round trip)."""
    versions = cache_versions.current(cache_versions.catalogue(), cache_versions.pages())
    today = context.get("today", "")
    keys = [_key(actor, versions, today) for actor in actors]
    found = cache.get_many(keys)
    block = get_template("directory/_actor.html")
    # The contact persons of the blocks to render, in one query (none when every block is cached).
    prefetch_related_objects([a for a, k in zip(actors, keys, strict=True) if k not in found], "contacts")
    missing = {}
    parts = []
    for actor, key in zip(actors, keys, strict=True):
        html = found.get(key)
        if html is None:
            with context.push(actor=actor):
                html = block.template.render(context)
            missing[key] = html
        parts.append(html)
    if missing:
        cache.set_many(missing, BLOCK_SECONDS)
    return mark_safe("".join(parts))  # noqa: S308 - rendered by our own template, escaped there
