"""Review before publishing, end to end through the admin: submit, notify, approve or reject, history, schedule."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from directory.models import ActorPage
from tests import factories
from tests.factories import verify_client

OLD = "55 11 22 33"
NEW = "55 44 33 22"
SCHEDULED = "55 66 77 88"


@pytest.fixture(scope="module")
def _actor_and_reviewers(module_db):
    with module_db():
        bjornafjorden, bj_editors, bj_reviewers = factories.municipality("4624")
        austevoll, au_editors, au_reviewers = factories.municipality("4625")
        factories.make_actor(austevoll, "Koordinerende enhet Austevoll", contacts=(("Ola Nordmann", "Leder", OLD),))
        user = factories.make_user
        return factories.keys_of(
            {
                "municipality": bjornafjorden,
                "actor": factories.make_actor(
                    bjornafjorden, "Koordinerende enhet Bjørnafjorden", contacts=(("Kari Nordmann", "Leder", OLD),)
                ),
                "editor": user("redaktor-bj", groups=[bj_editors], email="redaktor@bjornafjorden.example"),
                "reviewer": user("godkjenner-bj", groups=[bj_reviewers], email="godkjenner@bjornafjorden.example"),
                "reviewer2": user("godkjenner2-bj", groups=[bj_reviewers], email="godkjenner2@bjornafjorden.example"),
                "au_reviewer": user("godkjenner-au", groups=[au_reviewers], email="godkjenner@austevoll.example"),
                "au_editor": user("redaktor-au", groups=[au_editors], email="redaktor@austevoll.example"),
                "superuser": user("admin", superuser=True, email="admin@example.com"),
            }
        )


@pytest.fixture
def actor_and_reviewers(db, _actor_and_reviewers):
    """Bjørnafjorden's coordinating unit (published with its phone number) with the municipality's editor and two
    reviewers; Austevoll's editor and reviewer with an actor of their own; and a superuser. Built once for the
    module."""
    return factories.fresh(_actor_and_reviewers)


def _as(user):
    return verify_client(Client(), user)


def _form(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return querydict_from_html(response.content.decode(), form_id="page-edit-form")


def _edit(client, page, action=None, **fields):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = _form(client, url)
    assert data["contacts-0-name"] == "Kari Nordmann"
    for name, value in fields.items():
        data[name.replace("__", "-")] = value
    if action:
        data[action] = action
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    return response


def _errors(response):
    context = getattr(response, "context", None) or {}
    form = context.get("form") if hasattr(context, "get") else None
    return form.errors if form is not None else response.status_code


def _submit_new_phone(people, phone=NEW):
    client = _as(people["editor"])
    _edit(client, people["actor"], "action-submit", contacts__0__phone=phone)
    return client


def _live_contact_phone(page):
    return ActorPage.objects.get(pk=page.pk).contacts.get().phone


def _public(page):
    page = ActorPage.objects.get(pk=page.pk)
    anonymous = Client()
    actor_page, actor_map = anonymous.get(page.url), anonymous.get(page.get_parent().url)
    assert (actor_page.status_code, actor_map.status_code) == (200, 200)
    return actor_page.content.decode() + actor_map.content.decode()


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def _workflow_action_url(page, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


def _refused(response):
    """Wagtail refuses an admin action by sending the user to the dashboard with a message."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def _current_task_state(page):
    workflow_state = WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    return workflow_state, workflow_state.current_task_state


def test_submitting_puts_the_change_in_review_and_tells_only_this_municipalitys_reviewers(actor_and_reviewers):
    w = actor_and_reviewers
    assert _public(w["actor"]).count(OLD) >= 1
    mail.outbox.clear()

    _submit_new_phone(w)

    workflow_state, task_state = _current_task_state(w["actor"])
    assert workflow_state.requested_by == w["editor"]
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert workflow_state.workflow.name == "Godkjenning – Bjørnafjorden (4624)"
    assert _live_contact_phone(w["actor"]) == OLD
    public = _public(w["actor"])
    assert OLD in public
    assert NEW not in public
    assert _recipients() == ["godkjenner2@bjornafjorden.example", "godkjenner@bjornafjorden.example"]
    assert all("Koordinerende enhet Bjørnafjorden" in message.subject + message.body for message in mail.outbox)


def test_reviewer_approves_and_the_public_page_shows_the_new_number(actor_and_reviewers):
    w = actor_and_reviewers
    _submit_new_phone(w)
    _, task_state = _current_task_state(w["actor"])
    mail.outbox.clear()
    reviewer = _as(w["reviewer"])

    response = reviewer.post(_workflow_action_url(w["actor"], "approve", task_state), {"comment": "Ser bra ut"})

    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == w["reviewer"]
    assert _live_contact_phone(w["actor"]) == NEW
    public = _public(w["actor"])
    assert NEW in public
    assert OLD not in public
    assert "redaktor@bjornafjorden.example" in _recipients()
    assert not WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()


def test_reviewer_of_another_municipality_cannot_approve(actor_and_reviewers):
    w = actor_and_reviewers
    _submit_new_phone(w)
    workflow_state, task_state = _current_task_state(w["actor"])
    outsider = _as(w["au_reviewer"])

    response = outsider.post(_workflow_action_url(w["actor"], "approve", task_state), {"comment": "Godkjent"})
    assert _refused(response)

    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert _live_contact_phone(w["actor"]) == OLD
    # The editor who submitted cannot approve their own change either.
    response = _as(w["editor"]).post(_workflow_action_url(w["actor"], "approve", task_state), {"comment": "ok"})
    assert _refused(response)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert _live_contact_phone(w["actor"]) == OLD


def test_rejection_keeps_the_old_number_stores_the_comment_and_tells_the_editor(actor_and_reviewers):
    w = actor_and_reviewers
    _submit_new_phone(w)
    workflow_state, task_state = _current_task_state(w["actor"])
    mail.outbox.clear()
    comment = "Nummeret går til sentralbordet, bruk direktenummeret."

    response = _as(w["reviewer"]).post(_workflow_action_url(w["actor"], "reject", task_state), {"comment": comment})

    assert response.status_code == 302
    task_state.refresh_from_db()
    workflow_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.get_comment() == comment
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert _live_contact_phone(w["actor"]) == OLD
    assert NEW not in _public(w["actor"])
    assert _recipients() == ["redaktor@bjornafjorden.example"]
    assert comment in mail.outbox[0].body


def test_history_lists_the_change_and_the_reviewer_can_revert(actor_and_reviewers):
    w = actor_and_reviewers
    _submit_new_phone(w)
    _, task_state = _current_task_state(w["actor"])
    reviewer = _as(w["reviewer"])
    assert reviewer.post(_workflow_action_url(w["actor"], "approve", task_state), {"comment": ""}).status_code == 302
    assert _live_contact_phone(w["actor"]) == NEW

    history = reviewer.get(reverse("wagtailadmin_pages:history", args=[w["actor"].pk]))
    assert history.status_code == 200
    actions = set(PageLogEntry.objects.filter(page=w["actor"]).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions
    body = history.content.decode()
    assert w["editor"].get_username() in body or "redaktor-bj" in body
    assert w["reviewer"].get_username() in body or "godkjenner-bj" in body

    # The first revision (the original number) can be restored by the reviewer.
    first = Revision.page_revisions.filter(object_id=str(w["actor"].pk)).order_by("created_at", "pk").first()
    assert first.as_object().contacts.get().phone == OLD
    url = reverse("wagtailadmin_pages:revisions_revert", args=[w["actor"].pk, first.pk])
    data = _form(reviewer, url)
    assert data["contacts-0-phone"] == OLD
    data["action-publish"] = "action-publish"
    response = reviewer.post(url, data)
    assert response.status_code == 302, _errors(response)
    assert _live_contact_phone(w["actor"]) == OLD
    assert OLD in _public(w["actor"])
    assert "wagtail.revert" in set(PageLogEntry.objects.filter(page=w["actor"]).values_list("action", flat=True))


def test_scheduled_publishing_waits_for_its_time(actor_and_reviewers, monkeypatch):
    w = actor_and_reviewers
    reviewer = _as(w["reviewer"])
    go_live = timezone.localtime() + timedelta(days=2)
    _edit(
        reviewer,
        w["actor"],
        "action-publish",
        contacts__0__phone=SCHEDULED,
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
    )
    revision = ActorPage.objects.get(pk=w["actor"].pk).latest_revision
    assert revision.approved_go_live_at is not None
    assert revision.approved_go_live_at > timezone.now()
    assert _live_contact_phone(w["actor"]) == OLD

    call_command("publish_scheduled")
    assert _live_contact_phone(w["actor"]) == OLD
    assert SCHEDULED not in _public(w["actor"])

    # The time comes (freezegun is not installed: move Django's clock three days on for the command).
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=3))
    call_command("publish_scheduled")
    monkeypatch.undo()
    assert _live_contact_phone(w["actor"]) == SCHEDULED
    assert SCHEDULED in _public(w["actor"])


def test_godkjenn_sent_twice_from_the_editor_is_taken_once_and_the_second_is_told(actor_and_reviewers):
    """«Godkjenn» with a comment posts the whole edit form with the action; a double click sends it twice."""
    w = actor_and_reviewers
    _submit_new_phone(w)
    reviewer = _as(w["reviewer"])
    url = reverse("wagtailadmin_pages:edit", args=[w["actor"].pk])
    data = _form(reviewer, url)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = '{"comment": "Ser bra ut"}'

    first = reviewer.post(url, data)
    assert first.status_code == 302
    assert _live_contact_phone(w["actor"]) == NEW
    revisions = ActorPage.objects.get(pk=w["actor"].pk).revisions.count()

    second = reviewer.post(url, data)
    assert second.status_code == 302
    assert second["Location"] == url
    assert "Denne godkjenningen er allerede behandlet" in factories.page_text(reviewer.get(url))
    actor = ActorPage.objects.get(pk=w["actor"].pk)
    # No draft saved on top of what was just approved and published.
    assert actor.revisions.count() == revisions
    assert not actor.has_unpublished_changes


def test_the_editors_autosave_never_carries_out_godkjenn(actor_and_reviewers):
    """Wagtail adds the action to the edit form before submitting it; an autosave sent meanwhile must not act."""
    w = actor_and_reviewers
    _submit_new_phone(w)
    reviewer = _as(w["reviewer"])
    url = reverse("wagtailadmin_pages:edit", args=[w["actor"].pk])
    data = _form(reviewer, url)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = '{"comment": "Ser bra ut"}'
    revisions = ActorPage.objects.get(pk=w["actor"].pk).revisions.count()

    autosave = reviewer.post(url, data, headers={"Accept": "application/json"})
    assert autosave.status_code == 400
    assert autosave.json()["success"] is False
    _, task_state = _current_task_state(w["actor"])
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert ActorPage.objects.get(pk=w["actor"].pk).revisions.count() == revisions
    assert _live_contact_phone(w["actor"]) == OLD
    # The form's own submit then approves.
    assert reviewer.post(url, data).status_code == 302
    assert _live_contact_phone(w["actor"]) == NEW
