"""One municipality's actor-map import, timed on PostgreSQL: seconds, queries and what the import left behind.

    .venv/bin/python bench/import_bench.py [--database-url postgres://postgres@127.0.0.1:5432/lkt_import_bench]
        [--actors 60 --contacts 4 --rounds 3 --profile --queries --update]

Settings ``bench.settings`` (production-like: Redis cache, DEBUG off); the database is ``--database-url``, else
``BENCH_DATABASE_URL``, else ``lkt_import_bench``, created and migrated when missing. The first run builds the tree
(real postal register, catalogue, national administrators) and Bergen's actor map with ``bench.generate.build_actors``
(the national bench data's generator: ``--actors`` actors, ``--contacts`` ± 1 contact persons each). Every round
exports Bergen as CSV and imports the file with ``directory.spreadsheet_import.import_directory`` into a municipality
that has no actors yet (its page, groups and workflow are created before the clock starts), committed, as the
background job does: the time includes what runs after the commit. It prints seconds, queries and actors per
second per round, then checks the state each imported actor was left in (revisions, audit log, reference and search
index). ``--profile`` writes a cProfile report of the last round to ``bench/out/import-profile-<date>.txt``;
``--queries`` prints the queries of the last round grouped by table; ``--update`` then imports the file again with
every actor's phone number changed (existing actors go through Wagtail's own edit-and-publish).
"""

import argparse
import collections
import cProfile
import io
import os
import pstats
import re
import sys
import time
from datetime import date
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from bench.generate import REGISTER, ensure_database  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lkt_import_bench"
SOURCE = "4601"  # Bergen


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--actors", type=int, default=60, help="actors in Bergen's map (when it is first built)")
    parser.add_argument("--contacts", type=int, default=4, help="contact persons per actor (average; ditto)")
    parser.add_argument("--rounds", type=int, default=3, help="imports, each into a municipality of its own")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--profile", action="store_true", help="cProfile the last round")
    parser.add_argument("--queries", action="store_true", help="the last round's queries grouped by table")
    parser.add_argument("--update", action="store_true", help="then import the file again, every actor changed")
    return parser.parse_args(argv)


def setup(database_url):
    ensure_database(database_url)
    os.environ["BENCH_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def prepare(args):
    """The tree, the register and Bergen's actors (once); returns (Bergen's page, the importing user)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from bench.generate import build_actors, build_tree
    from directory.groups import NATIONAL_ADMINS, create_municipality
    from directory.models import ActorPage, ActorType, PostalCode
    from directory.postal_register import import_register

    if not PostalCode.objects.exists():
        summary = import_register(REGISTER.read_bytes())
        print(f"postal register: {summary.codes} codes, {summary.municipalities} municipalities", flush=True)
    index = build_tree()
    source, _, _ = create_municipality(SOURCE, index_page=index)
    if not ActorPage.objects.child_of(source).exists():
        t0 = time.monotonic()
        with transaction.atomic():
            types = list(ActorType.objects.filter(live=True).order_by("sort_order", "name"))
            count = build_actors(source, args, types)
        print(f"source {source.title}: {count} actors generated in {time.monotonic() - t0:.1f} s", flush=True)
    user, _ = get_user_model().objects.get_or_create(username="bench-import", defaults={"email": "i@example.com"})
    user.groups.add(Group.objects.get(name=NATIONAL_ADMINS))
    return source, user


def fresh_target():
    """A municipality page with no actors (created, with groups and workflow, outside the timing).

    On a database where every municipality has actors (the national data of ``generate.py``), the last one's
    actors are deleted first, also outside the timing.
    """
    from directory.groups import create_municipality
    from directory.models import ActorPage, Municipality, MunicipalityPage

    used = set(ActorPage.objects.values_list("municipality__municipality_id", flat=True))
    for page in MunicipalityPage.objects.filter(municipality__isnull=False).exclude(municipality_id__in=used):
        return page
    number = (
        Municipality.objects.exclude(number__in=used | {"2100", "2211"})
        .exclude(page__isnull=False)
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    if number is not None:
        page, _, _ = create_municipality(number)
        return page
    page = MunicipalityPage.objects.exclude(municipality_id=SOURCE).filter(municipality__isnull=False).last()
    t0 = time.monotonic()
    for actor in ActorPage.objects.child_of(page):
        actor.delete()
    print(f"(deleted {page.title}'s actors to import into it, {time.monotonic() - t0:.1f} s)", flush=True)
    return MunicipalityPage.objects.get(pk=page.pk)


class QueryLog:
    """Every statement sent while installed (Django's own query log keeps only the last 9,000)."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        return execute(sql, params, many, context)

    def __len__(self):
        return len(self.statements)


def table_of(sql):
    match = re.search(r'\b(?:FROM|INTO|UPDATE)\s+"?([a-z0-9_]+)"?', sql, re.IGNORECASE)
    verb = sql.split(None, 1)[0].upper()
    return f"{verb} {match.group(1) if match else '?'}"


def check_state(target):
    """What each imported actor was left in, as counts: compare them before and after a change to the import."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import PageLogEntry, ReferenceIndex, Revision
    from wagtail.search.models import IndexEntry

    from directory.models import ActorConfirmation, ActorPage, ContactPerson

    actors = list(ActorPage.objects.child_of(target))
    pks = [a.pk for a in actors]
    page_type = ContentType.objects.get_for_model(ActorPage)
    actions = collections.Counter(PageLogEntry.objects.filter(page_id__in=pks).values_list("action", flat=True))
    return {
        "actors": len(actors),
        "live": sum(a.live for a in actors),
        "live revision = latest revision": sum(a.live_revision_id == a.latest_revision_id is not None for a in actors),
        "no unpublished changes": sum(not a.has_unpublished_changes for a in actors),
        "first/last published set": sum(bool(a.first_published_at and a.last_published_at) for a in actors),
        "revisions": Revision.objects.filter(object_id__in=[str(pk) for pk in pks], content_type=page_type).count(),
        **{f"log {action}": n for action, n in sorted(actions.items())},
        "contacts": ContactPerson.objects.filter(page_id__in=pks).count(),
        "confirmations": ActorConfirmation.objects.filter(page_id__in=pks).count(),
        "reference index rows": ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get(app_label="wagtailcore", model="page"),
            object_id__in=[str(pk) for pk in pks],
        ).count(),
        "search index entries": IndexEntry.objects.filter(
            content_type=page_type, object_id__in=[str(pk) for pk in pks]
        ).count(),
    }


def main(argv=None):
    args = parse_args(argv)
    setup(args.database_url)
    from django.db import connection

    from directory.spreadsheet import export_rows, to_csv
    from directory.spreadsheet_import import import_directory

    source, user = prepare(args)
    data = to_csv(export_rows(source))
    rows = data.count(b"\n") - 1
    print(f"file: {rows} rows from {source.title}", flush=True)
    figures = []
    for round_number in range(1, args.rounds + 1):
        target = fresh_target()
        last = round_number == args.rounds
        profiler = cProfile.Profile() if args.profile and last else None
        queries = QueryLog()
        with connection.execute_wrapper(queries):
            t0 = time.perf_counter()
            if profiler:
                profiler.enable()
            result = import_directory(target, data, "bergen.csv", user)
            if profiler:
                profiler.disable()
            seconds = time.perf_counter() - t0
        if not result.ok:
            raise SystemExit(f"the import failed: {result.errors[:5]}")
        n = len(result.created) + len(result.updated)
        figures.append((seconds, len(queries), n))
        print(
            f"round {round_number}: {target.title} ({target.municipality_id}): {n} actors in {seconds:.2f} s,"
            f" {len(queries)} queries ({len(queries) / max(n, 1):.1f} per actor), {n / seconds:.1f} actors/s",
            flush=True,
        )
    best = min(figures)
    print(f"best of {len(figures)}: {best[0]:.2f} s, {best[1]} queries, {best[2] / best[0]:.1f} actors/s")
    print("state of the last import's actors:")
    for label, value in check_state(target).items():
        print(f"  {label:34s} {value:6d}")
    if args.update:
        # The same file with every actor's phone changed, into the municipality just imported: all updated.
        changed = data.replace(b";55 ", b";56 ")
        updates = QueryLog()
        with connection.execute_wrapper(updates):
            t0 = time.perf_counter()
            result = import_directory(target, changed, "bergen-endret.csv", user)
            seconds = time.perf_counter() - t0
        if not result.ok:
            raise SystemExit(f"the update failed: {result.errors[:5]}")
        n = len(result.updated)
        print(
            f"update: {n} actors changed in {seconds:.2f} s, {len(updates)} queries"
            f" ({len(updates) / max(n, 1):.1f} per actor), {n / seconds:.1f} actors/s"
        )
    if args.queries:
        counts = collections.Counter(table_of(sql) for sql in queries.statements)
        print("queries of the last round by statement and table:")
        for label, count in counts.most_common():
            print(f"  {count:6d}  {label}")
    if profiler:
        out = PROJECT_DIR / "bench" / "out"
        out.mkdir(exist_ok=True)
        path = out / f"import-profile-{date.today().isoformat()}.txt"
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer).strip_dirs()
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
        path.write_text(buffer.getvalue())
        print(f"profile: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
