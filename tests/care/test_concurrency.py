"""Two approvals sent at the same instant on PostgreSQL: both are recorded and the join fires once.

Real concurrent transactions: each answer runs in its own thread with its own
database connection, released together by a barrier. Viewflow's
select_for_update lock on the process row serialises them; without it both
would see the other's task still open and neither (or both) would fire the join.
"""

import threading
import time

import pytest
from django.db import connections
from django.test import Client
from viewflow.workflow.status import STATUS

from tests import factories
from tests.factories import verify_client
from workflows.flows import ForlopFlow
from workflows.models import ApprovalAnswer, CareProcess, PlanVersion

# Real commits, so the database is emptied afterwards; serialized_rollback puts the session seed back first
# (tests/conftest.py). Skipped on SQLite: concurrency is tested against PostgreSQL, the production database.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _slow_answers(monkeypatch):
    """Hold each answer's transaction open a little, so the two always overlap instead of racing by luck."""
    from workflows import services

    original = services.record_answer

    def slow_record_answer(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(services, "record_answer", slow_record_answer)


def test_two_simultaneous_approvals_are_both_recorded_and_the_join_fires_once(care, client_for):
    coordinator = client_for(care.coordinator)
    process = factories.through_plan(coordinator)
    for node in ("approve_contact_doctor", "approve_internal_coordinator", "patient_confirmation"):
        factories.post_step(coordinator, process, node, {"decision": "godkjent"})
    last_two = [(care.coordinator, "approve_coordinator"), (care.gp, "approve_gp")]
    urls = {node: factories.task_url(process, node) for _user, node in last_two}
    clients = {node: verify_client(Client(), user) for user, node in last_two}

    barrier = threading.Barrier(len(last_two))
    results = {}

    def answer(node):
        try:
            barrier.wait(timeout=10)
            results[node] = clients[node].post(urls[node], {"decision": "godkjent"}).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(node,)) for _user, node in last_two]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert results == {"approve_coordinator": 302, "approve_gp": 302}
    plan = PlanVersion.objects.get(process=process)
    assert ApprovalAnswer.objects.filter(plan=plan, decision="godkjent").count() == 5
    joins = process.task_set.filter(flow_task=ForlopFlow.approval_join)
    assert joins.count() == 1 and joins.get().status == STATUS.DONE
    assert process.task_set.filter(flow_task=ForlopFlow.activate_plan).count() == 1
    assert process.task_set.filter(flow_task=ForlopFlow.wait_evaluation, status=STATUS.SCHEDULED).count() == 1
    assert plan.status == PlanVersion.Status.APPROVED
    assert CareProcess.objects.get(pk=process.pk).stage == CareProcess.Stage.ACTIVE


def test_a_change_request_and_an_approval_at_once_send_the_plan_back_exactly_once(care, client_for):
    coordinator = client_for(care.coordinator)
    process = factories.through_plan(coordinator)
    for node in ("approve_contact_doctor", "approve_internal_coordinator", "patient_confirmation"):
        factories.post_step(coordinator, process, node, {"decision": "godkjent"})
    posts = {
        "approve_coordinator": (care.coordinator, {"decision": "godkjent"}),
        "approve_gp": (care.gp, {"decision": "endringer", "comment": "Legg inn avtale om blodprøver."}),
    }
    urls = {node: factories.task_url(process, node) for node in posts}
    clients = {node: verify_client(Client(), user) for node, (user, _data) in posts.items()}
    barrier = threading.Barrier(len(posts))
    results = {}

    def answer(node):
        try:
            barrier.wait(timeout=10)
            results[node] = clients[node].post(urls[node], posts[node][1]).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(node,)) for node in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Either order is possible; whichever lands second may find its task already cancelled by the join, and is
    # then sent to the process page with a notice instead of having its answer recorded.
    assert results == {"approve_gp": 302, "approve_coordinator": 302}
    coordinator_task = process.task_set.get(flow_task=ForlopFlow.approve_coordinator)
    assert coordinator_task.status in (STATUS.DONE, STATUS.CANCELED)
    coordinator_answered = ApprovalAnswer.objects.filter(plan__process=process, role="koordinator").exists()
    assert coordinator_answered == (coordinator_task.status == STATUS.DONE)
    open_drafts = process.task_set.filter(flow_task=ForlopFlow.draft_plan).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED]
    )
    assert open_drafts.count() == 1
    assert process.task_set.filter(flow_task=ForlopFlow.activate_plan).count() == 0
    assert CareProcess.objects.get(pk=process.pk).stage == CareProcess.Stage.PLANNING
