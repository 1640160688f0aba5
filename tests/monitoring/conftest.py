"""Care processes with self-monitoring agreed in an approved plan, reached through the same forms as the UI."""

import pytest

from monitoring.models import Parameter
from tests import factories
from tests.patients.conftest import citizen_client, testid  # noqa: F401 – Min side's login fixtures
from workflows.models import CareProcess

# Weight (kg): yellow above 80, red above 85 – numbers for the tests, not clinical advice.
WEIGHT = {
    "parameter": "vekt",
    "frequency": "daglig",
    "tolerance_hours": "12",
    "yellow_above": "80",
    "red_above": "85",
    "patient_action_green": "Fortsett som før.",
    "patient_action_yellow": "Ta ekstra vanndrivende som avtalt.",
    "patient_action_red": "Ring fastlegen i dag.",
    "team_response_yellow": "Koordinator ringer pasienten.",
    "team_response_red": "Fastlegen vurderer pasienten samme dag.",
    "responsible_yellow": "rolle:koordinator",
    "responsible_red": "rolle:fastlege",
    "escalate_after_minutes": "60",
}
SYMPTOM = {
    "parameter": "symptom",
    "question": "Mer tung pust enn vanlig?",
    "frequency": "ved_symptomer",
    "tolerance_hours": "12",
    "yes_zone": "gul",
    "patient_action_yellow": "Hvil og mål vekten.",
    "team_response_yellow": "Koordinator ringer pasienten.",
    "responsible_yellow": "rolle:koordinator",
    "responsible_red": "rolle:koordinator",
}


def monitoring_rows(rows, initial=0):
    """The plan step's monitoring formset data for these rows (parameter by slug)."""
    slugs = dict(Parameter.objects.values_list("slug", "pk"))
    data = {
        "monitoring-TOTAL_FORMS": str(len(rows)),
        "monitoring-INITIAL_FORMS": str(initial),
        "monitoring-MIN_NUM_FORMS": "0",
        "monitoring-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"monitoring-{i}-{key}"] = str(slugs[value]) if key == "parameter" else value
    return data


def plan_with(process, rows=(WEIGHT, SYMPTOM), **extra):
    data = factories.plan(process)
    data.update(monitoring_rows(list(rows)))
    data.update(extra)
    return data


@pytest.fixture
def coordinator_client(care, client_for):
    return client_for(care.coordinator)


@pytest.fixture
def gp_client(care, client_for):
    return client_for(care.gp)


@pytest.fixture
def clients_by_owner(care, coordinator_client, gp_client):
    return {care.coordinator.pk: coordinator_client, care.gp.pk: gp_client}


def make_active(coordinator_client, clients_by_owner, rows=(WEIGHT, SYMPTOM), **registration):
    """Register, consent, Min gode dag, team, a plan with these monitoring rows, approval by all: an active process."""
    process = factories.through_consent(coordinator_client, **registration)
    factories.post_step(coordinator_client, process, "good_day", factories.good_day())
    factories.post_step(coordinator_client, process, "actor_map", factories.team())
    factories.post_step(coordinator_client, process, "draft_plan", plan_with(process, rows=rows))
    factories.approve_all(process, clients_by_owner)
    process = CareProcess.objects.get(pk=process.pk)
    assert process.stage == CareProcess.Stage.ACTIVE
    return process


@pytest.fixture
def active(coordinator_client, clients_by_owner):
    """An active process whose approved plan monitors weight (yellow > 80, red > 85) and a yes/no symptom."""
    return make_active(coordinator_client, clients_by_owner)
