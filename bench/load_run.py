"""Issue 15's load run: public readers and staff users working their tasks at the same time, with wrk.

    .venv/bin/python bench/load_run.py --database-url postgres://postgres@127.0.0.1:5432/lkt_bench \
        [--duration 60 --readers 200 --staff 20 --workers 5 --worker-class sync --threads 1 --max-ms 2000]

Starts gunicorn (``bench.settings``: production-like, DEBUG off, Redis cache, ``DB_CONN_MAX_AGE=60``) and runs, for
``--duration`` seconds and all at once:

* the public readers, ``--readers`` connections with no cookie, split over four wrk processes by what they read
  (``bench/wrk_paths.lua``): municipality pages, actor pages, postal-code answers and the pathway (with and without
  a chosen municipality);
* the staff, one wrk thread and connection per user (``bench/wrk_staff.lua``), each with a real logged-in,
  two-factor-verified session (``serve_bench.verified_session_cookie``): the bench coordinators and GPs of
  ``bench/generate_processes.py``. Each user goes round their work: the inbox, then for each of their open tasks
  the task's page, its form (a GET of ``execute/``) and the process's page, with the process list and, for
  coordinators, the unassigned queue in between. Nothing is posted: a submitted form changes the process for good.

It prints, per kind of request, the requests, the statuses, p50/p95/p99 and the slowest, and exits non-zero – with
FAILED lines saying why – if any request errored (a socket error, a timeout, a status other than 2xx/3xx) or took
longer than ``--max-ms``. The report is appended to ``bench/out/load-<date>.txt``.

Needs the data of ``bench/generate.py`` (with ``--pathways``) and ``bench/generate_processes.py``.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench import serve_bench  # noqa: E402

PATHS_LUA = Path(__file__).resolve().parent / "wrk_paths.lua"
STAFF_LUA = Path(__file__).resolve().parent / "wrk_staff.lua"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
PROCESSES = "/prosesser/forlop/"

# How the public readers are split over what they read (shares of --readers).
READER_SHARES = {"municipality": 0.3, "actor": 0.3, "lookup": 0.2, "pathway": 0.2}


def public_paths(ctx, rng):
    munis = [m[2] for m in ctx.municipalities]
    paths = {
        "municipality": munis,
        "actor": rng.sample(ctx.actors, min(300, len(ctx.actors))),
        "lookup": [f"/finn-hjelp/?q={c}" for c in rng.sample(ctx.postal_codes, min(300, len(ctx.postal_codes)))],
    }
    pathway = ctx.extra.get("pathway")
    if pathway:
        slugs = [url.rstrip("/").rsplit("/", 1)[-1] for url in munis]
        paths["pathway"] = [pathway, f"{pathway}utskrift/", *(f"{pathway}kommune/{s}/" for s in slugs)]
    return {kind: p for kind, p in paths.items() if p}


def staff_users(count):
    """``count`` bench users: coordinators from every municipality in turn, and one GP for every four."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    coordinators = list(users.filter(username__startswith="bench-koord-").order_by("username"))
    gps = list(users.filter(username__startswith="bench-fastlege-").order_by("username"))
    by_municipality = {}
    for user in coordinators:
        by_municipality.setdefault(user.username.split("-")[2], []).append(user)
    round_robin = [u for i in range(max(map(len, by_municipality.values()), default=0)) for u in
                   (group[i] for group in by_municipality.values() if i < len(group))]  # fmt: skip
    n_gps = min(len(gps), count // 5)
    chosen = round_robin[: count - n_gps] + gps[:n_gps]
    if len(chosen) < count:
        raise SystemExit(f"only {len(chosen)} bench staff users; run bench/generate_processes.py first")
    return chosen


def staff_steps(user, tasks_per_user, rng):
    """A user's round of work, as (kind, path): inbox, then each open task's page, form and process."""
    from django.urls import resolve
    from viewflow.workflow.models import Task

    from workflows import access

    resolve(PROCESSES)  # loads the URLconf: Viewflow's task URLs reverse only after that

    coordinator = bool(access.coordinating_municipalities(user))
    tasks = list(Task.objects.filter(owner=user, status="ASSIGNED", flow_task_type="HUMAN").order_by("-created")[:200])
    tasks = rng.sample(tasks, min(tasks_per_user, len(tasks)))
    steps = []
    for i, task in enumerate(tasks):
        steps.append(("inbox", f"{PROCESSES}inbox/"))
        steps.append(("task-page", task.flow_task.reverse("detail", args=[task.process_id, task.pk])))
        steps.append(("task-form", task.flow_task.reverse("execute", args=[task.process_id, task.pk])))
        steps.append(("process-page", f"{PROCESSES}{task.process_id}/"))
        if i % 3 == 2:
            steps.append(("process-list", PROCESSES))
        if coordinator and i % 5 == 4:
            steps.append(("queue", f"{PROCESSES}queue/"))
    if not steps:
        steps = [("inbox", f"{PROCESSES}inbox/"), ("process-list", PROCESSES)]
    return steps


def wrk_cmd(port, connections, threads, duration, script, paths_file, timeout_s):
    cmd = [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", f"{timeout_s}s", "-s", str(script)]
    return [*cmd, "-H", "Accept-Encoding: gzip", f"http://127.0.0.1:{port}", "--", str(paths_file)]


def parse_json(out):
    line = next((x for x in out.splitlines() if x.startswith("JSON ")), None)
    return json.loads(line[5:]) if line else None


def report(public, staff, args, ctx, load_before, server):
    lines = [
        f"LKT load run {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine: {os.cpu_count()} cores, shared; load average before {load_before}, after"
        f" {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
        f"data: {len(ctx.municipalities)} municipality pages, {len(ctx.actors)} actor pages;"
        f" {ctx.extra.get('processes', 0):,} care processes",
        f"server: {server}",
        f"load: {args.readers} public readers (no cookie) and {args.staff} staff users (one connection each, logged in"
        f" with two factors) for {args.duration} s; wrk --timeout {args.timeout}s",
        "",
        f"{'kind':24s} {'requests':>9s} {'req/s':>8s} {'errors':>7s} {'non-2xx/3xx':>11s} {'p50 ms':>8s}"
        f" {'p95 ms':>8s} {'p99 ms':>8s} {'max ms':>8s}",
    ]
    failures = []

    def row(name, n, rps, errors, bad, p50, p95, p99, worst):
        lines.append(
            f"{name:24s} {n:9d} {rps:8.1f} {errors:7d} {bad:11d} {p50:8.1f} {p95:8.1f} {p99:8.1f} {worst:8.1f}"
        )
        if errors or bad:
            failures.append(f"{name}: {errors} errors ({bad} with a status other than 2xx/3xx)")
        if worst > args.max_ms:
            failures.append(f"{name}: a request took {worst:.0f} ms (limit {args.max_ms} ms)")

    for kind, r in public.items():
        if r is None:
            failures.append(f"public {kind}: wrk printed no figures")
            continue
        # wrk_paths.lua counts socket errors, timeouts and statuses >= 400 together.
        row(f"public {kind}", r["requests"], r["rps"], r["errors"], 0, r["p50"], r["p95"], r["p99"], r["max"])
    if staff is None:
        failures.append("staff: wrk printed no figures")
    else:
        for kind, k in sorted(staff["kinds"].items()):
            bad = sum(n for code, n in k["statuses"].items() if not 200 <= int(code) < 400)
            row(f"staff {kind}", k["requests"], k["requests"] / args.duration, 0, bad, k["p50"], k["p95"], k["p99"],
                k["max"])  # fmt: skip
        # Socket errors and timeouts never reach response(): they are only in wrk's own summary.
        socket_errors = staff["socket_errors"] + staff["timeouts"]
        row("staff, all", staff["requests"], staff["rps"], socket_errors, staff["non_2xx_3xx"], staff["p50"],
            staff["p95"], staff["p99"], staff["max"])  # fmt: skip
    total = sum(r["requests"] for r in public.values() if r) + (staff["requests"] if staff else 0)
    lines += ["", f"all requests: {total:,} in {args.duration} s"]
    lines += [f"FAILED: {f}" for f in failures] or [
        f"PASSED: no errors, no status other than 2xx/3xx, no request over {args.max_ms} ms"
    ]
    return "\n".join(lines) + "\n", failures


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lkt_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (0: a free one)")
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--readers", type=int, default=200, help="public readers (connections)")
    parser.add_argument("--staff", type=int, default=20, help="staff users (one connection each)")
    parser.add_argument("--tasks-per-user", type=int, default=40, help="open tasks each staff user goes through")
    # gunicorn's own advice for sync workers: (2 × cores) + 1.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's timeout per request, seconds")
    parser.add_argument("--max-ms", type=int, default=2000, help="no request may take longer")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    serve_bench.REDIS_URL = args.redis_url
    ctx = serve_bench.load_context(args.database_url, args.seed)
    if not ctx.municipalities or not ctx.extra.get("staff_cookie"):
        raise SystemExit("needs bench/generate.py --pathways and bench/generate_processes.py data")
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="lkt-load-"))
    public = public_paths(ctx, rng)
    readers = {kind: max(1, round(args.readers * READER_SHARES[kind])) for kind in public}
    readers[next(iter(readers))] += args.readers - sum(readers.values())  # the shares add up to --readers
    staff_file = workdir / "staff.tsv"
    with staff_file.open("w") as f:
        for number, user in enumerate(staff_users(args.staff)):
            cookie = serve_bench.verified_session_cookie(user)
            for kind, path in staff_steps(user, args.tasks_per_user, rng):
                f.write(f"{number}\t{kind}\t{path}\t{cookie}\n")

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    serve_bench.flush_cache()
    gunicorn = None
    procs = {}
    try:
        port = args.port or serve_bench.free_port()
        gunicorn_args = argparse.Namespace(
            database_url=args.database_url,
            conn_max_age=60,
            workers=args.workers,
            worker_class=args.worker_class,
            threads=args.threads,
        )
        gunicorn = serve_bench.start_gunicorn(gunicorn_args, port, workdir / "gunicorn.log")
        server = (
            f"gunicorn {args.workers} {args.worker_class} workers × {args.threads} threads, DB_CONN_MAX_AGE=60,"
            " Redis cache, bench.settings (DEBUG off)"
        )
        print(f"gunicorn on {port} ({server}); warming the public pages", flush=True)
        for paths in public.values():  # each public page once, as it would be after a while in production
            for path in paths:
                serve_bench.request(port, path, {"Host": f"127.0.0.1:{port}", "Accept-Encoding": "gzip"})
        load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"load average {load_before}; {args.readers} readers and {args.staff} staff for {args.duration} s",
            flush=True,
        )
        for kind, paths in public.items():
            paths_file = workdir / f"{kind}.paths"
            paths_file.write_text("\n".join(paths))
            cmd = wrk_cmd(port, readers[kind], 2, args.duration, PATHS_LUA, paths_file, args.timeout)
            procs[f"public {kind}"] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
        cmd = wrk_cmd(port, args.staff, args.staff, args.duration, STAFF_LUA, staff_file, args.timeout)
        procs["staff"] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
        outputs = {}
        deadline = time.monotonic() + args.duration + 120
        for name, proc in procs.items():
            out, err = proc.communicate(timeout=max(1, deadline - time.monotonic()))
            if proc.returncode != 0 or "JSON " not in out:
                print(f"{name}: wrk exited with {proc.returncode}\n{out}\n{err}", file=sys.stderr)
            outputs[name] = parse_json(out)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        return 1
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        serve_bench.stop_gunicorn(gunicorn)
        log = workdir / "gunicorn.log"
        if log.exists() and log.stat().st_size:
            print("gunicorn's error log:\n" + log.read_text()[-4000:], file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
    public_results = {kind: outputs.get(f"public {kind}") for kind in public}
    text, failures = report(public_results, outputs.get("staff"), args, ctx, load_before, server)
    serve_bench.OUT_DIR.mkdir(exist_ok=True)
    out = serve_bench.OUT_DIR / f"load-{datetime.now():%Y-%m-%d}.txt"
    with out.open("a", encoding="utf-8") as f:
        f.write(text + "\n")
    print("\n" + text)
    print(f"written to {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
