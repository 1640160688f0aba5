"""The breadcrumb trail of public pages (core/templatetags/core_trail.py): kept under the page tree's version.

A second rendering reads no ancestors; a published change of an ancestor, a move or a deletion shows at once.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _crumbs(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    nav = response.content.decode().split('<nav class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">([^<>]+)</a>', nav)
    # The trail's one query: the ancestors below the site's root (depth > 1).
    ancestors_read = sum('"wagtailcore_page"."depth" >' in q["sql"] for q in captured)
    return links, ancestors_read


def test_the_trail_is_read_once_and_again_after_an_ancestor_is_published(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakten i Bjørnafjorden")
    first, read = _crumbs(client, actor.url)
    assert [title for _, title in first] == ["Forside", "Finn hjelp der du bor", "Bjørnafjorden"]
    assert first[-1][0] == page.url
    assert read == 1
    assert _crumbs(client, actor.url) == (first, 0)

    page.title = "Bjørnafjorden kommune"
    page.save_revision().publish()
    renamed, read = _crumbs(client, actor.url)
    assert [title for _, title in renamed] == ["Forside", "Finn hjelp der du bor", "Bjørnafjorden kommune"]
    assert read == 1


def test_a_new_slug_of_an_ancestor_changes_every_link_below_it(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakten i Bjørnafjorden")
    _crumbs(client, actor.url)
    page.slug = "bjornafjorden-kommune"
    page.save_revision().publish()
    actor.refresh_from_db()
    links, _ = _crumbs(client, actor.url)
    assert links[-1][0] == "/finn-hjelp/bjornafjorden-kommune/"
    assert actor.url.startswith("/finn-hjelp/bjornafjorden-kommune/")
