"""Helpers that walk a care process through its steps with a test client, as a coordinator would."""

import datetime

from django.utils import timezone
from viewflow.workflow.status import STATUS

from workflows.flows import ForlopFlow
from workflows.models import CareProcess
from workflows.national_id import synthetic

START_URL = "/prosesser/forlop/start/"


def fnr(day=15, month=3, year=1961, individual=100):
    return synthetic(datetime.date(year, month, day), individual)


def registration(**overrides):
    data = {
        "patient_name": "Astrid Testesen",
        "national_id": fnr(),
        "address": "Fjordvegen 1",
        "postal_code_input": "5200",
        "areas_of_need": ["somatisk", "psykisk"],
        "need_description": "Trenger koordinerte tjenester etter hjerneslag.",
        "referred_by": "Fastlege Ola Lege",
    }
    data.update(overrides)
    return data


def consent(**overrides):
    today = timezone.localdate()
    data = {
        "granted": "ja",
        "given_by": "pasient",
        "given_at": today.isoformat(),
        "method": "digitalt",
        "covers_community": "on",
        "covers_sharing": "on",
        "valid_until": (today + datetime.timedelta(days=365)).isoformat(),
    }
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
    data = {
        "team-TOTAL_FORMS": str(len(members) + extra),
        "team-INITIAL_FORMS": str(existing),
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "1000",
    }
    for i, (role, name, organisation, phone, username) in enumerate(members):
        data.update({
            f"team-{i}-role": role,
            f"team-{i}-name": name,
            f"team-{i}-organisation": organisation,
            f"team-{i}-relation": "Sønn" if role == "parorende" else "",
            f"team-{i}-phone": phone,
            f"team-{i}-email": "",
            f"team-{i}-username": username,
        })
    return data


def plan(process, interval="6", goals=("Bo hjemme med trygghet",), deadline=None):
    members = list(process.team.filter(active=True).order_by("pk"))
    deadline = deadline or (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    data = {
        "meetings": "Ansvarsgruppemøte hver tredje måned.",
        "reporting": "Koordinator sender referat til alle.",
        "evaluation_interval_months": interval,
        "goals-TOTAL_FORMS": str(len(goals)), "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "1", "goals-MAX_NUM_FORMS": "1000",
        "measures-TOTAL_FORMS": "1", "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "1", "measures-MAX_NUM_FORMS": "1000",
        "measures-0-text": "Hjemmesykepleie morgen og kveld",
        "measures-0-responsible": str(members[0].pk),
        "measures-0-deadline": deadline,
        "triggers-TOTAL_FORMS": "1", "triggers-INITIAL_FORMS": "0",
        "triggers-MIN_NUM_FORMS": "0", "triggers-MAX_NUM_FORMS": "1000",
        "triggers-0-signal": "Slutter å spise",
        "triggers-0-response": "Fastlegen kontaktes samme dag",
        "triggers-0-takeover": str(members[1].pk),
    }
    for i, goal in enumerate(goals):
        data[f"goals-{i}-text"] = goal
    return data


def evaluation(process, outcome):
    goals = [goal["text"] for goal in process.plan_versions.get(status="godkjent").goals]
    data = {"outcome": outcome, "summary": "Gikk gjennom planen i ansvarsgruppemøte.",
            "goal-TOTAL_FORMS": str(len(goals)), "goal-INITIAL_FORMS": str(len(goals)),
            "goal-MIN_NUM_FORMS": "0", "goal-MAX_NUM_FORMS": "1000"}
    for i, goal in enumerate(goals):
        data.update({f"goal-{i}-goal": goal, f"goal-{i}-done": "Tiltakene ble fulgt.",
                     f"goal-{i}-achieved": "Bor fortsatt hjemme.", f"goal-{i}-change": ""})
    return data


def open_task(process, node_name, owner=None):
    tasks = process.task_set.filter(flow_task=getattr(ForlopFlow, node_name)).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED])
    if owner is not None:
        tasks = tasks.filter(owner=owner)
    return tasks.get()


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
