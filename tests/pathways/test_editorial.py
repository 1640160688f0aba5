"""Pathway documents as editors handle them: the two-step review workflow (clinical approval, then publishing)
through the admin, the overdue review report and reminders, the admin's warnings before deleting or unpublishing
what a pathway uses, and the validation of a step."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from directory.models import ActorType
from home.blocks import StepBlock
from home.models import PathwayPage
from tests.factories import (
    COORDINATING_UNIT as KE,
)
from tests.factories import (
    make_module,
    make_pathway,
    page_body,
    page_text,
    pathway_phase,
    pathway_step,
    step_block_value,
    verify_client,
)

UNUSED = "barnekoordinator"  # no actor has it; only the pathway below names it


def actor_type(slug):
    return ActorType.objects.get(slug=slug)


def as_user(user):
    return verify_client(Client(), user)


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
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200, response.status_code
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    draft = page.get_latest_revision_as_object()
    for key, value in block_form_data(PathwayPage.phases.field.stream_block, draft.phases, "phases").items():
        data[key] = value
    return data


def workflow_action(client, page, action, task_state, comment=""):
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def in_progress(page):
    workflow_state = WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    return workflow_state, workflow_state.current_task_state


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


# --- 1. The two-step review workflow through the admin --------------------------------------------------------


@pytest.fixture
def draft_pathway(units_and_index, pathway_people):
    return make_pathway(
        units_and_index.index,
        "Nytt forløp",
        "nytt-forlop",
        [pathway_phase("Kartlegging", [pathway_step("Samtykke")])],
        publish=False,
        content_owner=pathway_people.owner,
    )


def _submit(client, page):
    data = page_edit_data(client, page)
    data["title"] = "Nytt forløp (revidert)"
    data["action-submit"] = "action-submit"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response


def test_owner_submits_clinical_then_publisher_approve_and_only_then_it_is_live(pathway_people, draft_pathway):
    mail.outbox.clear()
    _submit(as_user(pathway_people.owner), draft_pathway)

    workflow_state, task_state = in_progress(draft_pathway)
    assert workflow_state.requested_by == pathway_people.owner
    assert task_state.task.name == "Klinisk godkjenning"
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live
    assert recipients() == ["klinikar2@helse.example", "klinikar@helse.example"]

    # The publisher cannot take the clinical step.
    workflow_action(as_user(pathway_people.publisher), draft_pathway, "approve", task_state)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    mail.outbox.clear()
    response = workflow_action(
        as_user(pathway_people.clinician), draft_pathway, "approve", task_state, "Faglig i orden"
    )
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == pathway_people.clinician
    workflow_state, task_state = in_progress(draft_pathway)
    assert task_state.task.name == "Publisering av forløp"
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live  # approved clinically, not yet published
    assert recipients() == ["publisist@helse.example"]

    # The clinician cannot take the publishing step either.
    workflow_action(as_user(pathway_people.clinician2), draft_pathway, "approve", task_state)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live

    mail.outbox.clear()
    response = workflow_action(as_user(pathway_people.publisher), draft_pathway, "approve", task_state)
    assert response.status_code == 302
    page = PathwayPage.objects.get(pk=draft_pathway.pk)
    assert page.live
    assert page.title == "Nytt forløp (revidert)"
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    assert recipients() == ["eier@helse.example"]
    assert "Nytt forløp (revidert)" in page_body(Client(), page.url)


def test_each_godkjenn_says_what_came_of_it(pathway_people, draft_pathway):
    """Wagtail says nothing after an approval: the reviewer is told whether the pathway went on to publishing or is
    now public, and the one who asks for changes that the public version is unchanged."""
    _submit(as_user(pathway_people.owner), draft_pathway)
    _, task_state = in_progress(draft_pathway)
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft_pathway.pk, "approve", task_state.pk])
    text = page_text(as_user(pathway_people.clinician).post(url, {"comment": ""}, follow=True))
    assert "«Nytt forløp (revidert)» er godkjent i dette trinnet og sendt videre til «Publisering av forløp»" in text

    _, task_state = in_progress(draft_pathway)
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft_pathway.pk, "approve", task_state.pk])
    text = page_text(as_user(pathway_people.publisher).post(url, {"comment": ""}, follow=True))
    assert "«Nytt forløp (revidert)» er godkjent og publisert" in text
    assert PathwayPage.objects.get(pk=draft_pathway.pk).live

    _submit(as_user(pathway_people.owner), draft_pathway)
    _, task_state = in_progress(draft_pathway)
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft_pathway.pk, "reject", task_state.pk])
    text = page_text(as_user(pathway_people.clinician).post(url, {"comment": "Mangler kilder."}, follow=True))
    assert "er sendt tilbake med ønske om endringer. Den publiserte versjonen er uendret." in text


def test_clinical_rejection_sends_it_back_with_the_comment(pathway_people, draft_pathway):
    _submit(as_user(pathway_people.owner), draft_pathway)
    workflow_state, task_state = in_progress(draft_pathway)
    mail.outbox.clear()
    comment = "Kartleggingen må nevne samtykke til informasjonsdeling."

    response = workflow_action(as_user(pathway_people.clinician), draft_pathway, "reject", task_state, comment)

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


def test_a_clinical_approver_cannot_publish_directly(pathway_people, draft_pathway):
    url = reverse("wagtailadmin_pages:edit", args=[draft_pathway.pk])
    client = as_user(pathway_people.clinician)
    data = page_edit_data(client, draft_pathway)
    data["action-publish"] = "action-publish"
    assert client.post(url, data).status_code == 302
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live
    # Nor can the owner.
    client = as_user(pathway_people.owner)
    data = page_edit_data(client, draft_pathway)
    data["action-publish"] = "action-publish"
    assert client.post(url, data).status_code == 302
    assert not PathwayPage.objects.get(pk=draft_pathway.pk).live


# --- 2. Overdue review report and reminders ---------------------------------------------------------------------


def test_overdue_report_and_reminder_to_the_content_owner(units_and_index, pathway_people, verified_client, make_user):
    other_owner = make_user("annen-eier", email="annen@helse.example")
    today = timezone.localdate()
    make_pathway(
        units_and_index.index,
        "Forfalt forløp",
        "forfalt",
        [pathway_phase("Fase", [pathway_step("Samtykke")])],
        next_review=today - timedelta(days=3),
        content_owner=pathway_people.owner,
    )
    make_pathway(
        units_and_index.index,
        "Ferskt forløp",
        "ferskt",
        [pathway_phase("Fase", [pathway_step("Samtykke")])],
        next_review=today + timedelta(days=365),
        content_owner=other_owner,
    )

    response = verified_client(pathway_people.owner).get(reverse("pathway_reviews"))
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
    overdue = PathwayPage.objects.get(slug="forfalt")
    assert reverse("wagtailadmin_pages:edit", args=[overdue.pk]) in mail.outbox[0].body


@pytest.mark.usefixtures("pathway_people")
def test_review_report_needs_pathway_permissions(make_user, verified_client):
    outsider = make_user("utenforstaende")
    response = verified_client(outsider).get(reverse("pathway_reviews"))
    # Without access to the admin at all, Wagtail sends the user to its login page.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


# --- 3. The admin warns before deleting or unpublishing what a pathway uses ------------------------------------


@pytest.fixture
def admin_client(make_user, verified_client):
    return verified_client(make_user("admin", superuser=True))


def _snippet_url(model, action, instance):
    return reverse(f"wagtailsnippets_{model}:{action}", args=[instance.pk])


def _usage_summary(client, url, usage_url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert usage_url in response.content.decode()
    return response.context["usage_count"]


def test_deleting_or_unpublishing_an_actor_type_shows_its_use_in_a_pathway(admin_client, units_and_index):
    used = actor_type(UNUSED)
    make_pathway(
        units_and_index.index,
        "Barn med sammensatte behov",
        "barn",
        [pathway_phase("Fase", [pathway_step("Barnekoordinator oppnevnes", participants=(UNUSED,))])],
    )
    unused = actor_type("tsb")
    usage_url = _snippet_url("directory_actortype", "usage", used)

    assert _usage_summary(admin_client, _snippet_url("directory_actortype", "delete", used), usage_url) == 1
    assert _usage_summary(admin_client, _snippet_url("directory_actortype", "unpublish", used), usage_url) == 1
    usage = page_body(admin_client, usage_url)
    assert "Barn med sammensatte behov" in usage
    response = admin_client.get(_snippet_url("directory_actortype", "delete", unused))
    assert response.status_code == 200
    assert response.context["usage_count"] == 0


def test_deleting_or_unpublishing_a_module_shows_the_pathways_using_it(admin_client, units_and_index):
    module = make_module("Evaluering", ["Evalueringsmøte"])
    make_pathway(units_and_index.index, "Forløp A", "forlop-a", [("module", module)])
    make_pathway(
        units_and_index.index,
        "Forløp B",
        "forlop-b",
        [pathway_phase("Start", [pathway_step("Samtykke")]), ("module", module)],
    )
    usage_url = _snippet_url("home_pathwaymodule", "usage", module)

    assert _usage_summary(admin_client, _snippet_url("home_pathwaymodule", "delete", module), usage_url) == 2
    assert _usage_summary(admin_client, _snippet_url("home_pathwaymodule", "unpublish", module), usage_url) == 2
    usage = page_body(admin_client, usage_url)
    assert "Forløp A" in usage
    assert "Forløp B" in usage


# --- 4. Step validation -------------------------------------------------------------------------------------------


def test_a_step_needs_a_responsible_type_or_role_unless_the_pathway_awaits_clinical_content(pathway):

    draft = pathway.get_latest_revision_as_object()
    draft.phases = [("phase", {"title": "Fase", "intro": "", "steps": [step_block_value(title="Uten ansvarlig")]})]
    with pytest.raises(ValidationError) as error:
        draft.clean()
    assert "Velg en ansvarlig aktørtype eller LKT-rolle for steget «Uten ansvarlig»." in str(error.value)
    draft.awaiting_clinical_content = True
    draft.clean()  # a skeleton may leave it open
    # Either one alone is accepted.
    StepBlock().clean(step_block_value(responsible_role="koordinator"))
    StepBlock().clean(step_block_value(responsible_type=actor_type(KE).pk))
    with pytest.raises(StructBlockValidationError):
        StepBlock().clean(step_block_value(responsible_type=actor_type(KE).pk, responsible_role="koordinator"))
