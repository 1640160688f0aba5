import pytest

from tests import care as steps
from workflows.models import CareProcess

pytestmark = pytest.mark.django_db


def test_happy_path_to_active_plan(care, client_for):
    coordinator = client_for(care.coordinator)
    process = steps.through_plan(coordinator)
    assert process.team.count() == 5
    gp = client_for(care.gp)
    for node in ("approve_coordinator", "approve_contact_doctor", "approve_internal_coordinator",
                 "patient_confirmation"):
        steps.post_step(coordinator, process, node, {"decision": "godkjent"})
    steps.post_step(gp, process, "approve_gp", {"decision": "godkjent"})
    process.refresh_from_db()
    assert process.stage == CareProcess.Stage.ACTIVE
