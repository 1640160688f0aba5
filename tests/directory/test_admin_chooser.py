"""The page chooser of an editor opens at a page they may see, even when every page of the type lies below a
municipality they may not see. A module of its own: it needs a directory where Bergen holds every actor page."""

from tests.directory.test_admin_isolation import BERGEN_LIVE, BERGEN_MUNICIPALITY_CHANGE, _change, check


def test_chooser_opens_at_a_visible_page_when_all_pages_of_a_type_lie_under_a_hidden_one(
    make_municipality, make_actor, make_user, client_for
):
    """Wagtail opens a typed chooser at the common ancestor of all pages of the type, hidden or not."""
    _, bj_editors, _ = make_municipality("4624")
    bergen, _, _ = make_municipality("4601")
    make_actor(bergen, BERGEN_LIVE)
    bergen.unpublish()
    _change(bergen, BERGEN_MUNICIPALITY_CHANGE, None)
    client = client_for(make_user("redaktor-bj", [bj_editors]))
    check(client, "/admin/choose-page/?page_type=directory.actorpage", shown=["Finn hjelp der du bor"])
