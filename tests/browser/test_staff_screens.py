"""The staff screens LKT owns, in headless Chromium: the coordinator's desk and the editor's day.

axe-core finds no serious or critical WCAG 2.1 A/AA violation on the care-process screens (process page, diagram,
a task form, the audit log, the inbox), on the two-factor pages, and in the panels LKT adds to Wagtail's dashboard;
the process screens do not scroll sideways on a phone (they were 705 px wide); the editor confirms an overdue
actor from the dashboard with one click and sees «Sist bekreftet» in the explorer. With LKT_SCREENSHOTS=1,
screenshots at 390 and 1280 px are kept in the test's tmp_path for a person to look at.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import ActorConfirmation
from tests import factories
from workflows import groups

from .axe import AXE, WCAG_AA
from .conftest import keep_screenshot, totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data"),
    pytest.mark.slow,
]


def serious_violations_in(page, selector=None):
    """axe's serious and critical violations in the part of the page LKT owns (``selector``), or the whole page."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    violations = page.evaluate(
        "async ([tags, selector]) => (await axe.run(selector ? {include: [[selector]]} : document,"
        " {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0, 5)])",
        [WCAG_AA, selector],
    )
    return [v for v in violations if v[1] in ("serious", "critical")]


def scroll_width(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.reload()
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth")


def log_in(page, user, device):
    page.goto(reverse("wagtailadmin_login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(re.escape(reverse("accounts:verify")) + r"(\?|$)"))
    assert not serious_violations_in(page)  # the two-factor page
    token = page.locator("input[name=token]")
    token.fill(totp_code(device))
    token.press("Enter")
    page.wait_for_url(re.compile(re.escape(reverse("wagtailadmin_home")) + "$"))


def test_the_coordinators_screens_pass_axe_and_fit_a_phone(new_page, staff_with_totp, tmp_path):
    unit = groups.ensure_coordinating_unit("4624").group
    coordinator, device = staff_with_totp("koordinator.os", [unit])
    coordinator.first_name, coordinator.last_name = "Kari", "Koordinator"
    coordinator.save()
    client = factories.verify_client(Client(), coordinator)
    members = [(role, name, org, phone, "") for role, name, org, phone, _user in factories.MEMBERS]
    members[0] = (*members[0][:4], "koordinator.os")
    process = factories.to_approval(client, members=members)
    task = factories.open_task(process, "approve_contact_doctor")
    done = process.task_set.filter(flow_task_type="HUMAN", status="DONE").order_by("pk").first()
    at_team = factories.through_consent(client)
    factories.post_step(client, at_team, "good_day", factories.good_day())
    team_task = factories.open_task(at_team, "actor_map")
    at_plan = factories.through_team(client, members)
    plan_task = factories.open_task(at_plan, "draft_plan")
    screens = {
        # The team and plan forms: formset cards with help text (contrast, aria-describedby), selects of names.
        "aktorfellesskap": team_task.flow_task.reverse("execute", args=[at_team.pk, team_task.pk]),
        "plan": plan_task.flow_task.reverse("execute", args=[at_plan.pk, plan_task.pk]),
        "prosess": factories.detail_url(process),
        "diagram": reverse("forlop:diagram", args=[process.pk]),
        "oppgave": task.flow_task.reverse("execute", args=[process.pk, task.pk]),
        "utfort-steg": done.flow_task.reverse("detail", args=[process.pk, done.pk]),
        "revisjonslogg": f"{reverse('forlop:audit_log')}?forlop={process.pk}",
        "innboks": reverse("forlop:inbox"),
    }
    page = new_page()
    log_in(page, coordinator, device)
    assert not serious_violations_in(page, "#mine-oppgaver")
    assert "Frist" in page.locator("#mine-oppgaver").inner_text()
    keep_screenshot(page, tmp_path / "oversikt-1280.png", full_page=False)
    for name, url in screens.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        page.wait_for_load_state()
        assert page.get_by_role("link", name="Til nettstedet").is_visible(), name
        assert not serious_violations_in(page), name
        keep_screenshot(page, tmp_path / f"{name}-1280.png")
        assert scroll_width(page, 320) <= 320, name
        keep_screenshot(page, tmp_path / f"{name}-390.png")
        assert page.get_by_role("button", name="Logg ut").first.is_visible(), name
    print(f"Screenshots of the coordinator's screens: {tmp_path}")


def test_the_editor_confirms_from_the_dashboard_and_sees_when_each_actor_was_confirmed(
    new_page, staff_with_totp, tmp_path
):
    municipality, _, _ = factories.municipality("4624")
    actor = factories.make_actor(municipality, "Koordinerende enhet Bjørnafjorden")
    ActorConfirmation.objects.filter(page=actor).update(confirmed_at=timezone.now() - datetime.timedelta(days=800))
    editors = Group.objects.get(name__startswith="Redaktører – Bjørnafjorden")
    editor, device = staff_with_totp("redaktor.os", [editors])
    page = new_page()
    log_in(page, editor, device)
    panel = page.locator(".lkt-dashboard-panel")
    assert "Koordinerende enhet Bjørnafjorden" in panel.inner_text()
    assert not serious_violations_in(page, ".lkt-dashboard-panel")
    keep_screenshot(page, tmp_path / "redaktor-oversikt-1280.png")
    panel.get_by_role("button", name="Bekreft uendret: Koordinerende enhet Bjørnafjorden").click()
    page.wait_for_url(re.compile(re.escape(reverse("wagtailadmin_home")) + "$"))
    assert "1 aktør er bekreftet uendret." in page.locator("body").inner_text()
    assert "Alle aktørene er bekreftet" in page.locator(".lkt-dashboard-panel").inner_text()

    page.goto(reverse("wagtailadmin_explore", args=[municipality.pk]))
    page.wait_for_load_state()
    assert "Sist bekreftet" in page.locator("main").inner_text()
    keep_screenshot(page, tmp_path / "redaktor-utforsker-1280.png")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(reverse("wagtailadmin_home"))
    keep_screenshot(page, tmp_path / "redaktor-oversikt-390.png")
    print(f"Screenshots of the editor's screens: {tmp_path}")
