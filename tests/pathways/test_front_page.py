"""The front page and the guidance as a patient or next of kin meets them: what each card leads to, a clear way
in for patients and next of kin, and the emergency numbers as links a phone can call."""

import re

import pytest
from django.urls import reverse
from wagtail.rich_text import RichText

from home.models import GuidancePage, HomePage
from tests.factories import count_queries, page_body

MAX_FRONT_PAGE_QUERIES = 9
MAX_GUIDANCE_QUERIES = 9


@pytest.fixture
def front(site_tree, units_and_index):
    """The seeded front page with «Om LKT» (in the menu), the patients' guidance below it, and «Forløp»."""
    about = GuidancePage(
        title="Om LKT-rammeverket",
        slug="om-lkt",
        summary="Et felles rammeverk for samarbeid.",
        body=[("paragraph", RichText("<p>Om rammeverket.</p>"))],
        show_in_menus=True,
    )
    site_tree.add_child(instance=about)
    about.save_revision().publish()
    patients = GuidancePage(
        title="For pasienter og pårørende",
        slug="for-pasienter-og-parorende",
        summary="Hva du kan forvente når flere tjenester skal samarbeide rundt deg.",
        body=[("paragraph", RichText("<p>Du skal ha én koordinator.</p>"))],
    )
    about.add_child(instance=patients)
    patients.save_revision().publish()
    index = units_and_index.index
    index.show_in_menus = True
    index.intro = "<p>Forløpene beskriver hvem som gjør hva, og når ansvaret går videre.</p>"
    index.save_revision().publish()
    home = HomePage.objects.get(pk=site_tree.pk)
    home.patient_page = patients
    home.save_revision().publish()
    return home, about, patients


def _cards(body):
    """(link text, description) of every card on the page."""
    body = "".join(part.split("</ul>", 1)[0] for part in body.split('<ul class="cards">')[1:])
    return [
        (re.sub(r"<[^>]+>", "", title).strip(), re.sub(r"<[^>]+>", "", text).strip())
        for title, text in re.findall(r"<li><a href=\"[^\"]*\">(.*?)</a>\s*(?:<p>(.*?)</p>)?\s*</li>", body, re.S)
    ]


def test_every_card_on_the_front_page_says_what_is_behind_it(client, front):
    body = page_body(client, "/")
    cards = dict(_cards(body))
    assert set(cards) >= {
        "Finn hjelp der du bor",
        "For pasienter og pårørende",
        "Min side",
        "Om LKT-rammeverket",
        "Forløp",
    }
    for title, text in cards.items():
        assert len(text) > 20, (title, text)
    assert cards["Forløp"].startswith("Forløpene beskriver hvem som gjør hva")
    # The lookup and the patients' page are not listed twice.
    assert list(cards).count("Finn hjelp der du bor") == 1
    assert list(cards).count("For pasienter og pårørende") == 1


def test_patients_and_next_of_kin_have_their_own_way_in(client, front):
    _home, _about, patients = front
    body = page_body(client, "/")
    entry = body.split('aria-labelledby="pasienter"', 1)[1].split("</section>", 1)[0]
    assert "For pasienter og pårørende" in entry
    assert f'href="{patients.url}"' in entry
    assert f'href="{reverse("patients:overview")}"' in entry
    assert 'href="/finn-hjelp/"' in entry
    assert "Pårørende" in entry


def test_an_unpublished_patient_page_is_left_out_not_linked(client, front):
    _home, _about, patients = front
    patients.unpublish()
    body = page_body(client, "/")
    assert patients.url not in body
    assert "Min side" in body


@pytest.mark.parametrize("where", ["front", "guidance"])
def test_113_and_116_117_are_links_a_phone_can_call(client, front, where):
    _home, _about, patients = front
    body = page_body(client, "/" if where == "front" else patients.url)
    assert '<a class="tel" href="tel:113">113</a>' in body
    assert '<a class="tel" href="tel:116117">116 117</a>' in body


def test_guidance_pages_have_breadcrumbs(client, front):
    _home, _about, patients = front
    body = page_body(client, patients.url)
    crumbs = body.split('<nav class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", crumbs) == ["Forside", "Om LKT-rammeverket"]
    assert '<span aria-current="page">For pasienter og pårørende</span>' in crumbs


def test_front_and_guidance_pages_cost_the_same_queries_with_more_sections(client, front):
    _home, about, _patients = front
    page_body(client, "/")  # the site's root paths cached alike for both counts
    page_body(client, about.url)  # and the address routed once (core.route_cache), as for the second count
    front_few, _ = count_queries(client, "/")
    guidance_few, _ = count_queries(client, about.url)
    for i in range(6):
        section = GuidancePage(title=f"Tema {i}", slug=f"tema-{i}", summary="Et tema.", body=[], show_in_menus=True)
        HomePage.objects.get().add_child(instance=section)
        section.save_revision().publish()
        child = GuidancePage(title=f"Underside {i}", slug=f"underside-{i}", summary="Mer.", body=[])
        about.add_child(instance=child)
        child.save_revision().publish()
    # The publishes changed the page tree: the breadcrumb trail is read again once, as before the first counts.
    page_body(client, "/")
    page_body(client, about.url)
    front_many, body = count_queries(client, "/")
    assert "Tema 5" in body
    guidance_many, body = count_queries(client, about.url)
    assert "Underside 5" in body
    assert front_many == front_few <= MAX_FRONT_PAGE_QUERIES, (front_few, front_many)
    assert guidance_many == guidance_few <= MAX_GUIDANCE_QUERIES, (guidance_few, guidance_many)
