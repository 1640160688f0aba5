"""Time self-monitoring server-side: submitting a report and the coordinator's «hvem er rød nå», each as a ratio to
a trivial Django view measured in the same run.

    .venv/bin/python bench/monitoring_bench.py \
        [--database-url postgres://postgres@127.0.0.1:5432/lkt_monitoring_bench --requests 300 \
         --user bench-koord-4601-1]

Runs in one process with Django's test client against the database from ``bench/generate_monitoring.py`` and the
production-like ``bench.settings`` (Redis cache, DEBUG off, a new database connection per request as
``DB_CONN_MAX_AGE=0`` gives): each request goes through the whole middleware stack – two factors, need-to-know, the
audit row – but no socket, so the figures are server-side time. Scenarios, interleaved round by round so a change in
the machine's load hits them alike:

* ``trivial``: ``/bench/trivial/`` (2 bytes), the floor;
* ``overview``: ``/prosesser/egenmaling/`` as a coordinator with about 3,000 processes;
* ``report green``: a value in the green zone registered on the patient's behalf
  (``/prosesser/egenmaling/<process>/registrer/<parameter>/``, a random process of the coordinator's each time);
* ``report red``: a red value, which also starts the alert flow (task, timer, e-mail) – or joins the open alert.

Prints p50/p95 in ms and p95 as a multiple of the trivial view's p95, and writes the table to ``bench/out/``.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
OUT_DIR = PROJECT_DIR / "bench" / "out"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lkt_monitoring_bench")
    parser.add_argument("--requests", type=int, default=300, help="per scenario")
    parser.add_argument("--user", default="bench-koord-4601-1")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def setup(database_url):
    os.environ["BENCH_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def verified_client(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed(call, expect):
    start = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != expect:
        raise SystemExit(f"unexpected {response.status_code} (wanted {expect}): {getattr(response, 'url', '')}")
    return elapsed


def pct(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main(argv=None):
    args = parse_args(argv)
    setup(args.database_url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.urls import reverse

    from monitoring.models import PlanParameter, Report
    from workflows.models import CareProcess

    user = get_user_model().objects.get(username=args.user)
    client = verified_client(user)
    rng = random.Random(args.seed)  # noqa: S311 - picks benchmark rows, not a secret
    mine = list(CareProcess.objects.filter(coordinator=user).values_list("pk", flat=True))
    weights = dict(
        PlanParameter.objects.filter(plan__process__in=mine, series__parameter__slug="vekt").values_list(
            "plan__process_id", "pk"
        )
    )
    reports = Report.objects.count()
    processes = CareProcess.objects.count()
    overview = reverse("egenmaling:overview")

    def report(value):
        process = rng.choice(mine)
        url = reverse("egenmaling:report", args=[process, weights[process]])
        return lambda: client.post(url, {"value": value})

    scenarios = {
        "trivial": lambda: (lambda: client.get("/bench/trivial/"), 200),
        "overview": lambda: (lambda: client.get(overview), 200),
        "report green": lambda: (report("72,4"), 302),
        "report red": lambda: (report("86,5"), 302),
    }
    # Warm up: imports, URL resolvers, template loading.
    for make in scenarios.values():
        call, expect = make()
        timed(call, expect)
    times = {name: [] for name in scenarios}
    for _round in range(args.requests):
        for name, make in scenarios.items():
            call, expect = make()
            times[name].append(timed(call, expect))
    floor = pct(times["trivial"], 95)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM workflows_careprocess WHERE coordinator_id = %s", [user.pk])
        theirs = cursor.fetchone()[0]
    lines = [
        f"monitoring bench {datetime.now():%Y-%m-%d %H:%M}: {processes} processes, {reports} reports; "
        f"{args.user} coordinates {theirs}; {args.requests} requests per scenario, in-process (no socket)",
        f"{'scenario':<14} {'p50 ms':>8} {'p95 ms':>8} {'p95 × trivial':>14}",
    ]
    for name, values in times.items():
        p95 = pct(values, 95)
        lines.append(f"{name:<14} {statistics.median(values):8.1f} {p95:8.1f} {p95 / floor:14.1f}")
    load = os.getloadavg()
    lines.append(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    text = "\n".join(lines)
    print(text)
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / f"monitoring-{datetime.now():%Y%m%d-%H%M}.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
