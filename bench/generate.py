"""Generate a full-scale, fictional LKT directory for benchmarking.

    .venv/bin/python bench/generate.py --database-url postgres://postgres@127.0.0.1:5432/lkt_bench \
        [--municipalities 357 --actors 60 --contacts 4 --workers 2]

Creates the database if it does not exist, migrates it, imports the real postal
register (../shared/data/postnummerregister.tsv), builds the page tree (home page
at the default site root, «Finn hjelp» at /finn-hjelp/), seeds the catalogue and
then, for every mainland municipality, the municipality page (through
``directory.groups.create_municipality``) and its published actor pages with
fictional contact persons and confirmation dates.

Re-runnable: a municipality whose actor pages exist is skipped; each
municipality's actors are created in one transaction, so an interrupted run
leaves no half-built municipality behind.

Speed: a municipality's actors are created and published the way the spreadsheet
import creates them (``core.bulk_publish``: revisions, audit log, confirmations,
the search index and Wagtail's reference index, each written once per municipality
rather than once per save). ``--no-index`` leaves the two indexes out, as earlier
versions did (``manage.py update_index`` and ``manage.py rebuild_references_index``
fill them afterwards). With ``--workers 2`` the actors are built by two processes,
each owning whole municipalities, so they never touch the same part of the tree.

Pathways (a separate invocation, on a database generated as above):

    .venv/bin/python bench/generate.py --database-url postgres://postgres@127.0.0.1:5432/lkt_bench --pathways \
        [--pathway-steps 40 --pathway-phases 6]

adds only the «Forløp» index (slug ``forlop``) under the home page and one published pathway
(slug ``bench-forlop``) whose steps name a mix of live actor types and LKT roles; it touches no
municipality or actor, so it may run while actor generation is in progress, except that it
refuses to apply missing migrations while other sessions use the database (``migrate`` would
lock ``wagtailcore_page`` against the running generator). Re-runnable: what exists is kept.
"""

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Run as a script: the project's packages sit beside this folder.
sys.path.insert(0, str(PROJECT_DIR))

from demo.fictional_names import FIRST_NAMES  # noqa: E402

REGISTER = PROJECT_DIR.parent / "shared" / "data" / "postnummerregister.tsv"
NON_MAINLAND = {"2100", "2211"}
FIRST_NUMBERS = ["4601", "4624", "4625", "4623", "0301", "5001", "1103"]  # Bergen and friends first with small runs

LAST_NAMES = [
    "Nordmann",
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Nguyen",
    "Rasmussen",
    "Ali",
    "Lunde",
    "Solheim",
    "Berge",
    "Moe",
    "Nygård",
    "Bakke",
    "Aasen",
]
ROLES = [
    "Leder",
    "Koordinator",
    "Fagansvarlig",
    "Sykepleier",
    "Saksbehandler",
    "Rådgiver",
    "Avdelingsleder",
    "Fysioterapeut",
    "Ergoterapeut",
    "Psykolog",
    "Lege",
    "Sosionom",
    "Vernepleier",
    "Konsulent",
]
UNIT_KINDS = [
    "Koordinerende enhet",
    "Helsestasjon",
    "Legekontor",
    "Legesenter",
    "Hjemmetjenesten",
    "Psykisk helse og rus",
    "Fysioterapitjenesten",
    "Ergoterapitjenesten",
    "NAV",
    "Barneverntjenesten",
    "Tildelingskontoret",
    "Rehabiliteringsteamet",
    "Habiliteringstjenesten",
    "Frisklivssentralen",
    "Pedagogisk-psykologisk tjeneste",
    "Skolehelsetjenesten",
    "Demensteamet",
    "Kreftkoordinator",
    "Boveiledningstjenesten",
    "Dagsenter",
    "Avlastningstjenesten",
    "Psykiatrisk poliklinikk",
    "Distriktspsykiatrisk senter",
    "Ambulerende team",
    "Lærings- og mestringssenter",
    "Sykehjem",
    "Korttidsavdeling",
    "Kommunal akutt døgnenhet",
    "Tannhelsetjenesten",
    "Familiens hus",
]
DISTRICTS = ["sentrum", "nord", "sør", "øst", "vest", "sentrum øst", "havn", "dalen", "øvre", "nedre", "sjøsiden"]
STREETS = ["Storgata", "Kirkegata", "Strandvegen", "Skolevegen", "Rådhusplassen", "Fjordvegen", "Sentrumsvegen"]
SLUG_TABLE = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A", " ": "", "-": ""})


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://postgres@127.0.0.1:5432/lkt_bench")
    parser.add_argument("--municipalities", type=int, default=357, help="how many mainland municipalities (max 357)")
    parser.add_argument("--actors", type=int, default=60, help="actor pages per municipality")
    parser.add_argument("--contacts", type=int, default=4, help="contact persons per actor (average)")
    parser.add_argument("--workers", type=int, default=2, help="processes building actor pages (1 or 2)")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--time-limit", type=float, default=90.0, help="minutes; stops between municipalities")
    parser.add_argument(
        "--no-index", action="store_true", help="leave the search and reference indexes out (rebuild them later)"
    )
    parser.add_argument(
        "--pathways",
        action="store_true",
        help="only add the pathway index and the benchmark pathway (idempotent), then stop",
    )
    parser.add_argument(
        "--trusts",
        action="store_true",
        help="only add the four regional health authorities' trusts, catchments and units (idempotent), then stop",
    )
    parser.add_argument("--pathway-steps", type=int, default=40, help="steps in the benchmark pathway")
    parser.add_argument("--pathway-phases", type=int, default=6, help="phases the steps are spread over")
    parser.add_argument("--shard", default="", help=argparse.SUPPRESS)  # "i/n": internal, set for worker processes
    return parser.parse_args(argv)


def ensure_database(url):
    """CREATE DATABASE when it does not exist (PostgreSQL only)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    admin_url = urlunsplit((parts.scheme.replace("postgis", "postgres"), parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", flush=True)


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lkt_site.settings.dev"
    # Version bumps during generation go to a local memory cache, not to a shared Redis.
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def disable_indexing():
    """Stop per-save search-index and reference-index updates; both can be rebuilt afterwards."""
    from django.db.models.signals import post_delete, post_save
    from modelsearch import signal_handlers as search_handlers
    from modelsearch.index import get_indexed_models
    from wagtail import signal_handlers as wagtail_handlers

    for model in get_indexed_models():
        post_save.disconnect(search_handlers.post_save_signal_handler, sender=model)
        post_delete.disconnect(search_handlers.post_delete_signal_handler, sender=model)
    wagtail_handlers.reference_index_auto_update_disabled.value = True


def build_tree():
    from wagtail.models import Page, Site

    from directory.catalogue import seed_catalogue
    from directory.groups import ensure_national_admins
    from directory.models import MunicipalityIndexPage
    from home.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(title="LKT", slug="lkt")
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    index = MunicipalityIndexPage.objects.first()
    if index is None:
        index = MunicipalityIndexPage(title="Finn hjelp der du bor", slug="finn-hjelp")
        home.add_child(instance=index)
        index.save_revision().publish()
    created, total = seed_catalogue()
    ensure_national_admins()
    print(f"tree: home /{home.slug}/ -> {index.url_path}; catalogue {created} created of {total}", flush=True)
    return index


def municipality_numbers(limit):
    from directory.models import Municipality

    numbers = sorted(Municipality.objects.exclude(number__in=NON_MAINLAND).values_list("number", flat=True))
    first = [n for n in FIRST_NUMBERS if n in numbers]
    ordered = first + [n for n in numbers if n not in first]
    return ordered[: max(0, limit)]


def phone(rng):
    return f"55 {rng.randrange(10, 100)} {rng.randrange(100):02d} {rng.randrange(100):02d}"


def person(rng, domain):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{first.translate(ASCII).lower()}.{last.translate(ASCII).lower()}@{domain}"
    return first, last, email


def actor_titles(rng, municipality_name, count):
    """Unique, plausible unit names within one municipality."""
    titles, seen = [], set()
    kinds = UNIT_KINDS[:]
    rng.shuffle(kinds)
    for i in range(count):
        kind = kinds[i % len(kinds)]
        title = f"{kind} {municipality_name}" if i < len(kinds) else f"{kind} {rng.choice(DISTRICTS)}"
        n = 2
        base = title
        while title in seen:
            title = f"{base} {n}"
            n += 1
        seen.add(title)
        titles.append(title)
    return titles


def build_actors(page, args, actor_types):
    """Create ``args.actors`` published actor pages under one municipality page; inside the caller's transaction."""
    from django.utils import timezone
    from django.utils.text import slugify

    from core.bulk_publish import NewPage, create_published_pages
    from directory.models import ActorConfirmation, ActorPage, ContactPerson
    from directory.services import gathered_confirmations

    rng = random.Random(f"{args.seed}-{page.municipality_id}")
    required = [t for t in actor_types if t.required]
    others = [t for t in actor_types if not t.required]
    # About one municipality in eight leaves one required type uncovered, as real ones do.
    skip_required = rng.choice(required) if required and rng.random() < 0.125 else None
    covering = [t for t in required if t is not skip_required]
    domain = "example.com"
    now = timezone.now()
    new_pages, spread = [], []
    for i, title in enumerate(actor_titles(rng, page.title, args.actors)):
        if i < len(covering):
            types = [covering[i]]
        else:
            types = [rng.choice(others or actor_types)]
        if rng.random() < 0.4:
            extra = rng.choice(actor_types)
            if extra not in types and extra is not skip_required:
                types.append(extra)
        n_contacts = max(0, min(args.contacts * 2, args.contacts + rng.choice((-1, 0, 0, 0, 1))))
        contacts = []
        for k in range(n_contacts):
            first, last, email = person(rng, domain)
            contacts.append(
                ContactPerson(
                    name=f"{first} {last}", role=rng.choice(ROLES), phone=phone(rng), email=email, sort_order=k
                )
            )
        street = rng.choice(STREETS)
        actor = ActorPage(
            title=title,
            slug=slugify(title.translate(SLUG_TABLE))[:200],
            description=f"<p>{title} gir tjenester til innbyggere i {page.title}. Ta kontakt for en samtale.</p>",
            visiting_address=f"{street} {rng.randrange(1, 80)}",
            postal_address=f"Postboks {rng.randrange(1, 900)}",
            opening_hours="Mandag–fredag 08.00–15.30",
            phone=phone(rng),
            email=f"post.{i}@example.com",
            website="https://example.com/",
        )
        new_pages.append(NewPage(actor, children={"contacts": contacts}, m2m={"actor_types": types}))
        # Confirmations spread over the last 18 months, so some are overdue for review.
        spread.append(now - timedelta(days=rng.randrange(0, 540), minutes=rng.randrange(0, 1440)))
    # The import's path: validated once, revision and publish as Wagtail leaves them, confirmations (written on
    # publish) in one statement, search and reference index once for the municipality.
    with gathered_confirmations():
        create_published_pages(page, new_pages)
    confirmed = {new.page.pk: when for new, when in zip(new_pages, spread, strict=True)}
    rows = list(ActorConfirmation.objects.filter(page_id__in=confirmed))
    for row in rows:
        row.confirmed_at = confirmed[row.page_id]
    ActorConfirmation.objects.bulk_update(rows, ["confirmed_at"], batch_size=500)
    return len(confirmed)


def build_municipalities(args, numbers, shard_index, shard_count, deadline):
    from django.db import transaction

    from directory.models import ActorPage, ActorType, MunicipalityPage

    actor_types = list(ActorType.objects.filter(live=True).order_by("sort_order", "name"))
    pages = {p.municipality_id: p for p in MunicipalityPage.objects.filter(municipality_id__in=numbers)}
    done_ids = set(ActorPage.objects.filter(municipality__in=pages.values()).values_list("municipality_id", flat=True))
    mine = [n for i, n in enumerate(numbers) if i % shard_count == shard_index]
    tag = f"[w{shard_index}]" if shard_count > 1 else ""
    started = time.monotonic()
    built = skipped = 0
    for position, number in enumerate(mine, start=1):
        page = pages[number]
        if page.pk in done_ids:
            skipped += 1
            continue
        if time.monotonic() > deadline:
            print(f"{tag} time limit reached; stopping, run again to continue", flush=True)
            break
        t0 = time.monotonic()
        with transaction.atomic():
            count = build_actors(page, args, actor_types)
        built += 1
        elapsed = time.monotonic() - started
        rate = elapsed / built
        left = (len(mine) - position) * rate
        print(
            f"{tag} {position:3d}/{len(mine)} {number} {page.title}: {count} actors in {time.monotonic() - t0:.1f}s"
            f" ({(time.monotonic() - t0) / max(count, 1) * 1000:.0f} ms/actor); ~{left / 60:.1f} min left",
            flush=True,
        )
    print(f"{tag} done: {built} built, {skipped} already there", flush=True)


PATHWAY_SLUG = "bench-forlop"
PATHWAY_TITLE = "Benchmarkforløp: langvarige og koordinerte tjenester"
PHASE_TITLES = [
    "Henvisning og kartlegging",
    "Etablering av aktørfellesskap",
    "Utredning",
    "Behandling og tiltak",
    "Overganger og utskrivning",
    "Oppfølging og evaluering",
    "Avslutning",
    "Vedlikehold",
]
STEP_VERBS = [
    "Motta henvendelse",
    "Kartlegg behov",
    "Innhent samtykke",
    "Oppnevn koordinator",
    "Lag individuell plan",
    "Avklar ansvar",
    "Gjennomfør samarbeidsmøte",
    "Vurder tiltak",
    "Iverksett tiltak",
    "Følg opp avtaler",
    "Meld overgang",
    "Planlegg utskrivning",
    "Evaluer tiltak",
    "Oppdater planen",
]
TRIGGERS = [
    "Når pasienten skrives ut",
    "Når kartleggingen er ferdig",
    "Når samtykket er gitt",
    "Når tiltaket er iverksatt",
    "Når behovet endrer seg",
    "Ved neste samarbeidsmøte",
]


def _raw_id():
    import uuid

    return str(uuid.uuid4())


def pathway_phases(rng, actor_types, roles, n_steps, n_phases):
    """Phases in StreamField's raw form: snippet choosers as pks, list items with ids.

    Steps name actor types (most) or LKT roles (about one in four); about half have other
    participants, one in three a handover to another type or role.
    """
    n_phases = max(1, min(n_phases, len(PHASE_TITLES), max(1, n_steps)))
    sizes = [n_steps // n_phases + (1 if i < n_steps % n_phases else 0) for i in range(n_phases)]
    phases, number = [], 0
    for p, size in enumerate(sizes):
        steps = []
        for _ in range(size):
            number += 1
            by_role = rng.random() < 0.25
            responsible = None if by_role else rng.choice(actor_types).pk
            role = rng.choice(roles) if by_role else ""
            participants = [t.pk for t in rng.sample(actor_types, rng.choice((0, 0, 1, 2, 3)))]
            handover_type, handover_role, trigger = None, "", ""
            if number % 3 == 0:
                trigger = rng.choice(TRIGGERS)
                if rng.random() < 0.5:
                    handover_role = rng.choice(roles)
                else:
                    handover_type = rng.choice(actor_types).pk
            steps.append(
                {
                    "title": f"{number}. {rng.choice(STEP_VERBS)}",
                    "body": (
                        f"<p>Steg {number}: hva som gjøres, av hvem, og hvorfor. Dokumenter i journal og i planen.</p>"
                    ),
                    "responsible_type": responsible,
                    "responsible_role": role,
                    "participants": [{"type": "item", "value": pk, "id": _raw_id()} for pk in participants],
                    "handover_trigger": trigger,
                    "handover_to_type": handover_type,
                    "handover_to_role": handover_role,
                    "documents": [],
                    "links": [
                        {
                            "type": "item",
                            "value": {"title": "Veileder", "url": "https://www.helsedirektoratet.no/"},
                            "id": _raw_id(),
                        }
                    ]
                    if number % 5 == 0
                    else [],
                }
            )
        phases.append(
            {
                "type": "phase",
                "value": {
                    "title": PHASE_TITLES[p],
                    "intro": f"<p>Fase {p + 1}.</p>",
                    "steps": [{"type": "item", "value": step, "id": _raw_id()} for step in steps],
                },
                "id": _raw_id(),
            }
        )
    return phases


def _other_sessions(connection):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        )
        return cursor.fetchone()[0]


def migrate_for_pathways():
    """Apply missing migrations (the pathway tables), unless another process is using the database."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not pending:
        return
    names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in pending)
    if connection.vendor == "postgresql" and (others := _other_sessions(connection)):
        raise SystemExit(
            f"unapplied migrations ({names}) and {others} other session(s) on this database: migrating now would"
            " lock wagtailcore_page against them (a generator run?). Run --pathways again when they have finished."
        )
    print(f"migrating: {names}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)


def build_pathways(args):
    """The «Forløp» index under the home page and one published pathway for the benchmark; idempotent."""
    from datetime import date

    from django.db import transaction

    from core.vocabulary import LKT_ROLES
    from directory.models import ActorType
    from home.models import HomePage, PathwayIndexPage, PathwayPage

    home = HomePage.objects.first()
    if home is None:
        raise SystemExit("No home page: generate the directory first (without --pathways).")
    with transaction.atomic():
        index = PathwayIndexPage.objects.first()
        if index is None:
            index = PathwayIndexPage(title="Forløp", slug="forlop", show_in_menus=True)
            home.add_child(instance=index)
            index.save_revision().publish()
            print(f"created the pathway index {index.url_path}", flush=True)
        page = PathwayPage.objects.filter(slug=PATHWAY_SLUG).first()
        if page is not None:
            print(f"pathway {page.url_path} already there ({len(page.phases)} phases); left as it is", flush=True)
            return page
        actor_types = list(ActorType.objects.filter(live=True).order_by("sort_order", "name"))
        if not actor_types:
            raise SystemExit("No live actor types: the catalogue is missing.")
        rng = random.Random(f"{args.seed}-pathways")
        roles = [role.value for role in LKT_ROLES]
        phases = pathway_phases(rng, actor_types, roles, max(1, args.pathway_steps), args.pathway_phases)
        page = PathwayPage(
            title=PATHWAY_TITLE,
            slug=PATHWAY_SLUG,
            summary="Et fiktivt forløp for ytelsesmåling: mange steg, blanding av aktørtyper og LKT-roller.",
            owner_unit="Benchmark",
            version="1.0",
            next_review=date(date.today().year + 1, 1, 1),
            phases=phases,
        )
        index.add_child(instance=page)
        page.save_revision().publish()  # publish validates the steps (responsible, handover trigger …)
    steps = sum(len(phase["value"]["steps"]) for phase in phases)
    print(f"created pathway {page.url_path}: {len(phases)} phases, {steps} steps", flush=True)
    return page


def counts():
    from wagtail.models import Page, Revision

    from directory.models import ActorConfirmation, ActorPage, ContactPerson, Municipality, MunicipalityPage, PostalCode

    return {
        "municipalities (register)": Municipality.objects.count(),
        "postal codes": PostalCode.objects.count(),
        "municipality pages": MunicipalityPage.objects.count(),
        "actor pages": ActorPage.objects.count(),
        "live actor pages": ActorPage.objects.live().count(),
        "contact persons": ContactPerson.objects.count(),
        "actor-type links": ActorPage.actor_types.through.objects.count(),
        "confirmations": ActorConfirmation.objects.count(),
        "pages (all)": Page.objects.count(),
        "revisions": Revision.objects.count(),
    }


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    deadline = started + args.time_limit * 60
    if args.shard:
        shard_index, shard_count = (int(x) for x in args.shard.split("/"))
        setup_django(args.database_url)
        if args.no_index:
            disable_indexing()
        build_municipalities(args, municipality_numbers(args.municipalities), shard_index, shard_count, deadline)
        return 0

    if args.pathways:
        setup_django(args.database_url)
        migrate_for_pathways()
        build_pathways(args)
        return 0

    if args.trusts:
        setup_django(args.database_url)
        migrate_for_pathways()  # the same check: migrate only when no generator is running
        disable_indexing()
        from bench.trusts import build_trusts

        t0 = time.monotonic()
        created = build_trusts(build_tree(), seed=args.seed)
        print(f"{created} specialist units in {time.monotonic() - t0:.1f}s", flush=True)
        return 0

    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command

    from directory.groups import create_municipality
    from directory.postal_register import import_register

    print("migrating …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    if args.no_index:
        disable_indexing()
    summary = import_register(REGISTER.read_bytes())
    print(f"postal register: {summary}", flush=True)
    index = build_tree()

    numbers = municipality_numbers(args.municipalities)
    t0 = time.monotonic()
    for number in numbers:
        create_municipality(number, index_page=index)
    print(f"{len(numbers)} municipality pages with groups and workflows in {time.monotonic() - t0:.1f}s", flush=True)

    workers = max(1, min(args.workers, 4))
    if workers == 1:
        build_municipalities(args, numbers, 0, 1, deadline)
    else:
        from django.db import connections

        connections.close_all()
        base = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--database-url",
            args.database_url,
            "--municipalities",
            str(args.municipalities),
            "--actors",
            str(args.actors),
            "--contacts",
            str(args.contacts),
            "--seed",
            str(args.seed),
            "--time-limit",
            str(max(0.1, (deadline - time.monotonic()) / 60)),
            *(["--no-index"] if args.no_index else []),
        ]
        procs = [subprocess.Popen([*base, "--shard", f"{i}/{workers}"]) for i in range(workers)]
        try:
            codes = [p.wait() for p in procs]
        except BaseException:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
            raise
        if any(codes):
            print(f"worker exit codes: {codes}", flush=True)
            return 1

    total = time.monotonic() - started
    print(f"\ngeneration finished in {total / 60:.1f} min ({total:.0f} s)")
    for label, value in counts().items():
        print(f"  {label:28s} {value:>8,d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
