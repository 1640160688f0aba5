"""Who may do what in the admin: each municipality's editors and reviewers stay inside their own actor map."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageLogEntry
from wagtail.test.utils.form_data import querydict_from_html

from directory.groups import NATIONAL_ADMINS
from directory.models import ActorPage, ActorType
from tests import factories
from tests.factories import verify_client

OLD_PHONE = "55 00 00 00"
NEW_PHONE = "55 99 99 99"


@pytest.fixture(scope="module")
def _two_actor_maps(module_db):
    with module_db():
        bjornafjorden, bj_editors, bj_reviewers = factories.municipality("4624")
        austevoll, au_editors, au_reviewers = factories.municipality("4625")
        return factories.keys_of(
            {
                "bjornafjorden": bjornafjorden,
                "austevoll": austevoll,
                "bj_actor": factories.make_actor(bjornafjorden, "Koordinerende enhet Bjørnafjorden", phone=OLD_PHONE),
                "au_actor": factories.make_actor(austevoll, "Koordinerende enhet Austevoll", phone=OLD_PHONE),
                "bj_editor": factories.make_user("redaktor-bj", groups=[bj_editors]),
                "bj_reviewer": factories.make_user("godkjenner-bj", groups=[bj_reviewers]),
                "au_editor": factories.make_user("redaktor-au", groups=[au_editors]),
                "superuser": factories.make_user("admin", superuser=True),
            }
        )


@pytest.fixture
def two_actor_maps(db, _two_actor_maps):
    """Bjørnafjorden and Austevoll with one actor each, Bjørnafjorden's editor and reviewer, Austevoll's editor,
    and a superuser (built once for the module)."""
    return factories.fresh(_two_actor_maps)


def edit_form_data(page, user=None, form_id="page-edit-form", url=None):
    """The complete edit form of a page as the admin renders it (read with a separate, verified client)."""
    reader = verify_client(Client(), user) if user else None
    response = reader.get(url or reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id=form_id)


def _state(page):
    """What the public sees of a page, and where it sits in the tree."""
    page = ActorPage.objects.get(pk=page.pk)
    return {
        "title": page.title,
        "phone": page.phone,
        "live": page.live,
        "path": page.path,
        "locked": page.locked,
        "parent": page.get_parent().pk,
        "view_restrictions": page.view_restrictions.count(),
    }


def _denied(response):
    """Wagtail refuses a forbidden admin action by sending the user to the dashboard with a message."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def _changed_form(page, superuser):
    data = edit_form_data(page, superuser)
    data["phone"] = NEW_PHONE
    data["title"] = "Overtatt av en annen kommune"
    return data


# --- an editor of Bjørnafjorden against Austevoll's pages ------------------------------------------------------------


def _admin_url(name, page, *more):
    return reverse(f"wagtailadmin_pages:{name}", args=[page.pk, *more])


def _add_actor_url(parent):
    return reverse("wagtailadmin_pages:add", args=["directory", "actorpage", parent.pk])


def _edit_get(client, w):
    return client.get(_admin_url("edit", w["au_actor"]))


def _edit_post(client, w):
    return client.post(_admin_url("edit", w["au_actor"]), _changed_form(w["au_actor"], w["superuser"]))


def _publish(client, w):
    data = _changed_form(w["au_actor"], w["superuser"])
    data["action-publish"] = "action-publish"
    return client.post(_admin_url("edit", w["au_actor"]), data)


def _submit(client, w):
    data = _changed_form(w["au_actor"], w["superuser"])
    data["action-submit"] = "Send til godkjenning"
    return client.post(_admin_url("edit", w["au_actor"]), data)


def _move_get(client, w):
    return client.get(_admin_url("move", w["au_actor"]))


def _move_confirm(client, w):
    return client.post(_admin_url("move_confirm", w["au_actor"], w["bjornafjorden"].pk))


def _move_own_page_away(client, w):
    # Moving one's own page into the other municipality needs permission there too.
    return client.post(_admin_url("move_confirm", w["bj_actor"], w["austevoll"].pk))


def _delete_get(client, w):
    return client.get(_admin_url("delete", w["au_actor"]))


def _delete(client, w):
    return client.post(_admin_url("delete", w["au_actor"]))


def _unpublish(client, w):
    return client.post(_admin_url("unpublish", w["au_actor"]))


def _add_child_get(client, w):
    return client.get(_add_actor_url(w["austevoll"]))


def _add_child_post(client, w):
    data = edit_form_data(None, w["superuser"], url=_add_actor_url(w["austevoll"]))
    data.update({"title": "Falsk aktør", "slug": "falsk-aktor", "phone": NEW_PHONE})
    data.setlist("actor_types", [str(ActorType.objects.first().pk)])
    return client.post(_add_actor_url(w["austevoll"]), data)


def _lock(client, w):
    return client.post(_admin_url("lock", w["au_actor"]))


def _unlock(client, w):
    w["au_actor"].locked = True
    w["au_actor"].locked_by = w["au_editor"]
    w["au_actor"].save(update_fields=["locked", "locked_by"])
    return client.post(_admin_url("unlock", w["au_actor"]))


def _privacy(client, w):
    return client.post(_admin_url("set_privacy", w["au_actor"]), {"restriction_type": "login"})


def _revert(client, w):
    """The revert form as the admin renders it for the revision (its rows are the revision's), changed and sent."""
    url = _admin_url("revisions_revert", w["au_actor"], w["au_actor"].latest_revision.pk)
    data = edit_form_data(w["au_actor"], w["superuser"], url=url)
    data["phone"] = NEW_PHONE
    data["title"] = "Overtatt av en annen kommune"
    return client.post(url, {**data.dict(), "action-publish": "action-publish"})


FORBIDDEN = [
    _edit_get,
    _edit_post,
    _publish,
    _submit,
    _move_get,
    _move_confirm,
    _move_own_page_away,
    _delete_get,
    _delete,
    _unpublish,
    _add_child_get,
    _add_child_post,
    _lock,
    _unlock,
    _privacy,
    _revert,
]


@pytest.mark.parametrize("action", FORBIDDEN, ids=[f.__name__.strip("_") for f in FORBIDDEN])
def test_editor_cannot_touch_another_municipality(client, two_actor_maps, action):
    w = two_actor_maps
    before_au, before_bj = _state(w["au_actor"]), _state(w["bj_actor"])
    au_children = w["austevoll"].get_children().count()
    revisions = w["au_actor"].revisions.count()
    verify_client(client, w["bj_editor"])

    response = action(client, w)

    assert _denied(response), (response.status_code, response.get("Location"))
    if action is not _unlock:
        assert _state(w["au_actor"]) == before_au
    else:
        assert _state(w["au_actor"])["locked"]
    assert _state(w["bj_actor"]) == before_bj
    assert w["austevoll"].get_children().count() == au_children
    assert w["au_actor"].revisions.count() == revisions
    assert not Page.objects.filter(slug="falsk-aktor").exists()
    assert not PageLogEntry.objects.filter(page=w["au_actor"], user=w["bj_editor"]).exists()


# What the superuser's same request answers: a form to fill in, Wagtail's privacy dialog, or a redirect once done.
OFFERS_A_FORM = {_edit_get, _move_get, _delete_get, _add_child_get}


@pytest.mark.parametrize("action", FORBIDDEN, ids=[f.__name__.strip("_") for f in FORBIDDEN])
def test_each_forbidden_action_does_work_for_someone_allowed(client, two_actor_maps, action):
    """Control for the test above: the same request by a superuser takes effect, so a denial means something."""
    w = two_actor_maps
    before = _state(w["au_actor"]) if action is not _unlock else None
    before_bj = _state(w["bj_actor"])
    au_children = w["austevoll"].get_children().count()
    revisions = w["au_actor"].revisions.count()
    verify_client(client, w["superuser"])

    response = action(client, w)

    if action in OFFERS_A_FORM:
        assert response.status_code == 200
        return
    # The privacy dialog answers its POST with 200 (JSON for the modal); every other action redirects when done.
    assert response.status_code == (200 if action is _privacy else 302)
    assert not _denied(response), response.get("Location")
    assert (
        not ActorPage.objects.filter(pk=w["au_actor"].pk).exists()
        or (action is _unlock and not _state(w["au_actor"])["locked"])
        or (before is not None and _state(w["au_actor"]) != before)
        or _state(w["bj_actor"]) != before_bj
        or w["austevoll"].get_children().count() != au_children
        or w["au_actor"].revisions.count() != revisions
    ), (response.status_code, response.get("Location"))


def test_austevoll_pages_are_not_offered_to_bjornafjorden_editor(client, two_actor_maps):
    w = two_actor_maps
    verify_client(client, w["bj_editor"])
    explorer = client.get(reverse("wagtailadmin_explore", args=[w["austevoll"].pk]))
    # Wagtail sends the editor to the part of the tree they may explore instead: their own actor map.
    assert explorer.status_code == 302
    assert explorer["Location"] == reverse("wagtailadmin_explore", args=[w["bjornafjorden"].pk])
    shown = client.get(explorer["Location"])
    assert shown.status_code == 200
    assert reverse("wagtailadmin_pages:edit", args=[w["au_actor"].pk]) not in shown.content.decode()


# --- an editor and a reviewer in their own municipality -----------------------------------------------------------


def test_editor_can_save_a_draft_of_own_actor(client, two_actor_maps):
    w = two_actor_maps
    verify_client(client, w["bj_editor"])
    data = edit_form_data(w["bj_actor"], w["bj_editor"])
    data["phone"] = NEW_PHONE
    response = client.post(_admin_url("edit", w["bj_actor"]), data)
    assert response.status_code == 302
    page = ActorPage.objects.get(pk=w["bj_actor"].pk)
    assert page.phone == OLD_PHONE, "a draft must not change what the public sees"
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert draft.phone == NEW_PHONE
    assert page.latest_revision.user == w["bj_editor"]


def test_editor_cannot_publish_own_actor_directly(client, two_actor_maps):
    w = two_actor_maps
    verify_client(client, w["bj_editor"])
    response = client.get(_admin_url("edit", w["bj_actor"]))
    assert response.status_code == 200
    edit_page = response.content.decode()
    assert 'name="action-publish"' not in edit_page
    assert 'name="action-submit"' in edit_page

    data = edit_form_data(w["bj_actor"], w["bj_editor"])
    data["phone"] = NEW_PHONE
    data["action-publish"] = "action-publish"
    response = client.post(_admin_url("edit", w["bj_actor"]), data)
    assert response.status_code == 302
    page = ActorPage.objects.get(pk=w["bj_actor"].pk)
    assert page.phone == OLD_PHONE
    public = client.get(page.url)
    assert public.status_code == 200
    assert public.content.decode().count(NEW_PHONE) == 0
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.publish", user=w["bj_editor"]).exists()


def test_reviewer_can_publish_own_actor_directly(client, two_actor_maps):
    w = two_actor_maps
    verify_client(client, w["bj_reviewer"])
    data = edit_form_data(w["bj_actor"], w["bj_reviewer"])
    data["phone"] = NEW_PHONE
    data["action-publish"] = "action-publish"
    response = client.post(_admin_url("edit", w["bj_actor"]), data)
    assert response.status_code == 302
    page = ActorPage.objects.get(pk=w["bj_actor"].pk)
    assert page.phone == NEW_PHONE
    assert NEW_PHONE in client.get(page.url).content.decode()


def test_reviewer_cannot_publish_in_another_municipality(client, two_actor_maps):
    w = two_actor_maps
    verify_client(client, w["bj_reviewer"])
    before = _state(w["au_actor"])
    response = _publish(client, w)
    assert _denied(response)
    assert _state(w["au_actor"]) == before


# --- the national catalogue ------------------------------------------------------------------------------------------


def _actor_type_url(action, actor_type=None):
    args = [] if actor_type is None else [actor_type.pk]
    return reverse(f"wagtailsnippets_directory_actortype:{action}", args=args)


def _actor_type_edit_url(actor_type):
    return _actor_type_url("edit", actor_type)


def test_municipal_editor_cannot_change_the_national_catalogue(client, two_actor_maps):
    w = two_actor_maps
    actor_type = ActorType.objects.get(slug="koordinerende-enhet-kommune")
    name = actor_type.name
    verify_client(client, w["bj_editor"])
    assert _denied(client.get(_actor_type_edit_url(actor_type)))
    data = edit_form_data(None, w["superuser"], form_id="w-editor-form", url=_actor_type_edit_url(actor_type))
    data["name"] = "Endret av en kommune"
    for action in ({}, {"action-publish": "action-publish"}):
        response = client.post(_actor_type_edit_url(actor_type), {**data.dict(), **action})
        assert _denied(response)
    response = client.post(_actor_type_url("delete", actor_type))
    assert _denied(response)
    actor_type.refresh_from_db()
    assert actor_type.name == name
    assert ActorType.objects.filter(pk=actor_type.pk).exists()
    assert actor_type.revisions.filter(user=w["bj_editor"]).count() == 0
    assert _denied(client.get(_actor_type_url("add")))


def test_national_admin_can_change_the_national_catalogue(client, make_user):
    from django.contrib.auth.models import Group

    admin = make_user("nasjonal", groups=[Group.objects.get(name=NATIONAL_ADMINS)])
    actor_type = ActorType.objects.get(slug="koordinerende-enhet-kommune")
    verify_client(client, admin)
    data = edit_form_data(None, admin, form_id="w-editor-form", url=_actor_type_edit_url(actor_type))
    data["name"] = "Koordinerende enhet (endret)"
    data["action-publish"] = "action-publish"
    response = client.post(_actor_type_edit_url(actor_type), data)
    assert response.status_code == 302
    actor_type.refresh_from_db()
    assert actor_type.name == "Koordinerende enhet (endret)"
    assert actor_type.live


def test_anonymous_user_is_sent_to_login(client, two_actor_maps):
    au_actor = two_actor_maps["au_actor"]
    login = reverse("wagtailadmin_login")
    for url in (
        reverse("wagtailadmin_home"),
        _admin_url("edit", au_actor),
        _admin_url("delete", au_actor),
        _actor_type_edit_url(ActorType.objects.first()),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    response = client.post(_admin_url("delete", au_actor))
    assert response.status_code == 302
    assert response["Location"].startswith(login)
    assert ActorPage.objects.filter(pk=au_actor.pk).exists()


def test_municipalities_with_the_same_name_get_separate_groups_and_workflows(make_actor, make_user):
    """Norway has two Herøy (1515 and 1818) and two Våler: each must have its own map, reviewers and workflow."""
    from django.core import mail
    from wagtail.models import WorkflowState

    from directory.groups import create_municipality
    from directory.models import Municipality

    Municipality.objects.create(number="1515", name="Herøy")
    Municipality.objects.create(number="1818", name="Herøy")
    south, south_editors, south_reviewers = create_municipality("1515")
    north, north_editors, north_reviewers = create_municipality("1818")
    create_municipality("1515")  # idempotent: running it again changes nothing

    assert south.pk != north.pk
    assert south.url != north.url
    assert {south_editors.pk, south_reviewers.pk}.isdisjoint({north_editors.pk, north_reviewers.pk})
    south_workflow, north_workflow = south.get_workflow(), north.get_workflow()
    assert south_workflow != north_workflow
    assert [t.specific.groups.get() for t in south_workflow.tasks] == [south_reviewers]
    assert [t.specific.groups.get() for t in north_workflow.tasks] == [north_reviewers]

    actor = make_actor(south, "Koordinerende enhet Herøy (Møre og Romsdal)")
    make_user("godkjenner-nord", groups=[north_reviewers])
    make_user("godkjenner-sor", groups=[south_reviewers])
    editor = make_user("redaktor-sor", groups=[south_editors])
    client = verify_client(Client(), editor)
    data = edit_form_data(actor, editor)
    data["phone"] = NEW_PHONE
    data["action-submit"] = "Send til godkjenning"
    mail.outbox.clear()
    assert client.post(_admin_url("edit", actor), data).status_code == 302
    assert WorkflowState.objects.get(object_id=str(actor.pk)).workflow == south_workflow
    assert sorted(a for m in mail.outbox for a in m.to) == ["godkjenner-sor@example.com"]
