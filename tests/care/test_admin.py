"""The Wagtail admin shows the process menu and «Mine oppgaver» only to those with a need to know."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_dashboard_panel_lists_my_waiting_tasks_with_links(care, client_for):
    coordinator = client_for(care.coordinator)
    process = factories.register_process(coordinator)
    response = coordinator.get("/admin/")
    html = response.content.decode()
    assert "Mine oppgaver (1)" in html
    assert factories.task_url(process, "consent", action="index") in html
    assert "Astrid Testesen" in html
    assert '"url": "/prosesser/forlop/"' in html  # the sidebar menu item (rendered from JSON)


def test_dashboard_panel_and_menu_hidden_from_users_without_processes(care, client_for, make_user):
    coordinator = client_for(care.coordinator)
    factories.register_process(coordinator)
    from workflows import groups

    editor = make_user("redaktor", [groups.ensure_care_team()])
    html = client_for(editor).get("/admin/").content.decode()
    assert "Mine oppgaver" not in html
    assert "Astrid Testesen" not in html
    assert '"url": "/prosesser/forlop/"' not in html


def test_outsider_sees_an_empty_panel_not_other_municipalities_tasks(care, client_for):
    factories.register_process(client_for(care.coordinator))
    html = client_for(care.outsider).get("/admin/").content.decode()
    assert "Mine oppgaver (0)" in html
    assert "Astrid Testesen" not in html


def test_dashboard_panel_query_count_does_not_grow_with_tasks(care, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coordinator = client_for(care.coordinator)
    factories.register_process(coordinator)
    with CaptureQueriesContext(connection) as one:
        coordinator.get("/admin/")
    for _ in range(4):
        factories.register_process(coordinator)
    with CaptureQueriesContext(connection) as five:
        coordinator.get("/admin/")
    assert len(five) == len(one)
