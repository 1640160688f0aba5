"""Demo care processes: fictional patients at each step of the flow, for trying the product.

Every process goes through the product's own code, step by step, as the coordinator
and the GP would take it in the browser: each step's form is bound to the data here
and must validate, then the step's service writes it and the Viewflow task is
completed through Viewflow's activation API, as its owner and under the flow's lock.
So the tasks, their owners, the join and the timer, the answers, plan versions and
audit trail are what the UI leaves behind. No HTTP, no session, no second factor:
the demo users still enrol their own device on first login.

Everyone is fictional: names, addresses, phone numbers, e-mail at example.com, and
synthetic national identity numbers (month + 80), which only environments that
allow them (``LKT_ALLOW_SYNTHETIC_NATIONAL_IDS``) accept – elsewhere no process is
created. Patients are recognised by their number, so running it twice adds nothing.
Nobody gets an e-mail about the demo tasks.
"""

import contextlib
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from viewflow.workflow.status import STATUS

from workflows import access, forms, groups, services
from workflows.flows import ForlopFlow
from workflows.matching import chosen_actors, proposed_actors
from workflows.models import CareProcess, GoodDay
from workflows.national_id import synthetic

Stage = CareProcess.Stage

COORDINATOR = "koordinator.bjornafjorden"
COORDINATOR_BERGEN = "koordinator.bergen"
GP = "fastlege.os"
AUDITOR = "revisor"

# (username, first name, last name, group names, superuser) – the shape of demo.content.USERS.
USERS = [
    (COORDINATOR, "Ola", "Vik", ["Koordinerende enhet – Bjørnafjorden (4624)"], False),
    (COORDINATOR_BERGEN, "Astrid", "Johansen", ["Koordinerende enhet – Bergen (4601)"], False),
    (GP, "Ingrid", "Haugen", [groups.CARE_TEAM], False),
    (AUDITOR, "Reidun", "Revisor", [groups.AUDITORS], False),
]


def ensure_groups(municipalities):
    """The coordinating unit of each demo municipality, the care team and the auditors; idempotent."""
    for number in municipalities:
        groups.ensure_coordinating_unit(number)
    groups.ensure_care_team()
    groups.ensure_auditors()


# --- valid data for each step's form ---------------------------------------------------------------------


def registration(patient_name, national_id, address, postal_code, areas=("somatisk",), need="", referred_by=""):
    return {
        "patient_name": patient_name,
        "national_id": national_id,
        "address": address,
        "postal_code_input": postal_code,
        "areas_of_need": list(areas),
        "need_description": need,
        "referred_by": referred_by,
    }


def consent(given_at=None, granted=True, **overrides):
    given_at = given_at or timezone.localdate()
    if not granted:
        data = {"granted": "nei", "given_by": "pasient", "given_at": given_at.isoformat()}
    else:
        data = {
            "granted": "ja",
            "given_by": "pasient",
            "given_at": given_at.isoformat(),
            "method": "digitalt",
            "covers_community": "on",
            "covers_sharing": "on",
            "valid_until": (given_at + datetime.timedelta(days=365)).isoformat(),
        }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def good_day(good_day, bad_day, what_matters, challenges, life_before="", life_now="", severity="hoy", ability="lav"):
    return {
        "good_day": good_day,
        "bad_day": bad_day,
        "what_matters": what_matters,
        "life_before": life_before,
        "life_now": life_now,
        "challenges": challenges,
        "severity": severity,
        "ability": ability,
    }


@dataclass(frozen=True)
class Member:
    role: str
    name: str
    organisation: str = ""
    phone: str = ""
    relation: str = ""
    email: str = ""
    username: str = ""


def team(members):
    """Team formset data for new rows only (the first time the actor map is saved)."""
    data = {
        "team-TOTAL_FORMS": str(len(members)),
        "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "1000",
    }
    for i, member in enumerate(members):
        data.update(
            {
                f"team-{i}-role": member.role,
                f"team-{i}-name": member.name,
                f"team-{i}-organisation": member.organisation,
                f"team-{i}-relation": member.relation,
                f"team-{i}-phone": member.phone,
                f"team-{i}-email": member.email,
                f"team-{i}-username": member.username,
            }
        )
    return data


@dataclass(frozen=True)
class Plan:
    goals: tuple
    # (measure, role of the responsible member, days to the deadline)
    measures: tuple
    # (warning sign, agreed response, role of the member who takes over)
    triggers: tuple = ()
    meetings: str = "Ansvarsgruppemøte hver tredje måned, første gang innen fire uker."
    reporting: str = "Koordinator sender kort referat til alle i aktørfellesskapet etter hvert møte."
    interval_months: int = 6


def plan(process, spec):
    """Plan form data; measures and triggers name team members by role (the coordinator if nobody has it)."""
    by_role = {}
    for member in process.team.filter(active=True).order_by("pk"):
        by_role.setdefault(member.role, member)
    today = timezone.localdate()
    data = {
        "meetings": spec.meetings,
        "reporting": spec.reporting,
        "evaluation_interval_months": str(spec.interval_months),
        "goals-TOTAL_FORMS": str(len(spec.goals)),
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "1",
        "goals-MAX_NUM_FORMS": "1000",
        "measures-TOTAL_FORMS": str(len(spec.measures)),
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "1",
        "measures-MAX_NUM_FORMS": "1000",
        "triggers-TOTAL_FORMS": str(len(spec.triggers)),
        "triggers-INITIAL_FORMS": "0",
        "triggers-MIN_NUM_FORMS": "0",
        "triggers-MAX_NUM_FORMS": "1000",
    }
    for i, goal in enumerate(spec.goals):
        data[f"goals-{i}-text"] = goal
    for i, (text, role, days) in enumerate(spec.measures):
        data[f"measures-{i}-text"] = text
        data[f"measures-{i}-responsible"] = str(by_role.get(role, by_role["koordinator"]).pk)
        data[f"measures-{i}-deadline"] = (today + datetime.timedelta(days=days)).isoformat()
    for i, (signal, response, role) in enumerate(spec.triggers):
        data[f"triggers-{i}-signal"] = signal
        data[f"triggers-{i}-response"] = response
        data[f"triggers-{i}-takeover"] = str(by_role.get(role, by_role["koordinator"]).pk)
    return data


def evaluation(process, outcome, summary, done, achieved, change=""):
    goals = [goal["text"] for goal in process.plan_versions.get(status="godkjent").goals]
    data = {
        "outcome": outcome,
        "summary": summary,
        "goal-TOTAL_FORMS": str(len(goals)),
        "goal-INITIAL_FORMS": str(len(goals)),
        "goal-MIN_NUM_FORMS": "0",
        "goal-MAX_NUM_FORMS": "1000",
    }
    for i, goal in enumerate(goals):
        data.update(
            {f"goal-{i}-goal": goal, f"goal-{i}-done": done, f"goal-{i}-achieved": achieved, f"goal-{i}-change": change}
        )
    return data


# --- the demo patients -----------------------------------------------------------------------------------

# Where each demo process is left (``until``), in the order of the flow.
CONSENT = "samtykke"
REFUSED = "avslatt"
GOOD_DAY = "min-gode-dag"
ACTOR_MAP = "aktorkart"
APPROVAL = "godkjenning"
CHANGES = "endringer"
ACTIVE = "aktiv"
EVALUATION_DUE = "evaluering"
WITHDRAWN = "trukket"

OS_COORDINATOR = Member(
    "koordinator", "Ola Vik", "Koordinerende enhet Bjørnafjorden", "56 57 51 12", username=COORDINATOR
)
OS_GP = Member("fastlege", "Ingrid Haugen", "Os legesenter", "56 30 40 01", username=GP)
DPS_DOCTOR = Member("kontaktlege", "Lise Holm", "Os DPS, poliklinikk", "55 97 00 01")
DPS_COORDINATOR = Member("intern_koordinator", "Trond Myklebust", "Os DPS, poliklinikk", "55 97 00 09")
HOSPITAL_DOCTOR = Member("kontaktlege", "Hanne Brekke", "Sjukehuset Vest, medisinsk avdeling", "55 01 20 30")
HOSPITAL_COORDINATOR = Member(
    "intern_koordinator", "Marius Lien", "Sjukehuset Vest, koordinerende enhet", "55 01 20 31"
)


@dataclass(frozen=True)
class Patient:
    name: str
    birth: datetime.date
    address: str
    postal_code: str
    areas: tuple
    need: str
    referred_by: str
    until: str
    coordinator: str = COORDINATOR
    story: dict = field(default_factory=dict)
    members: tuple = ()
    actors: tuple = ()  # titles of directory actors picked from the proposals
    plan: Plan | None = None
    consent_days_ago: int = 0

    @property
    def national_id(self):
        return synthetic(self.birth, 100)


def _story(**kwargs):
    return good_day(**kwargs)


PATIENTS = [
    Patient(
        name="Sigrid Fjellheim",
        birth=datetime.date(1948, 2, 11),
        address="Tyttebærstien 12",
        postal_code="5640",
        areas=("somatisk",),
        until=CONSENT,
        need="Hjerte- og lungesykdom, flere innleggelser siste halvår. Bor alene.",
        referred_by="Fastlege Ingrid Haugen, Os legesenter",
    ),
    Patient(
        name="Tor Helge Brekkhus",
        birth=datetime.date(1971, 9, 3),
        address="Måkeskjærvegen 4",
        postal_code="5200",
        areas=("rus", "psykisk"),
        until=REFUSED,
        need="Alkoholavhengighet og depresjon; ønsker hjelp til å komme i arbeid.",
        referred_by="NAV Bjørnafjorden",
    ),
    Patient(
        name="Aud Kvamme",
        birth=datetime.date(1939, 6, 27),
        address="Lyngheivegen 88",
        postal_code="5208",
        areas=("somatisk", "annet"),
        until=GOOD_DAY,
        consent_days_ago=3,
        need="Begynnende demens og diabetes. Datteren er bekymret for at hun glemmer medisinene.",
        referred_by="Hjemmesykepleien Os",
    ),
    Patient(
        name="Leif Rasmussen",
        birth=datetime.date(1956, 11, 19),
        address="Nøstebakken 31",
        postal_code="5212",
        areas=("somatisk",),
        until=ACTOR_MAP,
        consent_days_ago=7,
        need="KOLS og hjertesvikt etter utskriving fra sykehus.",
        referred_by="Sjukehuset Vest, medisinsk avdeling",
        story=_story(
            good_day="Når jeg orker å gå ned til kaien og prate med dem som fisker.",
            bad_day="Når jeg ikke får puste og blir liggende i sengen hele dagen.",
            what_matters="Å klare meg hjemme og ha båten på sjøen en sommer til.",
            life_before="Anleggsarbeider, reiste mye. Stor vennekrets.",
            life_now="Mye alene. Kona døde for to år siden.",
            challenges="Pust og utholdenhet, ensomhet, mange ulike kontrollavtaler.",
        ),
    ),
    Patient(
        name="Marit Solheim",
        birth=datetime.date(1982, 4, 8),
        address="Ekornvegen 7",
        postal_code="5200",
        areas=("psykisk", "rus"),
        until=APPROVAL,
        consent_days_ago=20,
        need="Bipolar lidelse og skadelig bruk av vanedannende legemidler. To barn under ti år.",
        referred_by="Os DPS, poliklinikk",
        story=_story(
            good_day="Jeg følger barna til skolen, går en tur og har overskudd til å lage middag.",
            bad_day="Jeg får ikke sove, alt føles uoverkommelig og jeg tar flere tabletter enn jeg skal.",
            what_matters="At barna har det trygt, og at jeg slipper å fortelle historien min på nytt hver gang.",
            life_before="Barnehagelærer i full stilling.",
            life_now="Sykmeldt. Mannen jobber turnus.",
            challenges="Søvn, stabil medisinering, forutsigbar hjelp i dårlige perioder.",
            severity="hoy",
            ability="hoy",
        ),
        members=(
            OS_COORDINATOR,
            OS_GP,
            DPS_DOCTOR,
            DPS_COORDINATOR,
            Member("parorende", "Geir Solheim", phone="900 12 345", relation="Ektemann"),
        ),
        actors=("Psykisk helse og rus Bjørnafjorden",),
        plan=Plan(
            goals=("Sove minst seks timer de fleste netter", "Trygg hverdag for barna også i dårlige perioder"),
            measures=(
                ("Fast samtale med psykiatrisk sykepleier hver uke", "aktor", 14),
                ("Gjennomgang av legemidler og nedtrappingsplan", "fastlege", 30),
                ("Avtale om hvem som henter barna i dårlige perioder", "parorende", 21),
            ),
            triggers=(("Sover mindre enn fire timer tre netter på rad", "Ring DPS samme dag for time", "kontaktlege"),),
            interval_months=3,
        ),
    ),
    Patient(
        name="Bjørg Lunde",
        birth=datetime.date(1944, 1, 30),
        address="Kirsebærhagen 15",
        postal_code="5216",
        areas=("somatisk",),
        until=CHANGES,
        consent_days_ago=25,
        need="Parkinsons sykdom, fall hjemme to ganger i vinter.",
        referred_by="Bjørnafjorden legevakt",
        story=_story(
            good_day="Når jeg får stelle i hagen litt og barnebarna kommer på besøk.",
            bad_day="Når skjelvingen er verst og jeg er redd for å falle.",
            what_matters="Å bo i huset mitt så lenge det går.",
            challenges="Fallfare, medisiner til faste tider, trapp til soverommet.",
        ),
        members=(
            OS_COORDINATOR,
            OS_GP,
            HOSPITAL_DOCTOR,
            HOSPITAL_COORDINATOR,
            Member("parorende", "Kristin Lunde", phone="911 22 333", relation="Datter"),
        ),
        actors=("Hjemmesykepleien Os",),
        plan=Plan(
            goals=("Ingen nye fall det neste halvåret",),
            measures=(
                ("Hjemmebesøk av fysioterapeut for falltrening", "koordinator", 30),
                ("Medisiner i multidose med faste tider", "fastlege", 14),
            ),
            triggers=(("Nytt fall", "Legevakt vurderer samme dag; koordinator innkaller til møte", "fastlege"),),
        ),
    ),
    Patient(
        name="Kjell Aasen",
        birth=datetime.date(1952, 8, 14),
        address="Fjellrevstien 3",
        postal_code="5210",
        areas=("somatisk", "psykisk"),
        until=ACTIVE,
        consent_days_ago=60,
        need="Hjerneslag i fjor med lammelse i høyre side; nedstemt etter slaget.",
        referred_by="Sjukehuset Vest, slageining",
        story=_story(
            good_day="Når jeg kommer meg ut i rullestolen og treffer kameratene på kafeen.",
            bad_day="Når jeg sitter inne hele dagen og ikke får til noe selv.",
            what_matters="Å kunne gå med stokk igjen og gjøre litt selv.",
            life_before="Bussjåfør, aktiv i kor.",
            life_now="Bruker rullestol ute, bor med kona i enebolig.",
            challenges="Gange, tale, nedstemthet, kona er sliten.",
        ),
        members=(
            OS_COORDINATOR,
            OS_GP,
            HOSPITAL_DOCTOR,
            HOSPITAL_COORDINATOR,
            Member("parorende", "Eva Aasen", phone="922 33 444", relation="Kone"),
        ),
        actors=("Hjemmesykepleien Os", "Psykisk helse og rus Bjørnafjorden"),
        plan=Plan(
            goals=("Gå med stokk inne i huset", "Tilbake i koret"),
            measures=(
                ("Opptrening med fysioterapeut to ganger i uken", "koordinator", 90),
                ("Samtaler om nedstemthet", "aktor", 30),
                ("Avlastning for kona annenhver helg", "koordinator", 45),
            ),
            triggers=(
                (
                    "Nytt slag eller plutselig forverring",
                    "Ring 113; koordinator varsler resten av teamet",
                    "koordinator",
                ),
            ),
            interval_months=3,
        ),
    ),
    Patient(
        name="Ragnhild Tveit",
        birth=datetime.date(1961, 3, 22),
        address="Sjøsprøytvegen 40",
        postal_code="5641",
        areas=("somatisk", "rus"),
        until=EVALUATION_DUE,
        consent_days_ago=120,
        need="Diabetes type 2 med fotsår, alkoholbruk som gjør blodsukkeret ustabilt.",
        referred_by="Fastlege Ingrid Haugen, Os legesenter",
        story=_story(
            good_day="Når jeg har vært på jobb og orker å gå tur med hunden etterpå.",
            bad_day="Når foten verker og jeg drikker for å slippe å tenke på det.",
            what_matters="Å beholde jobben og foten.",
            challenges="Sårstell, blodsukker, alkohol i helgene.",
            severity="hoy",
            ability="hoy",
        ),
        members=(OS_COORDINATOR, OS_GP, HOSPITAL_DOCTOR, HOSPITAL_COORDINATOR),
        actors=("Psykisk helse og rus Bjørnafjorden",),
        plan=Plan(
            goals=("Såret grodd innen tre måneder", "Alkoholfrie helger"),
            measures=(
                ("Sårstell på helsestasjon to ganger i uken", "koordinator", 60),
                ("Samtaler hos ruskonsulent", "aktor", 30),
            ),
            triggers=(("Rødt og hovent sår eller feber", "Fastlegen ser på såret samme dag", "fastlege"),),
            interval_months=3,
        ),
    ),
    Patient(
        name="Jon Eide",
        birth=datetime.date(1990, 12, 5),
        address="Rognebærhøgda 2",
        postal_code="5200",
        areas=("psykisk",),
        until=WITHDRAWN,
        consent_days_ago=40,
        need="Psykoselidelse, nylig utskrevet. Ønsket hjelp til bolig og arbeid.",
        referred_by="Os DPS, poliklinikk",
        story=_story(
            good_day="Når jeg spiller musikk med venner.",
            bad_day="Når stemmene blir sterke og jeg ikke tør gå ut.",
            what_matters="Egen leilighet og noe å gå til om dagen.",
            challenges="Bolig, dagaktivitet, medisiner.",
        ),
        members=(OS_COORDINATOR, OS_GP, DPS_DOCTOR, DPS_COORDINATOR),
        plan=Plan(
            goals=("Egen leilighet innen sommeren",),
            measures=(("Søknad om kommunal bolig", "koordinator", 30),),
        ),
    ),
    Patient(
        name="Hans Nygård",
        birth=datetime.date(1945, 7, 1),
        address="Tåkeveien 120",
        postal_code="5018",
        areas=("somatisk",),
        until=CONSENT,
        coordinator=COORDINATOR_BERGEN,
        need="Kreft under behandling; trenger hjelp hjemme mellom kurene.",
        referred_by="Bergen legesenter Sentrum",
    ),
]

# What each demo process should look like afterwards: the stage, and the unfinished tasks (node names;
# the join waits as a started task, the evaluation timer as a scheduled one).
EXPECTED = {
    CONSENT: (Stage.REGISTERED, {"consent"}),
    REFUSED: (Stage.REFUSED, set()),
    GOOD_DAY: (Stage.MAPPING, {"good_day"}),
    ACTOR_MAP: (Stage.MAPPING, {"actor_map"}),
    APPROVAL: (
        Stage.APPROVAL,
        {"approve_gp", "approve_contact_doctor", "approve_internal_coordinator", "approval_join"},
    ),
    CHANGES: (Stage.PLANNING, {"draft_plan"}),
    ACTIVE: (Stage.ACTIVE, {"wait_evaluation"}),
    EVALUATION_DUE: (Stage.EVALUATION, {"evaluate"}),
    WITHDRAWN: (Stage.WITHDRAWN, set()),
}


# --- taking the steps --------------------------------------------------------------------------------------
# Each function below does what the step's view does after Viewflow's wrapper has started the task: bind the
# form to the data, refuse what the form refuses, call the service, complete the task.


class DemoError(RuntimeError):
    """A demo step that the product refuses: its data fails the form, or the user may not take the step."""


def _check(what, *bound):
    """Validate bound forms and formsets as the view does; their errors, if any, become a :class:`DemoError`."""
    problems = []
    for item in bound:
        if item.is_valid():
            continue
        if hasattr(item, "non_form_errors"):
            problems.append(f"{[errors for errors in item.errors if errors]} {list(item.non_form_errors())}")
        else:
            problems.append(item.errors.as_json())
    if problems:
        raise DemoError(f"{what}: {'; '.join(problems)}")


def _acting_as(user):
    """Viewflow's ``start`` transitions take the request only for ``request.user``: a bare request carries the
    acting user and nothing else (no session, no second factor)."""
    request = HttpRequest()
    request.user = user
    return request


def open_task(process, node_name, owner=None):
    tasks = process.task_set.filter(flow_task=getattr(ForlopFlow, node_name)).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED]
    )
    if owner is not None:
        tasks = tasks.filter(owner=owner)
    return tasks.get()


@contextlib.contextmanager
def _task(process, node_name, user):
    """Start ``user``'s open task at ``node_name`` as Viewflow's task-view wrapper does: under the flow's lock, in
    one transaction, after the node's own check that the user may execute it. Yields the started activation."""
    task = open_task(process, node_name, owner=user)
    with task.activation() as activation, transaction.atomic():
        if not activation.flow_task.can_execute(user, activation.task):
            raise DemoError(f"{node_name}: {user} may not execute task {task.pk}")
        activation.start(_acting_as(user))
        yield activation


def register(user, data):
    """The ``start`` node (RegisterView): a new process with the need registered; returns the process."""
    flow_task = ForlopFlow.start
    activation = flow_task.activation_class.create(flow_task, None, None)
    if not flow_task.can_execute(user, activation.task):
        raise DemoError(f"start: {user} may not register a need")
    with transaction.atomic():
        activation.start(_acting_as(user))
        form = forms.RegisterForm(
            data, instance=activation.process, municipalities=access.coordinating_municipalities(user)
        )
        _check("start", form)
        process = form.save(commit=False)
        process.coordinator = user
        activation.execute()
        services.register_need(process, user)
    return process


def record_consent(process, user, data, files=None):
    """The ``consent`` task (ConsentView); ``files`` holds an uploaded signed form."""
    with _task(process, "consent", user) as activation:
        form = forms.ConsentForm(data, files)
        _check("consent", form)
        services.record_consent(activation.process, form.save(commit=False), user)
        activation.execute()


def save_good_day(process, user, data):
    """The ``good_day`` task (GoodDayView)."""
    with _task(process, "good_day", user) as activation:
        form = forms.GoodDayForm(data, instance=GoodDay.objects.filter(process=activation.process).first())
        _check("good_day", form)
        services.save_good_day(activation.process, form.save(commit=False), user)
        activation.execute()


def save_team(process, user, members, actor_titles):
    """The ``actor_map`` task (ActorMapView), finished: the team rows, and the directory actors ticked among the
    proposals by their titles (a title that is not proposed is a :class:`DemoError`, as it has no box to tick)."""
    proposals = {actor.title: actor for actor in proposed_actors(process)}
    missing = [title for title in actor_titles if title not in proposals]
    if missing:
        raise DemoError(f"actor_map: not among the proposals: {missing}")
    finish_team(process, user, team(members), [str(proposals[title].pk) for title in actor_titles])


def finish_team(process, user, data, proposed_ids=()):
    """The ``actor_map`` task (ActorMapView) finished with team formset ``data`` and the ids of the directory actors
    ticked among the proposals."""
    with _task(process, "actor_map", user) as activation:
        process = activation.process
        formset = forms.team_formset(data, instance=process, prefix="team")
        formset.require_roles = True
        chosen = chosen_actors(process, list(proposed_ids))
        _check("actor_map", formset)
        services.save_team(process, formset, user, chosen_actors=chosen, complete=True)
        activation.execute()


def submit_plan(process, user, spec):
    """The ``draft_plan`` task (PlanView), sent for approval: one new plan version."""
    send_plan(process, user, plan(process, spec))


def send_plan(process, user, data):
    """The ``draft_plan`` task (PlanView) with plan form ``data``, sent for approval: one new plan version."""
    with _task(process, "draft_plan", user) as activation:
        process = activation.process
        members = list(process.team.active())
        form = forms.PlanForm(data)
        formsets = forms.plan_formsets(data, members=members)
        _check("draft_plan", form, *formsets.values())
        services.save_plan(process, forms.plan_data(form, formsets, members), user, submit=True)
        activation.execute()


def answer(process, node_name, user, data):
    """One approval task (ApprovalView): the answer for the role the node asks."""
    with _task(process, node_name, user) as activation:
        form = forms.ApprovalForm(data)
        _check(node_name, form)
        role = activation.flow_task.approver
        services.record_answer(
            activation.process, role, form.cleaned_data["decision"], form.cleaned_data["comment"], user
        )
        activation.execute()


def record_evaluation(process, user, data):
    """The ``evaluate`` task (EvaluationView)."""
    with _task(process, "evaluate", user) as activation:
        form = forms.EvaluationForm(data)
        goals = forms.goal_evaluation_formset(data, plan=activation.process.plan_versions.active())
        _check("evaluate", form, goals)
        services.record_evaluation(activation.process, form.save_with_goals(goals), user)
        activation.execute()


def withdraw(process, user, data):
    """Withdrawal of consent (WithdrawConsentView), a process-level action rather than a task."""
    process = CareProcess.objects.get(pk=process.pk)
    if not access.can_manage(user, process):
        raise DemoError(f"withdraw: {user} may not manage process {process.pk}")
    form = forms.WithdrawForm(data)
    _check("withdraw", form)
    services.withdraw_consent(process, user, form.cleaned_data["note"])


def fire_evaluation_timer(process):
    """Make the process's evaluation due now and fire it as the scheduled ``workflow_timers`` command would."""
    CareProcess.objects.filter(pk=process.pk).update(next_evaluation=timezone.localdate())
    task = process.task_set.get(flow_task=ForlopFlow.wait_evaluation, status=STATUS.SCHEDULED)
    task.scheduled = timezone.now() - datetime.timedelta(minutes=1)
    task.save(update_fields=["scheduled"])
    with task.activation() as activation:
        activation.start()
        activation.execute()


@contextlib.contextmanager
def _no_task_mail(users):
    """The flow e-mails a task's owner; the demo users' addresses are blanked while the demo runs, in the database
    and on the user objects the demo acts as (the first task's owner is the registering user object itself)."""
    User = get_user_model()
    emails = {user.pk: user.email for user in users}
    User.objects.filter(pk__in=emails).update(email="")
    for user in users:
        user.email = ""
    try:
        yield
    finally:
        for user in users:
            user.email = emails[user.pk]
            User.objects.filter(pk=user.pk).update(email=user.email)


def _walk(patient, users):
    """One patient from registration to where the demo leaves them; returns the process."""
    coordinator = users[patient.coordinator]
    gp = users[GP]
    process = register(
        coordinator,
        registration(
            patient.name,
            patient.national_id,
            patient.address,
            patient.postal_code,
            patient.areas,
            patient.need,
            patient.referred_by,
        ),
    )
    if patient.until == CONSENT:
        return process
    given_at = timezone.localdate() - datetime.timedelta(days=patient.consent_days_ago)
    if patient.until == REFUSED:
        record_consent(process, coordinator, consent(given_at, granted=False))
        return process
    record_consent(process, coordinator, consent(given_at))
    if patient.until == GOOD_DAY:
        return process
    save_good_day(process, coordinator, patient.story)
    if patient.until == ACTOR_MAP:
        return process
    save_team(process, coordinator, patient.members, patient.actors)
    submit_plan(process, coordinator, patient.plan)

    if patient.until == WITHDRAWN:
        withdraw(
            process,
            coordinator,
            {
                "note": "Pasienten ringte koordinator og trakk samtykket muntlig; ønsker ikke flere instanser "
                "involvert nå.",
                "confirm": "on",
            },
        )
        return process

    answer(process, "approve_coordinator", coordinator, {"decision": "godkjent"})
    answer(
        process, "patient_confirmation", coordinator, {"decision": "godkjent", "comment": "Bekreftet på hjemmebesøk."}
    )
    if patient.until == APPROVAL:
        return process
    if patient.until == CHANGES:
        answer(
            process,
            "approve_gp",
            gp,
            {
                "decision": "endringer",
                "comment": "Legg inn en plan for legemiddelgjennomgang, og avklar hvem som følger opp "
                "etter et fall utenom kontortid.",
            },
        )
        return process
    answer(process, "approve_gp", gp, {"decision": "godkjent"})
    answer(process, "approve_contact_doctor", coordinator, {"decision": "godkjent", "comment": "Svar gitt på telefon."})
    answer(process, "approve_internal_coordinator", coordinator, {"decision": "godkjent"})

    if patient.until == ACTIVE:
        # One evaluation behind it, the next one coming.
        fire_evaluation_timer(process)
        record_evaluation(
            process,
            coordinator,
            evaluation(
                process,
                "fortsett",
                "Gjennomgang i ansvarsgruppemøte med pasient og kone.",
                done="Tiltakene er i gang som avtalt.",
                achieved="Går noen skritt med støtte; trives i koret igjen.",
                change="Fortsett opptreningen i samme omfang.",
            ),
        )
    elif patient.until == EVALUATION_DUE:
        fire_evaluation_timer(process)
    return process


def load_processes():
    """Create the demo processes that are missing; returns the ones created now. Needs the demo users."""
    if not getattr(settings, "LKT_ALLOW_SYNTHETIC_NATIONAL_IDS", False):
        return []
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=[row[0] for row in USERS])}
    missing = [
        patient for patient in PATIENTS if not CareProcess.objects.filter(national_id=patient.national_id).exists()
    ]
    created = []
    with _no_task_mail(list(users.values())):
        for patient in missing:
            process = _walk(patient, users)
            created.append(CareProcess.objects.get(pk=process.pk))
    return created
