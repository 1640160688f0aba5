"""Demo care processes: fictional patients at each step of the flow, for trying the product.

Every process is driven through the real flow over HTTP, as the coordinator and the
GP would do it in the browser (Django's test client with a session verified by a
second factor), so the tasks, answers, plan versions and audit trail are exactly
what the UI leaves behind. The step data here is valid input for each step's form.

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
from django.http.request import validate_host
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.status import STATUS

from directory.models import ActorPage

from . import groups
from .flows import ForlopFlow
from .models import CareProcess
from .national_id import synthetic

Stage = CareProcess.Stage

COORDINATOR = "koordinator.bjornafjorden"
COORDINATOR_BERGEN = "koordinator.bergen"
GP = "fastlege.os"
AUDITOR = "revisor"

# (username, first name, last name, group names, superuser) – the shape of home.demo.USERS.
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


# --- driving the flow ------------------------------------------------------------------------------------


class DemoError(RuntimeError):
    pass


def _host():
    for host in ("testserver", "localhost", *settings.ALLOWED_HOSTS):
        if "*" not in host and validate_host(host, settings.ALLOWED_HOSTS):
            return host.lstrip(".")
    return "localhost"


class StaffSession:
    """A logged-in staff member whose session has passed the second factor, posting forms as the browser would."""

    def __init__(self, user):
        self.user = user
        self.client = Client(HTTP_HOST=_host())
        self.secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))

    def __enter__(self):
        user = self.user
        self._last_login = get_user_model().objects.values_list("last_login", flat=True).get(pk=user.pk)
        # A device only for the length of the session: the demo user still enrols their own on first login.
        self.device = TOTPDevice.objects.create(user=user, name="demo (midlertidig)", confirmed=True)
        self.client.force_login(user)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = self.device.persistent_id
        session.save()
        return self

    def __exit__(self, *exc):
        self.client.logout()
        self.device.delete()
        get_user_model().objects.filter(pk=self.user.pk).update(last_login=self._last_login)

    def post(self, url, data):
        response = self.client.post(url, data, secure=self.secure)
        if response.status_code != 302:
            raise DemoError(f"{url}: {response.status_code} {_errors(response)}")
        return response

    def step(self, process, node_name, data):
        return self.post(task_url(process, node_name, owner=self.user), data)


def _errors(response):
    context = getattr(response, "context", None)
    if not context:
        return ""
    found = []
    form = context.get("form")
    if form is not None and form.errors:
        found.append(form.errors.as_json())
    for formset in (context.get("formsets") or {}).values():
        if formset.total_error_count():
            found.append(str(formset.errors) + str(formset.non_form_errors()))
    return found


def open_task(process, node_name, owner=None):
    tasks = process.task_set.filter(flow_task=getattr(ForlopFlow, node_name)).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED]
    )
    if owner is not None:
        tasks = tasks.filter(owner=owner)
    return tasks.get()


def task_url(process, node_name, owner=None):
    task = open_task(process, node_name, owner)
    return task.flow_task.reverse("execute", args=[process.pk, task.pk])


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
    """The flow e-mails a task's owner; the demo users' addresses are blanked while the demo runs."""
    User = get_user_model()
    emails = {user.pk: user.email for user in users}
    User.objects.filter(pk__in=emails).update(email="")
    try:
        yield
    finally:
        for pk, email in emails.items():
            User.objects.filter(pk=pk).update(email=email)


def _proposals(process, titles):
    actors = ActorPage.objects.live().filter(title__in=titles, municipality__municipality=process.municipality)
    return [str(pk) for pk in actors.values_list("pk", flat=True)]


def _walk(patient, users):
    """One patient from registration to where the demo leaves them; returns the process."""
    coordinator = users[patient.coordinator]
    today = timezone.localdate()
    with StaffSession(coordinator) as staff:
        staff.post(
            ForlopFlow.start.reverse("execute"),
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
        process = CareProcess.objects.get(national_id=patient.national_id)
        if patient.until == CONSENT:
            return process
        given_at = today - datetime.timedelta(days=patient.consent_days_ago)
        if patient.until == REFUSED:
            staff.step(process, "consent", consent(given_at, granted=False))
            return process
        staff.step(process, "consent", consent(given_at))
        if patient.until == GOOD_DAY:
            return process
        staff.step(process, "good_day", patient.story)
        if patient.until == ACTOR_MAP:
            return process
        staff.step(process, "actor_map", team(patient.members) | {"propose": _proposals(process, patient.actors)})
        staff.step(process, "draft_plan", plan(process, patient.plan))

        if patient.until == WITHDRAWN:
            staff.post(
                ForlopFlow.instance.reverse("withdraw", args=[process.pk]),
                {
                    "note": "Pasienten ringte koordinator og trakk samtykket muntlig; ønsker ikke flere instanser "
                    "involvert nå.",
                    "confirm": "on",
                },
            )
            return process

        staff.step(process, "approve_coordinator", {"decision": "godkjent"})
        staff.step(process, "patient_confirmation", {"decision": "godkjent", "comment": "Bekreftet på hjemmebesøk."})
        if patient.until == APPROVAL:
            return process
        if patient.until == CHANGES:
            with StaffSession(users[GP]) as gp:
                gp.step(
                    process,
                    "approve_gp",
                    {
                        "decision": "endringer",
                        "comment": "Legg inn en plan for legemiddelgjennomgang, og avklar hvem som følger opp "
                        "etter et fall utenom kontortid.",
                    },
                )
            return process
        with StaffSession(users[GP]) as gp:
            gp.step(process, "approve_gp", {"decision": "godkjent"})
        staff.step(process, "approve_contact_doctor", {"decision": "godkjent", "comment": "Svar gitt på telefon."})
        staff.step(process, "approve_internal_coordinator", {"decision": "godkjent"})

        if patient.until == ACTIVE:
            # One evaluation behind it, the next one coming.
            fire_evaluation_timer(process)
            staff.step(
                process,
                "evaluate",
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
    get_resolver().url_patterns  # noqa: B018 - builds the URLconf, which gives Viewflow's reverse() its namespaces
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=[row[0] for row in USERS])}
    missing = [
        patient for patient in PATIENTS if not CareProcess.objects.filter(national_id=patient.national_id).exists()
    ]
    created = []
    with _no_task_mail(users.values()):
        for patient in missing:
            created.append(_walk(patient, users))
    return created
