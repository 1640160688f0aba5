"""The Wagtail admin shows the process menu and «Mine oppgaver» only to those with a need to know."""

import pytest
from django.urls import reverse

from tests import factories
from workflows import groups

pytestmark = pytest.mark.django_db


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def menu_item():
    """The sidebar's menu item for the process app, as the admin renders it (from JSON)."""
    return f'"url": "{reverse("forlop:index")}"'


def test_dashboard_panel_lists_my_waiting_tasks_with_links(care, client_for):
    coordinator = client_for(care.coordinator)
    process = factories.register_process(coordinator)
    html = dashboard(coordinator)
    assert "Mine oppgaver (1)" in html
    assert factories.task_url(process, "consent", action="index") in html
    assert "Astrid Testesen" in html
    assert menu_item() in html


def test_dashboard_panel_and_menu_hidden_from_users_without_processes(care, client_for, make_user):
    coordinator = client_for(care.coordinator)
    factories.register_process(coordinator)
    editor = make_user("redaktor", [groups.ensure_care_team()])
    html = dashboard(client_for(editor))
    assert "Mine oppgaver" not in html
    assert "Astrid Testesen" not in html
    assert menu_item() not in html


def test_outsider_sees_an_empty_panel_not_other_municipalities_tasks(care, client_for):
    factories.register_process(client_for(care.coordinator))
    html = dashboard(client_for(care.outsider))
    assert "Mine oppgaver (0)" in html
    assert "Astrid Testesen" not in html
