"""Generate care processes with active plans and self-monitoring reports for the monitoring benchmark.

    .venv/bin/python bench/generate_monitoring.py \
        --database-url postgres://postgres@127.0.0.1:5432/lkt_monitoring_bench \
        [--processes 50000 --reports 1000000 --municipalities 4601,4624,4625,4623 --coordinators 4]

Works like ``bench/generate_processes.py`` (same users, password and TOTP devices: ``bench-koord-<number>-<i>``,
``bench-fastlege-<number>``), but every process waits with an active plan (``demo.bulk.create_processes`` at
``wait_evaluation``). Then, in plain SQL (seconds instead of hours of ORM saves), each process gets a granted
consent covering sharing, an approved plan version, two series (weight and mood 0–10) with their plan parameters
(thresholds for the benchmark only, not clinical advice), ``--reports`` reports spread evenly over the series, one a
day back in time, each judged by the thresholds, the series' latest values and the process's overview row
(``MonitoringStatus``). About 1 in 20 processes ends in yellow or red. No alert flows are created: the benchmark's
red reports create those through the service, as in production.

Re-runnable: the processes are topped up per coordinator; the monitoring rows are written only for processes
without a plan version.
"""

import argparse
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.generate import ensure_database, setup_django  # noqa: E402

DEFAULT_MUNICIPALITIES = "4601,4624,4625,4623"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--processes", type=int, default=50_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--municipalities", default=DEFAULT_MUNICIPALITIES)
    parser.add_argument("--coordinators", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20261130)
    return parser.parse_args(argv)


# Each step is one statement over every process that has no plan version yet (or its rows); %(per)s is the number
# of reports per series.
SQL = [
    (
        "consents",
        """
        INSERT INTO workflows_consent (process_id, granted, given_by, guardian_name, guardian_relation, given_at,
            method, witness, document, covers_community, covers_sharing, valid_until, recorded_by_id, recorded_at,
            withdrawal_note)
        SELECT cp.process_ptr_id, true, 'pasient', '', '', CURRENT_DATE - 60, 'digitalt', '', '', true, true,
            CURRENT_DATE + 3650, cp.coordinator_id, now(), ''
        FROM workflows_careprocess cp
        WHERE NOT EXISTS (SELECT 1 FROM workflows_planversion pv WHERE pv.process_id = cp.process_ptr_id)
          AND NOT EXISTS (SELECT 1 FROM workflows_consent c WHERE c.process_id = cp.process_ptr_id)
        """,
    ),
    (
        "sharing",
        "UPDATE workflows_careprocess SET shared_until = CURRENT_DATE + 3650 WHERE shared_until IS NULL",
    ),
    (
        "plan versions",
        """
        INSERT INTO workflows_planversion (process_id, number, status, goals, measures, triggers, meetings, reporting,
            evaluation_interval_months, created_by_id, created_at, submitted_at, approved_at)
        SELECT cp.process_ptr_id, 1, 'godkjent', '[{"text": "Bo hjemme"}]', '[]', '[]', '', '', 6,
            cp.coordinator_id, now() - interval '40 days', now() - interval '40 days', now() - interval '40 days'
        FROM workflows_careprocess cp
        WHERE NOT EXISTS (SELECT 1 FROM workflows_planversion pv WHERE pv.process_id = cp.process_ptr_id)
        """,
    ),
    (
        "series",
        """
        INSERT INTO monitoring_series (process_id, parameter_id, question, created_at, latest_zone)
        SELECT pv.process_id, p.id, '', now(), ''
        FROM workflows_planversion pv CROSS JOIN monitoring_parameter p
        WHERE p.slug IN ('vekt', 'stemning')
          AND NOT EXISTS (SELECT 1 FROM monitoring_series s WHERE s.process_id = pv.process_id)
        """,
    ),
    (
        "plan parameters",
        """
        INSERT INTO monitoring_planparameter (plan_id, series_id, frequency, tolerance_hours, red_below, yellow_below,
            yellow_above, red_above, yes_zone, patient_action_green, patient_action_yellow, patient_action_red,
            team_response_yellow, team_response_red, responsible_role_yellow, responsible_role_red,
            escalate_after_minutes, "order")
        SELECT pv.id, s.id, 'daglig', 12,
            CASE WHEN p.slug = 'stemning' THEN 2 END, CASE WHEN p.slug = 'stemning' THEN 4 END,
            CASE WHEN p.slug = 'vekt' THEN 80 END, CASE WHEN p.slug = 'vekt' THEN 85 END,
            '', 'Fortsett som før.', 'Ring koordinator.', 'Ring fastlegen.', 'Koordinator ringer.',
            'Fastlegen vurderer samme dag.', 'koordinator', 'fastlege', 60, CASE WHEN p.slug = 'vekt' THEN 0 ELSE 1 END
        FROM monitoring_series s
        JOIN monitoring_parameter p ON p.id = s.parameter_id
        JOIN workflows_planversion pv ON pv.process_id = s.process_id AND pv.status = 'godkjent'
        WHERE NOT EXISTS (SELECT 1 FROM monitoring_planparameter pp WHERE pp.series_id = s.id)
        """,
    ),
    (
        "reports",
        """
        INSERT INTO monitoring_report (uuid, process_id, series_id, plan_parameter_id, value, zone, effective_at,
            recorded_at, recorded_by_id, on_behalf, code_system, code, display, unit)
        SELECT gen_random_uuid(), s.process_id, s.id, pp.id, v.value,
            CASE
              WHEN p.slug = 'vekt' AND v.value > 85 THEN 'rod' WHEN p.slug = 'vekt' AND v.value > 80 THEN 'gul'
              WHEN p.slug = 'stemning' AND v.value < 2 THEN 'rod' WHEN p.slug = 'stemning' AND v.value < 4 THEN 'gul'
              ELSE 'gronn' END,
            now() - make_interval(days => g.n, hours => 2), now() - make_interval(days => g.n, hours => 2),
            cp.coordinator_id, false, p.code_system, p.code, p.display, p.unit
        FROM monitoring_series s
        JOIN monitoring_parameter p ON p.id = s.parameter_id
        JOIN monitoring_planparameter pp ON pp.series_id = s.id
        JOIN workflows_careprocess cp ON cp.process_ptr_id = s.process_id
        CROSS JOIN LATERAL generate_series(1, %(per)s) AS g(n)
        CROSS JOIN LATERAL (SELECT (hashtext(s.id::text || '-' || g.n) %% 1000 + 1000) %% 1000 AS h) hh
        CROSS JOIN LATERAL (
            SELECT (CASE WHEN p.slug = 'vekt'
                         THEN CASE WHEN hh.h >= 985 THEN 86.5 WHEN hh.h >= 960 THEN 82.0
                                   ELSE round(62 + hh.h / 60.0, 1) END
                         ELSE CASE WHEN hh.h %% 100 >= 97 THEN 1 WHEN hh.h %% 100 >= 94 THEN 3 ELSE 5 + hh.h %% 5 END
                    END)::numeric AS value
        ) v
        WHERE NOT EXISTS (SELECT 1 FROM monitoring_report r WHERE r.series_id = s.id)
        """,
    ),
    (
        "latest values",
        """
        UPDATE monitoring_series s SET latest_at = r.effective_at, latest_value = r.value, latest_zone = r.zone
        FROM (SELECT DISTINCT ON (series_id) series_id, effective_at, value, zone
              FROM monitoring_report ORDER BY series_id, effective_at DESC) r
        WHERE r.series_id = s.id AND s.latest_at IS NULL
        """,
    ),
    (
        "overview rows",
        """
        INSERT INTO monitoring_monitoringstatus (process_id, worst_rank, worst_zone, latest_report_at, open_alerts,
            missing)
        SELECT s.process_id,
            max(CASE s.latest_zone WHEN 'rod' THEN 2 WHEN 'gul' THEN 1 ELSE 0 END),
            (ARRAY['gronn', 'gul', 'rod'])[max(CASE s.latest_zone WHEN 'rod' THEN 2 WHEN 'gul' THEN 1 ELSE 0 END) + 1],
            max(s.latest_at), 0, 0
        FROM monitoring_series s
        WHERE NOT EXISTS (SELECT 1 FROM monitoring_monitoringstatus m WHERE m.process_id = s.process_id)
        GROUP BY s.process_id
        """,
    ),
]


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.generate_processes import ensure_register, ensure_user, shares
    from core.vocabulary import Role
    from demo import bulk
    from directory.models import Municipality
    from workflows.groups import ensure_care_team
    from workflows.models import CareProcess

    print("migrating …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    ensure_register()
    numbers = [n.strip() for n in args.municipalities.split(",") if n.strip()]
    team_group = ensure_care_team()
    plan = []
    targets = iter(shares(args.processes, len(numbers) * args.coordinators))
    for number in numbers:
        call_command("create_coordinating_unit", number, verbosity=0)
        municipality = Municipality.objects.select_related("coordinating_unit__group").get(number=number)
        gp = ensure_user(f"bench-fastlege-{number}", [team_group], "Fastlege", municipality.name)
        for i in range(1, args.coordinators + 1):
            coordinator = ensure_user(
                f"bench-koord-{number}-{i}",
                [municipality.coordinating_unit.group],
                "Koordinator",
                f"{municipality.name} {i}",
            )
            plan.append((municipality, coordinator, gp, next(targets)))
    print(f"users and units ready in {time.monotonic() - started:.1f} s", flush=True)
    t0 = time.monotonic()
    for index, (municipality, coordinator, gp, target) in enumerate(plan):
        missing = target - CareProcess.objects.filter(coordinator=coordinator).count()
        if missing > 0:
            bulk.create_processes(
                missing,
                municipality,
                coordinator,
                at="wait_evaluation",
                team_users={Role.GP: gp},
                seed=args.seed + index,
            )
        print(f"  {coordinator.username}: {target} processes ({time.monotonic() - t0:.0f} s)", flush=True)
    processes = CareProcess.objects.count()
    per = max(1, args.reports // (2 * processes))
    for name, statement in SQL:
        t = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, {"per": per})
            rows = cursor.rowcount
        print(f"{name}: {rows} rows in {time.monotonic() - t:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM monitoring_report")
        reports = cursor.fetchone()[0]
    print(f"{processes} processes, {reports} reports; {time.monotonic() - started:.0f} s in all", flush=True)


if __name__ == "__main__":
    main()
