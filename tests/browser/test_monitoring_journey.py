"""Self-monitoring in real headless Chromium, from the plan to the acknowledged alert.

The coordinator (password and TOTP) adds the «Hjertesvikt» example template to a draft plan, keeps the weight,
sets the patient's thresholds and actions, removes the rest and sends the plan for approval; the plan is approved.
The patient logs in through TestID over OpenID Connect, reports a red weight on Min side and sees the red zone and
the action agreed with her at once. The GP – the member the plan named for red – finds the alert on the Wagtail
dashboard, sees the value, zone, agreed response and trend, and acknowledges it. The chart shows the value as a
point inside the red band. Min side's pages pass axe-core (no serious or critical WCAG 2.1 AA violation) and reflow
at 320 px.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lkt_site.settings.testid import client_settings
from monitoring.models import Alert, MonitoringTemplate, PlanParameter, Report
from monitoring.seed import seed_templates
from testid.clients import callback_uris, ensure_client
from tests import factories as steps
from tests.conftest import verify_client
from tests.monitoring.conftest import monitoring_rows
from workflows.models import CareProcess, PlanVersion
from workflows.national_id import synthetic

from .axe import scrolls_sideways_at_320, serious_violations
from .test_care_journey import submit
from .test_editor_journey import log_in_with_totp
from .test_patient_journey import log_in_with_testid

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PATIENT_PID = synthetic(datetime.date(1948, 2, 11))
RED_ACTION = "Ring fastlegen i dag."
RED_RESPONSE = "Fastlegen vurderer deg samme dag."


@pytest.fixture
def drafting(migrated_data, care, settings, live_server):
    """A process at the plan step with a saved draft, templates shipped, TestID at the live server, TOTP devices."""
    settings.LKT_OIDC = client_settings(f"{live_server.url}/testid")
    ensure_client(callback_uris(live_server.url))
    seed_templates()
    care.gp.first_name, care.gp.last_name = "Ola", "Lege"
    care.gp.save()
    coordinator = verify_client(Client(), care.coordinator)
    process = steps.through_consent(coordinator, national_id=PATIENT_PID)
    steps.post_step(coordinator, process, "good_day", steps.good_day())
    steps.post_step(coordinator, process, "actor_map", steps.team())
    draft = steps.plan(process)
    draft.update(monitoring_rows([]))
    draft["_save"] = "1"
    steps.post_step(coordinator, process, "draft_plan", draft)
    return {
        "process": process,
        "coordinator": coordinator,
        "devices": {
            user.pk: TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)
            for user in (care.coordinator, care.gp)
        },
    }


def check(page, name):
    page.wait_for_load_state()
    assert serious_violations(page) == [], (name, serious_violations(page))
    assert not scrolls_sideways_at_320(page), f"{name} scrolls sideways at 320 px"


def point_in_red_band(page):
    """Whether the chart's last point is drawn red and lies inside the red band's rectangle."""
    # After a click the old page may still be shown: wait for the chart of the page the click leads to.
    page.locator("svg.lkt-chart").first.wait_for()
    return page.evaluate(
        """() => {
          const svg = document.querySelector('svg.lkt-chart');
          const red = [...svg.querySelectorAll('rect')].filter(r => r.getAttribute('fill') === '#fbd5d5');
          const points = [...svg.querySelectorAll('circle')];
          const last = points[points.length - 1];
          const cy = parseFloat(last.getAttribute('cy'));
          const inside = red.some(r => {
            const y = parseFloat(r.getAttribute('y')), h = parseFloat(r.getAttribute('height'));
            return cy >= y && cy <= y + h;
          });
          return inside && last.getAttribute('fill') === '#b00020';
        }"""
    )


def test_from_template_to_acknowledged_red_alert(drafting, new_page, care):
    process = drafting["process"]
    template = MonitoringTemplate.objects.get(name="Hjertesvikt (eksempel)")

    # The coordinator adds the template to the draft plan.
    page = new_page()
    log_in_with_totp(page, care.coordinator, drafting["devices"][care.coordinator.pk])
    page.goto(steps.task_url(process, "draft_plan"))
    section = page.locator("section.lkt-monitoring-section")
    assert "venter på klinisk godkjenning" in section.inner_text()
    page.select_option("select[name=monitoring-template]", str(template.pk))
    submit(page, "Legg til mal")
    assert page.locator("[data-formset=monitoring] [data-formset-row]").count() == 4
    assert "Vekt" in page.locator("[data-formset=monitoring] legend").first.inner_text()

    # Sending without thresholds is refused; then the weight gets the patient's thresholds, the rest is removed.
    submit(page, "Send til godkjenning")
    assert "Sett minst én grense for gul eller rød" in page.locator("main").inner_text()
    page.fill("input[name=monitoring-0-yellow_above]", "80")
    page.fill("input[name=monitoring-0-red_above]", "85")
    page.fill("input[name=monitoring-0-patient_action_yellow]", "Ta ekstra vanndrivende som avtalt.")
    page.fill("input[name=monitoring-0-team_response_yellow]", "Koordinator ringer deg.")
    page.fill("input[name=monitoring-0-patient_action_red]", RED_ACTION)
    page.fill("input[name=monitoring-0-team_response_red]", RED_RESPONSE)
    page.fill("input[name=monitoring-0-escalate_after_minutes]", "60")
    for i in (1, 2, 3):
        page.check(f"input[name=monitoring-{i}-DELETE]")
    submit(page, "Send til godkjenning")
    plan = PlanVersion.objects.get(process=process)
    assert plan.status == PlanVersion.Status.SUBMITTED
    weight = PlanParameter.objects.get(plan=plan)
    assert (weight.series.parameter.slug, weight.red_above, weight.responsible_role_red) == ("vekt", 85, "fastlege")

    # The plan is approved by everyone.
    steps.approve_all(
        process, {care.coordinator.pk: drafting["coordinator"], care.gp.pk: verify_client(Client(), care.gp)}
    )
    assert CareProcess.objects.get(pk=process.pk).stage == CareProcess.Stage.ACTIVE

    # The patient reports a red weight on Min side and sees the agreed action at once.
    patient = new_page()
    log_in_with_testid(patient, PATIENT_PID)
    patient.get_by_role("link", name="Mine målinger", exact=True).click()
    patient.wait_for_url(re.compile(rf"/min-side/{process.pk}/egenmaling/$"))
    check(patient, "mine målinger")
    patient.get_by_label("Vekt (kg)").fill("86,5")
    patient.get_by_role("button", name="Send målingen").click()
    patient.wait_for_url(re.compile(r"/kvittering/"))
    receipt = patient.locator("main").inner_text()
    assert "Sone: Rød" in receipt and RED_ACTION in receipt
    check(patient, "kvittering")
    patient.get_by_role("link", name="Tilbake til målingene mine").click()
    patient.wait_for_url(re.compile(rf"/min-side/{process.pk}/egenmaling/$"))
    assert point_in_red_band(patient)
    check(patient, "mine målinger med graf")
    assert Report.objects.get().zone == "rod"

    # The GP finds the alert on the dashboard, sees value, zone, response and trend, and acknowledges it.
    gp = new_page()
    log_in_with_totp(gp, care.gp, drafting["devices"][care.gp.pk])
    panel = gp.locator("#varsler-fra-egenmaling")
    assert "Rød verdi: Vekt" in panel.inner_text()
    panel.get_by_role("link", name=re.compile("Rød verdi")).click()
    gp.wait_for_load_state()
    text = gp.locator("main").inner_text()
    assert "86,5" in text and RED_RESPONSE in text and "Rød" in text
    assert point_in_red_band(gp)
    gp.get_by_label("Hva ble gjort?").fill("Ringte pasienten; time hos meg i dag kl. 14.")
    submit(gp, "Kvitter")
    alert = Alert.objects.get()
    assert alert.acknowledged_by == care.gp and alert.closed_at is not None
    gp.goto(reverse("egenmaling:process", args=[process.pk]))
    assert point_in_red_band(gp)
