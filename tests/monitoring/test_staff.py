"""The team's pages: «hvem er rød nå», a patient's values, on-behalf reports, alert tasks – need-to-know and audit on
every URL, and query counts that do not grow with the number of reports or patients."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from monitoring import services
from monitoring.models import Alert, PlanParameter, Report
from tests.factories import count_queries, page_text, response_text
from workflows.models import AuditEntry

from .conftest import make_active

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("egenmaling:overview")


def weight(process):
    return PlanParameter.objects.get(plan__process=process, plan__status="godkjent", series__parameter__slug="vekt")


def process_url(process):
    return reverse("egenmaling:process", args=[process.pk])


def on_behalf_url(process):
    return reverse("egenmaling:report", args=[process.pk, weight(process).pk])


def alert_urls(alert):
    task = Task.objects.filter(process=alert, status=STATUS.ASSIGNED).first()
    return [
        task.flow_task.reverse("execute", args=[alert.pk, task.pk]),
        task.flow_task.reverse("detail", args=[alert.pk, task.pk]),
        reverse("varsel:process_detail", args=[alert.pk]),
    ]


@pytest.fixture
def red(active, care):
    services.submit_report(active, weight(active).pk, "86", care.coordinator, on_behalf=True)
    return active, Alert.objects.get()


def test_overview_lists_the_coordinators_patients_worst_first(coordinator_client, clients_by_owner, care):
    calm = make_active(coordinator_client, clients_by_owner, patient_name="Grønn Pasient")
    worried = make_active(coordinator_client, clients_by_owner, patient_name="Rød Pasient")
    services.submit_report(calm, weight(calm).pk, "70", care.coordinator)
    services.submit_report(worried, weight(worried).pk, "86", care.coordinator)
    text = page_text(coordinator_client.get(OVERVIEW))
    assert text.index("Rød Pasient") < text.index("Grønn Pasient")
    listed = AuditEntry.objects.filter(user=care.coordinator, action=AuditEntry.Action.LIST, what="egenmaling:overview")
    assert set(listed.values_list("process_id", flat=True)) == {calm.pk, worried.pk}


def test_overview_queries_do_not_grow_with_reports_or_patients(coordinator_client, clients_by_owner, care):
    first = make_active(coordinator_client, clients_by_owner)
    services.submit_report(first, weight(first).pk, "86", care.coordinator)
    few, _ = count_queries(coordinator_client, OVERVIEW)
    for value in ("70", "71", "82", "88"):
        services.submit_report(first, weight(first).pk, value, care.coordinator)
    second = make_active(coordinator_client, clients_by_owner)
    services.submit_report(second, weight(second).pk, "82", care.coordinator)
    many, body = count_queries(coordinator_client, OVERVIEW)
    assert "Astrid Testesen" in body
    assert many == few <= 16


def test_process_page_for_the_team(red, care, client_for):
    process, _alert = red
    for user in (care.coordinator, care.gp, care.colleague):
        response = client_for(user).get(process_url(process))
        assert response.status_code == 200, user
        text = page_text(response)
        assert "Vekt" in text and "86" in text and "Rød" in text and "<svg" in response.content.decode()
        assert "Vis som tabell" in text
    assert AuditEntry.objects.filter(
        user=care.gp, process=process, action=AuditEntry.Action.VIEW, what="egenmaling:process"
    ).exists()


def test_process_page_queries_do_not_grow_with_reports(active, care, coordinator_client):
    services.submit_report(active, weight(active).pk, "70", care.coordinator)
    few, _ = count_queries(coordinator_client, process_url(active))
    for value in ("71", "82", "86", "88", "72"):
        services.submit_report(active, weight(active).pk, value, care.coordinator)
    many, _ = count_queries(coordinator_client, process_url(active))
    assert many == few


def test_on_behalf_report_is_marked_and_judged(active, care, client_for):
    gp = client_for(care.gp)
    response = gp.post(on_behalf_url(active), {"value": "82"})
    assert response.status_code == 302
    stored = Report.objects.get()
    assert stored.on_behalf and stored.recorded_by == care.gp and stored.zone == "gul"
    page = page_text(gp.get(process_url(active)))
    assert "Teamet, på vegne av pasienten" in page
    refused = gp.post(on_behalf_url(active), {"value": "tre"})
    assert refused.status_code == 200 and "Verdien må være et tall" in response_text(refused)
    assert Report.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "stranger", "auditor"])
def test_every_new_url_is_404_outside_the_team(red, care, client_for, who):
    process, alert = red
    user = getattr(care, who)
    client = client_for(user)
    urls = [process_url(process), on_behalf_url(process), *alert_urls(alert)]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"value": "90", "action_taken": "x"}).status_code == 404, url
    assert Report.objects.count() == 1
    assert Alert.objects.get().acknowledged_at is None
    rows = AuditEntry.objects.filter(user=user, process=process)
    assert rows.filter(action=AuditEntry.Action.DENIED).count() >= len(urls)
    assert not rows.exclude(action=AuditEntry.Action.DENIED).exists()
    overview = client.get(OVERVIEW)
    if overview.status_code == 200:
        assert process.patient_name not in response_text(overview)
    inbox = client.get(reverse("varsel:index"))
    if inbox.status_code == 200:
        assert process.patient_name not in response_text(inbox)


def test_anonymous_is_sent_to_log_in(red):
    process, alert = red
    for url in [OVERVIEW, process_url(process), *alert_urls(alert)]:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), url


def test_the_alert_waits_in_the_members_inbox_and_on_the_dashboard(red, care, client_for):
    process, alert = red
    gp = client_for(care.gp)
    inbox = gp.get(reverse("varsel:index"))
    assert inbox.status_code == 200 and process.patient_name in response_text(inbox)
    dashboard = gp.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200
    assert "Varsler fra egenmåling" in response_text(dashboard)
    task = Task.objects.get(process=alert, status=STATUS.ASSIGNED)
    assert task.flow_task.reverse("index", args=[alert.pk, task.pk]) in response_text(dashboard)
    # The alert's own page is the patient's monitoring page.
    assert gp.get(alert_urls(alert)[2]).url == process_url(process)
    # The coordinator, not the responsible member, does not have it in their inbox.
    assert process.patient_name not in response_text(client_for(care.coordinator).get(reverse("varsel:index")))


def test_team_member_loses_access_when_consent_is_withdrawn(red, care, client_for):
    from workflows import services as care_services

    process, alert = red
    urls = [process_url(process), *alert_urls(alert)]
    care_services.withdraw_consent(process, care.coordinator, "Pasienten ringte.")
    gp = client_for(care.gp)
    for url in urls:
        assert gp.get(url).status_code == 404, url


def test_alert_task_page_and_inbox_queries_do_not_grow(red, care, client_for, coordinator_client, clients_by_owner):
    process, alert = red
    gp = client_for(care.gp)
    task = Task.objects.get(process=alert, status=STATUS.ASSIGNED)
    url = task.flow_task.reverse("execute", args=[alert.pk, task.pk])
    inbox = reverse("varsel:index")
    # Each count starts from an empty cache (the menu counts are cached for a few seconds), so both are cold; the
    # session's first request writes its idle timestamp (at most once a minute), so it is made before counting.
    gp.get(url)
    cache.clear()
    few_task, _ = count_queries(gp, url)
    cache.clear()
    few_inbox, _ = count_queries(gp, inbox)
    for value in ("86", "87", "88", "70", "90", "91"):
        services.submit_report(process, weight(process).pk, value, care.coordinator)
    other = make_active(coordinator_client, clients_by_owner)
    services.submit_report(other, weight(other).pk, "90", care.coordinator)
    cache.clear()
    many_task, _ = count_queries(gp, url)
    cache.clear()
    many_inbox, body = count_queries(gp, inbox)
    assert body.count("Kvitter for varsel fra egenmåling") == 2
    assert many_task == few_task <= 40
    assert many_inbox == few_inbox <= 16
