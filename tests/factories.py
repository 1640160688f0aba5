"""Shared test data and helpers: the session seed, people, directory pages, pathways and care-process steps.

1. The seed: what every test finds in the database (built once per test session by ``django_db_setup`` in
   ``tests/conftest.py``; each test runs in a transaction rolled back to it).
2. People: users, and test clients whose session has passed the second factor.
3. The directory: actor pages.
4. Pathways: steps, phases, modules and pathway pages as Python code builds them.
5. The care process: valid form data for each step, and helpers that walk a process through the flow as a
   coordinator would (through the test client: the views, forms, services and Viewflow's activations run).

Everything is fictional: synthetic fødselsnummer (month + 80), e-mail at example.com.
"""

import datetime
import html
import io
import itertools
import re
from pathlib import Path
from types import SimpleNamespace

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.status import STATUS
from wagtail.models import Page, Site

from core.bulk_publish import NewPage, create_published_pages
from demo import care as demo_care
from directory.catalogue import seed_catalogue
from directory.groups import create_municipality, editor_group_name, ensure_national_admins, reviewer_group_name
from directory.models import ActorPage, ActorType, ContactPerson, MunicipalityIndexPage, MunicipalityPage
from directory.postal_register import import_register
from home.models import HomePage, PathwayModule, PathwayPage
from workflows import groups
from workflows.models import CareProcess
from workflows.national_id import synthetic

# --- 1. the seed -----------------------------------------------------------------------------------------------

# The demo municipalities (the same four as `manage.py load_demo`), each with an actor map, its editor and
# reviewer groups, its review workflow and its coordinating unit.
DEMO_MUNICIPALITIES = {"4601": "Bergen", "4624": "Bjørnafjorden", "4625": "Austevoll", "4623": "Samnanger"}
# The demo's slice of Bring's postal register (the one load_demo imports), and Alver: in the register, but
# without an actor map.
REGISTER_SLICE = Path(__file__).resolve().parents[1] / "directory" / "fixtures" / "postnummer-demo.tsv"
NO_ACTOR_MAP = "5914\tISDALSTØ\t4631\tALVER\tG\n"
PASSWORD = "korrekt-hest-batteri"


def seed_database():
    """Build the data every test starts from; returns False (and changes nothing) when it is already there.

    The postal-register slice, the home page at the site root with «Finn hjelp der du bor», the national
    catalogue of actor types, the national administrators, the demo municipalities with their groups and
    workflows, their coordinating units, the care-team and the auditor groups. No users, no actors.
    """
    if HomePage.objects.exists():
        return False
    import_register(REGISTER_SLICE.read_bytes() + NO_ACTOR_MAP.encode())
    home = HomePage(title="LKT", slug="lkt")
    Page.get_first_root_node().add_child(instance=home)
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    home.add_child(instance=MunicipalityIndexPage(title="Finn hjelp der du bor", slug="finn-hjelp"))
    seed_catalogue()
    ensure_national_admins()
    for number in DEMO_MUNICIPALITIES:
        create_municipality(number)
    demo_care.ensure_groups(DEMO_MUNICIPALITIES)
    return True


def municipality(number):
    """(page, editors, reviewers) of a municipality: a lookup for the seeded ones, created for any other."""
    page = MunicipalityPage.objects.filter(municipality_id=number).select_related("municipality").first()
    if page is None:
        return create_municipality(number)
    return (
        page,
        Group.objects.get(name=editor_group_name(page.municipality)),
        Group.objects.get(name=reviewer_group_name(page.municipality)),
    )


def keys_of(objects):
    """{name: (model, pk)} of model instances, to keep at module scope (see ``module_db`` in tests/conftest.py)."""
    return {name: (type(obj), obj.pk) for name, obj in objects.items()}


def fresh(keys):
    """{name: instance} looked up again from :func:`keys_of`'s answer: each test gets instances of its own."""
    return {name: model.objects.get(pk=pk) for name, (model, pk) in keys.items()}


# --- 2. people -------------------------------------------------------------------------------------------------


def make_user(username, groups=(), superuser=False, email=None):
    user = get_user_model().objects.create_user(
        username=username,
        email=email or f"{username}@example.com",
        password=PASSWORD,
        is_superuser=superuser,
        is_staff=superuser,
    )
    user.groups.set(groups)
    return user


def verify_client(client, user):
    """Log a test client in as a user whose session has passed the second factor."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def care_people():
    """Bjørnafjorden's coordinating unit with a coordinator and a colleague, a GP and an actor with accounts,
    Bergen's coordinating unit (outsiders to Bjørnafjorden's patients), a user with no role, and an auditor."""
    bjornafjorden = groups.ensure_coordinating_unit("4624").group
    bergen = groups.ensure_coordinating_unit("4601").group
    team = groups.ensure_care_team()
    groups_by_role = {
        "coordinator": [bjornafjorden],
        "colleague": [bjornafjorden],
        "gp": [team],
        "actor": [team],
        "outsider": [bergen],
        "stranger": [],
        "auditor": [groups.ensure_auditors()],
    }
    return SimpleNamespace(**{role: make_user(CARE_USERNAMES[role], groups_by_role[role]) for role in CARE_USERNAMES})


CARE_USERNAMES = {
    "coordinator": "koordinator",
    "colleague": "kollega",
    "gp": "fastlege",
    "actor": "aktor",
    "outsider": "utenforstaende",
    "stranger": "fremmed",
    "auditor": "revisor",
}


def find_care_people():
    """The people made by :func:`care_people`, looked up again (fresh instances) by their usernames."""
    users = get_user_model().objects.in_bulk(CARE_USERNAMES.values(), field_name="username")
    return SimpleNamespace(**{role: users[username] for role, username in CARE_USERNAMES.items()})


# --- 3. the directory ------------------------------------------------------------------------------------------


def make_actor(
    municipality_page,
    title,
    type_slugs=("koordinerende-enhet-kommune",),
    phone="55 00 00 00",
    contacts=(("Kari Nordmann", "Leder", "55 11 22 33"),),
    user=None,
):
    """A published actor page in a municipality's actor map: created, revised and published by the path the
    spreadsheet import takes (``core.bulk_publish``, which ``tests/directory/test_bulk_publish.py`` holds to the
    state Wagtail's own create-and-publish leaves), in a tenth of the queries."""
    page = ActorPage(title=title, phone=phone, email="post@example.com")
    contacts = [
        ContactPerson(name=name, role=role, phone=contact_phone, sort_order=i)
        for i, (name, role, contact_phone) in enumerate(contacts)
    ]
    types = list(ActorType.objects.filter(slug__in=type_slugs))
    new = NewPage(page, children={"contacts": contacts}, m2m={"actor_types": types})
    (actor,) = create_published_pages(municipality_page, [new], user)
    return ActorPage.objects.get(pk=actor.pk)


def publish_contact_phone(actor, phone):
    """Publish a new revision of an actor page whose first contact has a new phone number."""
    draft = actor.get_latest_revision_as_object()
    contacts = list(draft.contacts.all())
    contacts[0].phone = phone
    draft.contacts = contacts
    draft.save_revision().publish()


def page_body(client, url, **params):
    """GET a page that must answer 200; its HTML."""
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def count_queries(client, url, **params):
    """(queries, HTML) of a GET that must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        body = page_body(client, url, **params)
    return len(queries), body


def page_text(response):
    """The body of a page that must answer 200, HTML entities resolved, to find messages as the user reads them."""
    assert response.status_code == 200, response.status_code
    return response_text(response)


def response_text(response):
    """Any response's body with HTML entities resolved (assert its status first: an error page has text too)."""
    return html.unescape(response.content.decode())


# --- 4. pathways -----------------------------------------------------------------------------------------------

COORDINATING_UNIT = "koordinerende-enhet-kommune"
GP_TYPE = "fastlege"
# The phone numbers of the coordinating units in the ``units_and_index`` fixture (tests/conftest.py).
KE_PHONE = "56 57 50 00"
CONTACT_PHONE = "55 11 22 33"
AUSTEVOLL_CONTACT_PHONE = "56 18 10 01"


def pathway_step(
    title,
    responsible=COORDINATING_UNIT,
    role="",
    participants=(GP_TYPE,),
    handover_role="koordinator",
    body="Innhent samtykke.",
):
    """A step value as Python code assigns it: chooser values are model instances."""
    return {
        "title": title,
        "body": f"<p>{body}</p>",
        "responsible_type": ActorType.objects.get(slug=responsible) if responsible else None,
        "responsible_role": role,
        "participants": [ActorType.objects.get(slug=slug) for slug in participants],
        "handover_trigger": "Når samtykket er gitt" if handover_role else "",
        "handover_to_type": None,
        "handover_to_role": handover_role,
        "documents": [],
        "links": [{"title": "Lovdata", "url": "https://lovdata.no"}],
    }


def pathway_phase(title, steps):
    return ("phase", {"title": title, "intro": "", "steps": list(steps)})


def step_block_value(**changes):
    """A step as the StreamField holds it (through :class:`StepBlock`), from raw values with ``changes``."""
    from home.blocks import StepBlock

    raw = {
        "title": "Samtykke",
        "body": "<p>Innhent samtykke.</p>",
        "responsible_type": None,
        "responsible_role": "",
        "participants": [],
        "handover_trigger": "",
        "handover_to_type": None,
        "handover_to_role": "",
        "documents": [],
        "links": [],
        **changes,
    }
    return StepBlock().to_python(raw)


def step_titles(body):
    """The titles of the steps on a rendered pathway page, in order."""
    return re.findall(r"<h3>(.*?)</h3>", body)


def make_module(title, step_titles):
    """A published pathway module with one step per title."""
    module = PathwayModule(title=title, steps=[("step", pathway_step(t)) for t in step_titles])
    module.save()
    module.save_revision().publish()
    return PathwayModule.objects.get(pk=module.pk)


def make_pathway(index, title, slug, phases, publish=True, **fields):
    """A pathway page under ``index``, published unless ``publish`` is false."""
    fields.setdefault("next_review", timezone.localdate() + datetime.timedelta(days=365))
    page = PathwayPage(title=title, slug=slug, phases=phases, live=publish, **fields)
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return PathwayPage.objects.get(pk=page.pk)


# --- 5. the care process ---------------------------------------------------------------------------------------


def start_url():
    return reverse("forlop:start:execute")


def detail_url(process):
    return reverse("forlop:process_detail", args=[process.pk])


def withdraw_url(process):
    return reverse("forlop:withdraw", args=[process.pk])


def handover_url(process):
    return reverse("forlop:handover", args=[process.pk])


_PATIENTS = itertools.count()


def next_fnr():
    """A number no earlier registration in the test used: a person has at most one open process."""
    n = next(_PATIENTS)
    return fnr(day=1 + n % 28, month=1 + (n // 28) % 12, year=1940 + n // (28 * 12))


def fnr(day=15, month=3, year=1961, individual=100):
    """A synthetic fødselsnummer (month + 80): never a real person's."""
    return synthetic(datetime.date(year, month, day), individual)


def national_number(birth, individual=123, d_number=False):
    """A real-format fødselsnummer (or D-number: day + 40) with both control digits right."""
    from workflows.national_id import build

    return build(birth, individual, "dnr" if d_number else "fnr")


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


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def signed_form(name="samtykke.pdf"):
    """An uploaded signed consent form (a small, real PDF signature)."""
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


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
    if context.get("form") is not None and context["form"].errors:
        found.append(context["form"].errors.as_json())
    for formset in (context.get("formsets") or {}).values():
        found.append(str(formset.errors) + str(formset.non_form_errors()))
    return found


def register_process(client, **overrides):
    response = client.post(start_url(), registration(**overrides))
    assert response.status_code == 302, _errors(response)
    return CareProcess.objects.order_by("-pk").first()


# The builders below bring a process to a stage the way the demo does (demo/care.py): each step's own form, its
# service and Viewflow's activation, as the step's view runs them, without the HTTP round trip. The acting user is
# the one the client is logged in as. Tests of a step itself post to its view (``post_step``).


def acting_user(client):
    """The user a test client is logged in as."""
    return get_user_model().objects.get(pk=client.session[SESSION_KEY])


def _registered(user, **overrides):
    process = demo_care.register(user, registration(**overrides))
    return CareProcess.objects.get(pk=process.pk)


def through_consent(client, **overrides):
    user = acting_user(client)
    process = _registered(user, **overrides)
    demo_care.record_consent(process, user, consent())
    return process


def through_team(client, members=MEMBERS):
    user = acting_user(client)
    process = through_consent(client)
    demo_care.save_good_day(process, user, good_day())
    demo_care.finish_team(process, user, team(members))
    return process


def through_plan(client, members=MEMBERS):
    process = through_team(client, members)
    demo_care.send_plan(process, acting_user(client), plan(process))
    return process


def to_approval(client, members=MEMBERS, signed=False, **registration_overrides):
    """Register (with overrides), consent – with an uploaded signed form when ``signed`` –, Min gode dag, the team
    and the plan: the process stands at approval, with one task per mandatory role and the patient."""
    user = acting_user(client)
    process = _registered(user, **registration_overrides)
    if signed:
        demo_care.record_consent(process, user, consent(method="skjema"), {"document": signed_form()})
    else:
        demo_care.record_consent(process, user, consent())
    demo_care.save_good_day(process, user, good_day())
    demo_care.finish_team(process, user, team(members))
    demo_care.send_plan(process, user, plan(process))
    return process


APPROVAL_NODES = (
    "approve_coordinator",
    "approve_gp",
    "approve_contact_doctor",
    "approve_internal_coordinator",
    "patient_confirmation",
)


def approve_all(process, clients, decision="godkjent", skip=()):
    """Answer every open approval task as its owner (``clients`` maps user pk -> that user's client), through the
    approval step's form and service."""
    for node in APPROVAL_NODES:
        if node in skip:
            continue
        task = open_task(process, node)
        demo_care.answer(process, node, acting_user(clients[task.owner_id]), {"decision": decision})


def fire_timers(process):
    """Move the process's scheduled timer into the past and run Viewflow's dispatcher, as cron would."""
    from django.core.management import call_command
    from viewflow.workflow.models import Task

    Task.objects.filter(process=process, flow_task_type="TIMER", status=STATUS.SCHEDULED).update(
        scheduled=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("workflow_timers", stdout=io.StringIO())
