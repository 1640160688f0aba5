"""Viewflow's own interface (menu, lists, statuses, chart) speaks Norwegian: locale/nb holds its strings."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from tests import factories

pytestmark = pytest.mark.django_db

MENU = {"Inbox": "Mine oppgaver", "Queue": "Ufordelte oppgaver", "Archive": "Utførte oppgaver", "Dashboard": "Oversikt"}


def visible_text(response):
    """What the user reads: text between tags and in titles, without scripts, styles and icon ligatures."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    page = re.sub(r'<i class="material-icons[^"]*">[^<]*</i>', "", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_catalogue_translates_viewflows_menu_and_statuses():
    with translation.override("nb"):
        for english, norwegian in MENU.items():
            assert gettext(english) == norwegian
        assert gettext("Execute") == "Utfør"
        assert pgettext("STATUS", "Assigned") == "Tildelt"
        assert pgettext("STATUS", "Done") == "Utført"
        # Django's and Wagtail's own bokmål catalogues still answer for their strings.
        assert gettext("Enter a valid date.") == "Oppgi en gyldig dato."
        assert gettext("Pages") == "Sider"
        assert gettext("Log out") == "Logg ut"


def test_inbox_shows_the_norwegian_menu(care, client_for):
    coordinator = client_for(care.coordinator)
    factories.register_process(coordinator)
    response = coordinator.get(reverse("forlop:inbox"))
    assert response.status_code == 200
    text = visible_text(response)
    assert "Mine oppgaver" in text
    assert "Inbox" not in text
    for english, norwegian in MENU.items():
        assert norwegian in text
        assert not re.search(rf"\b{english}\b", text), english
    assert "Applications" not in text
    assert "1–1 av 1" in text and " of " not in text


def test_process_pages_show_norwegian_statuses_and_chart(care, client_for):
    coordinator = client_for(care.coordinator)
    process = factories.through_consent(coordinator)
    response = coordinator.get(reverse("forlop:process_detail", args=[process.pk]))
    assert response.status_code == 200
    detail = visible_text(response)
    assert "Tildelt" in detail and "Utført" in detail
    assert "Assigned" not in detail and "Done" not in detail
    response = coordinator.get(reverse("forlop:process_chart", args=[process.pk]))
    assert response.status_code == 200
    chart = response.content.decode()
    assert ">Min gode dag<" in chart and "Min Gode Dag" not in chart
    assert ">ja<" in chart and ">yes<" not in chart
