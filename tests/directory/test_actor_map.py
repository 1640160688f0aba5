"""The actor map reads its actors as rows and renders full actors only for the blocks the cache lacks.

What the page shows must not depend on which of the two it took: the rows carry the same types, in the same
order, as the full actors; a block missing from the cache is rendered from the actor as published; an actor
whose block is cached but who has been unpublished since is not shown.
"""

import pytest
from django.core.cache import cache

from directory.models import ActorPage, ActorType, MunicipalityPage
from tests import factories

pytestmark = pytest.mark.django_db


def _map(page):
    return MunicipalityPage.objects.get(pk=page.pk)


def test_the_rows_carry_the_full_actors_types_in_the_catalogues_order(make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    slugs = list(ActorType.objects.filter(live=True).values_list("slug", flat=True))
    for i in range(6):
        make_actor(page, f"Enhet {i}", type_slugs=slugs[i : i + 3][::-1])
    make_actor(page, "Uten type", type_slugs=())
    entries = _map(page).actors
    full = list(ActorPage.objects.live().serving("4624").for_display())
    assert [e.pk for e in entries] == [a.pk for a in full]
    assert [[t.pk for t in e.types] for e in entries] == [[t.pk for t in a.types] for a in full]
    assert [e.primary_level for e in entries] == [a.primary_level for a in full]
    assert [(e.title, e.last_published_at, e.last_confirmed_at) for e in entries] == [
        (a.title, a.last_published_at, a.last_confirmed_at) for a in full
    ]


def test_a_withdrawn_type_leaves_the_rows_as_it_leaves_the_full_actors(make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakt", type_slugs=("legevakt", "koordinerende-enhet-kommune"))
    assert _map(page).actors  # the catalogue cached
    withdrawn = ActorType.objects.get(slug="legevakt")
    withdrawn.unpublish()
    (entry,) = [e for e in _map(page).actors if e.pk == actor.pk]
    assert [t.slug for t in entry.types] == [t.slug for t in ActorPage.objects.get(pk=actor.pk).types]
    assert "legevakt" not in [t.slug for t in entry.types]


def test_only_the_published_actors_block_is_rendered_again(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    kept = make_actor(page, "Helsestasjonen", contacts=[("Kari Nordmann", "Leder", "55 11 22 33")])
    changed = make_actor(page, "Legevakten", contacts=[("Ola Nordmann", "Leder", "55 44 55 66")])
    cache.clear()
    client.get(page.url)
    factories.publish_contact_phone(ActorPage.objects.get(pk=changed.pk), "55 99 88 77")
    body = client.get(page.url).content.decode()
    assert "55 99 88 77" in body and "55 44 55 66" not in body
    assert "55 11 22 33" in body and "Helsestasjonen" in body

    # An actor unpublished since its block was cached is gone from the map at once.
    ActorPage.objects.get(pk=kept.pk).unpublish()
    body = client.get(page.url).content.decode()
    assert "Helsestasjonen" not in body and "55 99 88 77" in body


def test_a_draft_of_a_type_keeps_the_cached_maps_and_a_saved_type_is_read_again():
    from core import cache_versions

    catalogue = cache_versions.catalogue()
    actor_type = ActorType.objects.get(slug="legevakt")
    before = cache_versions.current(catalogue)
    actor_type.name = "Legevakt (utkast)"
    actor_type.save_revision()  # a draft: the live type and every map that shows it are unchanged
    assert cache_versions.current(catalogue) == before
    assert "Legevakt (utkast)" not in [t.name for t in ActorType.live_catalogue()]

    live = ActorType.objects.get(slug="legevakt")
    live.name = "Legevakt og legevaktsentral"
    live.save()  # outside a publish, as a script or the catalogue seed does
    assert cache_versions.current(catalogue) != before
    assert "Legevakt og legevaktsentral" in [t.name for t in ActorType.live_catalogue()]
