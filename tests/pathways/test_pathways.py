"""Pathway documents: live rendering per municipality, shared modules, caches that are never stale, the
municipality choice, pinned query counts, the two-step review workflow, the review report and reminders,
reference-index warnings in the admin, search, and step validation."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from directory.models import ActorPage, ActorType
from home.blocks import StepBlock
from home.groups import CLINICAL_APPROVERS, OWNERS, PUBLISHERS, ensure_pathway_groups
from home.models import PathwayIndexPage, PathwayModule, PathwayPage
from home.pathways import COOKIE_NAME, PathwayRendering
from tests.factories import verify_client

KE = "koordinerende-enhet-kommune"  # covered in both municipalities
GP = "fastlege"  # covered in neither
UNUSED = "barnekoordinator"  # no actor has it; only the pathway below names it
KE_PHONE = "56 57 50 00"
CONTACT_PHONE = "55 11 22 33"
NEW_CONTACT_PHONE = "55 99 88 77"
AUSTEVOLL_CONTACT_PHONE = "56 18 10 01"
MAX_PATHWAY_QUERIES = 25  # the whole public pathway page, cold cache, municipality chosen


# --- Building pathways ------------------------------------------------------------------------------------


def actor_type(slug):
    return ActorType.objects.get(slug=slug)


def step(title, responsible=KE, role="", participants=(GP,), handover_role="koordinator", body="Innhent samtykke."):
    """A step value as Python code assigns it: chooser values are model instances."""
    return {
        "title": title,
        "body": f"<p>{body}</p>",
        "responsible_type": actor_type(responsible) if responsible else None,
        "responsible_role": role,
        "participants": [actor_type(slug) for slug in participants],
        "handover_trigger": "Når samtykket er gitt" if handover_role else "",
        "handover_to_type": None,
        "handover_to_role": handover_role,
        "documents": [],
        "links": [{"title": "Lovdata", "url": "https://lovdata.no"}],
    }


def phase(title, steps):
    return ("phase", {"title": title, "intro": "", "steps": list(steps)})


def make_module(title, step_titles):
    module = PathwayModule(title=title, steps=[("step", step(t)) for t in step_titles])
    module.save()
    module.save_revision().publish()
    return PathwayModule.objects.get(pk=module.pk)


def make_pathway(index, title, slug, phases, publish=True, **fields):
    fields.setdefault("next_review", timezone.localdate() + timedelta(days=365))
    page = PathwayPage(title=title, slug=slug, phases=phases, live=publish, **fields)
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return PathwayPage.objects.get(pk=page.pk)


def publish_contact_phone(actor, phone):
    """Publish a new revision of an actor page whose first contact has a new phone number."""
    draft = actor.get_latest_revision_as_object()
    contacts = list(draft.contacts.all())
    contacts[0].phone = phone
    draft.contacts = contacts
    draft.save_revision().publish()


# --- Reading pages ----------------------------------------------------------------------------------------


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        body = get(client, url, **params)
    return len(queries), body


def step_titles(body):
    return re.findall(r"<h3>(.*?)</h3>", body)


def step_sections(body):
    """Each rendered step's HTML by its title."""
    return {step_titles(part)[0]: part for part in body.split('<li class="step">')[1:]}


def responsible_section(step_html):
    """The «Ansvarlig» part of a step: up to the participants, the handover or the attachments."""
    section = step_html.split('<div class="responsible">', 1)[1]
    for marker in ('<div class="participants">', '<div class="handover">', '<ul class="attachments">'):
        section = section.split(marker, 1)[0]
    return section


def as_user(user):
    return verify_client(Client(), user)


# --- Admin form data for a page with a StreamField ----------------------------------------------------------


def block_form_data(block, value, prefix):
    """The POST data the admin's StreamField widget would send for a value (nested streams, lists, structs)."""
    if isinstance(block, (blocks.StreamBlock, blocks.ListBlock)):
        children = list(value.raw_data if isinstance(block, blocks.StreamBlock) else value.bound_blocks)
        data = {f"{prefix}-count": len(children)}
        for i, child in enumerate(value if isinstance(block, blocks.StreamBlock) else value.bound_blocks):
            data.update({f"{prefix}-{i}-deleted": "", f"{prefix}-{i}-order": i, f"{prefix}-{i}-id": child.id or ""})
            if isinstance(block, blocks.StreamBlock):
                data[f"{prefix}-{i}-type"] = child.block_type
            data.update(block_form_data(child.block, child.value, f"{prefix}-{i}-value"))
        return data
    if isinstance(block, blocks.StructBlock):
        data = {}
        for name, child_block in block.child_blocks.items():
            data.update(block_form_data(child_block, value[name], f"{prefix}-{name}"))
        return data
    if isinstance(block, blocks.ChooserBlock):
        return {prefix: value.pk if value else ""}
    state = block.get_form_state(value)
    return {prefix: state[0] if isinstance(state, list) else state}


def page_edit_data(client, page):
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200, response.status_code
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    draft = page.get_latest_revision_as_object()
    for key, value in block_form_data(PathwayPage.phases.field.stream_block, draft.phases, "phases").items():
        data[key] = value
    return data


def workflow_action(client, page, action, task_state, comment=""):
    url = f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/"
    return client.post(url, {"comment": comment})


def in_progress(page):
    workflow_state = WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    return workflow_state, workflow_state.current_task_state


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


# --- Fixtures -----------------------------------------------------------------------------------------------


@pytest.fixture
def world(make_municipality, make_actor, site_tree):
    """Bjørnafjorden and Austevoll each with a coordinating unit; nobody covers «fastlege»; the pathway index."""
    bjorna, _, _ = make_municipality("4624")
    austevoll, _, _ = make_municipality("4625")
    actor = make_actor(
        bjorna,
        "Koordinerende enhet Bjørnafjorden",
        type_slugs=[KE],
        phone=KE_PHONE,
        contacts=[("Kari Nordmann", "Leder", CONTACT_PHONE)],
    )
    far = make_actor(
        austevoll,
        "Koordinerende enhet Austevoll",
        type_slugs=[KE],
        phone="56 18 10 00",
        contacts=[("Hilde Sæther", "Leder", AUSTEVOLL_CONTACT_PHONE)],
    )
    index = PathwayIndexPage(title="Forløp", slug="forlop")
    site_tree.add_child(instance=index)
    return SimpleNamespace(bjorna=bjorna, austevoll=austevoll, actor=actor, far=far, index=index)


@pytest.fixture
def pathway(world):
    return make_pathway(
        world.index,
        "Psykisk helse og rus",
        "psykisk-helse",
        [phase("Kartlegging", [step("Samtykke"), step("Fastlegen kalles inn", responsible=GP)])],
        summary="Forløp for pasienter med store og sammensatte behov.",
    )


@pytest.fixture
def people(world, make_user):
    ensure_pathway_groups(world.index)
    from django.contrib.auth.models import Group

    def member(username, group_name):
        return make_user(username, groups=[Group.objects.get(name=group_name)], email=f"{username}@helse.example")

    return SimpleNamespace(
        owner=member("eier", OWNERS),
        clinician=member("klinikar", CLINICAL_APPROVERS),
        clinician2=member("klinikar2", CLINICAL_APPROVERS),
        publisher=member("publisist", PUBLISHERS),
    )


# --- 1. A directory change shows at once, and only for its municipality ----------------------------------


def test_a_published_contact_change_shows_at_once_and_other_municipalities_stay_cached(client, world, pathway):
    # Warm both municipalities' renderings; a second visit is served from the fragment cache.
    assert CONTACT_PHONE in get(client, pathway.url, kommune="4624")
    cold, body = count_queries(client, pathway.url, kommune="4625")
    assert AUSTEVOLL_CONTACT_PHONE in body
    warm, _ = count_queries(client, pathway.url, kommune="4625")
    assert warm < cold
    austevoll_key = PathwayRendering(pathway, world.austevoll).cache_vary_key
    bjorna_key = PathwayRendering(pathway, world.bjorna).cache_vary_key

    publish_contact_phone(world.actor, NEW_CONTACT_PHONE)

    body = get(client, pathway.url, kommune="4624")
    assert NEW_CONTACT_PHONE in body
    assert CONTACT_PHONE not in body
    assert PathwayRendering(pathway, world.bjorna).cache_vary_key != bjorna_key
    # Austevoll keeps its key and is still served from the cache: same content, the warm number of queries.
    assert PathwayRendering(pathway, world.austevoll).cache_vary_key == austevoll_key
    again, body = count_queries(client, pathway.url, kommune="4625")
    assert again == warm
    assert AUSTEVOLL_CONTACT_PHONE in body
    assert NEW_CONTACT_PHONE not in body


def test_a_draft_contact_change_does_not_show(client, world, pathway):
    assert CONTACT_PHONE in get(client, pathway.url, kommune="4624")
    draft = world.actor.get_latest_revision_as_object()
    contacts = list(draft.contacts.all())
    contacts[0].phone = NEW_CONTACT_PHONE
    draft.contacts = contacts
    draft.save_revision()
    body = get(client, pathway.url, kommune="4624")
    assert CONTACT_PHONE in body
    assert NEW_CONTACT_PHONE not in body


# --- 2. A module edited once shows in every pathway that uses it ------------------------------------------


def test_a_published_module_change_shows_in_every_pathway_using_it_even_with_warm_caches(client, world):
    module = make_module("Evaluering", ["Evalueringsmøte"])
    first = make_pathway(world.index, "Forløp A", "forlop-a", [phase("Start", [step("Samtykke")]), ("module", module)])
    second = make_pathway(world.index, "Forløp B", "forlop-b", [("module", module)])
    unrelated = make_pathway(world.index, "Forløp C", "forlop-c", [phase("Start", [step("Samtykke")])])
    for page in (first, second):
        for params in ({"kommune": "4624"}, {"kommune": "4625"}):
            assert "Evalueringsmøte" in get(client, page.url, **params)
    unrelated_key = PathwayPage.objects.get(pk=unrelated.pk).cache_key

    draft = module.get_latest_revision_as_object()
    draft.steps = [("step", step("Evalueringsmøte med pasienten"))]
    draft.save_revision().publish()

    for page in (first, second):
        for params in ({"kommune": "4624"}, {"kommune": "4625"}):
            body = get(client, page.url, **params)
            assert "Evalueringsmøte med pasienten" in body
    # Only the pathways that use the module were invalidated.
    assert PathwayPage.objects.get(pk=unrelated.pk).cache_key == unrelated_key

    # A draft of the module is not what readers see.
    draft = PathwayModule.objects.get(pk=module.pk).get_latest_revision_as_object()
    draft.steps = [("step", step("Utkast som ikke er godkjent"))]
    draft.save_revision()
    for page in (first, second):
        body = get(client, page.url, kommune="4624")
        assert "Utkast som ikke er godkjent" not in body
        assert "Evalueringsmøte med pasienten" in body


def test_an_unpublished_module_disappears_from_warm_pathways(client, world):
    module = make_module("Evaluering", ["Evalueringsmøte"])
    page = make_pathway(world.index, "Forløp A", "forlop-a", [phase("Start", [step("Samtykke")]), ("module", module)])
    assert "Evalueringsmøte" in get(client, page.url, kommune="4624")
    module.unpublish()
    body = get(client, page.url, kommune="4624")
    assert "Evalueringsmøte" not in body
    assert "Samtykke" in body


def test_a_deleted_module_disappears_from_warm_pathways(client, world):
    module = make_module("Evaluering", ["Evalueringsmøte"])
    page = make_pathway(world.index, "Forløp A", "forlop-a", [phase("Start", [step("Samtykke")]), ("module", module)])
    assert "Evalueringsmøte" in get(client, page.url, kommune="4624")
    module.delete()
    body = get(client, page.url, kommune="4624")
    assert "Evalueringsmøte" not in body
    assert "Samtykke" in body


# --- 3. Covered and uncovered actor types ----------------------------------------------------------------


def test_covered_type_shows_the_actor_and_uncovered_type_says_not_covered(client, world, pathway):
    body = get(client, pathway.url, kommune="4624")
    assert "Koordinerende enhet Bjørnafjorden" in body
    assert KE_PHONE in body
    assert CONTACT_PHONE in body
    confirmed = timezone.localtime(ActorPage.objects.get(pk=world.actor.pk).last_confirmed_at)
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


def test_without_a_municipality_no_actors_and_no_not_covered_state(client, world, pathway):
    body = get(client, pathway.url)
    assert "Samtykke" in body
    assert "Ikke dekket" not in body
    assert KE_PHONE not in body


# --- 4. Choosing the municipality, remembering it, and printing --------------------------------------------


@pytest.mark.parametrize("params", [{"q": "5200"}, {"q": "Bjørnafjorden"}, {"q": "bjørnafjorden"}, {"kommune": "4624"}])
def test_municipality_chosen_by_postal_code_name_or_number_is_remembered(client, world, pathway, params):
    body = get(client, pathway.url, **params)
    assert "Viser aktørene i <strong>Bjørnafjorden</strong>" in body
    assert KE_PHONE in body
    assert client.cookies[COOKIE_NAME].value == "4624"
    # The next visit, without parameters, shows the same municipality.
    body = get(client, pathway.url)
    assert "Viser aktørene i <strong>Bjørnafjorden</strong>" in body
    assert KE_PHONE in body


def test_a_new_choice_replaces_the_remembered_one(client, world, pathway):
    get(client, pathway.url, q="5200")
    body = get(client, pathway.url, q="5392")
    assert "Viser aktørene i <strong>Austevoll</strong>" in body
    assert "Viser aktørene i <strong>Austevoll</strong>" in get(client, pathway.url)


def test_unknown_postal_code_gives_a_norwegian_message_and_no_error(client, world, pathway):
    body = get(client, pathway.url, q="9999")
    assert "Postnummeret 9999 finnes ikke" in body
    assert "Samtykke" in body
    assert COOKIE_NAME not in client.cookies
    body = get(client, pathway.url, q="5914")  # Alver: in the register, but no actor map yet
    assert "ennå ikke har publisert sitt aktørkart" in body
    body = get(client, pathway.url, kommune="abcd")
    assert "Fant ikke kommunen du valgte" in body
    body = get(client, pathway.url, q="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_print_view_shows_the_same_steps_and_when_it_was_made(client, world, pathway):
    page_body = get(client, pathway.url, q="5200")
    print_body = get(client, pathway.url + "utskrift/")  # the remembered municipality
    assert step_titles(print_body) == step_titles(page_body) == ["Samtykke", "Fastlegen kalles inn"]
    with translation.override("nb"):
        today = formats.date_format(timezone.localtime(), "j. F Y")
    assert f"Utskrift laget {today}" in print_body
    assert KE_PHONE in print_body
    assert "Ikke dekket i Bjørnafjorden" in print_body
    assert "Psykisk helse og rus – Bjørnafjorden" in print_body


# --- 5. Query counts do not grow with steps or actors --------------------------------------------------------


def _queries_for_cold_render(client, page):
    get(client, page.url, kommune="4624")  # session and site caches warmed alike for every measurement
    from django.core.cache import cache

    cache.clear()
    count, body = count_queries(client, page.url, kommune="4624")
    return count, body


def _many_steps(n):
    slugs = [GP, "legevakt", "hjemmesykepleie", "nav-kontor", UNUSED]
    return [
        step(
            f"Steg nummer {i}",
            responsible=KE if i % 2 else None,
            role="" if i % 2 else "koordinator",
            participants=(slugs[i % len(slugs)], KE),
        )
        for i in range(n)
    ]


def test_query_count_does_not_grow_with_steps(client, world, make_actor):
    module = make_module("Evaluering", ["Evalueringsmøte", "Avslutning"])
    small = make_pathway(world.index, "Lite forløp", "lite", [phase("Fase", _many_steps(5)), ("module", module)])
    large = make_pathway(
        world.index,
        "Stort forløp",
        "stort",
        [phase("Fase 1", _many_steps(50)), phase("Fase 2", _many_steps(50)), ("module", module)],
    )
    make_actor(world.bjorna, "Bjørnafjorden legevakt", type_slugs=["legevakt", "koordinator-kommune"])

    few_steps, body = _queries_for_cold_render(client, small)
    assert len(step_titles(body)) == 7
    assert "Bjørnafjorden legevakt" in body
    many_steps, body = _queries_for_cold_render(client, large)
    assert len(step_titles(body)) == 102
    assert many_steps == few_steps
    assert many_steps <= MAX_PATHWAY_QUERIES, many_steps


def test_query_count_does_not_grow_with_actors(client, world, make_actor):
    module = make_module("Evaluering", ["Evalueringsmøte"])
    page = make_pathway(world.index, "Forløp", "forlop-med-modul", [phase("Fase", _many_steps(5)), ("module", module)])
    make_actor(world.bjorna, "Bjørnafjorden legevakt", type_slugs=["legevakt", "koordinator-kommune"])
    two_actors, body = _queries_for_cold_render(client, page)
    assert body.count('class="step-actor"') > 0

    other_types = ["legevakt", "hjemmesykepleie", "nav-kontor", GP, "koordinator-kommune"]
    for i in range(58):
        make_actor(
            world.bjorna,
            f"Enhet {i:02d}",
            type_slugs=[KE, other_types[i % len(other_types)]],
            contacts=[(f"Person {i}", "Leder", "55 00 00 01"), (f"Vara {i}", "", "")],
        )
    sixty_actors, body = _queries_for_cold_render(client, page)
    assert "Enhet 57" in body
    assert ActorPage.objects.live().filter(municipality=world.bjorna).count() == 60
    assert sixty_actors == two_actors
    assert sixty_actors <= MAX_PATHWAY_QUERIES, sixty_actors


# --- 6. The two-step review workflow through the admin --------------------------------------------------------


@pytest.fixture
def draft_pathway(world, people):
    return make_pathway(
        world.index,
        "Nytt forløp",
        "nytt-forlop",
        [phase("Kartlegging", [step("Samtykke")])],
        publish=False,
        content_owner=people.owner,
    )


def _submit(client, page):
    data = page_edit_data(client, page)
    data["title"] = "Nytt forløp (revidert)"
    data["action-submit"] = "action-submit"
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response


def test_owner_submits_clinical_then_publisher_approve_and_only_then_it_is_live(world, people, draft_pathway):
    mail.outbox.clear()
    _submit(as_user(people.owner), draft_pathway)

    workflow_state, task_state = in_progress(draft_pathway)
    assert workflow_state.requested_by == people.owner
    assert task_state.task.name == "Klinisk godkjenning"
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live
    assert recipients() == ["klinikar2@helse.example", "klinikar@helse.example"]

    # The publisher cannot take the clinical step.
    workflow_action(as_user(people.publisher), draft_pathway, "approve", task_state)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    mail.outbox.clear()
    response = workflow_action(as_user(people.clinician), draft_pathway, "approve", task_state, "Faglig i orden")
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == people.clinician
    workflow_state, task_state = in_progress(draft_pathway)
    assert task_state.task.name == "Publisering av forløp"
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live  # approved clinically, not yet published
    assert recipients() == ["publisist@helse.example"]

    # The clinician cannot take the publishing step either.
    workflow_action(as_user(people.clinician2), draft_pathway, "approve", task_state)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live

    mail.outbox.clear()
    response = workflow_action(as_user(people.publisher), draft_pathway, "approve", task_state)
    assert response.status_code == 302
    page = PathwayPage.objects.get(pk=draft_pathway.pk)
    assert page.live
    assert page.title == "Nytt forløp (revidert)"
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    assert recipients() == ["eier@helse.example"]
    assert "Nytt forløp (revidert)" in get(Client(), page.url)


def test_clinical_rejection_sends_it_back_with_the_comment(world, people, draft_pathway):
    _submit(as_user(people.owner), draft_pathway)
    workflow_state, task_state = in_progress(draft_pathway)
    mail.outbox.clear()
    comment = "Kartleggingen må nevne samtykke til informasjonsdeling."

    response = workflow_action(as_user(people.clinician), draft_pathway, "reject", task_state, comment)

    assert response.status_code == 302
    task_state.refresh_from_db()
    workflow_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.get_comment() == comment
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live
    assert recipients() == ["eier@helse.example"]
    assert comment in mail.outbox[0].body
    # The publisher never got to see it.
    assert not TaskState.objects.filter(workflow_state=workflow_state, task__name="Publisering av forløp").exists()


def test_a_clinical_approver_cannot_publish_directly(world, people, draft_pathway):
    client = as_user(people.clinician)
    data = page_edit_data(client, draft_pathway)
    data["action-publish"] = "action-publish"
    client.post(f"/admin/pages/{draft_pathway.pk}/edit/", data)
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live
    # Nor can the owner.
    client = as_user(people.owner)
    data = page_edit_data(client, draft_pathway)
    data["action-publish"] = "action-publish"
    client.post(f"/admin/pages/{draft_pathway.pk}/edit/", data)
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live


# --- 7. Overdue review report and reminders ---------------------------------------------------------------------


def test_overdue_report_and_reminder_to_the_content_owner(world, people, verified_client, make_user):
    other_owner = make_user("annen-eier", email="annen@helse.example")
    today = timezone.localdate()
    make_pathway(
        world.index,
        "Forfalt forløp",
        "forfalt",
        [phase("Fase", [step("Samtykke")])],
        next_review=today - timedelta(days=3),
        content_owner=people.owner,
    )
    make_pathway(
        world.index,
        "Ferskt forløp",
        "ferskt",
        [phase("Fase", [step("Samtykke")])],
        next_review=today + timedelta(days=365),
        content_owner=other_owner,
    )

    response = verified_client(people.owner).get("/admin/rapporter/forlop-revisjon/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Forfalt forløp" in body
    assert "Ferskt forløp" not in body
    assert [p.title for p in response.context["object_list"]] == ["Forfalt forløp"]

    mail.outbox.clear()
    call_command("send_pathway_review_reminders")
    assert recipients() == ["eier@helse.example"]
    assert "Forfalt forløp" in mail.outbox[0].body
    assert "Ferskt forløp" not in mail.outbox[0].body
    assert f"/admin/pages/{PathwayPage.objects.get(slug='forfalt').pk}/edit/" in mail.outbox[0].body


def test_review_report_needs_pathway_permissions(world, people, make_user, verified_client):
    outsider = make_user("utenforstaende")
    response = verified_client(outsider).get("/admin/rapporter/forlop-revisjon/")
    assert response.status_code in (302, 403)


# --- 8. The admin warns before deleting or unpublishing what a pathway uses ------------------------------------


@pytest.fixture
def admin_client(make_user, verified_client):
    return verified_client(make_user("admin", superuser=True))


def _usage_summary(client, url, usage_url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert usage_url in response.content.decode()
    return response.context["usage_count"]


def test_deleting_or_unpublishing_an_actor_type_shows_its_use_in_a_pathway(admin_client, world):
    used = actor_type(UNUSED)
    make_pathway(
        world.index,
        "Barn med sammensatte behov",
        "barn",
        [phase("Fase", [step("Barnekoordinator oppnevnes", participants=(UNUSED,))])],
    )
    unused = actor_type("tsb")
    base = "/admin/snippets/directory/actortype"
    usage_url = f"{base}/usage/{used.pk}/"

    assert _usage_summary(admin_client, f"{base}/delete/{used.pk}/", usage_url) == 1
    assert _usage_summary(admin_client, f"{base}/unpublish/{used.pk}/", usage_url) == 1
    usage = admin_client.get(usage_url).content.decode()
    assert "Barn med sammensatte behov" in usage
    assert admin_client.get(f"{base}/delete/{unused.pk}/").context["usage_count"] == 0


def test_deleting_or_unpublishing_a_module_shows_the_pathways_using_it(admin_client, world):
    module = make_module("Evaluering", ["Evalueringsmøte"])
    make_pathway(world.index, "Forløp A", "forlop-a", [("module", module)])
    make_pathway(world.index, "Forløp B", "forlop-b", [phase("Start", [step("Samtykke")]), ("module", module)])
    base = "/admin/snippets/home/pathwaymodule"
    usage_url = f"{base}/usage/{module.pk}/"

    assert _usage_summary(admin_client, f"{base}/delete/{module.pk}/", usage_url) == 2
    assert _usage_summary(admin_client, f"{base}/unpublish/{module.pk}/", usage_url) == 2
    usage = admin_client.get(usage_url).content.decode()
    assert "Forløp A" in usage
    assert "Forløp B" in usage


# --- 9. Search ----------------------------------------------------------------------------------------------------


def test_search_finds_a_pathway_by_a_word_in_a_step(client, world):
    make_pathway(
        world.index,
        "Psykisk helse og rus",
        "psykisk-helse",
        [phase("Kartlegging", [step("Innhent samtykke", body="Bruk skjemaet for informasjonsdeling.")])],
    )
    make_pathway(world.index, "Annet forløp", "annet", [phase("Fase", [step("Avslutning", body="Ferdig.")])])
    body = get(client, "/sok/", q="informasjonsdeling")
    assert "Psykisk helse og rus" in body
    assert "Annet forløp" not in body


def test_search_with_an_empty_query_shows_no_results(client, world, pathway):
    for params in ({}, {"q": ""}, {"q": "   "}):
        body = get(client, "/sok/", **params)
        assert "search-results" not in body
        assert "Ingen treff" not in body


def test_search_escapes_the_query(client, world, pathway):
    attack = '"><script>alert(1)</script>'
    body = get(client, "/sok/", q=attack)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- 10. Step validation -------------------------------------------------------------------------------------------


def _step_value(**changes):
    raw = {
        "title": "Samtykke",
        "body": "<p>Innhent samtykke.</p>",
        "responsible_type": None,
        "responsible_role": "",
        "participants": [],
        "handover_trigger": "",
        "handover_to_type": None,
        "handover_to_role": "",
        "documents": [],
        "links": [],
        **changes,
    }
    return StepBlock().to_python(raw)


def test_a_step_needs_a_responsible_type_or_role_unless_the_pathway_awaits_clinical_content(world, pathway):
    from django.core.exceptions import ValidationError

    draft = pathway.get_latest_revision_as_object()
    draft.phases = [("phase", {"title": "Fase", "intro": "", "steps": [_step_value(title="Uten ansvarlig")]})]
    with pytest.raises(ValidationError) as error:
        draft.clean()
    assert "Velg en ansvarlig aktørtype eller LKT-rolle for steget «Uten ansvarlig»." in str(error.value)
    draft.awaiting_clinical_content = True
    draft.clean()  # a skeleton may leave it open
    # Either one alone is accepted.
    StepBlock().clean(_step_value(responsible_role="koordinator"))
    StepBlock().clean(_step_value(responsible_type=actor_type(KE).pk))
    with pytest.raises(StructBlockValidationError):
        StepBlock().clean(_step_value(responsible_type=actor_type(KE).pk, responsible_role="koordinator"))


@pytest.mark.parametrize("query", ["samtykke*", '"samtykke', "NOT", "AND", "NEAR(", "a:b", "^", "-", "SAMTYKKE"])
def test_search_survives_operator_characters(client, world, pathway, query):
    body = get(client, "/sok/", q=query)
    if "samtykke" in query.lower():
        assert "Psykisk helse og rus" in body


def test_search_finds_words_that_live_in_a_module_and_follows_its_changes(client, world, pathway):
    step = _step_value(title="Tverrfaglig gjennomgang", responsible_role="koordinator")
    module = PathwayModule(title="Evaluering", steps=[("step", step)])
    module.save()
    module.save_revision().publish()
    draft = pathway.get_latest_revision_as_object()
    draft.phases = [(block.block_type, block.value) for block in draft.phases] + [("module", module)]
    draft.save_revision().publish()
    assert pathway.title in get(client, "/sok/", q="tverrfaglig")

    module.steps = [("step", _step_value(title="Kvartalsvis statusmøte", responsible_role="koordinator"))]
    module.save_revision().publish()
    assert pathway.title in get(client, "/sok/", q="kvartalsvis")
