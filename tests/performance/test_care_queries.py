"""The process pages cost a fixed number of queries, whatever the amount of data behind them.

The lists (inbox, queue, archive, process list) are measured with 10 processes visible to the user and again
with 200, made in bulk by :mod:`demo.bulk` (the benchmark, ``bench/``, uses the same generator for 10,000).
200 processes fill every list's page of 25 several times over, so a per-row query (an N+1) shows up as a
difference in the counts; they must be equal, and are pinned under an upper bound, so it fails here before it
reaches a municipality with thousands of patients. The process detail page and the task pages are measured with a
small and a large team and plan history, and the admin dashboard's «Mine oppgaver» panel with one and five tasks.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.vocabulary import Role
from demo import bulk
from tests import factories
from workflows.flows import ForlopFlow
from workflows.models import ApprovalAnswer, CareProcess, PlanVersion, TeamMember

pytestmark = pytest.mark.django_db

Stage = CareProcess.Stage
PAGE_SIZE = 25  # Viewflow's ListModelView paginates by 25

LISTS = {"inbox": "forlop:inbox", "queue": "forlop:queue", "archive": "forlop:archive", "process list": "forlop:index"}
LARGE = 200
# Upper bounds, as measured on SQLite and PostgreSQL. A list costs: session, user, OTP device, the user's and the
# groups' permissions, the need-to-know checks of the middleware, the view and the menu, the menu badges (one
# aggregate, which also gives the inbox and the queue their paginator count; the archive counts its own), the page
# of tasks and their processes (prefetched), the audit row (the session is saved at most once a minute, and the
# menu counts come from the cache within ten seconds, so the second request of _measure pays neither). The
# process list reads the processes with one join and adds the user's groups for its «Registrer behov» button. A
# team member (no coordinating unit) pays one more query for each of the four need-to-know checks. Raise a bound
# only with a reason.
MAX_QUERIES = {
    "inbox": 13,
    "queue": 13,
    "archive": 14,
    "process list": 13,
    "detail": 23,
    # Self-monitoring adds to the plan: one query for the version's parameters where a plan is shown, and on the
    # drafting step the working version, its parameters, the catalogue and the live templates (monitoring.plan_section).
    "approve_coordinator": 22,
    "draft_plan": 28,
    "actor_map": 22,
}
TEAM_MEMBER_EXTRA = 4


def _populate(n, care, seed):
    """``n`` processes in Bjørnafjorden (the coordinator's unit): 70 % waiting for consent (an inbox task and a
    finished start task each), 20 % with an unassigned task (the queue), 10 % in approval with the GP on the team."""
    assigned, unassigned = n * 7 // 10, n * 2 // 10
    bulk.create_processes(assigned, "4624", care.coordinator, at="consent", seed=seed)
    bulk.create_processes(unassigned, "4624", care.coordinator, at="consent", unassigned=True, seed=seed + 1)
    bulk.create_processes(
        n - assigned - unassigned, "4624", care.coordinator, at="approval", team_users={Role.GP: care.gp}, seed=seed + 2
    )


def _measure(client, url):
    client.get(url)  # first request of the session may differ (session rotation, lazy caches)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response


def _list_counts(client):
    counts, rows = {}, {}
    for name, url_name in LISTS.items():
        counts[name], response = _measure(client, reverse(url_name))
        rows[name] = (len(response.context["object_list"]), response.context["paginator"].count)
    return counts, rows


def _queries(counts_small, counts_large):
    return {name: (counts_small[name], counts_large[name]) for name in counts_small}


def test_lists_use_the_same_number_of_queries_for_10_and_200_processes(care, client_for):
    coordinator, gp = client_for(care.coordinator), client_for(care.gp)
    _populate(10, care, seed=1)
    assert CareProcess.objects.visible_to(care.coordinator).count() == 10
    small, small_rows = _list_counts(coordinator)
    small_gp, _rows = _list_counts(gp)

    _populate(LARGE - 10, care, seed=2)
    assert CareProcess.objects.visible_to(care.coordinator).count() == LARGE
    large, large_rows = _list_counts(coordinator)
    large_gp, _rows = _list_counts(gp)

    # The large run shows full pages, so a per-row query would have shown up as a difference.
    # Inbox: the consent tasks and four of the five approvals per approval process (the GP answers the fifth).
    # Archive: the finished start task of each, and the five finished steps before an approval.
    assert small_rows == {"inbox": (11, 11), "queue": (2, 2), "archive": (14, 14), "process list": (10, 10)}
    assert large_rows == {
        "inbox": (PAGE_SIZE, LARGE * 11 // 10),
        "queue": (PAGE_SIZE, LARGE * 2 // 10),
        "archive": (PAGE_SIZE, LARGE * 14 // 10),
        "process list": (PAGE_SIZE, LARGE),
    }
    assert large == small, _queries(small, large)
    assert large_gp == small_gp, _queries(small_gp, large_gp)
    assert all(large[name] <= MAX_QUERIES[name] for name in LISTS), large
    assert all(large_gp[name] <= MAX_QUERIES[name] + TEAM_MEMBER_EXTRA for name in LISTS), large_gp


def _grow(process, coordinator, members, plans):
    """Give a generated process ``members`` active team members and ``plans`` plan versions with answers."""
    team = list(process.team.order_by("pk"))
    if members < len(team):
        TeamMember.objects.filter(pk__in=[m.pk for m in team[members:]]).delete()
    TeamMember.objects.bulk_create(
        TeamMember(process=process, role=Role.ACTOR, name=f"Aktør {i}", organisation="Tjenesten", phone="55 00 00 00")
        for i in range(max(0, members - len(team)))
    )
    measure = {"text": "Hjemmesykepleie", "responsible": "", "responsible_name": "Kari", "deadline": "2030-01-01"}
    for number in range(1, plans + 1):
        last = number == plans
        plan = PlanVersion.objects.create(
            process=process,
            number=number,
            created_by=coordinator,
            status=PlanVersion.Status.SUBMITTED if last else PlanVersion.Status.SUPERSEDED,
            goals=[{"text": f"Mål {number}"}],
            measures=[measure],
            triggers=[{"signal": "Slutter å spise", "response": "Ring fastlegen", "takeover_name": "Ola"}],
        )
        if not last:
            ApprovalAnswer.objects.bulk_create(
                ApprovalAnswer(plan=plan, role=role, decision="godkjent", recorded_by=coordinator)
                for role in ("koordinator", "fastlege", "kontaktlege", "intern_koordinator", "pasient")
            )
    assert process.team.filter(active=True).count() == members


def _task_url(process, node_name):
    task = Task.objects.get(process=process, flow_task=getattr(ForlopFlow, node_name), status=STATUS.ASSIGNED)
    return task.flow_task.reverse("execute", args=[process.pk, task.pk])


@pytest.mark.parametrize(
    ("at", "page"),
    [
        ("approval", "detail"),
        ("approval", "approve_coordinator"),
        ("draft_plan", "draft_plan"),
        ("actor_map", "actor_map"),
    ],
)
def test_process_and_task_pages_do_not_grow_with_the_team_or_the_plan_history(care, client_for, at, page):
    coordinator = client_for(care.coordinator)
    few, many = (
        CareProcess.objects.get(pk=pk)
        for pk in bulk.create_processes(
            2, "4624", care.coordinator, at=at, team_users={Role.GP: care.gp}, seed=7
        ).process_ids
    )
    _grow(few, care.coordinator, members=1, plans=1)
    _grow(many, care.coordinator, members=30, plans=30)
    if at == "actor_map":  # a saved, unfinished actor map: members with accounts, as the formset shows them
        TeamMember.objects.filter(process=many, role=Role.ACTOR).update(user=care.actor)
        TeamMember.objects.filter(process=few).update(user=care.coordinator)

    def url(process):
        return reverse("forlop:process_detail", args=[process.pk]) if page == "detail" else _task_url(process, page)

    count_few, _response = _measure(coordinator, url(few))
    count_many, _response = _measure(coordinator, url(many))
    assert count_many == count_few, (page, count_few, count_many)
    assert count_many <= MAX_QUERIES[page], (page, count_many)


def test_dashboard_panel_query_count_does_not_grow_with_tasks(care, client_for):
    coordinator = client_for(care.coordinator)
    dashboard = reverse("wagtailadmin_home")
    factories.register_process(coordinator)
    with CaptureQueriesContext(connection) as one:
        assert coordinator.get(dashboard).status_code == 200
    for _ in range(4):
        factories.register_process(coordinator)
    with CaptureQueriesContext(connection) as five:
        assert coordinator.get(dashboard).status_code == 200
    assert len(five) == len(one)


def _menu_count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured if "FILTER (WHERE" in q["sql"]]


def test_menu_counts_are_cached_per_user_until_their_tasks_change(care, client_for):
    coordinator = client_for(care.coordinator)
    factories.register_process(coordinator)
    inbox = reverse("forlop:inbox")
    response, counted = _menu_count_queries(coordinator, inbox)
    first = response.context["paginator"].count
    assert first >= 1
    # The next pages of the app reuse the badge counts: no counting query.
    response, counted = _menu_count_queries(coordinator, reverse("forlop:index"))
    assert counted == []
    # A new task for the coordinator shows at once: the change of tasks invalidates the cached counts.
    factories.register_process(coordinator)
    response, counted = _menu_count_queries(coordinator, inbox)
    assert len(counted) == 1
    assert response.context["paginator"].count == first + 1
    assert len(response.context["object_list"]) == first + 1


def test_list_pages_write_the_session_only_when_something_changed(care, client_for):
    """Viewflow remembers the list in the session; the same list again, within the minute, writes nothing."""
    from workflows.viewsets import InboxView, ProcessListView

    coordinator = client_for(care.coordinator)
    factories.register_process(coordinator)
    for url in (reverse("forlop:inbox"), reverse("forlop:index")):
        coordinator.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(url).status_code == 200
        assert not [q for q in captured if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]], url
    # SessionPinMixin skips only Viewflow's StoreRequestPathMixin: no other dispatch lies between them.
    from viewflow.workflow.flow.views.mixins import StoreRequestPathMixin

    for view in (InboxView, ProcessListView):
        mro = view.__mro__[: view.__mro__.index(StoreRequestPathMixin)]
        assert [c.__name__ for c in mro if "dispatch" in c.__dict__] == ["SessionPinMixin"]
