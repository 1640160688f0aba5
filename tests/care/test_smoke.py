"""The care process end to end in a few requests: a plan goes live, every page renders, tasks stay with their owner."""

import pytest
from django.urls import reverse

from tests import factories
from workflows.models import CareProcess

pytestmark = pytest.mark.django_db


def test_happy_path_to_active_plan(care, client_for):
    coordinator = client_for(care.coordinator)
    process = factories.through_plan(coordinator)
    assert process.team.count() == 5
    gp = client_for(care.gp)
    for node in (
        "approve_coordinator",
        "approve_contact_doctor",
        "approve_internal_coordinator",
        "patient_confirmation",
    ):
        factories.post_step(coordinator, process, node, {"decision": "godkjent"})
    factories.post_step(gp, process, "approve_gp", {"decision": "godkjent"})
    process.refresh_from_db()
    assert process.stage == CareProcess.Stage.ACTIVE


def test_pages_render(care, client_for):
    coordinator = client_for(care.coordinator)
    assert coordinator.get(factories.start_url()).status_code == 200
    process = factories.through_plan(coordinator)
    for url in [
        reverse("forlop:index"),
        reverse("forlop:inbox"),
        reverse("forlop:queue"),
        reverse("forlop:archive"),
        reverse("forlop:process_detail", args=[process.pk]),
        reverse("forlop:process_chart", args=[process.pk]),
        reverse("forlop:plan_print", args=[process.pk]),
        reverse("forlop:handover", args=[process.pk]),
        reverse("forlop:withdraw", args=[process.pk]),
        reverse("forlop:audit_log"),
        factories.task_url(process, "approve_coordinator"),
    ]:
        response = coordinator.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_a_task_cannot_be_unassigned_and_taken_by_another_team_member(care, client_for):
    coordinator = client_for(care.coordinator)
    process = factories.through_plan(coordinator)
    gp = client_for(care.gp)
    # The GP is on the team (need-to-know holds, so not 404): Viewflow refuses the action itself with 403.
    unassign = factories.task_url(process, "approve_gp", action="unassign")
    assert gp.post(unassign).status_code == 403
    assert factories.open_task(process, "approve_gp").owner == care.gp
    # and the GP cannot take the patient's confirmation, which the coordinator holds
    assign = factories.task_url(process, "patient_confirmation", action="assign")
    assert gp.post(assign).status_code == 403
    assert factories.open_task(process, "patient_confirmation").owner == care.coordinator
