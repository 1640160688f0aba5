"""Wagtail's privacy check on public pages (core/privacy.py): skipped while no page is private, never after.

The page cache is off here (the test settings), so each request goes through Wagtail's serve() and its check.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, sum("wagtailcore_pageviewrestriction" in q["sql"] for q in captured)


def test_no_restriction_is_read_while_no_page_is_private(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakten i Bjørnafjorden")
    _get(client, actor.url)
    for url in (page.url, actor.url, "/"):
        response, restriction_queries = _get(client, url)
        assert response.status_code == 200
        assert restriction_queries == 0, url


@pytest.mark.parametrize("kind", ["login", "password", "groups"])
def test_a_private_page_and_its_subtree_are_refused_at_once_and_public_again_after(
    client, make_municipality, make_actor, kind
):
    page, _, _ = make_municipality("4624")
    other, _, _ = make_municipality("4625")
    actor = make_actor(page, "Legevakten i Bjørnafjorden")
    for url in (page.url, actor.url, other.url):
        assert client.get(url).status_code == 200

    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password="hemmelig-1")
    if kind == "groups":
        restriction.groups.add(Group.objects.create(name="Bare for noen"))
    for url in (page.url, actor.url):
        response = client.get(url)
        assert "Legevakten i Bjørnafjorden" not in response.content.decode(), (kind, url)
        if kind == "password":
            assert response.status_code == 200 and 'name="password"' in response.content.decode()
        else:
            assert response.status_code == 302 and "login" in response["Location"], (kind, url)
    assert client.get(other.url).status_code == 200  # another subtree stays public

    restriction.delete()
    for url in (page.url, actor.url):
        assert client.get(url).status_code == 200
        assert _get(client, url)[1] == 0
