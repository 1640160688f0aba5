"""Measure LKT's pages with wrk, interleaved with a hello-world view in the same gunicorn, and print ratios.

    .venv/bin/python bench/wrk_bench.py --database-url postgres://postgres@127.0.0.1:5432/lkt_bench \
        [--port 8105 --varnish-port 8106 --rounds 3 --duration 5 --connections 8 --only municipality,inbox]

Starts gunicorn (``bench.settings``: production-like, Redis cache, 2 sync workers, DB_CONN_MAX_AGE 60) and, unless
``--no-varnish``, Debian's varnishd with ``deploy/varnish/lkt.vcl`` in front of it. Then, for ``--rounds`` rounds,
runs wrk (``--threads`` threads, ``--connections`` connections, ``--duration`` seconds) against each scenario in
turn, the hello-world scenarios included, so a busy moment of a shared machine hits every scenario alike. A
scenario with several paths cycles through them (``bench/wrk_paths.lua``). Every figure is a median over the
rounds; the ratio is the scenario's requests per second over the median of its baseline in the same run
(Django's 2-byte hello-world for pages served by Django; Varnish serving a cached object of the page's size for
pages served through Varnish). The report goes to stdout and is appended to ``bench/out/wrk-<date>.txt``.

Needs the data of ``bench/generate.py`` (with ``--pathways``) and ``bench/generate_processes.py``.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench import serve_bench  # noqa: E402

LUA = Path(__file__).resolve().parent / "wrk_paths.lua"
VCL = PROJECT_DIR / "deploy" / "varnish" / "lkt.vcl"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


@dataclass
class Scenario:
    name: str
    paths: list
    baseline: str = "hello"  # the scenario whose req/s this one is compared with
    via_varnish: bool = False
    headers: dict = field(default_factory=dict)
    connections: int | None = None  # None: --connections
    note: str = ""


def scenarios(ctx, page_size):
    rng = ctx.rng
    munis = [m[2] for m in ctx.municipalities]
    x = ctx.extra
    # The after-publish scenario bumps its municipalities' versions on every request: it gets its own, so the
    # cached pages of the others stay cached.
    shuffled = rng.sample(munis, len(munis))
    published, some = shuffled[: len(shuffled) // 2], shuffled[len(shuffled) // 2 :][:20]
    actors = rng.sample([a for a in ctx.actors if any(a.startswith(m) for m in some)], min(50, len(ctx.actors)))
    # A postal code's answer lists its municipality's actors and is cached under that municipality's version: the
    # codes come from the municipalities the after-publish scenario leaves alone, or every round would find them
    # invalidated.
    quiet_codes = [c for m in some for c in ctx.codes_by_url.get(m, [])] or ctx.postal_codes
    codes = [f"/finn-hjelp/?q={c}" for c in rng.sample(quiet_codes, min(300, len(quiet_codes)))]
    out = [
        Scenario("hello", ["/bench/trivial/"], baseline="", note="2-byte Django view, the baseline"),
        Scenario(
            "hello-page-size",
            [f"/bench/sized/{page_size}/"],
            note=f"Django view returning {page_size} bytes: the ceiling inside gunicorn",
        ),
        Scenario("municipality", some, note=f"{len(some)} municipality pages (actor maps), full-page cache"),
        Scenario("actor", actors, note="50 actor pages, full-page cache"),
        Scenario("lookup", codes, note="postal code -> the answer for that address, full-page cache"),
        Scenario(
            "after-publish",
            [f"/bench/after-publish{m}" for m in published],
            # A cookie the full-page cache treats as personal: the request reaches the view, which bumps first.
            headers={"Cookie": "lkt_kommune=0000"},
            note="a municipality page right after its version is bumped (a publish): a render each request",
        ),
    ]
    if x.get("pathway"):
        p = x["pathway"]
        out += [
            Scenario("pathway", [p], note="the 40-step pathway without a municipality, full-page cache"),
            Scenario("print", [f"{p}utskrift/"], note="its print view, full-page cache (60 s)"),
            Scenario(
                "pathway-municipality",
                # The municipality's own address (kommune/<slug>/), of the municipalities nobody publishes in.
                [f"{p}kommune/{url.rstrip('/').rsplit('/', 1)[-1]}/" for url in some],
                note="the pathway for a chosen municipality (kommune/<slug>/), full-page cache",
            ),
        ]
    if x.get("staff_cookie"):
        staff = {"Cookie": x["staff_cookie"]}
        out += [
            Scenario("inbox", ["/prosesser/forlop/inbox/"], headers=staff, note=f"inbox of {x['staff_user']}"),
            Scenario("inbox-1", ["/prosesser/forlop/inbox/"], headers=staff, connections=1, note="one connection"),
            Scenario("processes", ["/prosesser/forlop/"], headers=staff, note="process list, coordinator"),
            Scenario("processes-1", ["/prosesser/forlop/"], headers=staff, connections=1, note="one connection"),
        ]
    if x.get("team_cookie"):
        team = {"Cookie": x["team_cookie"]}
        out += [
            Scenario("inbox-team", ["/prosesser/forlop/inbox/"], headers=team, note=f"inbox of {x['team_user']}"),
            Scenario("processes-team", ["/prosesser/forlop/"], headers=team, note="process list, team member"),
            Scenario("inbox-team-1", ["/prosesser/forlop/inbox/"], headers=team, connections=1, note="one connection"),
            Scenario("processes-team-1", ["/prosesser/forlop/"], headers=team, connections=1, note="one connection"),
        ]
    return out


def varnish_scenarios(ctx, page_size):
    munis = [m[2] for m in ctx.municipalities]
    some = ctx.rng.sample(munis, min(20, len(munis)))
    out = [
        Scenario(
            "varnish-static",
            [f"/bench/sized/{page_size}/?public=1"],
            baseline="",
            via_varnish=True,
            note=f"Varnish serving a cached {page_size}-byte object: the Varnish baseline",
        ),
        Scenario(
            "varnish-municipality", some, baseline="varnish-static", via_varnish=True, note="20 municipality pages"
        ),
        Scenario(
            "varnish-lookup",
            [f"/finn-hjelp/?q={c}" for c in ctx.rng.sample(ctx.postal_codes, min(300, len(ctx.postal_codes)))],
            baseline="varnish-static",
            via_varnish=True,
            note="postal-code redirects",
        ),
    ]
    if ctx.extra.get("pathway"):
        out.append(
            Scenario(
                "varnish-pathway",
                [ctx.extra["pathway"]],
                baseline="varnish-static",
                via_varnish=True,
                note="the pathway",
            )
        )
    return out


def run_wrk(port, scenario, args):
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as f:
        f.write("\n".join(scenario.paths))
        paths_file = f.name
    connections = scenario.connections or args.connections
    cmd = [WRK, f"-t{min(args.threads, connections)}", f"-c{connections}", f"-d{args.duration}s", "--timeout", "5s"]
    cmd += ["-s", str(LUA)]
    if not args.identity:
        cmd += ["-H", "Accept-Encoding: gzip"]  # as every browser sends
    for name, value in scenario.headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd += [f"http://127.0.0.1:{port}", "--", paths_file]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.duration + 60, check=True).stdout  # noqa: S603
    finally:
        os.unlink(paths_file)
    line = next(x for x in out.splitlines() if x.startswith("JSON "))
    return json.loads(line[5:])


def start_varnish(app_port, port, workdir):
    vcl = workdir / "lkt.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{app_port}";'))
    cmd = [VARNISHD, "-F", "-j", "none", "-a", f"127.0.0.1:{port}", "-f", str(vcl), "-n", str(workdir / "v")]
    cmd += ["-s", "malloc,256m"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            serve_bench.request(port, "/bench/trivial/")
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("varnishd did not start")


def page_size_of(port, path):
    _status, size = serve_bench.request(port, path)
    return size


def median(values):
    return statistics.median(values) if values else float("nan")


def report(results, all_scenarios, args, ctx, load_before):
    rps = {name: median([r["rps"] for r in runs]) for name, runs in results.items()}
    lines = [
        f"LKT wrk benchmark {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine: {os.cpu_count()} cores, shared; load average before {load_before}, after"
        f" {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
        f"data: {len(ctx.municipalities)} municipality pages, {len(ctx.actors)} actor pages;"
        f" {ctx.extra.get('processes', 0):,} care processes",
        *serve_bench._process_lines(ctx),
        f"server: gunicorn 2 sync workers, DB_CONN_MAX_AGE=60, Redis cache; wrk -t{args.threads}"
        f" -c{args.connections} -d{args.duration}s, {args.rounds} interleaved rounds (medians),"
        f" {'no Accept-Encoding' if args.identity else 'Accept-Encoding: gzip'}",
        "",
        f"{'scenario':22s} {'req/s':>9s} {'ratio':>7s} {'vs':>15s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s}"
        f" {'max ms':>8s} {'errors':>7s} {'requests':>9s}",
    ]
    for s in all_scenarios:
        runs = results.get(s.name)
        if not runs:
            continue
        base = rps.get(s.baseline) if s.baseline else None
        ratio = f"{rps[s.name] / base:.3f}" if base else "1"
        lines.append(
            f"{s.name:22s} {rps[s.name]:9.1f} {ratio:>7s} {s.baseline or '-':>15s}"
            f" {median([r['p50'] for r in runs]):8.1f} {median([r['p95'] for r in runs]):8.1f}"
            f" {median([r['p99'] for r in runs]):8.1f} {max(r['max'] for r in runs):8.1f}"
            f" {sum(r['errors'] for r in runs):7d} {sum(r['requests'] for r in runs):9d}"
        )
    lines.append("")
    lines += [f"  {s.name:22s} {s.note}" for s in all_scenarios if s.name in results]
    return "\n".join(lines) + "\n"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lkt_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (0: a free one)")
    parser.add_argument("--varnish-port", type=int, default=0, help="varnishd's port (0: a free one)")
    parser.add_argument("--no-varnish", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per scenario and round")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated scenario names (baselines always run)")
    parser.add_argument("--identity", action="store_true", help="no Accept-Encoding: gzip (uncompressed bodies)")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    serve_bench.REDIS_URL = args.redis_url
    ctx = serve_bench.load_context(args.database_url, args.seed)
    only = {n.strip() for n in args.only.split(",") if n.strip()}

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    serve_bench.flush_cache()
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    gunicorn = varnish = None
    results = {}
    workdir = Path(tempfile.mkdtemp(prefix="lkt-wrk-"))
    try:
        app_port = args.port or serve_bench.free_port()
        gunicorn_args = argparse.Namespace(
            database_url=args.database_url, conn_max_age=60, workers=2, worker_class="sync", threads=1
        )
        gunicorn = serve_bench.start_gunicorn(gunicorn_args, app_port, workdir / "gunicorn.log")
        size = page_size_of(app_port, ctx.municipalities[0][2]) if ctx.municipalities else 85_000
        todo = [(s, app_port) for s in scenarios(ctx, size)]
        if not args.no_varnish and os.path.exists(VARNISHD):
            varnish_port = args.varnish_port or serve_bench.free_port()
            varnish = start_varnish(app_port, varnish_port, workdir)
            todo += [(s, varnish_port) for s in varnish_scenarios(ctx, size)]
        baselines = {s.baseline for s, _ in todo}
        todo = [(s, p) for s, p in todo if not only or s.name in only or s.name in baselines]
        print(f"gunicorn on {app_port}; {len(todo)} scenarios × {args.rounds} rounds × {args.duration} s", flush=True)
        for s, port in todo:  # warm-up: every path once, with the Host header wrk sends (Varnish hashes it)
            for path in s.paths[:500]:
                warm = {"Host": f"127.0.0.1:{port}", **({} if args.identity else {"Accept-Encoding": "gzip"})}
                serve_bench.request(port, path, {**warm, **s.headers})
        for round_ in range(args.rounds):
            for s, port in todo:
                r = run_wrk(port, s, args)
                results.setdefault(s.name, []).append(r)
                print(
                    f"  round {round_ + 1} {s.name:22s} {r['rps']:9.1f} req/s p50 {r['p50']:7.1f} p95 {r['p95']:7.1f}"
                    f" errors {r['errors']}",
                    flush=True,
                )
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    finally:
        for proc in (varnish, gunicorn):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    if not results:
        return 1
    all_scenarios = [s for s, _ in todo]
    text = report(results, all_scenarios, args, ctx, load_before)
    serve_bench.OUT_DIR.mkdir(exist_ok=True)
    out = serve_bench.OUT_DIR / f"wrk-{datetime.now():%Y-%m-%d}.txt"
    with out.open("a", encoding="utf-8") as f:
        f.write(text + "\n")
    print("\n" + text)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
