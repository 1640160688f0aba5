"""Many care processes at once, with their Viewflow tasks, for query-count tests and the benchmark.

Walking a process through the flow costs dozens of queries per step, so 10,000
processes through the UI would take hours. This module writes the same rows
directly, a batch at a time:

* viewflow's ``Process`` rows with ``bulk_create`` (``flow_class=ForlopFlow``);
* the ``CareProcess`` child rows with one ``executemany`` of a plain ``INSERT``
  (Django's ``bulk_create`` refuses multi-table inheritance), the values prepared
  by each field's ``get_db_prep_save`` so it works on SQLite and PostgreSQL;
* the team (the four mandatory roles and a next of kin) from the actor-map stage on;
* the tasks a real run leaves behind for the chosen stage: the finished steps
  (``DONE``, gateways included, ``previous`` links and split tokens as Viewflow
  writes them) and the open ones (``ASSIGNED`` to the coordinator, the approvals
  to the team member's account when there is one, the evaluation timer
  ``SCHEDULED``).

Nothing else is written: no consent, Min gode dag, plan versions, audit entries
or e-mail. The rows are meant for reading (lists, detail pages, the chart); the
patients are fictional and their numbers synthetic (month + 80).
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from core.vocabulary import Role
from demo.fictional_names import FIRST_NAMES
from directory.models import Municipality, PostalCode
from workflows.flows import ForlopFlow
from workflows.models import AreaOfNeed, CareProcess, TeamMember
from workflows.national_id import synthetic
from workflows.nodes import approval_nodes
from workflows.signals import tasks_changed

Stage = CareProcess.Stage

# The nodes a process passes, in order; the five approvals run in parallel between the split and the join.
_BEFORE_SPLIT = ["start", "consent", "consent_given", "good_day", "actor_map", "draft_plan", "approval_split"]
APPROVALS = [node.name for node in approval_nodes(ForlopFlow)]
_AFTER_JOIN = [
    "approval_join",
    "approval_outcome",
    "activate_plan",
    "wait_evaluation",
    "evaluate",
    "evaluation_outcome",
    "closed",
]
_SEQUENCE = _BEFORE_SPLIT + APPROVALS + _AFTER_JOIN
_APPROVER = {node.name: node.approver for node in approval_nodes(ForlopFlow)}


def _upto(node):
    return _SEQUENCE[: _SEQUENCE.index(node)]


# Where a process can wait -> (its stage, finished nodes, open nodes): what its task table then holds.
WAITING_AT = {
    "consent": (Stage.REGISTERED, _upto("consent"), ["consent"]),
    "good_day": (Stage.MAPPING, _upto("good_day"), ["good_day"]),
    "actor_map": (Stage.MAPPING, _upto("actor_map"), ["actor_map"]),
    "draft_plan": (Stage.PLANNING, _upto("draft_plan"), ["draft_plan"]),
    "approval": (Stage.APPROVAL, _upto(APPROVALS[0]), APPROVALS),
    "wait_evaluation": (Stage.ACTIVE, _upto("wait_evaluation"), ["wait_evaluation"]),
    "evaluate": (Stage.EVALUATION, _upto("evaluate"), ["evaluate"]),
    "closed": (Stage.CLOSED, list(_SEQUENCE), []),
}
_WAITING_BY_STAGE = {}
for _at, (_stage, _finished, _open) in WAITING_AT.items():
    _WAITING_BY_STAGE.setdefault(_stage, []).append(_at)
TEAM_STAGES = {Stage.PLANNING, Stage.APPROVAL, Stage.ACTIVE, Stage.EVALUATION, Stage.CLOSED}
# A plausible spread: most processes run for years with an active plan.
DEFAULT_STAGE_WEIGHTS = {
    Stage.REGISTERED: 10,
    Stage.MAPPING: 10,
    Stage.PLANNING: 15,
    Stage.APPROVAL: 10,
    Stage.ACTIVE: 40,
    Stage.EVALUATION: 5,
    Stage.CLOSED: 10,
}

LAST_NAMES = [
    "Testesen",
    "Prøvestad",
    "Eksempelsen",
    "Fiktivdal",
    "Demoli",
    "Oppdiktnes",
    "Liksomberg",
    "Tenkeland",
    "Forsøkvik",
    "Utprøvheim",
]
STREETS = ["Fjordvegen", "Skolevegen", "Kirkegata", "Strandvegen", "Storgata", "Bakkeli", "Solbakken"]


@dataclass
class Created:
    """What one call wrote."""

    process_ids: list = field(default_factory=list)
    tasks: int = 0
    team_members: int = 0


def create_processes(
    n,
    municipality,
    coordinator,
    *,
    stages=None,
    at=None,
    team_users=None,
    unassigned=False,
    seed=0,
    batch_size=1000,
    now=None,
    using="default",
):
    """Create ``n`` care processes in ``municipality`` coordinated by ``coordinator``; return a :class:`Created`.

    ``municipality``: a :class:`Municipality` or its number. ``stages``: a mapping of :class:`CareProcess.Stage`
    to a weight (default :data:`DEFAULT_STAGE_WEIGHTS`), or a list of stages used in turn; a stage with two
    waiting points (mapping: Min gode dag or the actor map) picks one at random. ``at``: a key of
    :data:`WAITING_AT` where every process waits instead. ``team_users``: ``{role: user}`` for team members with
    an account (the coordinator always has one); their approval tasks are theirs. ``unassigned=True`` leaves the
    open human tasks ``NEW`` with no owner (what Viewflow's queue lists). Deterministic for a given ``seed``.
    Each batch of ``batch_size`` processes is one transaction.
    """
    if not isinstance(municipality, Municipality):
        municipality = Municipality.objects.using(using).get(number=municipality)
    rng = random.Random(seed)  # noqa: S311 - reproducible fictional data, not a secret
    now = now or timezone.now()
    choose = (lambda: at) if at is not None else _waiting_chooser(stages, rng)
    codes = list(PostalCode.objects.using(using).filter(municipality=municipality).values_list("code", flat=True))
    team_users = {str(role): user for role, user in (team_users or {}).items()}
    created = Created()
    # A person has at most one open process (a constraint): every fictional patient gets a number not yet used.
    taken = set(CareProcess.objects.using(using).values_list("national_id", flat=True))
    done = 0
    while done < n:
        size = min(batch_size, n - done)
        specs = [_spec(rng, choose(), now, codes, taken) for _ in range(size)]
        with transaction.atomic(using=using):
            _write_batch(specs, municipality, coordinator, team_users, unassigned, using, created)
        done += size
    # bulk_create sends no signals: invalidate the menu counts of everyone the new tasks belong to.
    tasks_changed([coordinator.pk, *(user.pk for user in team_users.values() if user is not None)], queue=True)
    return created


def _waiting_chooser(stages, rng):
    if stages is None:
        stages = DEFAULT_STAGE_WEIGHTS
    if isinstance(stages, dict):
        population, weights = list(stages), list(stages.values())

        def next_stage():
            return rng.choices(population, weights)[0]
    else:
        cycle = list(stages)
        state = {"i": 0}

        def next_stage():
            stage = cycle[state["i"] % len(cycle)]
            state["i"] += 1
            return stage

    return lambda: rng.choice(_WAITING_BY_STAGE[next_stage()])


def _spec(rng, at, now, codes, taken):
    """Dates and patient details for one process: started 0–3 years ago, its steps spread since then."""
    started = now - datetime.timedelta(days=rng.uniform(1, 3 * 365))
    stage, finished_nodes, _open_nodes = WAITING_AT[at]
    # One moment per finished node, then one for the open tasks, all before now.
    span = (now - started).total_seconds()
    marks = sorted(rng.uniform(0, span) for _ in range(len(finished_nodes) + 1))
    times = [started + datetime.timedelta(seconds=s) for s in marks]
    national_id = None
    while national_id is None or national_id in taken:
        birth = datetime.date(rng.randint(1930, 1999), rng.randint(1, 12), rng.randint(1, 28))
        national_id = synthetic(birth, rng.randint(0, 400))
    taken.add(national_id)
    areas = rng.sample([a.value for a in AreaOfNeed], rng.randint(1, 3))
    next_evaluation = None
    if stage == Stage.ACTIVE:
        next_evaluation = (now + datetime.timedelta(days=rng.randint(1, 180))).date()
    elif stage == Stage.EVALUATION:
        next_evaluation = times[-1].date()
    return {
        "at": at,
        "stage": stage,
        "started": started,
        "times": times,
        "patient_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "national_id": national_id,
        "address": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        "postal_code_id": rng.choice(codes) if codes else None,
        "areas_of_need": areas,
        "next_evaluation": next_evaluation,
    }


def _write_batch(specs, municipality, coordinator, team_users, unassigned, using, created):
    processes = []
    for spec in specs:
        closed = spec["stage"] == Stage.CLOSED
        processes.append(
            Process(
                flow_class=ForlopFlow,
                status=PROCESS.DONE if closed else PROCESS.NEW,
                created=spec["started"],
                # The end node is the last finished task; the process ends with it.
                finished=spec["times"][-2] + datetime.timedelta(minutes=5) if closed else None,
            )
        )
    Process.objects.using(using).bulk_create(processes)
    if any(p.pk is None for p in processes):  # pragma: no cover - every supported backend returns the ids
        raise RuntimeError("bulk_create did not return primary keys on this database backend")
    _insert_care_rows(processes, specs, municipality, coordinator, using)
    created.process_ids += [p.pk for p in processes]
    created.team_members += _create_teams(processes, specs, coordinator, team_users, using)
    created.tasks += _create_tasks(processes, specs, coordinator, team_users, unassigned, using)


def _insert_care_rows(processes, specs, municipality, coordinator, using):
    """The CareProcess part of each row: one INSERT per process, sent with executemany."""
    connection = connections[using]
    fields = CareProcess._meta.local_concrete_fields
    now_date = timezone.localdate()
    objects = []
    for process, spec in zip(processes, specs, strict=True):
        care = CareProcess(
            patient_name=spec["patient_name"],
            national_id=spec["national_id"],
            address=spec["address"],
            postal_code_id=spec["postal_code_id"],
            municipality_id=municipality.pk,
            areas_of_need=spec["areas_of_need"],
            need_description="Fiktiv pasient for ytelsestest.",
            referred_by="Fastlege",
            coordinator_id=coordinator.pk,
            stage=spec["stage"],
            next_evaluation=spec["next_evaluation"],
            # Past the consent step the patient has consented to sharing with the team, for a year.
            shared_until=(now_date + datetime.timedelta(days=365)) if spec["stage"] != Stage.REGISTERED else None,
        )
        care.process_ptr_id = process.pk
        objects.append(care)
    quote = connection.ops.quote_name
    # Table and column names come from the model and are quoted; the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(CareProcess._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _create_teams(processes, specs, coordinator, team_users, using):
    members = []
    for process, spec in zip(processes, specs, strict=True):
        if spec["stage"] not in TEAM_STAGES:
            continue
        for role, name, organisation in (
            (Role.COORDINATOR, coordinator.get_full_name() or coordinator.get_username(), "Kommunen"),
            (Role.GP, "Fastlege Fiktiv", "Legesenteret"),
            (Role.CONTACT_DOCTOR, "Kontaktlege Fiktiv", "Sykehuset"),
            (Role.INTERNAL_COORDINATOR, "Intern koordinator Fiktiv", "Sykehuset"),
            (Role.NEXT_OF_KIN, "Pårørende Fiktiv", ""),
        ):
            user = coordinator if role == Role.COORDINATOR else team_users.get(str(role))
            members.append(
                TeamMember(
                    process_id=process.pk,
                    role=role,
                    name=name,
                    organisation=organisation,
                    phone="55 00 00 00",
                    relation="Barn" if role == Role.NEXT_OF_KIN else "",
                    user=user,
                )
            )
    TeamMember.objects.using(using).bulk_create(members)
    return len(members)


def _owner(node, coordinator, team_users):
    if node in _APPROVER:
        return team_users.get(str(_APPROVER[node]), coordinator)
    return coordinator


def _task(process, node_name, token, created, *, finished, owner, unassigned=False, scheduled=None):
    node = getattr(ForlopFlow, node_name)
    human = node.task_type in ("HUMAN", "HUMAN_START")
    task = Task(
        process_id=process.pk, flow_task=node, flow_task_type=node.task_type, token=Token(token), created=created
    )
    if finished:
        task.status = STATUS.DONE
        task.finished = created + datetime.timedelta(minutes=5)
        if human:
            task.owner = owner
            task.started = created
    elif node.task_type == "TIMER":
        task.status = STATUS.SCHEDULED
        task.scheduled = scheduled
    elif human and unassigned:
        task.status = STATUS.NEW
    else:
        task.status = STATUS.ASSIGNED
        task.owner = owner
        task.assigned = created
    return task


def _create_tasks(processes, specs, coordinator, team_users, unassigned, using):
    """Two waves: up to the split (its pk makes the approvals' tokens), then the rest; then the ``previous`` links."""
    Previous = Task.previous.through
    first, second = [], []  # (process index, node name, Task)
    for i, (process, spec) in enumerate(zip(processes, specs, strict=True)):
        _stage, finished_nodes, open_nodes = WAITING_AT[spec["at"]]
        times = spec["times"]
        for j, node in enumerate(finished_nodes):
            task = _task(process, node, "start", times[j], finished=True, owner=_owner(node, coordinator, team_users))
            (first if node in _BEFORE_SPLIT else second).append((i, node, task))
        scheduled = None
        if spec["next_evaluation"] is not None:
            scheduled = timezone.make_aware(datetime.datetime.combine(spec["next_evaluation"], datetime.time(6)))
        for node in open_nodes:
            task = _task(
                process,
                node,
                "start",
                times[-1],
                finished=False,
                owner=_owner(node, coordinator, team_users),
                unassigned=unassigned,
                scheduled=scheduled,
            )
            (first if node in _BEFORE_SPLIT else second).append((i, node, task))
    Task.objects.using(using).bulk_create([t for _i, _n, t in first])
    split_pk = {i: t.pk for i, node, t in first if node == "approval_split"}
    for i, node, task in second:
        if node in APPROVALS:
            task.token = Token(f"start/{split_pk[i]}_{APPROVALS.index(node) + 1}")
    Task.objects.using(using).bulk_create([t for _i, _n, t in second])

    by_process = {}
    for i, node, task in first + second:
        by_process.setdefault(i, {})[node] = task.pk
    links = []
    for i, spec in enumerate(specs):
        _stage, finished_nodes, open_nodes = WAITING_AT[spec["at"]]
        pks = by_process[i]
        order = finished_nodes + open_nodes
        for j, node in enumerate(order[1:], start=1):
            if node in APPROVALS:
                sources = ["approval_split"]
            elif node == "approval_join":
                sources = APPROVALS
            else:
                sources = [order[j - 1]]
            links += [Previous(from_task_id=pks[node], to_task_id=pks[source]) for source in sources]
    Previous.objects.using(using).bulk_create(links)
    return len(first) + len(second)
