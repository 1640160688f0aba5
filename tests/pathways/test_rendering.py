"""Pathway documents as readers see them: live rendering per municipality, shared modules, caches that are never
stale, covered and uncovered actor types, the municipality choice (remembered) and the print view."""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import formats, timezone, translation

from directory.models import ActorPage, MunicipalityPage
from home.models import PathwayModule, PathwayPage
from home.pathways import COOKIE_NAME, PathwayRendering
from tests.factories import (
    AUSTEVOLL_CONTACT_PHONE,
    CONTACT_PHONE,
    KE_PHONE,
    count_queries,
    make_module,
    make_pathway,
    page_body,
    pathway_phase,
    pathway_step,
    publish_contact_phone,
    step_titles,
)

NEW_CONTACT_PHONE = "55 99 88 77"


def shown_in(pathway, number):
    """The pathway's address for one municipality (the choice is part of the URL)."""
    return pathway.municipality_url(MunicipalityPage.objects.get(municipality_id=number))


def step_sections(body):
    """Each rendered step's HTML by its title."""
    return {step_titles(part)[0]: part for part in re.split(r'<li class="step" id="[^"]*">', body)[1:]}


def responsible_section(step_html):
    """The «Ansvarlig» part of a step: up to the participants, the handover or the attachments."""
    section = step_html.split('<div class="responsible">', 1)[1]
    for marker in ('<div class="participants">', '<div class="handover">', '<ul class="attachments">'):
        section = section.split(marker, 1)[0]
    return section


# --- 1. A directory change shows at once, and only for its municipality ----------------------------------


def test_a_published_contact_change_shows_at_once_and_other_municipalities_stay_cached(
    client, units_and_index, pathway
):
    # Warm both municipalities' renderings; a second visit is served from the fragment cache.
    assert CONTACT_PHONE in page_body(client, shown_in(pathway, "4624"))
    cold, body = count_queries(client, shown_in(pathway, "4625"))
    assert AUSTEVOLL_CONTACT_PHONE in body
    warm, _ = count_queries(client, shown_in(pathway, "4625"))
    assert warm < cold
    austevoll_key = PathwayRendering(pathway, units_and_index.austevoll).cache_vary_key
    bjorna_key = PathwayRendering(pathway, units_and_index.bjorna).cache_vary_key

    publish_contact_phone(units_and_index.actor, NEW_CONTACT_PHONE)

    body = page_body(client, shown_in(pathway, "4624"))
    assert NEW_CONTACT_PHONE in body
    assert CONTACT_PHONE not in body
    assert PathwayRendering(pathway, units_and_index.bjorna).cache_vary_key != bjorna_key
    # Austevoll keeps its key and is still served from the cache: same content, the warm number of queries.
    assert PathwayRendering(pathway, units_and_index.austevoll).cache_vary_key == austevoll_key
    again, body = count_queries(client, shown_in(pathway, "4625"))
    assert again == warm
    assert AUSTEVOLL_CONTACT_PHONE in body
    assert NEW_CONTACT_PHONE not in body


def test_a_draft_contact_change_does_not_show(client, units_and_index, pathway):
    assert CONTACT_PHONE in page_body(client, shown_in(pathway, "4624"))
    draft = units_and_index.actor.get_latest_revision_as_object()
    contacts = list(draft.contacts.all())
    contacts[0].phone = NEW_CONTACT_PHONE
    draft.contacts = contacts
    draft.save_revision()
    body = page_body(client, shown_in(pathway, "4624"))
    assert CONTACT_PHONE in body
    assert NEW_CONTACT_PHONE not in body


# --- 2. A module edited once shows in every pathway that uses it ------------------------------------------


def test_a_published_module_change_shows_in_every_pathway_using_it_even_with_warm_caches(client, units_and_index):
    module = make_module("Evaluering", ["Evalueringsmøte"])
    first = make_pathway(
        units_and_index.index,
        "Forløp A",
        "forlop-a",
        [pathway_phase("Start", [pathway_step("Samtykke")]), ("module", module)],
    )
    second = make_pathway(units_and_index.index, "Forløp B", "forlop-b", [("module", module)])
    unrelated = make_pathway(
        units_and_index.index, "Forløp C", "forlop-c", [pathway_phase("Start", [pathway_step("Samtykke")])]
    )
    for page in (first, second):
        for params in ({"kommune": "4624"}, {"kommune": "4625"}):
            assert "Evalueringsmøte" in page_body(client, shown_in(page, params["kommune"]))
    unrelated_key = PathwayPage.objects.get(pk=unrelated.pk).cache_key

    draft = module.get_latest_revision_as_object()
    draft.steps = [("step", pathway_step("Evalueringsmøte med pasienten"))]
    draft.save_revision().publish()

    for page in (first, second):
        for params in ({"kommune": "4624"}, {"kommune": "4625"}):
            body = page_body(client, shown_in(page, params["kommune"]))
            assert "Evalueringsmøte med pasienten" in body
    # Only the pathways that use the module were invalidated.
    assert PathwayPage.objects.get(pk=unrelated.pk).cache_key == unrelated_key

    # A draft of the module is not what readers see.
    draft = PathwayModule.objects.get(pk=module.pk).get_latest_revision_as_object()
    draft.steps = [("step", pathway_step("Utkast som ikke er godkjent"))]
    draft.save_revision()
    for page in (first, second):
        body = page_body(client, shown_in(page, "4624"))
        assert "Utkast som ikke er godkjent" not in body
        assert "Evalueringsmøte med pasienten" in body


def test_an_unpublished_module_disappears_from_warm_pathways(client, units_and_index):
    module = make_module("Evaluering", ["Evalueringsmøte"])
    page = make_pathway(
        units_and_index.index,
        "Forløp A",
        "forlop-a",
        [pathway_phase("Start", [pathway_step("Samtykke")]), ("module", module)],
    )
    assert "Evalueringsmøte" in page_body(client, shown_in(page, "4624"))
    module.unpublish()
    body = page_body(client, shown_in(page, "4624"))
    assert "Evalueringsmøte" not in body
    assert "Samtykke" in body


def test_a_deleted_module_disappears_from_warm_pathways(client, units_and_index):
    module = make_module("Evaluering", ["Evalueringsmøte"])
    page = make_pathway(
        units_and_index.index,
        "Forløp A",
        "forlop-a",
        [pathway_phase("Start", [pathway_step("Samtykke")]), ("module", module)],
    )
    assert "Evalueringsmøte" in page_body(client, shown_in(page, "4624"))
    module.delete()
    body = page_body(client, shown_in(page, "4624"))
    assert "Evalueringsmøte" not in body
    assert "Samtykke" in body


# --- 3. Covered and uncovered actor types ----------------------------------------------------------------


def contacts_section(body):
    """«Dine kontakter i …», the list of every actor the pathway names, at the top."""
    return body.split('<section class="pathway-contacts"', 1)[1].split("</section>", 1)[0]


def test_covered_type_shows_the_actor_and_uncovered_type_says_not_covered(client, units_and_index, pathway):
    body = page_body(client, shown_in(pathway, "4624"))
    contacts = contacts_section(body)
    assert "Dine kontakter i Bjørnafjorden" in contacts
    assert "Koordinerende enhet Bjørnafjorden" in contacts
    assert KE_PHONE in contacts
    assert CONTACT_PHONE in contacts
    confirmed = timezone.localtime(ActorPage.objects.get(pk=units_and_index.actor.pk).last_confirmed_at)
    with translation.override("nb"):
        assert f"Sist bekreftet {formats.date_format(confirmed, 'j. F Y')}" in contacts
    steps = step_sections(body)
    covered = responsible_section(steps["Samtykke"])
    assert "Koordinerende enhet Bjørnafjorden" in covered
    assert f'href="#kontakt-{units_and_index.actor.pk}"' in covered
    assert KE_PHONE in covered
    assert "Ikke dekket" not in covered
    # «Fastlegen kalles inn» names «fastlege», which no actor in Bjørnafjorden covers.
    uncovered = responsible_section(steps["Fastlegen kalles inn"])
    assert "Ikke dekket i Bjørnafjorden" in uncovered
    assert KE_PHONE not in uncovered
    assert "Koordinerende enhet Austevoll" not in body


def test_each_actor_is_listed_once_with_a_table_of_contents_instead_of_a_box_per_step(
    client, units_and_index, make_actor
):
    """Five steps name the coordinating unit: its contact persons and confirmation appear once, at the top."""
    steps = [pathway_step(f"Steg {i}", participants=()) for i in range(5)]
    page = make_pathway(units_and_index.index, "Langt forløp", "langt", [pathway_phase("Fase", steps)])
    body = page_body(client, shown_in(page, "4624"))
    assert body.count("Kari Nordmann") == 1
    assert body.count("Sist bekreftet") == 1
    assert body.count(f'id="kontakt-{units_and_index.actor.pk}"') == 1
    assert body.count(f'href="#kontakt-{units_and_index.actor.pk}"') == 5
    toc = body.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    assert [f'href="#steg-1-{i}"' in toc for i in range(1, 6)] == [True] * 5
    assert body.index("Dine kontakter i Bjørnafjorden") < body.index('<nav class="toc"') < body.index("<h3>Steg 0</h3>")


def test_without_a_municipality_no_actors_and_no_not_covered_state(client, pathway):
    body = page_body(client, pathway.url)
    assert "Samtykke" in body
    assert "Ikke dekket" not in body
    assert "Dine kontakter" not in body
    assert KE_PHONE not in body
    assert '<nav class="toc"' in body


# --- 4. Choosing the municipality: part of the URL, remembered, and printing ---------------------------------


@pytest.mark.parametrize(
    ("params", "address"),
    [
        ({"q": "5200"}, "kommune/bjornafjorden/postnummer/5200/"),
        ({"q": "Bjørnafjorden"}, "kommune/bjornafjorden/"),
        ({"q": "bjørnafjorden"}, "kommune/bjornafjorden/"),
        ({"kommune": "4624"}, "kommune/bjornafjorden/"),
    ],
)
def test_a_choice_leads_to_the_municipalitys_url_and_is_remembered(client, pathway, params, address):
    """The old addresses (?q=, ?kommune=) keep working: they redirect to the pathway's URL for the municipality,
    or for the address when a postal code was given (it narrows what serves the address)."""
    target = shown_in(pathway, "4624")
    assert urlsplit(target).path == f"{pathway.url}kommune/bjornafjorden/"
    response = client.get(pathway.url, params)
    assert response.status_code == 302
    assert response["Location"] == f"{pathway.url}{address}"
    assert client.cookies[COOKIE_NAME].value == "4624"
    body = page_body(client, response["Location"])
    assert "<strong>Bjørnafjorden</strong>" in body or "i Bjørnafjorden." in body
    assert KE_PHONE in body
    # The next visit to the bare address is sent to the same municipality; the answer depends on the cookie.
    response = client.get(pathway.url)
    assert response.status_code == 302
    assert response["Location"] == target
    assert "Cookie" in response["Vary"]
    assert "private" in response["Cache-Control"]


def test_the_municipality_url_alone_decides_what_is_shown(client, pathway):
    """No cookie is needed, none is set, and a remembered other municipality does not change the answer: a link
    or a print keeps the municipality, and a cache keyed by URL can keep the page."""
    response = client.get(shown_in(pathway, "4625"))
    assert response.status_code == 200
    assert "Viser aktørene i <strong>Austevoll</strong>" in response.content.decode()
    assert COOKIE_NAME not in response.cookies
    client.cookies[COOKIE_NAME] = "4624"
    assert "Viser aktørene i <strong>Austevoll</strong>" in page_body(client, shown_in(pathway, "4625"))


def test_a_municipality_url_by_number_redirects_to_the_name_and_an_unknown_one_is_404(client, pathway):
    response = client.get(f"{pathway.url}kommune/4624/")
    assert response.status_code == 301
    assert response["Location"] == shown_in(pathway, "4624")
    for unknown in ("finnes-ikke", "9999", "alver", "4631"):  # Alver (4631) is in the register without a map
        assert client.get(f"{pathway.url}kommune/{unknown}/").status_code == 404, unknown


def test_a_new_choice_replaces_the_remembered_one_and_it_can_be_forgotten(client, pathway):
    client.get(pathway.url, {"q": "5200"})
    response = client.get(pathway.url, {"q": "5392"})
    assert response["Location"] == f"{shown_in(pathway, '4625')}postnummer/5392/"
    assert client.get(pathway.url)["Location"] == shown_in(pathway, "4625")
    response = client.get(pathway.url, {"glem": "1"})
    assert response.status_code == 302
    assert response["Location"] == pathway.url
    assert "Velg kommune for å se hvem" in page_body(client, pathway.url)


def test_unknown_postal_code_gives_a_norwegian_message_and_no_error(client, pathway):
    body = page_body(client, pathway.url, q="9999")
    assert "Postnummeret 9999 finnes ikke" in body
    assert "Samtykke" in body
    assert COOKIE_NAME not in client.cookies
    body = page_body(client, pathway.url, q="5914")  # Alver: in the register, but no actor map yet
    assert "ennå ikke har publisert sitt aktørkart" in body
    body = page_body(client, pathway.url, kommune="abcd")
    assert "Fant ikke kommunen du valgte" in body
    body = page_body(client, pathway.url, q="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_print_view_shows_the_same_steps_and_when_it_was_made(client, pathway):
    shown = page_body(client, shown_in(pathway, "4624"))
    print_url = pathway.municipality_url(MunicipalityPage.objects.get(municipality_id="4624"), printable=True)
    assert urlsplit(print_url).path == f"{pathway.url}kommune/bjornafjorden/utskrift/"
    assert print_url in shown  # the page links to its own print view
    print_body = page_body(client, print_url)
    assert step_titles(print_body) == step_titles(shown) == ["Samtykke", "Fastlegen kalles inn"]
    with translation.override("nb"):
        today = formats.date_format(timezone.localtime(), "j. F Y")
    assert f"Utskrift laget {today}" in print_body
    assert KE_PHONE in print_body
    assert "Dine kontakter i Bjørnafjorden" in print_body
    assert "Ikke dekket i Bjørnafjorden" in print_body
    assert "Psykisk helse og rus – Bjørnafjorden" in print_body
    assert 'name="viewport"' in print_body
    # The old print address with a remembered municipality leads to the same place.
    client.get(pathway.url, {"q": "5200"})
    response = client.get(pathway.url + pathway.reverse_subpage("print_route"))
    assert response["Location"] == print_url


# --- 5. Skeletons waiting for clinical content are for staff only ---------------------------------------------


@pytest.fixture
def skeleton(units_and_index):
    return make_pathway(
        units_and_index.index,
        "Skjelett for hjerneslag",
        "hjerneslag",
        [pathway_phase("Fase", [pathway_step("Plassholder")])],
        awaiting_clinical_content=True,
    )


def test_a_skeleton_is_not_shown_to_the_public(client, pathway, skeleton, make_user):
    index = skeleton.get_parent()
    assert client.get(skeleton.url).status_code == 404
    assert client.get(shown_in(skeleton, "4624")).status_code == 404
    assert client.get(skeleton.url + skeleton.reverse_subpage("print_route")).status_code == 404
    listing = page_body(client, index.url)
    assert pathway.title in listing
    assert skeleton.title not in listing
    # A user with a password but without the second factor, or without admin access, is the public too.
    editor = make_user("uten.admin")
    client.force_login(editor)
    assert client.get(skeleton.url).status_code == 404
    from django.contrib.auth.models import Group

    from home.groups import OWNERS, ensure_pathway_groups

    ensure_pathway_groups(index)
    owner = make_user("eier.uten.kode", groups=[Group.objects.get(name=OWNERS)])
    client.force_login(owner)  # password only, second factor not passed
    assert client.get(skeleton.url).status_code == 404
    assert skeleton.title not in page_body(client, index.url)


def test_staff_see_a_skeleton_marked_and_never_from_a_shared_cache(client_for, pathway, skeleton, make_user):
    from django.contrib.auth.models import Group

    from home.groups import OWNERS, ensure_pathway_groups

    ensure_pathway_groups(skeleton.get_parent())
    staff = client_for(make_user("forlopseier", groups=[Group.objects.get(name=OWNERS)]))
    response = staff.get(skeleton.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Utkast:" in body
    assert "Bare ansatte som er logget inn, ser dette forløpet" in body
    assert "private" in response["Cache-Control"]
    listing = staff.get(skeleton.get_parent().url)
    assert "Utkast – bare for ansatte" in listing.content.decode()
    assert "private" in listing["Cache-Control"]
    assert staff.get(shown_in(skeleton, "4624")).status_code == 200
