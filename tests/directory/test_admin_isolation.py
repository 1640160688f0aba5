"""No admin screen shows an editor or reviewer of one municipality another municipality's unpublished titles.

Bergen (4601) has a never-published actor page, a live actor page with an unpublished change of title and an
unpublished change to its municipality page's title; the index above all municipalities has an unpublished
change too. Bjørnafjorden (4624) has the same kinds of pages, whose draft titles its own people must still
see. Every screen is checked for its status first, so that no check passes on an error page.
"""

import json

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import Page, PageLogEntry

from directory.admin_isolation import IsolatedPageBulkAction
from directory.groups import NATIONAL_ADMINS
from directory.models import ActorPage, MunicipalityIndexPage
from tests import factories

BERGEN_DRAFT = "Hemmelig Bergen-utkast"
BERGEN_CHANGE = "Hemmelig Bergen-endring"
BERGEN_MUNICIPALITY_CHANGE = "Hemmelig Bergen-kommune-endring"
INDEX_CHANGE = "Hemmelig endring av oppslagssiden"
NATIONAL_DRAFT = "Hemmelig nasjonalt utkast"
SECRETS = (BERGEN_DRAFT, BERGEN_CHANGE, BERGEN_MUNICIPALITY_CHANGE, INDEX_CHANGE, NATIONAL_DRAFT)

OWN_DRAFT = "Synlig Bjornafjorden-utkast"
OWN_CHANGE = "Synlig Bjornafjorden-endring"
BERGEN_LIVE = "Bergen legevakt"

BULK_ACTIONS = ("delete", "move", "publish", "unpublish", "confirm")


def _draft(parent, title, user):
    page = ActorPage(title=title, live=False, phone="55 00 00 00")
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    PageLogEntry.objects.log_action(page, "wagtail.create", user=user)
    return page


def _change(page, title, user):
    page.title = title
    page.save_revision(user=user, log_action=True)
    return page


def _lock(page, user):
    page.locked, page.locked_by, page.locked_at = True, user, timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])


def _build():
    """Bergen's secrets are edited last, so that a report of the latest edits would pick them."""
    bjornafjorden, bj_editors, bj_reviewers = factories.municipality("4624")
    bergen, bg_editors, _ = factories.municipality("4601")
    bj_editor = factories.make_user("redaktor-bj", [bj_editors])
    bg_editor = factories.make_user("redaktor-bg", [bg_editors])
    make_actor, make_user = factories.make_actor, factories.make_user

    bergen_live = make_actor(bergen, BERGEN_LIVE)
    _change(ActorPage.objects.get(pk=bergen_live.pk), BERGEN_CHANGE, bg_editor)
    own_changed = make_actor(bjornafjorden, "Bjørnafjorden legevakt")
    _change(ActorPage.objects.get(pk=own_changed.pk), OWN_CHANGE, bj_editor)
    own_draft = _draft(bjornafjorden, OWN_DRAFT, bj_editor)
    bergen_draft = _draft(bergen, BERGEN_DRAFT, bg_editor)
    _change(bergen, BERGEN_MUNICIPALITY_CHANGE, bg_editor)
    index = MunicipalityIndexPage.objects.get()
    _change(index, INDEX_CHANGE, None)
    national_draft = Page(title=NATIONAL_DRAFT, live=False)
    index.get_parent().add_child(instance=national_draft)

    bjornafjorden.get_workflow().start(own_draft, bj_editor)
    bergen_workflow_state = bergen.get_workflow().start(bergen_draft, bg_editor)
    _lock(ActorPage.objects.get(pk=own_draft.pk), bj_editor)
    _lock(ActorPage.objects.get(pk=bergen_draft.pk), bg_editor)

    return {
        "index": index,
        "bjornafjorden": bjornafjorden,
        "bergen": bergen,
        "own_draft": own_draft,
        "own_changed": own_changed,
        "bergen_draft": bergen_draft,
        "bergen_live": bergen_live,
        "bergen_task": bergen_workflow_state.current_task_state.task,
        "editor": bj_editor,
        "reviewer": make_user("godkjenner-bj", [bj_reviewers]),
        "national": make_user("nasjonal", [Group.objects.get(name=NATIONAL_ADMINS)]),
        "superuser": make_user("admin", superuser=True),
    }


@pytest.fixture(scope="module")
def _two_municipalities(module_db):
    with module_db():
        return factories.keys_of(_build())


@pytest.fixture
def two_municipalities(db, _two_municipalities):
    """Bjørnafjorden's and Bergen's pages, drafts, changes and people (see the module's docstring), built once for
    the module; each test gets instances of its own."""
    return factories.fresh(_two_municipalities)


@pytest.fixture(params=["editor", "reviewer"])
def role(request):
    return request.param


@pytest.fixture
def staff(two_municipalities, role, verified_client):
    """Bjørnafjorden's editor or reviewer, logged in with a verified second factor."""
    return verified_client(two_municipalities[role])


def _text(response):
    if response.get("Content-Type", "").startswith("application/json"):
        # Modal and API responses are JSON, with non-ASCII letters escaped unless dumped again.
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def check(client, url, status=200, shown=(), hidden=SECRETS, data=None):
    """Fetch (or post to) a screen: its status first, then what it must and must not show."""
    response = client.get(url) if data is None else client.post(url, data)
    assert response.status_code == status, f"{url} answered {response.status_code}, not {status}"
    text = _text(response)
    for title in hidden:
        assert title not in text, f"{url} shows {title!r}"
    for title in shown:
        assert title in text, f"{url} does not show {title!r}"
    return response


# --- the page chooser ------------------------------------------------------------------------------------------------


def test_chooser_browse(staff, two_municipalities):
    check(staff, f"/admin/choose-page/{two_municipalities['index'].get_parent().pk}/", shown=["Finn hjelp der du bor"])
    check(staff, f"/admin/choose-page/{two_municipalities['bjornafjorden'].pk}/", shown=[OWN_DRAFT, OWN_CHANGE])
    check(staff, f"/admin/choose-page/{two_municipalities['bergen'].pk}/", shown=[BERGEN_LIVE])
    check(staff, f"/admin/choose-page/{two_municipalities['index'].pk}/", shown=["Bjørnafjorden", "Bergen"])
    check(staff, "/admin/choose-page/?page_type=directory.actorpage", shown=["Bjørnafjorden"])
    check(staff, f"/admin/choose-page/{two_municipalities['bergen_draft'].pk}/", status=404)


def test_chooser_choose_a_parent_for_move_and_copy(staff, two_municipalities):
    own, bergen = two_municipalities["own_draft"].pk, two_municipalities["bergen"].pk
    check(staff, f"/admin/choose-page/{bergen}/?user_perms=move_to&target_pages[]={own}", shown=[BERGEN_LIVE])
    check(staff, f"/admin/choose-page/{bergen}/?user_perms=copy_to", shown=[BERGEN_LIVE])
    check(staff, f"/admin/choose-page/{two_municipalities['bjornafjorden'].pk}/?user_perms=copy_to", shown=[OWN_DRAFT])


def test_chooser_search(staff, two_municipalities):
    check(staff, "/admin/choose-page/search/?q=Hemmelig")
    check(staff, "/admin/choose-page/search/?q=Synlig", shown=[OWN_DRAFT])
    # Found by its live title, shown by it, and so is its parent (Bergen's municipality page).
    check(staff, "/admin/choose-page/search/?q=legevakt", shown=[BERGEN_LIVE, OWN_CHANGE])


def test_chooser_chosen_multiple(staff, two_municipalities):
    url = "/admin/choose-page/chosen-multiple/"
    check(
        staff,
        f"{url}?id={two_municipalities['bergen_live'].pk}&id={two_municipalities['own_draft'].pk}",
        shown=[BERGEN_LIVE, OWN_DRAFT],
    )
    check(
        staff, f"{url}?id={two_municipalities['bergen_draft'].pk}&id={two_municipalities['own_draft'].pk}", status=404
    )


def test_external_link_to_a_page_gives_its_live_title(staff, two_municipalities):
    url = two_municipalities["bergen_live"].get_url()
    data = {"external-link-chooser-url": url, "external-link-chooser-link_text": ""}
    response = check(staff, "/admin/choose-external-link/", data=data, shown=[BERGEN_LIVE])
    assert response.json()["result"]["id"] == two_municipalities["bergen_live"].pk


# --- explorer, admin search, admin API -------------------------------------------------------------------------------


def test_explorer_and_breadcrumbs(staff, two_municipalities):
    check(staff, f"/admin/pages/{two_municipalities['bjornafjorden'].pk}/", shown=[OWN_DRAFT, OWN_CHANGE])
    check(staff, f"/admin/pages/{two_municipalities['own_changed'].pk}/edit/", shown=[OWN_CHANGE, "Bjørnafjorden"])
    check(staff, f"/admin/pages/{two_municipalities['bergen'].pk}/", status=302)
    check(staff, f"/admin/pages/{two_municipalities['bergen_draft'].pk}/", status=404)
    check(staff, "/admin/pages/usage/directory/municipalitypage/", shown=["Bjørnafjorden"])
    check(staff, "/admin/pages/usage/directory/actorpage/", shown=[OWN_DRAFT, OWN_CHANGE])


def test_admin_page_search(staff, two_municipalities):
    check(staff, "/admin/pages/search/?q=Hemmelig")
    check(staff, "/admin/pages/search/?q=Synlig", shown=[OWN_DRAFT])
    check(staff, "/admin/pages/search/results/?q=legevakt", shown=[OWN_CHANGE])


def test_admin_api(staff, two_municipalities):
    """The sidebar's page explorer: a page's parent (here the index) is named by its live title."""
    bjornafjorden = two_municipalities["bjornafjorden"].pk
    check(staff, f"/admin/api/main/pages/{bjornafjorden}/", shown=["Bjørnafjorden", "Finn hjelp der du bor"])
    check(staff, f"/admin/api/main/pages/?child_of={bjornafjorden}&for_explorer=1", shown=[OWN_DRAFT])
    check(staff, f"/admin/api/main/pages/{two_municipalities['bergen_draft'].pk}/", status=404)


def test_dashboard(staff, two_municipalities):
    check(staff, "/admin/")


# --- reports ---------------------------------------------------------------------------------------------------------


def test_page_types_usage_report(staff, two_municipalities):
    """The last edited actor page anywhere is Bergen's draft; the last one this user may see is their own."""
    check(staff, "/admin/reports/page-types-usage/", shown=[OWN_DRAFT, "Bergen"])
    check(staff, "/admin/reports/page-types-usage/results/", shown=[OWN_DRAFT, "Bergen"])


def test_other_reports(staff, two_municipalities, role):
    check(staff, "/admin/reports/aging-pages/", shown=[OWN_CHANGE] if role == "reviewer" else [])
    if role == "reviewer":
        check(staff, "/admin/reports/locked/", shown=[OWN_DRAFT])
    else:
        check(staff, "/admin/reports/locked/", status=302)  # locked pages are for those who may unlock
    check(staff, "/admin/reports/workflow/", shown=[OWN_DRAFT])
    check(staff, "/admin/reports/workflow_tasks/", shown=[OWN_DRAFT])
    check(staff, "/admin/reports/site-history/", shown=[OWN_DRAFT, OWN_CHANGE])


# --- move and copy ---------------------------------------------------------------------------------------------------


def test_move(staff, two_municipalities):
    own = two_municipalities["own_draft"].pk
    check(staff, f"/admin/pages/{own}/move/", shown=[OWN_DRAFT])
    check(staff, f"/admin/pages/{own}/move/{two_municipalities['bjornafjorden'].pk}/confirm/", shown=[OWN_DRAFT])
    # A live destination is named by its live title; a hidden one does not exist.
    check(staff, f"/admin/pages/{own}/move/{two_municipalities['bergen'].pk}/confirm/", shown=[OWN_DRAFT, "Bergen"])
    check(staff, f"/admin/pages/{own}/move/{two_municipalities['bergen_draft'].pk}/confirm/", status=404)


def test_copy(staff, two_municipalities):
    own = two_municipalities["own_draft"].pk
    check(staff, f"/admin/pages/{own}/copy/", shown=[OWN_DRAFT, "Bjørnafjorden"])
    # An invalid form is shown again with the chosen parent, here by its live title.
    invalid = {"new_title": "", "new_slug": ""}
    check(
        staff,
        f"/admin/pages/{own}/copy/",
        data={**invalid, "new_parent_page": two_municipalities["bergen"].pk},
        shown=["Bergen"],
    )
    check(
        staff,
        f"/admin/pages/{own}/copy/",
        data={**invalid, "new_parent_page": two_municipalities["bergen_draft"].pk},
        status=404,
    )


def test_choose_parent_for_a_new_page(staff, two_municipalities):
    url = "/admin/pages/create/directory/actorpage"
    check(staff, url, data={"parent_page": two_municipalities["bergen_draft"].pk}, status=404)
    # The one valid parent: straight to the form.
    check(staff, url, status=302)


# --- bulk actions ----------------------------------------------------------------------------------------------------


def test_bulk_action_confirmations(staff, two_municipalities):
    ids = "&".join(
        f"id={two_municipalities[name].pk}" for name in ("bergen_draft", "bergen_live", "own_draft", "own_changed")
    )
    for action in BULK_ACTIONS:
        url = f"/admin/bulk/wagtailcore/page/{action}/"
        check(staff, f"{url}?{ids}", shown=[OWN_DRAFT, OWN_CHANGE])
        check(staff, f"{url}?id={two_municipalities['bergen_draft'].pk}", status=404)
        check(staff, f"{url}?id=all&childOf={two_municipalities['bergen'].pk}", shown=[BERGEN_LIVE])


def test_bulk_move_to_a_hidden_page(staff, two_municipalities):
    url = f"/admin/bulk/wagtailcore/page/move/?id={two_municipalities['own_draft'].pk}"
    check(staff, url, data={"chooser": two_municipalities["bergen_draft"].pk}, status=404)
    # A live one is named by its live title (and the move refused).
    check(staff, url, data={"chooser": two_municipalities["bergen"].pk}, shown=[OWN_DRAFT, "Bergen"])


def test_every_page_bulk_action_is_isolated(two_municipalities):
    actions = bulk_action_registry.get_bulk_actions_for_model("wagtailcore", "page")
    assert {action.action_type for action in actions} >= set(BULK_ACTIONS)
    assert all(issubclass(action, IsolatedPageBulkAction) for action in actions)


# --- revisions, history, workflow ------------------------------------------------------------------------------------


def test_revisions_history_and_workflow(staff, two_municipalities):
    own, bergen_live, bergen_draft = (
        two_municipalities["own_changed"].pk,
        two_municipalities["bergen_live"].pk,
        two_municipalities["bergen_draft"].pk,
    )
    check(staff, f"/admin/pages/{own}/revisions/compare/live...latest/", shown=[OWN_CHANGE])
    check(staff, f"/admin/pages/{own}/history/", shown=[OWN_CHANGE])
    check(staff, f"/admin/pages/{bergen_live}/revisions/compare/live...latest/", status=302)
    check(staff, f"/admin/pages/{bergen_live}/history/", status=302)
    revision = two_municipalities["bergen_live"].latest_revision.pk
    check(staff, f"/admin/pages/{bergen_live}/revisions/{revision}/view/", status=302)
    for url in (
        f"/admin/pages/{bergen_draft}/revisions/compare/earliest...latest/",
        f"/admin/pages/{bergen_draft}/history/",
        f"/admin/pages/{bergen_draft}/edit/",
        f"/admin/pages/{bergen_draft}/workflow_history/",
        f"/admin/pages/workflow/confirm_cancellation/{bergen_draft}/",
        f"/admin/pages/workflow/preview/{bergen_draft}/{two_municipalities['bergen_task'].pk}/",
    ):
        check(staff, url, status=404)


# --- national administrators and superusers see everything -----------------------------------------------------------


@pytest.mark.parametrize("who", ["national", "superuser"])
def test_national_administrators_and_superusers_see_everything(two_municipalities, who, client_for):
    client = client_for(two_municipalities[who])
    bergen_draft = two_municipalities["bergen_draft"].pk
    check(
        client, f"/admin/choose-page/{two_municipalities['index'].get_parent().pk}/", shown=[NATIONAL_DRAFT], hidden=()
    )
    check(
        client, f"/admin/choose-page/{two_municipalities['bergen'].pk}/", shown=[BERGEN_DRAFT, BERGEN_CHANGE], hidden=()
    )
    check(client, "/admin/choose-page/search/?q=Hemmelig", shown=[BERGEN_DRAFT], hidden=())
    check(client, "/admin/reports/page-types-usage/", shown=[BERGEN_DRAFT, BERGEN_MUNICIPALITY_CHANGE], hidden=())
    check(client, f"/admin/bulk/wagtailcore/page/publish/?id={bergen_draft}", shown=[BERGEN_DRAFT], hidden=())
    own = two_municipalities["own_draft"].pk
    check(client, f"/admin/pages/{own}/move/{bergen_draft}/confirm/", shown=[BERGEN_DRAFT], hidden=())


def test_the_explorer_and_admin_search_keep_filtering_by_permission():
    """Wagtail's explorer search and admin page search list only explorable pages unless this is turned off."""
    assert getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True) is True


def test_only_the_admin_request_sees_live_titles(staff, two_municipalities):
    """The public page and the stored draft title are untouched by what the admin showed."""
    check(staff, f"/admin/choose-page/{two_municipalities['bergen'].pk}/", shown=[BERGEN_LIVE])
    assert Page.objects.get(pk=two_municipalities["bergen_live"].pk).draft_title == BERGEN_CHANGE
    response = staff.get(two_municipalities["bergen_live"].get_url())
    assert response.status_code == 200
    assert BERGEN_LIVE in response.content.decode()
