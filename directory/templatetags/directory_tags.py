"""The actor map's blocks, each cached on its own so that a publish re-renders one actor, not the whole map."""

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from core import cache_versions
from directory.models import ActorPage

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
def actor_blocks(context, entries, whole_map):
    """``directory/_actor.html`` for each of ``entries`` (one group of the map), from the shared cache where it is
    current.

    The blocks of ``whole_map`` (all the entries of the page) are read on the first call, in one round trip, and
    the page's later calls take theirs from that. Only the actors whose block is missing are read as full pages,
    with their contacts and areas, in the fixed queries of ``for_display``: after a publish, that is the one actor
    published.
    """
    rendered = context.render_context.get(_RENDERED)
    if rendered is None or rendered[0] is not whole_map:
        rendered = context.render_context[_RENDERED] = (whole_map, _render_blocks(context, whole_map))
    return _join(rendered[1], entries)


_RENDERED = "lkt_actor_blocks"


def _join(blocks, entries):
    return mark_safe("".join(blocks.get(entry.pk, "") for entry in entries))  # noqa: S308 - escaped in the template


def _render_blocks(context, entries):
    """{actor pk: block html} for these entries; an actor unpublished since the map was read is left out."""
    versions = cache_versions.current(cache_versions.catalogue(), cache_versions.pages())
    today = context.get("today", "")
    keys = {entry.pk: _key(entry, versions, today) for entry in entries}
    found = cache.get_many(keys.values())
    missing_pks = [pk for pk, key in keys.items() if key not in found]
    actors = {}
    if missing_pks:
        actors = {a.pk: a for a in ActorPage.objects.live().filter(pk__in=missing_pks).for_display()}
    block = get_template("directory/_actor.html")
    missing, blocks = {}, {}
    for pk, key in keys.items():
        html = found.get(key)
        if html is None:
            actor = actors.get(pk)
            if actor is None:
                continue
            with context.push(actor=actor):
                html = block.template.render(context)
            missing[key] = html
        blocks[pk] = html
    if missing:
        cache.set_many(missing, BLOCK_SECONDS)
    return blocks
