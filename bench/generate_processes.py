"""Generate care processes (Viewflow) with their tasks for the inbox benchmark.

    .venv/bin/python bench/generate_processes.py --database-url postgres://postgres@127.0.0.1:5432/lkt_bench \
        [--processes 50000 --municipalities 0301,4601,5001,1103,4624,4625,4623,4631 --coordinators 4]

Works on a database made by ``bench/generate.py`` (the directory) or on an empty one: it creates
the database if missing and migrates it, imports the postal register
(``../shared/data/postnummerregister.tsv``, with ``manage.py import_postnummer``) only when the
register is empty, and gives each chosen municipality a coordinating unit
(``manage.py create_coordinating_unit NNNN``).

Users (password ``bench-not-a-secret``, each with a confirmed TOTP device named ``bench``):

* ``bench-koord-<number>-<i>``: ``--coordinators`` members of each municipality's coordinating unit;
  every process has one of them as its coordinator, so their inboxes hold its open tasks;
* ``bench-fastlege-<number>``: one GP per municipality, on the team (with an account) of every process
  of that municipality from the actor map on; the GP's approval tasks are theirs. It sees the
  processes through the team, not through a unit: the other path of the need-to-know filter.

The processes are written by :func:`demo.bulk.create_processes` (the same code as the query-count
tests): the ``Process``/``CareProcess`` rows, the team, and the tasks a process at its stage has
(finished steps and open ones), spread over stages by ``demo.bulk.DEFAULT_STAGE_WEIGHTS``. Each
batch of 1,000 is one transaction.

Re-runnable: each coordinator is topped up to its share of ``--processes``; what exists is kept.
"""

import argparse
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.generate import REGISTER, ensure_database, setup_django  # noqa: E402

DEFAULT_MUNICIPALITIES = "0301,4601,5001,1103,4624,4625,4623,4631"  # Oslo, Bergen, Trondheim, Stavanger, …
PASSWORD = "bench-not-a-secret"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://postgres@127.0.0.1:5432/lkt_bench")
    parser.add_argument("--processes", type=int, default=50_000, help="in all, split evenly over the coordinators")
    parser.add_argument("--municipalities", default=DEFAULT_MUNICIPALITIES, help="comma-separated numbers")
    parser.add_argument("--coordinators", type=int, default=4, help="coordinators per municipality")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--batch-size", type=int, default=1000)
    return parser.parse_args(argv)


def ensure_register():
    from django.core.management import call_command

    from directory.models import Municipality

    if Municipality.objects.exists():
        return
    print("importing the postal register …", flush=True)
    call_command("import_postnummer", str(REGISTER))


def ensure_user(username, groups, first_name, last_name):
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.com", "first_name": first_name, "last_name": last_name},
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(*groups)
    TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    return user


def shares(total, parts):
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def counts():
    from viewflow.workflow.models import Task

    from workflows.models import CareProcess, TeamMember

    return {
        "care processes": CareProcess.objects.count(),
        "tasks": Task.objects.count(),
        "open tasks (assigned)": Task.objects.filter(status="ASSIGNED").count(),
        "team members": TeamMember.objects.count(),
    }


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command

    from core.vocabulary import Role
    from demo import bulk
    from directory.models import Municipality
    from workflows.groups import ensure_care_team
    from workflows.models import CareProcess

    print("migrating …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    ensure_register()
    numbers = [n.strip() for n in args.municipalities.split(",") if n.strip()]
    unknown = sorted(set(numbers) - set(Municipality.objects.filter(number__in=numbers).values_list("pk", flat=True)))
    if unknown:
        raise SystemExit(f"unknown municipality numbers: {', '.join(unknown)}")
    team_group = ensure_care_team()
    plan = []  # (municipality, coordinator, gp, target)
    targets = iter(shares(args.processes, len(numbers) * args.coordinators))
    for number in numbers:
        call_command("create_coordinating_unit", number, verbosity=0)
        municipality = Municipality.objects.select_related("coordinating_unit__group").get(number=number)
        unit_group = municipality.coordinating_unit.group
        gp = ensure_user(f"bench-fastlege-{number}", [team_group], "Fastlege", municipality.name)
        for i in range(1, args.coordinators + 1):
            coordinator = ensure_user(
                f"bench-koord-{number}-{i}", [unit_group], "Koordinator", f"{municipality.name} {i}"
            )
            plan.append((municipality, coordinator, gp, next(targets)))
    prepared = time.monotonic() - started
    print(f"database, register, units and users ready in {prepared:.1f} s", flush=True)

    t0 = time.monotonic()
    made = 0
    for index, (municipality, coordinator, gp, target) in enumerate(plan):
        existing = CareProcess.objects.filter(coordinator=coordinator).count()
        missing = target - existing
        if missing <= 0:
            print(f"  {coordinator.username}: {existing} processes, nothing to add", flush=True)
            continue
        t = time.monotonic()
        created = bulk.create_processes(
            missing,
            municipality,
            coordinator,
            team_users={Role.GP: gp},
            seed=args.seed + index * 1_000_003 + existing,
            batch_size=args.batch_size,
        )
        made += missing
        print(
            f"  {coordinator.username}: +{missing} processes, {created.tasks} tasks, {created.team_members} team"
            f" members in {time.monotonic() - t:.1f} s",
            flush=True,
        )
    generation = time.monotonic() - t0
    if made:
        print(f"{made} processes in {generation:.1f} s ({made / generation:.0f} processes/s)", flush=True)
    print("analyzing …", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = time.monotonic() - started
    print(f"\nfinished in {total / 60:.1f} min ({total:.0f} s)")
    for label, value in counts().items():
        print(f"  {label:24s} {value:>9,d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
