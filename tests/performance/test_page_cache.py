"""The full-page cache of public pages (core/page_cache.py): what it serves, to whom, and when it lets go.

A cached page costs no database query; a publish, an unpublish or a confirmation shows at once; staff, readers
with a session or a remembered choice, forms with a CSRF token, search and POSTs are never served from it or
stored in it; the public responses say ``Cache-Control: public, s-maxage`` without ``Vary: Cookie``.
"""

import gzip

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import ActorPage
from directory.services import record_confirmation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.LKT_PAGE_CACHE_SECONDS = 600
    cache.clear()


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured)


def test_a_public_page_is_served_from_the_cache_without_a_query(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    make_actor(page, "Legevakten i Bjørnafjorden")
    first, _ = _get(client, page.url)
    assert first.status_code == 200
    assert first["X-LKT-Cache"] == "miss"
    second, queries = _get(client, page.url)
    assert second["X-LKT-Cache"] == "hit"
    assert queries == 0
    assert second.content == first.content
    assert "Legevakten i Bjørnafjorden" in second.content.decode()
    for response in (first, second):
        control = response["Cache-Control"]
        assert "public" in control and "s-maxage=" in control
        assert "cookie" not in response.get("Vary", "").lower()
        assert not response.cookies


def test_public_pages_are_compressed_for_readers_who_accept_it(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    make_actor(page, "Legevakten i Bjørnafjorden")
    plain = client.get(page.url)
    for _ in range(2):  # the miss and the hit
        response = client.get(page.url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)


def test_a_publish_shows_at_once_and_leaves_other_municipalities_cached(client, make_municipality, make_actor):
    bjorna, _, _ = make_municipality("4624")
    austevoll, _, _ = make_municipality("4625")
    make_actor(austevoll, "Helsestasjonen på Storebø")
    for page in (bjorna, austevoll):
        client.get(page.url)
        assert client.get(page.url)["X-LKT-Cache"] == "hit"

    actor = make_actor(bjorna, "Nytt dagsenter i Os")
    response = client.get(bjorna.url)
    assert response["X-LKT-Cache"] == "miss"
    assert "Nytt dagsenter i Os" in response.content.decode()
    assert client.get(austevoll.url)["X-LKT-Cache"] == "hit"
    assert client.get(actor.url)["X-LKT-Cache"] == "miss"

    # Unpublishing and confirming bump the municipality too.
    assert client.get(actor.url)["X-LKT-Cache"] == "hit"
    record_confirmation(actor, None)
    assert client.get(actor.url)["X-LKT-Cache"] == "miss"
    actor.unpublish()
    response = client.get(bjorna.url)
    assert response["X-LKT-Cache"] == "miss"
    assert "Nytt dagsenter i Os" not in response.content.decode()


def test_the_lookup_redirect_is_cached_until_the_page_tree_changes(client, make_municipality):
    page, _, _ = make_municipality("4624")
    url = "/finn-hjelp/?kommune=4624"
    first, _ = _get(client, url)
    assert first.status_code == 302 and first["Location"] == page.url
    second, queries = _get(client, url)
    assert (second.status_code, second["Location"], second["X-LKT-Cache"], queries) == (302, page.url, "hit", 0)
    page.title = "Bjørnafjorden kommune"
    page.save_revision().publish()
    assert client.get(url)["X-LKT-Cache"] == "miss"


def test_staff_and_readers_with_a_session_or_a_choice_never_get_the_cache(
    client, verified_client, make_municipality, make_user
):
    page, editors, _ = make_municipality("4624")
    client.get(page.url)
    assert client.get(page.url)["X-LKT-Cache"] == "hit"

    staff = verified_client(make_user("kari", groups=[editors]))
    response = staff.get(page.url)
    assert "X-LKT-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")

    client.cookies["lkt_kommune"] = "4624"
    response = client.get(page.url)
    assert "X-LKT-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_personal_and_non_page_responses_are_never_stored(client, make_municipality, units_and_index):
    page, _, _ = make_municipality("4624")
    # A choice of municipality in a pathway sets a cookie: personal.
    pathway = factories.make_pathway(units_and_index.index, "Forløp", "forlop-test", [])
    for _ in range(2):
        response = client.get(pathway.url, {"kommune": "4624"})
        assert response.cookies and response.get("X-LKT-Cache") is None
        assert "public" not in response.get("Cache-Control", "")
    # Search is not a page Wagtail serves; the staff and patient areas are never candidates.
    for url in ("/sok/?q=lege", "/admin/login/", "/min-side/"):
        for _ in range(2):
            response = client.get(url)
            assert response.get("X-LKT-Cache") is None, url
            assert "public" not in response.get("Cache-Control", ""), url
    # A POST is passed through.
    assert client.post(page.url).get("X-LKT-Cache") is None


def test_the_cache_is_off_when_its_lifetime_is_zero(client, settings, make_municipality):
    settings.LKT_PAGE_CACHE_SECONDS = 0
    page, _, _ = make_municipality("4624")
    for _ in range(2):
        response = client.get(page.url)
        assert response["X-LKT-Cache"] == "off"
        assert "public" in response["Cache-Control"]


def test_the_answer_for_an_address_is_cached_until_an_actor_there_changes(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Hjemmesykepleien i Os", type_slugs=["hjemmesykepleie"], phone="56 57 50 00")
    url = "/finn-hjelp/?q=5200"
    first, _ = _get(client, url)
    assert first.status_code == 200 and "Hjemmesykepleien i Os" in first.content.decode()
    second, queries = _get(client, url)
    assert (second["X-LKT-Cache"], queries) == ("hit", 0)
    actor.phone = "56 57 59 99"
    actor.save_revision().publish()
    third, _ = _get(client, url)
    assert third["X-LKT-Cache"] == "miss"
    assert "56 57 59 99" in third.content.decode()


def test_a_publish_re_renders_only_that_actors_block(client, make_municipality, make_actor, monkeypatch):
    from types import SimpleNamespace

    from directory.templatetags import directory_tags

    page, _, _ = make_municipality("4624")
    first = make_actor(page, "Legevakten i Bjørnafjorden")
    make_actor(page, "Helsestasjonen i Os")
    rendered = []
    real = directory_tags.get_template

    class Spy:
        def __init__(self, template):
            self.template = template

        def render(self, context):
            rendered.append(context["actor"].title)
            return self.template.render(context)

    monkeypatch.setattr(directory_tags, "get_template", lambda name: SimpleNamespace(template=Spy(real(name).template)))
    client.get(page.url)
    assert {"Helsestasjonen i Os", "Legevakten i Bjørnafjorden"} <= set(rendered)  # and the seeded actors
    rendered.clear()
    factories.publish_contact_phone(ActorPage.objects.get(pk=first.pk), "55 99 88 77")
    body = client.get(page.url).content.decode()
    assert rendered == ["Legevakten i Bjørnafjorden"]
    assert "55 99 88 77" in body and "Helsestasjonen i Os" in body


def test_making_a_page_private_takes_it_out_of_the_cache_at_once(client, make_municipality, make_actor):
    """Wagtail's privacy setting saves a view restriction, not the page: the cached copy must not outlive it."""
    from wagtail.models import PageViewRestriction

    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakten i Bjørnafjorden")
    for url in (page.url, actor.url):
        client.get(url)
        assert client.get(url)["X-LKT-Cache"] == "hit"

    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    for url in (page.url, actor.url):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
        assert "Legevakten i Bjørnafjorden" not in response.content.decode()

    restriction.delete()
    for url in (page.url, actor.url):
        response = client.get(url)
        assert response.status_code == 200 and response["X-LKT-Cache"] == "miss", url
