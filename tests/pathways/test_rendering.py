"""Pathway documents as readers see them: live rendering per municipality, shared modules, caches that are never
stale, covered and uncovered actor types, the municipality choice (remembered) and the print view."""

import pytest
from django.utils import formats, timezone, translation

from directory.models import ActorPage
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


def step_sections(body):
    """Each rendered step's HTML by its title."""
    return {step_titles(part)[0]: part for part in body.split('<li class="step">')[1:]}


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
    assert CONTACT_PHONE in page_body(client, pathway.url, kommune="4624")
    cold, body = count_queries(client, pathway.url, kommune="4625")
    assert AUSTEVOLL_CONTACT_PHONE in body
    warm, _ = count_queries(client, pathway.url, kommune="4625")
    assert warm < cold
    austevoll_key = PathwayRendering(pathway, units_and_index.austevoll).cache_vary_key
    bjorna_key = PathwayRendering(pathway, units_and_index.bjorna).cache_vary_key

    publish_contact_phone(units_and_index.actor, NEW_CONTACT_PHONE)

    body = page_body(client, pathway.url, kommune="4624")
    assert NEW_CONTACT_PHONE in body
    assert CONTACT_PHONE not in body
    assert PathwayRendering(pathway, units_and_index.bjorna).cache_vary_key != bjorna_key
    # Austevoll keeps its key and is still served from the cache: same content, the warm number of queries.
    assert PathwayRendering(pathway, units_and_index.austevoll).cache_vary_key == austevoll_key
    again, body = count_queries(client, pathway.url, kommune="4625")
    assert again == warm
    assert AUSTEVOLL_CONTACT_PHONE in body
    assert NEW_CONTACT_PHONE not in body


def test_a_draft_contact_change_does_not_show(client, units_and_index, pathway):
    assert CONTACT_PHONE in page_body(client, pathway.url, kommune="4624")
    draft = units_and_index.actor.get_latest_revision_as_object()
    contacts = list(draft.contacts.all())
    contacts[0].phone = NEW_CONTACT_PHONE
    draft.contacts = contacts
    draft.save_revision()
    body = page_body(client, pathway.url, kommune="4624")
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
            assert "Evalueringsmøte" in page_body(client, page.url, **params)
    unrelated_key = PathwayPage.objects.get(pk=unrelated.pk).cache_key

    draft = module.get_latest_revision_as_object()
    draft.steps = [("step", pathway_step("Evalueringsmøte med pasienten"))]
    draft.save_revision().publish()

    for page in (first, second):
        for params in ({"kommune": "4624"}, {"kommune": "4625"}):
            body = page_body(client, page.url, **params)
            assert "Evalueringsmøte med pasienten" in body
    # Only the pathways that use the module were invalidated.
    assert PathwayPage.objects.get(pk=unrelated.pk).cache_key == unrelated_key

    # A draft of the module is not what readers see.
    draft = PathwayModule.objects.get(pk=module.pk).get_latest_revision_as_object()
    draft.steps = [("step", pathway_step("Utkast som ikke er godkjent"))]
    draft.save_revision()
    for page in (first, second):
        body = page_body(client, page.url, kommune="4624")
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
    assert "Evalueringsmøte" in page_body(client, page.url, kommune="4624")
    module.unpublish()
    body = page_body(client, page.url, kommune="4624")
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
    assert "Evalueringsmøte" in page_body(client, page.url, kommune="4624")
    module.delete()
    body = page_body(client, page.url, kommune="4624")
    assert "Evalueringsmøte" not in body
    assert "Samtykke" in body


# --- 3. Covered and uncovered actor types ----------------------------------------------------------------


def test_covered_type_shows_the_actor_and_uncovered_type_says_not_covered(client, units_and_index, pathway):
    body = page_body(client, pathway.url, kommune="4624")
    assert "Koordinerende enhet Bjørnafjorden" in body
    assert KE_PHONE in body
    assert CONTACT_PHONE in body
    confirmed = timezone.localtime(ActorPage.objects.get(pk=units_and_index.actor.pk).last_confirmed_at)
    with translation.override("nb"):
        assert f"Sist bekreftet {formats.date_format(confirmed, 'j. F Y')}" in body
    steps = step_sections(body)
    covered = responsible_section(steps["Samtykke"])
    assert "Koordinerende enhet Bjørnafjorden" in covered
    assert KE_PHONE in covered
    assert "Sist bekreftet" in covered
    assert "Ikke dekket" not in covered
    # «Fastlegen kalles inn» names «fastlege», which no actor in Bjørnafjorden covers.
    uncovered = responsible_section(steps["Fastlegen kalles inn"])
    assert "Ikke dekket i Bjørnafjorden" in uncovered
    assert KE_PHONE not in uncovered
    assert "Sist bekreftet" not in uncovered
    assert "Koordinerende enhet Austevoll" not in body


def test_without_a_municipality_no_actors_and_no_not_covered_state(client, pathway):
    body = page_body(client, pathway.url)
    assert "Samtykke" in body
    assert "Ikke dekket" not in body
    assert KE_PHONE not in body


# --- 4. Choosing the municipality, remembering it, and printing --------------------------------------------


@pytest.mark.parametrize("params", [{"q": "5200"}, {"q": "Bjørnafjorden"}, {"q": "bjørnafjorden"}, {"kommune": "4624"}])
def test_municipality_chosen_by_postal_code_name_or_number_is_remembered(client, pathway, params):
    body = page_body(client, pathway.url, **params)
    assert "Viser aktørene i <strong>Bjørnafjorden</strong>" in body
    assert KE_PHONE in body
    assert client.cookies[COOKIE_NAME].value == "4624"
    # The next visit, without parameters, shows the same municipality.
    body = page_body(client, pathway.url)
    assert "Viser aktørene i <strong>Bjørnafjorden</strong>" in body
    assert KE_PHONE in body


def test_a_new_choice_replaces_the_remembered_one(client, pathway):
    page_body(client, pathway.url, q="5200")
    body = page_body(client, pathway.url, q="5392")
    assert "Viser aktørene i <strong>Austevoll</strong>" in body
    assert "Viser aktørene i <strong>Austevoll</strong>" in page_body(client, pathway.url)


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
    shown = page_body(client, pathway.url, q="5200")
    print_body = page_body(client, pathway.url + pathway.reverse_subpage("print_route"))  # the remembered municipality
    assert step_titles(print_body) == step_titles(shown) == ["Samtykke", "Fastlegen kalles inn"]
    with translation.override("nb"):
        today = formats.date_format(timezone.localtime(), "j. F Y")
    assert f"Utskrift laget {today}" in print_body
    assert KE_PHONE in print_body
    assert "Ikke dekket i Bjørnafjorden" in print_body
    assert "Psykisk helse og rus – Bjørnafjorden" in print_body
