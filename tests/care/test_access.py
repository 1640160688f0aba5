"""Need-to-know and audit of the care process.

Every URL under /prosesser/ is enumerated from the URL resolver itself (so a new
route is covered the day it is added), filled with a real process, a real task
of it and a real consent with an uploaded form, and asked for by each kind of
non-member: it must answer 404, exactly as if the process did not exist. Lists,
the Wagtail admin and the public search must never name the patient to them.
Every read and change of patient data leaves an audit row that names no patient,
that only the coordinating unit and the auditor can read, and that nobody can change.
"""

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests import factories
from workflows import audit, groups
from workflows.models import AuditEntry, CareProcess, GoodDay

pytestmark = pytest.mark.django_db

PREFIX = settings.LKT_PROCESS_PATH_PREFIX
AUDIT_LOG = reverse("forlop:audit_log")
PROCESS_LIST = reverse("forlop:index")
INBOX = reverse("forlop:inbox")
PATIENT = factories.registration()["patient_name"]
NATIONAL_ID = factories.registration()["national_id"]
ADDRESS = factories.registration()["address"]

BERGEN_PATIENT = {
    "patient_name": "Bernt Bergensen",
    "national_id": factories.fnr(day=2, month=5, year=1950),
    "address": "Bryggen 7",
    "postal_code_input": "5003",
}
# Bergen's team: the outsider coordinates it, and a GP with an account who is not on Bjørnafjorden's team.
BERGEN_MEMBERS = [
    ("koordinator", "Ulla Utenfor", "Bergen kommune", "55 00 00 10", "utenforstaende"),
    ("fastlege", "Anne Annenlege", "Bergen legesenter", "55 00 00 11", "annenlege"),
    ("kontaktlege", "Kjell Kontakt", "Haukeland universitetssjukehus", "55 00 00 12", ""),
    ("intern_koordinator", "Ingrid Intern", "Haukeland universitetssjukehus", "55 00 00 13", ""),
]
NON_MEMBERS = ["outsider", "stranger", "auditor", "other_gp", "admin"]
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


# --- the URLs ------------------------------------------------------------------------------------------------


def process_routes():
    """(route, name) of every URL pattern under /prosesser/, read from the resolver."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            else:
                found.append((prefix + str(entry.pattern), namespace + (entry.name or "")))

    walk(get_resolver().url_patterns, "/", "")
    routes = [(route, name) for route, name in found if route.startswith(PREFIX)]
    regexes = [route for route, _ in routes if any(ch in route for ch in "^$()[]")]
    assert not regexes, f"regex routes cannot be filled by this walk: {regexes}"
    return routes


def _fill(route, values):
    def value(match):
        key = match.group(1)
        assert key in values, f"no value for <{key}> in {route}: extend the walk"
        return str(values[key])

    return PARAM.sub(value, route)


def process_urls(process, consent_pk, task_process=None):
    """(route, name, url) of every route that names a process, filled for ``process``.

    A task id is a task of the route's own node where the process has one, else its first task;
    ``task_process`` takes the task ids from another process instead.
    """
    tasks = {}
    for task in (task_process or process).task_set.order_by("pk"):
        tasks.setdefault(task.flow_task.name, task.pk)
    first = min(tasks.values())
    urls = []
    for route, name in process_routes():
        if "<" not in route:
            continue
        parts = name.split(":")
        node = parts[1] if len(parts) == 3 else None
        # parameter_pk: a self-monitoring parameter (egenmaling:report); the process check comes first.
        values = {
            "process_pk": process.pk,
            "task_pk": tasks.get(node, first),
            "consent_pk": consent_pk,
            "parameter_pk": 1,
        }
        urls.append((route, name, _fill(route, values)))
    return urls


def list_urls():
    """(url, name) of every /prosesser/ URL that names no process: the index, lists, start form, chart, audit log."""
    return [(route, name) for route, name in process_routes() if "<" not in route]


# The lists that name patients: 200 for those who may use processes, 404 for the rest – never a name they may not see.
LISTS = {"index", "forlop:index", "forlop:process_list", "forlop:inbox", "forlop:queue", "forlop:archive"}


def list_status(who, name):
    """What a URL that names no process answers (redirects followed) to someone outside a process."""
    if who == "stranger":
        return 404  # no role in any process: the process app is not there at all
    if name == "forlop:start:execute" and who != "outsider":
        return 403  # registering a need is for coordinating units; the start form names no patient
    if name == "forlop:audit_log" and who in ("gp", "other_gp"):
        return 404  # the trail is for coordinating units and auditors, and is not there for the rest
    return 200


detail_url = factories.detail_url


def not_404(client, urls, methods=("get", "post")):
    """The (method, url, status) of each request that did not answer 404."""
    failures = []
    for _route, _name, url in urls:
        for method in methods:
            status = getattr(client, method)(url).status_code
            if status != 404:
                failures.append((method.upper(), url, status))
    return failures


def consent_url(process, consent):
    return reverse("forlop:consent_document", args=[process.pk, consent.pk])


def task_states(process):
    return sorted(process.task_set.values_list("pk", "status", "owner_id"))


def text(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# --- the processes -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _patients_at_approval(module_db):
    with module_db():
        care = factories.care_people()
        other_gp = factories.make_user("annenlege", [groups.ensure_care_team()])  # on Bergen's team
        coordinator = factories.verify_client(Client(), care.coordinator)
        process = factories.to_approval(coordinator, signed=True)
        factories.post_step(coordinator, process, "approve_coordinator", {"decision": "godkjent"})
        outsider = factories.verify_client(Client(), care.outsider)
        bergen = factories.to_approval(outsider, members=BERGEN_MEMBERS, **BERGEN_PATIENT)
        return factories.keys_of(
            {
                "process": process,
                "bergen": bergen,
                "consent": process.consents.get(),
                "other_gp": other_gp,
                "admin": factories.make_user("admin", superuser=True),
            }
        )


@pytest.fixture
def care(db, _patients_at_approval):
    """The people of the care process (as everywhere), made with this module's processes."""
    return factories.find_care_people()


@pytest.fixture
def patients_at_approval(care, _patients_at_approval):
    """Bjørnafjorden's patient at approval (consent with an uploaded PDF, the coordinator has answered), and a
    Bergen patient coordinated by the outsider with another GP on its team; the non-members by kind.
    Built once for the module."""
    patients = SimpleNamespace(**factories.fresh(_patients_at_approval))
    assert patients.consent.document, "the walk needs a consent with an uploaded form"
    assert patients.process.stage == CareProcess.Stage.APPROVAL
    patients.users = {
        "outsider": care.outsider,
        "stranger": care.stranger,
        "auditor": care.auditor,
        "other_gp": patients.other_gp,
        "admin": patients.admin,
    }
    return patients


# --- 1. need-to-know: every URL, every non-member ------------------------------------------------------------


def test_the_walk_covers_every_kind_of_process_page(patients_at_approval, care, client_for):
    """The walk is only a proof if it reaches real pages: the members' own requests through it succeed."""
    urls = process_urls(patients_at_approval.process, patients_at_approval.consent.pk)
    names = {name for _, name, _ in urls}
    for expected in (
        "forlop:process_detail",
        "forlop:process_chart",
        "forlop:plan_print",
        "forlop:consent_document",
        "forlop:withdraw",
        "forlop:handover",
        "forlop:approve_gp:execute",
        "forlop:approve_gp:detail",
        "forlop:consent:detail",
        "forlop:good_day:detail",
    ):
        assert expected in names
    assert len(urls) > 100
    assert LISTS | {"forlop:audit_log", "forlop:start:execute"} <= {name for _, name in list_urls()}

    coordinator = client_for(care.coordinator)
    by_name = {name: url for _, name, url in urls}
    for name in (
        "forlop:process_detail",
        "forlop:process_chart",
        "forlop:plan_print",
        "forlop:consent_document",
        "forlop:withdraw",
        "forlop:handover",
        "forlop:consent:detail",
        "forlop:good_day:detail",
        "forlop:approve_contact_doctor:execute",
        "forlop:patient_confirmation:detail",
    ):
        assert coordinator.get(by_name[name]).status_code == 200, name
    assert client_for(care.gp).get(by_name["forlop:approve_gp:execute"]).status_code == 200


@pytest.mark.slow
@pytest.mark.parametrize("who", NON_MEMBERS)
def test_every_process_url_is_404_for_a_non_member(patients_at_approval, client_for, who):
    user = patients_at_approval.users[who]
    before = task_states(patients_at_approval.process)
    failures = not_404(client_for(user), process_urls(patients_at_approval.process, patients_at_approval.consent.pk))
    assert not failures, f"{who} reached: {failures}"
    assert task_states(patients_at_approval.process) == before
    # Nothing was read; every refused attempt is on the process's trail as a denied access.
    own_rows = AuditEntry.objects.filter(user=user, process=patients_at_approval.process)
    assert not own_rows.exclude(action=AuditEntry.Action.DENIED).exists()
    assert own_rows.filter(action=AuditEntry.Action.DENIED).exists()


@pytest.mark.parametrize("who", NON_MEMBERS)
def test_lists_do_not_name_the_patient_to_a_non_member(patients_at_approval, client_for, who):
    client = client_for(patients_at_approval.users[who])
    for url, name in list_urls():
        response = client.get(url, follow=True)
        assert response.status_code == list_status(who, name), (url, response.status_code)
        body = text(response)
        assert PATIENT not in body, url
        assert NATIONAL_ID not in body, url
    if who in ("outsider", "other_gp"):
        # They are on Bergen's process: the same lists do name the patients they may see.
        assert BERGEN_PATIENT["patient_name"] in text(client.get(PROCESS_LIST))
        assert BERGEN_PATIENT["patient_name"] in text(client.get(INBOX))


def test_members_see_the_process(patients_at_approval, care, client_for):
    for user in (care.coordinator, care.colleague, care.gp):
        response = client_for(user).get(detail_url(patients_at_approval.process))
        assert response.status_code == 200, user
        assert PATIENT in text(response)
    gp = client_for(care.gp)
    task = factories.open_task(patients_at_approval.process, "approve_gp")
    assert task.owner == care.gp
    for action in ("index", "detail", "execute"):
        response = gp.get(task.flow_task.reverse(action, args=[patients_at_approval.process.pk, task.pk]), follow=True)
        assert response.status_code == 200, action
    assert PATIENT in text(gp.get(INBOX))
    assert PATIENT in text(gp.get(PROCESS_LIST))
    for user in (care.coordinator, care.colleague):
        assert PATIENT in text(client_for(user).get(PROCESS_LIST))


@pytest.mark.slow
@pytest.mark.usefixtures("patients_at_approval")
def test_former_member_loses_every_url_when_consent_is_withdrawn(care, client_for):
    coordinator = client_for(care.coordinator)
    withdrawn = factories.to_approval(
        coordinator,
        signed=True,
        patient_name="Wenche Trukket",
        national_id=factories.fnr(day=3, month=4, year=1955),
        address="Strandvegen 9",
    )
    urls = process_urls(withdrawn, withdrawn.consents.get().pk)
    gp = client_for(care.gp)
    assert gp.get(detail_url(withdrawn)).status_code == 200
    assert gp.get(factories.task_url(withdrawn, "approve_gp")).status_code == 200

    response = coordinator.post(
        factories.withdraw_url(withdrawn),
        {"note": "Pasienten ringte og trakk samtykket.", "confirm": "on"},
    )
    assert response.status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.stage == CareProcess.Stage.WITHDRAWN
    assert AuditEntry.objects.filter(
        process=withdrawn, user=care.coordinator, action=AuditEntry.Action.WITHDRAW
    ).exists()

    failures = not_404(gp, urls)
    assert not failures, f"a former member reached: {failures}"
    for url, name in list_urls():
        response = gp.get(url, follow=True)
        # Still on Bjørnafjorden's other team, so the lists answer them as they answer any team member.
        assert response.status_code == list_status("gp", name), (url, response.status_code)
        assert "Wenche Trukket" not in text(response), url
    # The lists work for them – without the withdrawn patient.
    assert PATIENT in text(gp.get(PROCESS_LIST))
    # The coordinating unit keeps the record.
    assert coordinator.get(detail_url(withdrawn)).status_code == 200


@pytest.mark.slow
def test_a_task_of_another_process_is_404_under_a_visible_process(patients_at_approval, care, client_for):
    coordinator = client_for(care.coordinator)
    second = factories.through_consent(
        coordinator, patient_name="Sigrid Andre", national_id=factories.fnr(day=9, month=9, year=1949)
    )
    # Both Bjørnafjorden processes are visible to the coordinator; the ids must still belong together.
    mixed = [
        u
        for u in process_urls(patients_at_approval.process, patients_at_approval.consent.pk, task_process=second)
        if "task_pk" in u[0]
    ]
    mixed += [
        u
        for u in process_urls(second, patients_at_approval.consent.pk, task_process=patients_at_approval.process)
        if "task_pk" in u[0]
    ]
    assert not not_404(coordinator, mixed, methods=("get",))
    # The outsider and the other GP see Bergen's process, never Bjørnafjorden's tasks through it.
    for user in (care.outsider, patients_at_approval.other_gp):
        client = client_for(user)
        assert client.get(detail_url(patients_at_approval.bergen)).status_code == 200
        mixed = [
            u
            for u in process_urls(
                patients_at_approval.bergen, patients_at_approval.consent.pk, task_process=patients_at_approval.process
            )
            if "task_pk" in u[0]
        ]
        assert not not_404(client, mixed, methods=("get",)), user
    # And the GP on Bjørnafjorden's team, the other way round.
    gp_mixed = [
        u
        for u in process_urls(
            patients_at_approval.process, patients_at_approval.consent.pk, task_process=patients_at_approval.bergen
        )
        if "task_pk" in u[0]
    ]
    assert not not_404(client_for(care.gp), gp_mixed, methods=("get",))
    assert factories.open_task(patients_at_approval.process, "approve_gp").status == "ASSIGNED"
    assert factories.open_task(patients_at_approval.bergen, "approve_gp").status == "ASSIGNED"


def test_consent_of_another_process_is_404(patients_at_approval, care, client_for):
    coordinator = client_for(care.coordinator)
    second = factories.through_consent(
        coordinator, patient_name="Sigrid Andre", national_id=factories.fnr(day=9, month=9, year=1949)
    )
    own = consent_url(patients_at_approval.process, patients_at_approval.consent)
    response = coordinator.get(own)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.PDF_BYTES
    downloads = AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD).count()
    assert coordinator.get(consent_url(second, patients_at_approval.consent)).status_code == 404
    assert coordinator.get(consent_url(patients_at_approval.process, second.consents.get())).status_code == 404
    assert (
        client_for(care.outsider)
        .get(consent_url(patients_at_approval.bergen, patients_at_approval.consent))
        .status_code
        == 404
    )
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD).count() == downloads


# --- 2. login and the second factor --------------------------------------------------------------------------


def _all_urls(patients_at_approval):
    return [url for _, _, url in process_urls(patients_at_approval.process, patients_at_approval.consent.pk)] + [
        url for url, _ in list_urls()
    ]


def test_anonymous_requests_are_sent_to_log_in(patients_at_approval):
    login = reverse(settings.LOGIN_URL)
    client = Client()
    for url in _all_urls(patients_at_approval):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"].startswith(login), (method, url, response["Location"])
            assert PATIENT not in text(response)


def test_a_session_without_the_second_factor_is_sent_to_verify(patients_at_approval, care):
    client = Client()
    client.force_login(care.coordinator)
    for url in _all_urls(patients_at_approval):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"].startswith(reverse("accounts:verify")), (method, url, response["Location"])
            assert PATIENT not in text(response)
    assert AuditEntry.objects.filter(user=care.coordinator, action=AuditEntry.Action.VIEW).count() == 0


# --- 3. the Wagtail admin ------------------------------------------------------------------------------------


def test_no_care_model_in_the_wagtail_admin():
    from wagtail.admin.viewsets import viewsets
    from wagtail.snippets.models import get_snippet_models

    assert not [m for m in get_snippet_models() if m._meta.app_label == "workflows"]
    get_resolver().url_patterns  # noqa: B018 - loads the admin URLs, which registers the viewsets
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        label = model if isinstance(model, str) or model is None else model._meta.label
        assert not str(label or "").lower().startswith("workflows."), viewset
    modules = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif prefix.startswith(reverse("wagtailadmin_home")):
                callback = entry.callback
                view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
                modules.append((callback.__module__, getattr(view_class, "__module__", "")))

    walk(get_resolver().url_patterns, "/")
    assert modules
    assert not [m for m in modules if any(part.startswith("workflows") for part in m)]


def test_the_patient_is_not_findable_in_the_wagtail_admin(patients_at_approval, care, client_for):
    page_search, user_search = reverse("wagtailadmin_pages:search"), reverse("wagtailusers_users:index")
    # A search echoes its own query, so each search looks for what the query does not contain.
    searches = {
        f"{page_search}?q=Testesen": ["Astrid", NATIONAL_ID],
        f"{page_search}?q=Astrid": ["Testesen", NATIONAL_ID],
        f"{page_search}?q={NATIONAL_ID}": ["Astrid", "Testesen"],
        f"{page_search}?q=Fjordvegen": ["Astrid", "Testesen", NATIONAL_ID],
        f"{user_search}?q=Astrid": ["Testesen", NATIONAL_ID],
        f"{reverse('search')}?q=Testesen": ["Astrid", NATIONAL_ID],
    }
    for name in (
        "wagtailadmin_home",
        "wagtailsnippets:index",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_explore_root",
        "wagtailadmin_pages:search",
    ):
        searches[reverse(name)] = [PATIENT, "Astrid", "Testesen", NATIONAL_ID, ADDRESS]
    for user in (patients_at_approval.admin, care.outsider):
        client = client_for(user)
        for url, absent in searches.items():
            # Followed to the page shown: the outsider, without page or user permissions, lands on the dashboard.
            response = client.get(url, follow=True)
            assert response.status_code == 200, (user, url, response.status_code)
            body = text(response)
            assert not [secret for secret in absent if secret in body], (user, url)
    # Controls: the search does find what exists, and the dashboard names the patients one may see.
    assert "Finn hjelp der du bor" in text(client_for(patients_at_approval.admin).get(page_search, {"q": "Finn hjelp"}))
    assert BERGEN_PATIENT["patient_name"] in text(client_for(care.outsider).get(reverse("wagtailadmin_home")))
    assert PATIENT in text(client_for(care.coordinator).get(reverse("wagtailadmin_home")))


# --- 4. the audit trail --------------------------------------------------------------------------------------


def _new_entries(before):
    return AuditEntry.objects.exclude(pk__in=before)


def test_reads_of_patient_data_are_audited(patients_at_approval, care, client_for):
    process = patients_at_approval.process
    coordinator = client_for(care.coordinator)
    task = factories.open_task(process, "patient_confirmation")
    reads = [
        (care.coordinator, detail_url(process), AuditEntry.Action.VIEW),
        (care.coordinator, task.flow_task.reverse("execute", args=[process.pk, task.pk]), AuditEntry.Action.VIEW),
        (care.coordinator, task.flow_task.reverse("detail", args=[process.pk, task.pk]), AuditEntry.Action.VIEW),
        (care.coordinator, reverse("forlop:plan_print", args=[process.pk]), AuditEntry.Action.VIEW),
        (care.coordinator, consent_url(process, patients_at_approval.consent), AuditEntry.Action.DOWNLOAD),
        (care.gp, factories.task_url(process, "approve_gp"), AuditEntry.Action.VIEW),
        (care.colleague, detail_url(process), AuditEntry.Action.VIEW),
    ]
    clients = {care.coordinator: coordinator, care.gp: client_for(care.gp), care.colleague: client_for(care.colleague)}
    for user, url, action in reads:
        before = list(AuditEntry.objects.values_list("pk", flat=True))
        response = clients[user].get(url)
        assert response.status_code == 200, url
        text(response)
        new = _new_entries(before)
        assert new.filter(user=user, process=process, action=action).exclude(what="").exists(), (
            url,
            list(new.values("user", "process", "action", "what")),
        )
    # The lists that name patients are logged too (without a process: they span many).
    before = list(AuditEntry.objects.values_list("pk", flat=True))
    assert coordinator.get(INBOX).status_code == 200
    assert _new_entries(before).filter(user=care.coordinator, action=AuditEntry.Action.LIST).exists()


def test_every_change_step_is_audited(patients_at_approval, care, client_for):
    process = patients_at_approval.process
    factories.post_step(client_for(care.gp), process, "approve_gp", {"decision": "godkjent"})
    expected = [
        (care.coordinator, AuditEntry.Action.CREATE, "Registrerte behov"),
        (care.coordinator, AuditEntry.Action.CHANGE, "Registrerte samtykke"),
        (care.coordinator, AuditEntry.Action.CHANGE, "Lagret Min gode dag"),
        (care.coordinator, AuditEntry.Action.CHANGE, "Lagret aktørkart og aktørfellesskap"),
        (care.coordinator, AuditEntry.Action.CHANGE, "Sendte plan versjon 1 til godkjenning"),
        (care.coordinator, AuditEntry.Action.CHANGE, "Svarte på plan versjon 1 (koordinator)"),
        (care.gp, AuditEntry.Action.CHANGE, "Svarte på plan versjon 1 (fastlege)"),
    ]
    entries = AuditEntry.objects.filter(process=process)
    for user, action, what in expected:
        assert entries.filter(user=user, action=action, what=what).count() == 1, (
            what,
            list(entries.values_list("user__username", "action", "what")),
        )
    # Bergen's steps were logged against Bergen's process, not this one.
    assert AuditEntry.objects.filter(
        process=patients_at_approval.bergen, user=care.outsider, what="Registrerte behov"
    ).exists()
    assert not entries.filter(user=care.outsider).exists()


def test_audit_entries_name_no_patient(patients_at_approval, care, client_for):
    coordinator = client_for(care.coordinator)
    for url in (
        detail_url(patients_at_approval.process),
        reverse("forlop:plan_print", args=[patients_at_approval.process.pk]),
        consent_url(patients_at_approval.process, patients_at_approval.consent),
        PROCESS_LIST,
    ):
        response = coordinator.get(url)
        assert response.status_code == 200, url
        text(response)
    good_day = GoodDay.objects.get(process=patients_at_approval.process)
    secrets = [
        PATIENT,
        "Astrid",
        "Testesen",
        NATIONAL_ID,
        ADDRESS,
        "Fjordvegen",
        good_day.good_day,
        good_day.what_matters,
        BERGEN_PATIENT["patient_name"],
        BERGEN_PATIENT["national_id"],
        BERGEN_PATIENT["address"],
    ]
    whats = list(AuditEntry.objects.values_list("what", flat=True))
    assert len(whats) >= 15  # every read and change above left its entry
    leaks = [(what, secret) for what in whats for secret in secrets if secret.lower() in what.lower()]
    assert not leaks


def test_the_audit_log_is_read_by_the_unit_and_the_auditor_only(patients_at_approval, care, client_for):
    process_pk = patients_at_approval.process.pk
    filtered = f"{AUDIT_LOG}?forlop={process_pk}"
    for user in (care.coordinator, care.colleague, care.auditor):
        response = client_for(user).get(filtered)
        assert response.status_code == 200, user
        entries = response.context["paginator"].object_list
        assert entries.exists() and not entries.exclude(process_id=process_pk).exists(), user
        assert PATIENT not in text(response)
    for user in (care.gp, care.outsider, care.stranger, patients_at_approval.other_gp):
        assert client_for(user).get(filtered).status_code == 404, user
    for user in (care.gp, care.stranger, patients_at_approval.other_gp):
        assert client_for(user).get(AUDIT_LOG).status_code == 404, user
    # Bergen's unit reads Bergen's trail, and nothing of Bjørnafjorden's, even unfiltered.
    response = client_for(care.outsider).get(AUDIT_LOG)
    assert response.status_code == 200
    entries = response.context["paginator"].object_list
    assert entries.filter(process=patients_at_approval.bergen).exists()
    assert not entries.filter(process=patients_at_approval.process).exists()
    assert not entries.exclude(process=patients_at_approval.bergen).exists()
    # The auditor reads everything unfiltered.
    response = client_for(care.auditor).get(AUDIT_LOG)
    assert response.status_code == 200
    entries = response.context["paginator"].object_list
    assert (
        entries.filter(process=patients_at_approval.process).exists()
        and entries.filter(process=patients_at_approval.bergen).exists()
    )


def test_audit_entries_cannot_be_changed_or_deleted(care):
    entry = audit.record(care.coordinator, None, AuditEntry.Action.LIST, "forlop:inbox")
    entry.what = "endret"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(NotImplementedError):
        AuditEntry.objects.update(what="endret")
    with pytest.raises(NotImplementedError):
        AuditEntry.objects.filter(pk=entry.pk).update(what="endret")
    with pytest.raises(NotImplementedError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(NotImplementedError):
        AuditEntry.objects.all().delete()
    with pytest.raises(NotImplementedError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["what"])
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.what == "forlop:inbox"
    assert stored.user == care.coordinator


def test_audited_users_cannot_be_deleted(care):
    """Deleting a user with audit rows would rewrite who did what; the foreign key protects the rows."""
    from django.db.models import ProtectedError

    audit.record(care.stranger, None, AuditEntry.Action.LIST, "forlop:inbox")
    with pytest.raises(ProtectedError):
        get_user_model().objects.filter(pk=care.stranger.pk).delete()
    assert AuditEntry.objects.filter(user=care.stranger).count() == 1


@pytest.mark.postgres
def test_raw_sql_cannot_rewrite_the_audit_log_on_postgresql(care):
    """The append-only trigger exists on PostgreSQL only."""
    entry = audit.record(care.coordinator, None, AuditEntry.Action.LIST, "forlop:inbox")
    assert AuditEntry._meta.db_table == "workflows_auditentry"
    for sql, params in (
        ("UPDATE workflows_auditentry SET what = %s WHERE id = %s", ["endret", entry.pk]),
        ("UPDATE workflows_auditentry SET what = %s", ["endret"]),
        ("DELETE FROM workflows_auditentry WHERE id = %s", [entry.pk]),
        ("DELETE FROM workflows_auditentry", []),
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
    assert AuditEntry.objects.get(pk=entry.pk).what == "forlop:inbox"


def test_a_form_shown_again_with_errors_is_audited_as_a_read(patients_at_approval, care, client_for):
    """A refused POST redisplays the patient's data; that is a read like any other."""
    process = patients_at_approval.process
    gp = client_for(care.gp)
    before = list(AuditEntry.objects.values_list("pk", flat=True))
    response = gp.post(factories.task_url(process, "approve_gp"), {"decision": "endringer", "comment": ""})
    assert response.status_code == 200
    assert _new_entries(before).filter(user=care.gp, process=process, action=AuditEntry.Action.VIEW).count() == 1
    assert not process.plan_versions.get().answers.filter(role="fastlege").exists()
