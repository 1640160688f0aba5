"""The editor's day: the dashboard shows the editor's own municipality (overdue confirmations with «Bekreft
uendret» right there, pages waiting for review, recent changes), the overdue report confirms per row, the actor form
puts the contact data first and groups the actor types, the explorer shows «Sist bekreftet», and «Godkjenn» says
what was published."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from directory.models import ActorConfirmation, ActorPage
from tests import factories

pytestmark = pytest.mark.django_db
ACTOR = "Koordinerende enhet Bjørnafjorden"


@pytest.fixture
def bjornafjorden(db):
    page, editors, reviewers = factories.municipality("4624")
    actor = factories.make_actor(page, ACTOR)
    other, _, _ = factories.municipality("4625")
    austevoll = factories.make_actor(other, "Koordinerende enhet Austevoll")
    long_ago = timezone.now() - datetime.timedelta(days=800)
    ActorConfirmation.objects.filter(page__in=[actor, austevoll]).update(confirmed_at=long_ago)
    return {
        "page": page,
        "actor": actor,
        "austevoll": austevoll,
        "editor": factories.verify_client(Client(), factories.make_user("redaktor", [editors])),
        "reviewer": factories.verify_client(Client(), factories.make_user("godkjenner", [reviewers])),
    }


def test_the_dashboard_shows_the_editors_own_municipality_with_confirm_right_there(bjornafjorden):
    editor = bjornafjorden["editor"]
    page = factories.page_text(editor.get(reverse("wagtailadmin_home")))
    panel = page.split("Aktørkartet for Bjørnafjorden", 1)[1]
    assert ACTOR in panel and "Koordinerende enhet Austevoll" not in page
    assert "Bekreft uendret" in panel and "Venter på godkjenning" in panel and "Siste endringer" in panel
    form = panel.split('<form method="post" action="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    response = editor.post(form, {})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    confirmed = ActorConfirmation.objects.get(page=bjornafjorden["actor"])
    assert confirmed.confirmed_at > timezone.now() - datetime.timedelta(minutes=1)
    assert ACTOR not in factories.page_text(editor.get(reverse("wagtailadmin_home"))).split("Forfalt bekreftelse")[1]


def test_an_editor_cannot_confirm_another_municipalitys_actor_from_a_crafted_form(bjornafjorden):
    editor = bjornafjorden["editor"]
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "confirm"))
    editor.post(f"{url}?id={bjornafjorden['austevoll'].pk}", {})
    confirmed = ActorConfirmation.objects.get(page=bjornafjorden["austevoll"])
    assert confirmed.confirmed_at < timezone.now() - datetime.timedelta(days=700)


def test_the_dashboard_lists_pages_waiting_for_review(bjornafjorden):
    editor, actor = bjornafjorden["editor"], bjornafjorden["actor"]
    url = reverse("wagtailadmin_pages:edit", args=[actor.pk])
    data = querydict_from_html(editor.get(url).content.decode(), form_id="page-edit-form")
    data["action-submit"] = "action-submit"
    assert editor.post(url, data).status_code == 302
    page = factories.page_text(bjornafjorden["reviewer"].get(reverse("wagtailadmin_home")))
    waiting = page.split("Venter på godkjenning", 1)[1].split("Siste endringer", 1)[0]
    assert ACTOR in waiting and "redaktor" in waiting


def test_the_overdue_report_confirms_each_row(bjornafjorden):
    editor = bjornafjorden["editor"]
    page = factories.page_text(editor.get(reverse("directory_overdue")))
    assert page.count("Bekreft uendret: ") == 1
    form = page.split('<form method="post" action="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    response = editor.post(form, {})
    assert response.status_code == 302 and response["Location"] == reverse("directory_overdue")
    assert ACTOR not in factories.page_text(editor.get(reverse("directory_overdue")))


def test_the_actor_form_puts_contact_data_first_and_groups_the_actor_types(bjornafjorden):
    page = factories.page_text(
        bjornafjorden["editor"].get(reverse("wagtailadmin_pages:edit", args=[bjornafjorden["actor"].pk]))
    )
    positions = [page.index(f'name="{name}"') for name in ("title", "phone", "email", "visiting_address")]
    positions += [page.index('name="opening_hours"'), page.index('name="actor_types"')]
    assert positions == sorted(positions)
    types = page[page.index("lkt-grouped-checkboxes") :]
    municipal = types.index("<legend>Kommunale tjenester</legend>")
    assert municipal < types.index("<legend>Spesialisthelsetjenesten</legend>")


def test_the_explorer_listing_shows_when_each_actor_was_last_confirmed(bjornafjorden, django_assert_max_num_queries):
    editor, page = bjornafjorden["editor"], bjornafjorden["page"]
    for i in range(3):
        factories.make_actor(page, f"Aktør {i}")
    with django_assert_max_num_queries(60):
        response = editor.get(reverse("wagtailadmin_explore", args=[page.pk]))
    text = factories.page_text(response)
    assert "Sist bekreftet" in text
    assert ActorPage.objects.filter(municipality=page).count() == 4


def test_godkjenn_says_what_was_published(bjornafjorden):
    editor, reviewer, actor = bjornafjorden["editor"], bjornafjorden["reviewer"], bjornafjorden["actor"]
    url = reverse("wagtailadmin_pages:edit", args=[actor.pk])
    data = querydict_from_html(editor.get(url).content.decode(), form_id="page-edit-form")
    data["phone"] = "55 44 33 22"
    data["action-submit"] = "action-submit"
    editor.post(url, data)
    state = WorkflowState.objects.get(object_id=str(actor.pk), status="in_progress").current_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=[actor.pk, "approve", state.pk])
    response = reviewer.post(approve, {"comment": ""}, follow=True)
    text = factories.page_text(response)
    assert f"«{ACTOR}» er godkjent og publisert" in text
    assert actor.url in text or "Se siden" in text
