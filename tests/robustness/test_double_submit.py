"""Every form that creates something, sent twice at the same instant on PostgreSQL, has exactly one effect.

A double click, or «back» and «send» again, sends the same form twice. Each pair here runs as two real requests
in two threads with their own database connections, released together by a barrier; while they race, the
services are slowed a little so the two transactions always overlap instead of racing by luck. What makes the
second one harmless is not timing: Viewflow's ``select_for_update`` lock on the process row (every task POST,
and the withdrawal), after which the second finds its task done or the team changed, and a unique constraint for
the one form that has no process yet (registration: one open process per person).
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from tests import factories as steps
from tests.conftest import verify_client
from workflows.flows import ForlopFlow
from workflows.models import ApprovalAnswer, AuditEntry, CareProcess, Consent, Evaluation, PlanVersion, TeamMember

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TASK_DONE = "Oppgaven er allerede fullført."


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested against PostgreSQL, the production database")


# Set while a pair of requests races: only then are the services slowed (the scenario before it is built at speed).
RACING = threading.Event()


@pytest.fixture(autouse=True)
def _slow_services(monkeypatch):
    """Hold each write's transaction open a moment while two requests race, so the second arrives while the first
    is in it."""
    from workflows import services

    for name in (
        "register_need",
        "record_consent",
        "_withdraw",
        "save_team",
        "save_plan",
        "record_answer",
        "record_evaluation",
    ):
        original = getattr(services, name)

        def slow(*args, _original=original, **kwargs):
            result = _original(*args, **kwargs)
            if RACING.is_set():
                time.sleep(0.3)
            return result

        monkeypatch.setattr(services, name, slow)


def race(user, url, data):
    """POST ``data`` to ``url`` twice at the same instant, as ``user`` in two browser tabs; both responses."""
    clients = [verify_client(Client(raise_request_exception=False), user) for _ in range(2)]
    barrier = threading.Barrier(2)
    responses = [None, None]

    def send(index):
        try:
            barrier.wait(timeout=10)
            responses[index] = clients[index].post(url, data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
    RACING.set()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        RACING.clear()
    assert all(response is not None for response in responses)
    assert all(response.status_code < 500 for response in responses), [r.status_code for r in responses]
    return responses, clients


def text_after(client, response):
    """What the person sees after this response (following a redirect)."""
    if response.status_code in (301, 302, 303):
        response = client.get(response["Location"])
    return steps.page_text(response)


def second_says(responses, clients, *messages):
    """One of the two responses is the success, the other says one of ``messages``."""
    texts = [text_after(client, response) for client, response in zip(clients, responses, strict=True)]
    assert any(message in text for text in texts for message in messages), [text[:300] for text in texts]


def test_registration_twice_at_once_creates_one_process(care):
    data = steps.registration(national_id=steps.fnr(day=9))
    responses, clients = race(care.coordinator, steps.start_url(), data)

    assert CareProcess.objects.filter(national_id=data["national_id"]).count() == 1
    assert sorted(r.status_code for r in responses) == [200, 302]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).count() == 1
    second_says(responses, clients, "Pasienten har allerede et åpent forløp")


def test_consent_twice_at_once_is_recorded_once(care, client_for):
    process = steps.register_process(client_for(care.coordinator))
    responses, clients = race(care.coordinator, steps.task_url(process, "consent"), steps.consent())

    assert Consent.objects.filter(process=process).count() == 1
    assert process.task_set.filter(flow_task=ForlopFlow.good_day).count() == 1
    second_says(responses, clients, TASK_DONE)


def test_withdrawal_twice_at_once_is_recorded_once(care, client_for):
    process = steps.through_consent(client_for(care.coordinator))
    data = {"note": "Pasienten ringte og trakk samtykket.", "confirm": "on"}
    responses, clients = race(care.coordinator, steps.withdraw_url(process), data)

    assert AuditEntry.objects.filter(process=process, action=AuditEntry.Action.WITHDRAW).count() == 1
    consent = Consent.objects.get(process=process)
    assert consent.withdrawn_at is not None
    assert CareProcess.objects.get(pk=process.pk).stage == CareProcess.Stage.WITHDRAWN
    # Depending on whether the second arrived before or after the first was committed.
    second_says(responses, clients, "Forløpet var allerede stoppet", "Forløpet er avsluttet og kan ikke endres.")


def test_saving_the_team_twice_at_once_adds_each_member_once(care, client_for):
    coordinator = client_for(care.coordinator)
    process = steps.through_consent(coordinator)
    steps.post_step(coordinator, process, "good_day", steps.good_day())
    responses, clients = race(care.coordinator, steps.task_url(process, "actor_map"), steps.team() | {"_save": "1"})

    assert TeamMember.objects.filter(process=process).count() == len(steps.MEMBERS)
    assert sorted(r.status_code for r in responses) == [200, 302]
    second_says(responses, clients, "Dette er endret siden du åpnet siden")


def test_finishing_the_team_twice_at_once_moves_on_once(care, client_for):
    coordinator = client_for(care.coordinator)
    process = steps.through_consent(coordinator)
    steps.post_step(coordinator, process, "good_day", steps.good_day())
    responses, clients = race(care.coordinator, steps.task_url(process, "actor_map"), steps.team())

    assert TeamMember.objects.filter(process=process).count() == len(steps.MEMBERS)
    assert process.task_set.filter(flow_task=ForlopFlow.draft_plan).count() == 1
    second_says(responses, clients, TASK_DONE)


def test_submitting_the_plan_twice_at_once_sends_one_version_round(care, client_for):
    process = steps.through_team(client_for(care.coordinator))
    responses, clients = race(care.coordinator, steps.task_url(process, "draft_plan"), steps.plan(process))

    assert PlanVersion.objects.filter(process=process).count() == 1
    assert process.task_set.filter(flow_task=ForlopFlow.approve_gp).count() == 1
    second_says(responses, clients, TASK_DONE)


def test_saving_a_plan_draft_twice_at_once_keeps_one_draft(care, client_for):
    process = steps.through_team(client_for(care.coordinator))
    url = steps.task_url(process, "draft_plan")
    race(care.coordinator, url, steps.plan(process) | {"_save": "1"})

    assert PlanVersion.objects.filter(process=process).count() == 1


def test_an_approval_twice_at_once_is_recorded_once(care, client_for):
    process = steps.to_approval(client_for(care.coordinator))
    url = steps.task_url(process, "approve_coordinator")
    responses, clients = race(care.coordinator, url, {"decision": "godkjent"})

    assert ApprovalAnswer.objects.filter(plan__process=process, role="koordinator").count() == 1
    second_says(responses, clients, TASK_DONE)


def test_an_evaluation_twice_at_once_is_recorded_once(care, client_for):
    coordinator = client_for(care.coordinator)
    process = steps.to_approval(coordinator)
    steps.approve_all(process, {care.coordinator.pk: coordinator, care.gp.pk: client_for(care.gp)})
    steps.fire_timers(process)
    url = steps.task_url(process, "evaluate")
    responses, clients = race(care.coordinator, url, steps.evaluation(process, "fortsett"))

    assert Evaluation.objects.filter(process=process).count() == 1
    assert process.task_set.filter(flow_task=ForlopFlow.wait_evaluation).count() == 2  # the first, and one new
    second_says(responses, clients, TASK_DONE)
