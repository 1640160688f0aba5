"""Serve LKT with gunicorn on 127.0.0.1 and measure the public pages against a trivial Django view.

    .venv/bin/python bench/serve_bench.py [--database-url postgres://postgres@127.0.0.1:5432/lkt_bench]
        [--duration 15 --max-requests 20000 --concurrency 2 --workers 2 --worker-class sync --only a,b]

Starts ``gunicorn lkt_site.wsgi`` with ``DJANGO_SETTINGS_MODULE=bench.settings`` (production-like,
Redis fragment cache in redis://127.0.0.1:6379/5), drives each scenario from a small
threaded http.client loop (redirects are not followed), prints a table and writes it
to ``bench/out/results-<date>.txt``. gunicorn is stopped at the end, also on Ctrl-C
or an error.

Scenarios are data (``SCENARIOS`` below): to add one, append a ``Scenario`` whose
``paths`` function returns the URLs to request from the ``Context`` (the site's
municipalities, actors and postal codes, read once from the database). The care-process
scenarios (data from ``bench/generate_processes.py``) send the session cookie of a
TOTP-verified coordinator or team member, made in ``load_context``.
"""

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = Path(__file__).resolve().parent / "out"
GUNICORN = PROJECT_DIR / ".venv" / "bin" / "gunicorn"
REDIS_URL = "redis://127.0.0.1:6379/5"
HOST = "127.0.0.1"


# --------------------------------------------------------------------------- scenarios (data)


@dataclass
class Context:
    """What scenarios choose URLs from; read once from the benchmark database."""

    municipalities: list  # [(number, title, url)]
    actors: list  # [url]
    postal_codes: list  # [code] whose municipality has a live page
    rng: random.Random
    extra: dict = field(default_factory=dict)  # for later scenarios (pathways, inbox users …)
    codes_by_url: dict = field(default_factory=dict)  # {municipality page url: [code]}

    def municipality(self, name):
        return next(url for _number, title, url in self.municipalities if title == name)


@dataclass
class Scenario:
    name: str
    description: str
    paths: object  # callable(Context) -> list[str]
    expect: int = 200  # expected status; anything else counts as an error
    cold: bool = False  # True: flush the cache before each round over the paths, request each path once per round
    headers: object = None  # optional callable(Context) -> dict, e.g. a session cookie for a staff scenario
    baseline: bool = False  # the scenario the others are compared with
    requires: str = ""  # a key of Context.extra the scenario needs; skipped (with a note) when it is empty


def _random(items, rng, n):
    items = list(items)
    return rng.sample(items, min(n, len(items)))


SCENARIOS = [
    Scenario(
        "trivial",
        "Django view returning 2 bytes (bench/baseline.py): the floor",
        lambda c: ["/bench/trivial/"],
        baseline=True,
    ),
    Scenario(
        "municipality:bergen",
        "Bergen's actor map, fragment cache warm",
        lambda c: (
            [c.municipality("Bergen")]
            if any(t == "Bergen" for _n, t, _u in c.municipalities)
            else [c.municipalities[0][2]]
        ),
        requires="directory",
    ),
    Scenario(
        "municipality:random",
        "20 random municipalities' actor maps, cache warm",
        lambda c: [u for _n, _t, u in _random(c.municipalities, c.rng, 20)],
        requires="directory",
    ),
    Scenario(
        "actor:random",
        "50 random actor pages, cache warm",
        lambda c: _random(c.actors, c.rng, 50),
        requires="directory",
    ),
    Scenario(
        "lookup:postal-code",
        "/finn-hjelp/?q=<postal code>: what serves that address (own, inter-municipal and specialist units)",
        lambda c: [f"/finn-hjelp/?q={code}" for code in _random(c.postal_codes, c.rng, 300)],
        requires="directory",
    ),
    Scenario(
        "lookup:no-match",
        "/finn-hjelp/?q=0000 (no such code): message + every published municipality",
        lambda c: ["/finn-hjelp/?q=0000"],
        requires="directory",
    ),
    Scenario(
        "lookup:form",
        "/finn-hjelp/ without a query: the form with the municipality select",
        lambda c: ["/finn-hjelp/"],
        requires="directory",
    ),
    Scenario(
        "municipality:cold",
        "each municipality once per round, Redis db 5 flushed before each round",
        lambda c: [u for _n, _t, u in _random(c.municipalities, c.rng, len(c.municipalities))],
        cold=True,
        requires="directory",
    ),
    # The benchmark pathway (bench/generate.py --pathways): 40 steps over 6 phases naming actor types and LKT roles.
    Scenario(
        "pathway:plain",
        "the 40-step pathway without a municipality (types only), cache warm",
        lambda c: [c.extra["pathway"]],
        requires="pathway",
    ),
    Scenario(
        "pathway:municipality",
        "the 40-step pathway for 20 random municipalities (?kommune=<number>), warm",
        lambda c: [f"{c.extra['pathway']}?kommune={n}" for n, _t, _u in _random(c.municipalities, c.rng, 20)],
        requires="pathway",
    ),
    Scenario(
        "pathway:cold",
        "the pathway once per municipality (?kommune=<number>), Redis flushed before each round",
        lambda c: [
            f"{c.extra['pathway']}?kommune={n}" for n, _t, _u in _random(c.municipalities, c.rng, len(c.municipalities))
        ],
        cold=True,
        requires="pathway",
    ),
    # Care processes (bench/generate_processes.py): Viewflow pages for a logged-in user verified with TOTP.
    Scenario(
        "inbox:coordinator",
        "the inbox («Mine oppgaver», 25 per page) of the coordinator with most open tasks",
        lambda c: [INBOX_PATH],
        headers=lambda c: {"Cookie": c.extra["staff_cookie"]},
        requires="staff_cookie",
    ),
    Scenario(
        "inbox:team-member",
        "the inbox of a GP who sees processes through their teams (the other need-to-know path)",
        lambda c: [INBOX_PATH],
        headers=lambda c: {"Cookie": c.extra["team_cookie"]},
        requires="team_cookie",
    ),
    Scenario(
        "processes:coordinator",
        "the process list (25 per page) of the same coordinator",
        lambda c: [PROCESS_LIST_PATH],
        headers=lambda c: {"Cookie": c.extra["staff_cookie"]},
        requires="staff_cookie",
    ),
]


# --------------------------------------------------------------------------- database context


def load_context(database_url, seed):
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["BENCH_DATABASE_URL"] = database_url
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from directory.models import ActorPage, MunicipalityPage, PostalCode

    extra = {}
    extra.update(_process_context())
    site_root = _site_root_path()
    # Only municipalities whose actors were generated (an interrupted generator leaves some without).
    with_actors = ActorPage.objects.live().values("municipality_id")
    municipalities = [
        (p.municipality_id, p.title, "/" + p.url_path[len(site_root) :])
        for p in MunicipalityPage.objects.live()
        .filter(pk__in=with_actors)
        .order_by("municipality_id")
        .only("url_path", "title", "municipality")
    ]
    actors = ["/" + path[len(site_root) :] for path in ActorPage.objects.live().values_list("url_path", flat=True)]
    numbers = [m[0] for m in municipalities]
    pairs = list(PostalCode.objects.filter(municipality_id__in=numbers).values_list("code", "municipality_id"))
    codes = [code for code, _number in pairs]
    url_of = {number: url for number, _title, url in municipalities}
    codes_by_url = {}
    for code, number in pairs:
        codes_by_url.setdefault(url_of[number], []).append(code)
    if not municipalities and not extra:
        raise SystemExit(
            "No live municipality pages and no care processes: run bench/generate.py"
            " or bench/generate_processes.py first."
        )
    extra.update(directory="yes" if municipalities else "", pathway=_pathway_path(site_root) if municipalities else "")
    return Context(municipalities, actors, codes, random.Random(seed), extra=extra, codes_by_url=codes_by_url)


INBOX_PATH = "/prosesser/forlop/inbox/"
PROCESS_LIST_PATH = "/prosesser/forlop/"
SKIP_HINTS = {
    "directory": "bench/generate.py",
    "pathway": "bench/generate.py --pathways",
    "staff_cookie": "bench/generate_processes.py",
    "team_cookie": "bench/generate_processes.py",
}


def _process_context():
    """Session cookies for the busiest bench coordinator and a bench GP, and what they see; {} without processes."""
    from django.db import connection
    from django.db.models import Count

    from workflows.models import CareProcess

    if CareProcess._meta.db_table not in connection.introspection.table_names():
        return {}
    from django.contrib.auth import get_user_model
    from viewflow.workflow.models import Task

    busiest = (
        Task.objects.filter(status="ASSIGNED", owner__username__startswith="bench-koord-")
        .values("owner")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner")
        .first()
    )
    if busiest is None:
        return {}
    users = get_user_model().objects
    coordinator = users.get(pk=busiest["owner"])
    gp = users.filter(username=f"bench-fastlege-{coordinator.username.split('-')[2]}").first()
    extra = {
        "staff_cookie": verified_session_cookie(coordinator),
        "staff_user": coordinator.username,
        "staff_inbox": busiest["n"],
        "staff_visible": CareProcess.objects.visible_to(coordinator).count(),
        "processes": CareProcess.objects.count(),
        "tasks": Task.objects.count(),
    }
    if gp is not None:
        extra.update(
            team_cookie=verified_session_cookie(gp),
            team_user=gp.username,
            team_inbox=Task.objects.filter(status="ASSIGNED", owner=gp).count(),
            team_visible=CareProcess.objects.visible_to(gp).count(),
        )
    return extra


def verified_session_cookie(user):
    """A database session for ``user`` that has passed the second factor, as tests/conftest.py::verify_client does.

    The user's confirmed TOTP device (made by bench/generate_processes.py) is stored under django-otp's
    DEVICE_ID_SESSION_KEY, so RequireVerifiedStaffMiddleware lets the requests through to the process pages.
    """
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


PATHWAY_SLUG = "bench-forlop"  # made by bench/generate.py --pathways


def _pathway_path(site_root):
    """The benchmark pathway's URL, or "" when it (or the pathway tables) are not there yet."""
    from django.db import connection

    from home.models import PathwayPage

    if PathwayPage._meta.db_table not in connection.introspection.table_names():
        return ""
    url_path = PathwayPage.objects.live().filter(slug=PATHWAY_SLUG).values_list("url_path", flat=True).first()
    return "/" + url_path[len(site_root) :] if url_path else ""


def _site_root_path():
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.url_path


def count_queries(path, cold, headers=None):
    """Database queries for one request, measured in this process with Django's test client (not timed)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if cold:
        cache.clear()
    client = Client(HTTP_HOST=HOST)
    for pair in (headers or {}).get("Cookie", "").split(";"):
        if "=" in pair:
            name, value = pair.strip().split("=", 1)
            client.cookies[name] = value
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response.status_code, len(captured.captured_queries)


# --------------------------------------------------------------------------- server


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(args, port, log_path):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_DATABASE_URL=args.database_url,
        BENCH_REDIS_URL=REDIS_URL,
        DB_CONN_MAX_AGE=str(args.conn_max_age),
    )
    cmd = [
        str(GUNICORN),
        "lkt_site.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--timeout",
        "60",
        "--error-logfile",
        str(log_path),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log_path}")
        try:
            status, _ = request(port, "/bench/trivial/")
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    stop_gunicorn(proc)
    raise RuntimeError(f"gunicorn did not answer within 30 s; see {log_path}")


def stop_gunicorn(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()  # SIGTERM to the master (by its pid); it stops its workers
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def flush_cache():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# --------------------------------------------------------------------------- load


def request(port, path, headers=None, timeout=30):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": HOST, "Connection": "close", **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        conn.close()


@dataclass
class Result:
    scenario: Scenario
    latencies: list  # seconds, successful requests only
    errors: int
    elapsed: float
    distinct_paths: int
    queries: str = ""
    error_sample: str = ""

    @property
    def requests(self):
        return len(self.latencies) + self.errors

    @property
    def rps(self):
        return self.requests / self.elapsed if self.elapsed else 0.0

    def pct(self, q):
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1] * 1000


def run_load(port, paths, headers, expect, concurrency, duration, max_requests):
    """Request ``paths`` round-robin from ``concurrency`` threads until the time or the count runs out."""
    lock = threading.Lock()
    state = {"next": 0, "issued": 0}
    latencies, errors, samples = [], [0], []
    deadline = time.monotonic() + duration

    def take():
        with lock:
            if state["issued"] >= max_requests or time.monotonic() >= deadline:
                return None
            path = paths[state["next"] % len(paths)]
            state["next"] += 1
            state["issued"] += 1
            return path

    def worker():
        while (path := take()) is not None:
            t0 = time.perf_counter()
            try:
                status, _size = request(port, path, headers)
                ok = status == expect
            except OSError as exc:
                status, ok = repr(exc), False
            dt = time.perf_counter() - t0
            with lock:
                if ok:
                    latencies.append(dt)
                else:
                    errors[0] += 1
                    if len(samples) < 3:
                        samples.append(f"{path} -> {status}")

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 60)
    return latencies, errors[0], time.monotonic() - started, samples


def run_scenario(scenario, ctx, port, args):
    paths = scenario.paths(ctx)
    headers = scenario.headers(ctx) if scenario.headers else None
    if not scenario.cold:
        # Warm-up: every path once (bounded), so the fragment cache and the workers are warm.
        run_load(port, paths, headers, scenario.expect, args.concurrency, 30, min(len(paths), 500) + 4)
        return Result(
            scenario,
            *_unpack(
                run_load(port, paths, headers, scenario.expect, args.concurrency, args.duration, args.max_requests)
            ),
            len(paths),
        )
    # Cold: rounds over distinct municipalities, the cache flushed before each round.
    latencies, errors, elapsed, samples = [], 0, 0.0, []
    deadline = time.monotonic() + args.duration
    rounds = 0
    while time.monotonic() < deadline and len(latencies) + errors < args.max_requests and rounds < 100:
        flush_cache()
        budget = min(len(paths), args.max_requests - len(latencies) - errors)
        lat, err, el, smp = run_load(
            port, paths, headers, scenario.expect, args.concurrency, deadline - time.monotonic(), budget
        )
        latencies += lat
        errors += err
        elapsed += el
        samples += smp
        rounds += 1
    return Result(scenario, latencies, errors, elapsed, len(paths), error_sample="; ".join(samples[:3]))


def _unpack(load):
    latencies, errors, elapsed, samples = load
    return latencies, errors, elapsed


# --------------------------------------------------------------------------- report


def table(results, args, ctx, load_before):
    base = next((r for r in results if r.scenario.baseline), None)
    head = (
        f"{'scenario':22s} {'requests':>8s} {'errors':>6s} {'req/s':>8s} {'p50 ms':>8s} {'p95 ms':>8s}"
        f" {'req/s ÷ trivial':>15s} {'p50 × trivial':>13s} {'paths':>6s} {'queries cold/warm':>17s}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        ratio_rps = f"{r.rps / base.rps:.3f}" if base and base.rps else "-"
        ratio_p50 = f"{r.pct(50) / base.pct(50):.1f}" if base and base.latencies and r.latencies else "-"
        lines.append(
            f"{r.scenario.name:22s} {r.requests:8d} {r.errors:6d} {r.rps:8.1f} {r.pct(50):8.1f} {r.pct(95):8.1f}"
            f" {ratio_rps:>15s} {ratio_p50:>13s} {r.distinct_paths:6d} {r.queries:>17s}"
        )
    lines.append("")
    for r in results:
        lines.append(f"  {r.scenario.name:22s} {r.scenario.description}")
        if r.error_sample:
            lines.append(f"  {'':22s} errors e.g.: {r.error_sample}")
    header = [
        f"LKT benchmark {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine: {os.cpu_count()} cores; load average before {load_before}, after"
        f" {' '.join(f'{x:.1f}' for x in os.getloadavg())}; database {args.database_url}",
        f"data: {len(ctx.municipalities)} municipality pages, {len(ctx.actors)} actor pages",
        *_process_lines(ctx),
        f"server: gunicorn {args.workers} {args.worker_class} workers (threads {args.threads}),"
        f" DB_CONN_MAX_AGE={args.conn_max_age}, Redis cache {REDIS_URL}",
        f"client: {args.concurrency} threads, http.client, new connection per request, redirects not followed;"
        f" {args.duration:g} s / ≤{args.max_requests} requests per scenario",
        "",
    ]
    return "\n".join(header + lines) + "\n"


def _process_lines(ctx):
    x = ctx.extra
    if not x.get("staff_cookie"):
        return []
    lines = [
        f"care processes: {x['processes']:,}, tasks {x['tasks']:,}; {x['staff_user']} sees {x['staff_visible']:,}"
        f" processes (coordinating unit) and has {x['staff_inbox']:,} open tasks"
    ]
    if x.get("team_cookie"):
        lines.append(
            f"  {x['team_user']} sees {x['team_visible']:,} processes (team) and has {x['team_inbox']:,} open tasks"
        )
    return lines


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lkt_bench")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per scenario (max 120)")
    parser.add_argument("--max-requests", type=int, default=20000, help="per scenario (max 20000)")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads (max 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--conn-max-age", type=int, default=0, help="DB_CONN_MAX_AGE for the server (production: 0)")
    parser.add_argument("--only", default="", help="comma-separated scenario names (the baseline always runs)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help="port for the server (default: any free one)")
    parser.add_argument("--no-queries", action="store_true", help="skip counting queries per request")
    args = parser.parse_args(argv)
    args.duration = min(max(args.duration, 1.0), 120.0)
    args.max_requests = min(max(args.max_requests, 1), 20000)
    args.concurrency = min(max(args.concurrency, 1), 16)
    return args


def main(argv=None):
    args = parse_args(argv)
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    scenarios = [s for s in SCENARIOS if s.baseline or not only or s.name in only]
    ctx = load_context(args.database_url, args.seed)
    OUT_DIR.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y-%m-%d")
    log_path = OUT_DIR / f"gunicorn-{stamp}.log"

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    flush_cache()
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    proc = None
    results = []
    try:
        port = args.port or free_port()
        proc = start_gunicorn(args, port, log_path)
        print(f"gunicorn pid {proc.pid} on {HOST}:{port}; {len(ctx.municipalities)} municipalities", flush=True)
        for scenario in scenarios:
            if scenario.requires and not ctx.extra.get(scenario.requires):
                print(
                    f"  {scenario.name:22s} skipped: no {scenario.requires} in the database"
                    f" (run {SKIP_HINTS.get(scenario.requires, 'the generator')})",
                    flush=True,
                )
                continue
            result = run_scenario(scenario, ctx, port, args)
            if not args.no_queries:
                first = scenario.paths(ctx)[0]
                headers = scenario.headers(ctx) if scenario.headers else None
                _s, cold = count_queries(first, cold=True, headers=headers)
                _s, warm = count_queries(first, cold=False, headers=headers)
                result.queries = f"{cold}/{warm}"
            results.append(result)
            print(
                f"  {scenario.name:22s} {result.requests:6d} req {result.rps:8.1f} req/s"
                f"  p50 {result.pct(50):7.1f} ms  p95 {result.pct(95):7.1f} ms  errors {result.errors}",
                flush=True,
            )
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    finally:
        stop_gunicorn(proc)
    if not results:
        return 1
    report = table(results, args, ctx, load_before)
    out = OUT_DIR / f"results-{stamp}.txt"
    with out.open("a", encoding="utf-8") as f:
        f.write(report + "\n")
    print("\n" + report)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
