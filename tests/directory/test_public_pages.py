"""The municipality and actor pages as the public reads them: the services first, an index on long pages, the
way back (breadcrumbs), contact details before the legal text, and a plain warning on stale contact data."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from directory.models import ActorConfirmation, ActorPage, MunicipalityPage
from tests.factories import page_body


def _age(actor, days):
    ActorConfirmation.objects.filter(page=actor).update(confirmed_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def bjorna(make_municipality, make_actor):
    page, _editors, _reviewers = make_municipality("4624")
    actors = [
        make_actor(page, "Koordinerende enhet Bjørnafjorden", type_slugs=["koordinerende-enhet-kommune"]),
        make_actor(page, "Os legevakt", type_slugs=["legevakt"]),
    ]
    return MunicipalityPage.objects.get(pk=page.pk), actors


def _positions(body, *markers):
    return [body.index(marker) for marker in markers]


def test_services_come_first_and_the_not_registered_box_after_them(client, bjorna):
    page, _actors = bjorna
    body = page_body(client, page.url)
    services = body.index('id="kommunale-tjenester"')
    assert services < body.index('id="roller"') < body.index('id="ikke-registrert"')
    assert "Hjemmesykepleie" in body.split('id="ikke-registrert"', 1)[1]  # a required type nobody covers


def test_a_short_map_has_no_index_and_a_long_one_has(client, bjorna, make_actor):
    page, _actors = bjorna
    assert 'class="page-index"' not in page_body(client, page.url)
    make_actor(page, "Hjemmesykepleien", type_slugs=["hjemmesykepleie"])
    make_actor(page, "NAV Bjørnafjorden", type_slugs=["nav-kontor"])
    body = page_body(client, page.url)
    index = body.split('<nav class="page-index"', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', index)
    assert targets[0] == "kommunale-tjenester"
    assert {"roller", "ikke-registrert"} <= set(targets)
    for target in targets:
        assert f'id="{target}"' in body, target


def test_breadcrumbs_lead_back_to_the_front_page(client, bjorna):
    page, actors = bjorna
    body = page_body(client, page.url)
    crumbs = body.split('<nav class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", crumbs) == ["Forside", "Finn hjelp der du bor"]
    assert '<span aria-current="page">Aktørkart for Bjørnafjorden</span>' in crumbs
    body = page_body(client, actors[1].url)
    crumbs = body.split('<nav class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", crumbs) == ["Forside", "Finn hjelp der du bor", "Bjørnafjorden"]
    assert '<span aria-current="page">Os legevakt</span>' in crumbs


def test_the_actor_page_shows_contact_details_before_the_legal_text(client, bjorna):
    _page, actors = bjorna
    body = page_body(client, actors[0].url)
    phone, persons, legal = _positions(body, 'href="tel:55000000"', "Kari Nordmann", "Hjemmel")
    assert phone < persons < legal
    assert body.index('id="kontakt"') < body.index('id="oppgaver"')


def test_phone_numbers_are_kept_whole(client, bjorna):
    page, _actors = bjorna
    body = page_body(client, page.url)
    assert '<a class="tel" href="tel:55000000">55 00 00 00</a>' in body
    assert '<a class="tel" href="tel:55112233">55 11 22 33</a>' in body


@pytest.mark.parametrize(
    ("interval", "days", "expected"),
    [
        (12, 30, None),  # within the interval: the date only
        (12, 400, "Sist bekreftet for over 13 måneder siden"),
        (6, 200, "Sist bekreftet for over 6 måneder siden"),
        (1, 40, "Sist bekreftet for over 1 måned siden"),
    ],
)
def test_a_contact_not_confirmed_within_the_interval_says_how_long_ago(client, bjorna, interval, days, expected):
    page, actors = bjorna
    MunicipalityPage.objects.filter(pk=page.pk).update(review_interval_months=interval)
    _age(actors[0], days)
    actor = ActorPage.objects.get(pk=actors[0].pk)
    assert actor.stale_months() == (int(expected.split()[4]) if expected else None)
    for body in (page_body(client, page.url), page_body(client, actor.url)):
        card = body.split("Koordinerende enhet Bjørnafjorden</", 1)[1]
        if expected:
            assert expected in card
            assert 'class="confirmed stale"' in card
        else:
            assert "Sist bekreftet for over" not in body
            assert "Sist bekreftet " in card
