"""Wagtail's routing of public pages from the cache (core/route_cache.py): fewer queries, never a stale address.

The cache only remembers which page an address led to; the page is read again on every request and used only if
it is still live at that address, so a new slug, a move, an unpublish or a deletion shows at once – even when made
behind Wagtail's back, without any signal or cache version. The site a request is for is kept until a site
changes.
"""

from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from core import route_cache
from directory.models import ActorPage
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def _key(url):
    # The view gets the address decoded, without its leading slash (Wagtail's serve pattern).
    return route_cache._route_key(RequestFactory().get("/"), unquote(url).lstrip("/"))


def _stored(url):
    return cache.get(_key(url))


def test_a_page_is_routed_from_the_cache_with_fewer_queries(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakten i Bjørnafjorden")
    client.get(actor.url)  # every other cache (the page's fragments) as warm as it gets
    cache.delete(_key(actor.url))
    first, cold = _get(client, actor.url)
    second, warm = _get(client, actor.url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    # Wagtail loads each page from the site's root down, and each one's specific type, for
    # /finn-hjelp/<municipality>/<actor>/, starting from the site's root page (which the cached site does not
    # carry); from the cache the actor is read once, by its primary key: 7 fewer.
    assert cold - warm == 7, (cold, warm)


def test_a_new_slug_an_unpublish_and_a_deletion_show_at_once(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakten i Bjørnafjorden")
    old_url = actor.url
    assert client.get(old_url).status_code == 200
    assert _stored(old_url) == (actor.pk, actor.content_type_id)

    actor = ActorPage.objects.get(pk=actor.pk)
    actor.slug = "legevakt"
    actor.save_revision().publish()
    assert client.get(old_url).status_code == 404
    new_url = ActorPage.objects.get(pk=actor.pk).url
    assert client.get(new_url).status_code == 200
    assert "Legevakten i Bjørnafjorden" in client.get(new_url).content.decode()

    # Behind Wagtail's back (no signal, no version bump): the page itself is checked on every request.
    Page.objects.filter(pk=actor.pk).update(live=False)
    assert client.get(new_url).status_code == 404
    Page.objects.filter(pk=actor.pk).update(live=True)
    assert client.get(new_url).status_code == 200
    ActorPage.objects.get(pk=actor.pk).delete()
    assert client.get(new_url).status_code == 404

    # Another page at a freed address is found, not the one that was there.
    other = make_actor(page, "Legevakt")
    assert other.url == new_url
    response = client.get(new_url)
    assert response.status_code == 200 and "Legevakt" in response.content.decode()
    assert _stored(new_url) == (other.pk, other.content_type_id)


def test_a_publish_shows_the_new_content_at_once(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakten i Bjørnafjorden")
    client.get(actor.url)
    factories.publish_contact_phone(ActorPage.objects.get(pk=actor.pk), "55 99 88 77")
    assert "55 99 88 77" in client.get(actor.url).content.decode()


def test_the_sub_pages_of_a_routable_page_are_routed_by_wagtail(client, units_and_index):
    pathway = factories.make_pathway(units_and_index.index, "Forløp", "forlop-test", [])
    print_view = f"{pathway.url}utskrift/"
    for _ in range(2):
        assert client.get(print_view).status_code == 200
        assert client.get(pathway.url).status_code == 200
    # The pathway's own route (RoutablePageMixin) picks the view: neither address is remembered.
    assert _stored(print_view) is None
    assert _stored(pathway.url) is None


def test_the_site_is_read_once_and_again_after_a_site_changes(client, make_municipality):
    page, _, _ = make_municipality("4624")
    client.get(page.url)
    _, warm = _get(client, page.url)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "LKT prøve"
    site.save()
    response, after_change = _get(client, page.url)
    assert response.status_code == 200
    # The site and its root paths (Wagtail clears its own cache of them); a change of a site changes the page
    # tree's version too, so the breadcrumb trail and whether any page is private are read again.
    assert after_change == warm + 4
    _, warm_again = _get(client, page.url)
    assert warm_again == warm

    # A change that matters is seen at once: this host no longer has a site, so the page is not found here.
    site.is_default_site = False
    site.hostname = "annet.example.com"
    site.save()
    assert client.get(page.url).status_code == 404


def test_a_refused_process_address_finds_an_editors_redirect_without_reading_the_site(care, client_for):
    """The need-to-know rule answers 404 outside Wagtail's pages, before any route has looked the site up."""
    from wagtail.contrib.redirects.models import Redirect

    client = client_for(care.coordinator)
    missing = factories.detail_url(SimpleNamespace(pk=987654))
    client.get(missing)  # the site remembered
    with CaptureQueriesContext(connection) as captured:
        assert client.get(missing).status_code == 404
    assert not [query for query in captured if "wagtailcore_site" in query["sql"]]
    # An editor's redirect is still found, at once: only the site is remembered, never the answer.
    Redirect.objects.create(old_path=missing.rstrip("/"), redirect_link="/finn-hjelp/")
    response = client.get(missing)
    assert response.status_code == 301
    assert response["Location"] == "/finn-hjelp/"
