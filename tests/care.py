"""Helpers that walk a care process through its steps with a test client, as a coordinator would."""

import datetime
import io
import itertools

from django.utils import timezone
from viewflow.workflow.status import STATUS

from demo import care as demo_care
from workflows.models import CareProcess
from workflows.national_id import synthetic

START_URL = "/prosesser/forlop/start/"


def fnr(day=15, month=3, year=1961, individual=100):
    return synthetic(datetime.date(year, month, day), individual)


_PATIENTS = itertools.count()


def next_fnr():
    """A number no earlier registration in the test used: a person has at most one open process."""
    n = next(_PATIENTS)
    return fnr(day=1 + n % 28, month=1 + (n // 28) % 12, year=1940 + n // (28 * 12))


def registration(**overrides):
    data = {
        "patient_name": "Astrid Testesen",
        "national_id": next_fnr(),
        "address": "Fjordvegen 1",
        "postal_code_input": "5200",
        "areas_of_need": ["somatisk", "psykisk"],
        "need_description": "Trenger koordinerte tjenester etter hjerneslag.",
        "referred_by": "Fastlege Ola Lege",
    }
    data.update(overrides)
    return data


def consent(**overrides):
    """Valid consent data; any field can be overridden (``None`` drops it), including ``granted``."""
    data = demo_care.consent()
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def good_day(**overrides):
    data = {
        "good_day": "Kaffe med naboen og en tur langs sjøen.",
        "bad_day": "Smerter og ingen å snakke med.",
        "what_matters": "Å bo hjemme og klare meg selv.",
        "life_before": "Jobbet som lærer.",
        "life_now": "Trenger hjelp til det meste.",
        "challenges": "Mobilitet, ensomhet, medisiner.",
        "severity": "hoy",
        "ability": "lav",
    }
    data.update(overrides)
    return data


MEMBERS = [
    ("koordinator", "Kari Koordinator", "Bjørnafjorden kommune", "56 00 00 01", "koordinator"),
    ("fastlege", "Ola Lege", "Os legesenter", "56 00 00 02", "fastlege"),
    ("kontaktlege", "Per Spesialist", "Haukeland universitetssjukehus", "55 00 00 03", ""),
    ("intern_koordinator", "Siri Sykehus", "Haukeland universitetssjukehus", "55 00 00 04", ""),
    ("parorende", "Nils Testesen", "", "900 00 005", ""),
]


def team(members=MEMBERS, extra=0, existing=0):
    """Team formset data; ``existing`` rows must be given separately (ids) by the caller."""
    rows = [
        demo_care.Member(
            role=role,
            name=name,
            organisation=organisation,
            phone=phone,
            username=username,
            relation="Sønn" if role == "parorende" else "",
        )
        for role, name, organisation, phone, username in members
    ]
    data = demo_care.team(rows)
    data.update({"team-TOTAL_FORMS": str(len(members) + extra), "team-INITIAL_FORMS": str(existing)})
    return data


def plan(process, interval="6", goals=("Bo hjemme med trygghet",), deadline=None):
    members = list(process.team.filter(active=True).order_by("pk"))
    deadline = deadline or (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    data = {
        "meetings": "Ansvarsgruppemøte hver tredje måned.",
        "reporting": "Koordinator sender referat til alle.",
        "evaluation_interval_months": interval,
        "goals-TOTAL_FORMS": str(len(goals)),
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "1",
        "goals-MAX_NUM_FORMS": "1000",
        "measures-TOTAL_FORMS": "1",
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "1",
        "measures-MAX_NUM_FORMS": "1000",
        "measures-0-text": "Hjemmesykepleie morgen og kveld",
        "measures-0-responsible": str(members[0].pk),
        "measures-0-deadline": deadline,
        "triggers-TOTAL_FORMS": "1",
        "triggers-INITIAL_FORMS": "0",
        "triggers-MIN_NUM_FORMS": "0",
        "triggers-MAX_NUM_FORMS": "1000",
        "triggers-0-signal": "Slutter å spise",
        "triggers-0-response": "Fastlegen kontaktes samme dag",
        "triggers-0-takeover": str(members[1].pk),
    }
    for i, goal in enumerate(goals):
        data[f"goals-{i}-text"] = goal
    return data


def evaluation(process, outcome):
    goals = [goal["text"] for goal in process.plan_versions.get(status="godkjent").goals]
    data = {
        "outcome": outcome,
        "summary": "Gikk gjennom planen i ansvarsgruppemøte.",
        "goal-TOTAL_FORMS": str(len(goals)),
        "goal-INITIAL_FORMS": str(len(goals)),
        "goal-MIN_NUM_FORMS": "0",
        "goal-MAX_NUM_FORMS": "1000",
    }
    for i, goal in enumerate(goals):
        data.update(
            {
                f"goal-{i}-goal": goal,
                f"goal-{i}-done": "Tiltakene ble fulgt.",
                f"goal-{i}-achieved": "Bor fortsatt hjemme.",
                f"goal-{i}-change": "",
            }
        )
    return data


open_task = demo_care.open_task


def task_url(process, node_name, action="execute", owner=None):
    task = open_task(process, node_name, owner)
    return task.flow_task.reverse(action, args=[process.pk, task.pk])


def post_step(client, process, node_name, data, owner=None, expect_redirect=True):
    response = client.post(task_url(process, node_name, owner=owner), data)
    if expect_redirect:
        assert response.status_code == 302, _errors(response)
    return response


def _errors(response):
    context = getattr(response, "context", None)
    if not context:
        return response.status_code
    found = []
    for key in ("form",):
        if key in context and context[key] is not None and context[key].errors:
            found.append(context[key].errors.as_json())
    for formset in (context.get("formsets") or {}).values():
        found.append(str(formset.errors) + str(formset.non_form_errors()))
    return found


def register_process(client, **overrides):
    response = client.post(START_URL, registration(**overrides))
    assert response.status_code == 302, _errors(response)
    return CareProcess.objects.order_by("-pk").first()


def through_consent(client, **overrides):
    process = register_process(client, **overrides)
    post_step(client, process, "consent", consent())
    return process


def through_team(client, members=MEMBERS):
    process = through_consent(client)
    post_step(client, process, "good_day", good_day())
    post_step(client, process, "actor_map", team(members))
    return process


def through_plan(client, members=MEMBERS):
    process = through_team(client, members)
    post_step(client, process, "draft_plan", plan(process))
    return process


# --- helpers for the step-by-step tests ------------------------------------------------------------------


def national_number(birth, individual=123, d_number=False):
    """A real-format fødselsnummer (or D-number: day + 40) with both control digits right."""
    from workflows.national_id import build

    return build(birth, individual, "dnr" if d_number else "fnr")


def page_text(response):
    """The response body with HTML entities resolved, for finding messages as the user reads them."""
    import html

    return html.unescape(response.content.decode())


def detail_url(process):
    return f"/prosesser/forlop/{process.pk}/"


def withdraw_url(process):
    return f"/prosesser/forlop/{process.pk}/trekk-samtykke/"


def handover_url(process):
    return f"/prosesser/forlop/{process.pk}/overfor/"


def team_existing(process, members=(), extra=0):
    """Team formset data that keeps every saved active member (with ids) and adds ``members`` as new rows."""
    saved = list(process.team.filter(active=True).select_related("user").order_by("pk"))
    data = team(list(members), extra=extra, existing=len(saved))
    new_rows = {key: value for key, value in data.items() if key.startswith("team-") and key[5:6].isdigit()}
    data = {key: value for key, value in data.items() if key not in new_rows}
    data["team-TOTAL_FORMS"] = str(len(saved) + len(members) + extra)
    for i, member in enumerate(saved):
        data.update(
            {
                f"team-{i}-id": str(member.pk),
                f"team-{i}-process": str(process.pk),
                f"team-{i}-role": member.role,
                f"team-{i}-name": member.name,
                f"team-{i}-organisation": member.organisation,
                f"team-{i}-relation": member.relation,
                f"team-{i}-phone": member.phone,
                f"team-{i}-email": member.email,
                f"team-{i}-username": member.user.get_username() if member.user_id else "",
            }
        )
    for key, value in new_rows.items():
        _prefix, index, field = key.split("-", 2)
        data[f"team-{int(index) + len(saved)}-{field}"] = value
    return data


APPROVAL_NODES = (
    "approve_coordinator",
    "approve_gp",
    "approve_contact_doctor",
    "approve_internal_coordinator",
    "patient_confirmation",
)


def approve_all(process, clients, decision="godkjent", skip=()):
    """Answer every open approval task with the client of its owner (``clients`` maps user pk -> client)."""
    for node in APPROVAL_NODES:
        if node in skip:
            continue
        task = open_task(process, node)
        post_step(clients[task.owner_id], process, node, {"decision": decision})


def fire_timers(process):
    """Move the process's scheduled timer into the past and run Viewflow's dispatcher, as cron would."""
    from django.core.management import call_command
    from viewflow.workflow.models import Task

    Task.objects.filter(process=process, flow_task_type="TIMER", status=STATUS.SCHEDULED).update(
        scheduled=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("workflow_timers", stdout=io.StringIO())


# --- added for the need-to-know and audit tests (tests/test_care_access.py) -------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def signed_form(name="samtykke.pdf"):
    """An uploaded signed consent form (a small, real PDF signature)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def to_approval(client, members=MEMBERS, signed=False, **registration_overrides):
    """Register (with overrides), consent – with an uploaded signed form when ``signed`` –, Min gode dag, the team
    and the plan: the process stands at approval, with one task per mandatory role and the patient."""
    process = register_process(client, **registration_overrides)
    post_step(client, process, "consent", consent(method="skjema", document=signed_form()) if signed else consent())
    post_step(client, process, "good_day", good_day())
    post_step(client, process, "actor_map", team(members))
    post_step(client, process, "draft_plan", plan(process))
    return process
