"""Monitoring in the plan-drafting step: templates copied in without thresholds, thresholds set per patient, checked
before the plan goes for approval, and carried into the next version."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowContentType

from monitoring.groups import ensure_template_groups
from monitoring.models import MonitoringTemplate, PlanParameter
from monitoring.seed import seed_templates
from tests import factories
from tests.factories import page_text
from workflows.models import PlanVersion

from .conftest import SYMPTOM, WEIGHT, monitoring_rows, plan_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafting(coordinator_client):
    process = factories.through_team(coordinator_client)
    return process


def plan_url(process):
    return factories.task_url(process, "draft_plan")


def test_shipped_templates_are_examples_without_thresholds():
    assert seed_templates() == 4
    assert seed_templates() == 0
    for template in MonitoringTemplate.objects.all():
        assert template.live and not template.clinically_approved and "(eksempel)" in template.name
        assert "Ikke klinisk godkjent" in template.approval_note
        assert template.parameters
        for block in template.parameters:
            assert not {"red_below", "yellow_below", "yellow_above", "red_above"} & set(block.value.keys())
    ensure_template_groups()
    workflow = WorkflowContentType.objects.get(
        content_type=ContentType.objects.get_for_model(MonitoringTemplate)
    ).workflow
    assert [task.name for task in workflow.tasks] == ["Klinisk godkjenning", "Publisering av forløp"]


def test_the_step_offers_templates_marked_as_examples(drafting, coordinator_client):
    seed_templates()
    text = page_text(coordinator_client.get(plan_url(drafting)))
    assert "Egenmåling med soner" in text
    assert "Hjertesvikt (eksempel) – eksempel, venter på klinisk godkjenning" in text


def test_add_a_template_then_set_thresholds_and_submit(drafting, coordinator_client):
    seed_templates()
    template = MonitoringTemplate.objects.get(name="Hjertesvikt (eksempel)")
    data = factories.plan(drafting)
    data.update(monitoring_rows([]))
    data.update({"_save": "mal", "monitoring-template": str(template.pk)})
    response = coordinator_client.post(plan_url(drafting), data)
    assert response.status_code == 302
    draft = drafting.plan_versions.get()
    assert draft.status == PlanVersion.Status.DRAFT
    rows = list(PlanParameter.objects.filter(plan=draft).select_related("series__parameter"))
    assert [row.series.parameter.slug for row in rows] == ["vekt", "puls", "blodtrykk-systolisk", "symptom"]
    assert all(row.red_above is None and row.yellow_above is None for row in rows)
    assert rows[0].responsible_role_red == "fastlege"

    # Sending without thresholds is refused: the team must set them for this patient.
    page = coordinator_client.get(plan_url(drafting))
    form_rows = page.context["sections"][0]["formset"].initial
    assert len(form_rows) == 4
    refused = coordinator_client.post(
        plan_url(drafting), plan_with(drafting, rows=[dict(WEIGHT, yellow_above="", red_above="")])
    )
    assert refused.status_code == 200
    assert "Sett minst én grense for gul eller rød" in page_text(refused)
    assert drafting.plan_versions.get().status == PlanVersion.Status.DRAFT

    # Thresholds out of order, or outside what can be measured, are refused too.
    for bad, message in (
        (dict(WEIGHT, yellow_above="90", red_above="85"), "Grensene må komme i rekkefølge"),
        (dict(WEIGHT, red_above="900"), "Grensen må ligge mellom"),
        (dict(SYMPTOM, question=""), "Skriv spørsmålet pasienten skal svare ja eller nei på."),
    ):
        refused = coordinator_client.post(plan_url(drafting), plan_with(drafting, rows=[bad]))
        assert message in page_text(refused), message

    accepted = coordinator_client.post(plan_url(drafting), plan_with(drafting, rows=[WEIGHT, SYMPTOM]))
    assert accepted.status_code == 302
    sent = drafting.plan_versions.get()
    assert sent.status == PlanVersion.Status.SUBMITTED
    assert sent.monitoring_parameters.count() == 2


def test_a_red_zone_needs_an_agreed_escalation_time(drafting, coordinator_client):
    refused = coordinator_client.post(
        plan_url(drafting), plan_with(drafting, rows=[dict(WEIGHT, escalate_after_minutes="")])
    )
    assert "Avtal hvor lenge et rødt varsel kan vente" in page_text(refused)


def test_a_plan_posted_without_the_section_keeps_the_parameters(active, coordinator_client):
    factories.fire_timers(active)
    factories.post_step(coordinator_client, active, "evaluate", factories.evaluation(active, "revider"))
    # An older client posts the plan step without the monitoring section: the rows are carried over.
    factories.post_step(coordinator_client, active, "draft_plan", factories.plan(active))
    second = active.plan_versions.get(number=2)
    first = active.plan_versions.get(number=1)
    assert second.monitoring_parameters.count() == first.monitoring_parameters.count() == 2
    assert {p.series_id for p in second.monitoring_parameters.all()} == {
        p.series_id for p in first.monitoring_parameters.all()
    }


def test_a_yes_no_question_needs_its_zone_before_approval(drafting, coordinator_client):
    refused = coordinator_client.post(plan_url(drafting), plan_with(drafting, rows=[dict(SYMPTOM, yes_zone="")]))
    assert refused.status_code == 200
    assert "Velg hvilken sone et «ja» gir." in page_text(refused)


def test_content_owners_keep_the_templates_in_the_admin_and_others_cannot(care, make_user, client_for):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from home.groups import OWNERS

    ensure_template_groups()
    seed_templates()
    template = MonitoringTemplate.objects.get(name="KOLS (eksempel)")
    owner = make_user("malforvalter", groups=[Group.objects.get(name=OWNERS)])
    edit = reverse("wagtailsnippets_monitoring_monitoringtemplate:edit", args=[template.pk])
    listing = reverse("wagtailsnippets_monitoring_monitoringtemplate:list")
    owners = client_for(owner)
    assert owners.get(listing).status_code == 200
    page = owners.get(edit)
    assert page.status_code == 200
    assert "Grensene for gul og rød settes av teamet for hver pasient" in page_text(page)
    # A coordinator (no content role) cannot edit the templates.
    assert client_for(care.coordinator).get(edit).status_code in (302, 403)
    # Revisions are kept: the shipped version is the first.
    assert template.revisions.count() == 1
