"""Fixtures for every test: the session seed, module data, people with verified clients, municipalities, actors.

The seed (:func:`tests.factories.seed_database`) is built once, when the test database is set up; each test
runs in a transaction that rolls back to it, so the fixtures below are lookups, not builders. Data that all the
tests of one module share is built once per module inside ``module_db``. Transactional tests (browser journeys,
PostgreSQL concurrency) empty the database when they end; they get the seed back from a serialized copy taken
after seeding (``serialized_rollback``, see :func:`django_db_setup`).
"""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from directory.models import Municipality
from home.models import HomePage, PathwayIndexPage
from tests import factories
from tests.factories import verify_client  # noqa: F401 - importable from here, as before factories.py

# --- the seed ------------------------------------------------------------------------------------------------

# The seeded database serialized, per alias, when some test needs serialized rollback (see django_db_setup).
SEED_COPIES = {}


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """Create the test database, migrated and seeded once; tests roll back to the seed.

    Parallel workers on PostgreSQL copy one template that the first of them migrated and seeded
    (:mod:`tests.seeded_database`); otherwise the database is created as pytest-django does, then seeded. For
    ``serialized_rollback`` the seeded database is kept (:class:`tests.seeded_database.SeedTables` on PostgreSQL,
    Django's JSON elsewhere), so a transactional test starts from the seed too.
    """
    from django.db import connections, transaction
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from tests import migration_order, seeded_database

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    copied = seeded_database.applies(request.config, keepdb)
    with django_db_blocker.unblock(), migration_order.cheaper_order():
        if copied:
            restore = seeded_database.setup(request.config, factories.seed_database)
        else:
            db_cfg = setup_databases(
                verbosity=0, interactive=False, aliases=aliases, serialized_aliases=set(), keepdb=keepdb
            )
            with transaction.atomic():
                factories.seed_database()
        for alias in serialized_aliases:
            connection = connections[alias]
            if connection.vendor == "postgresql":
                seeded_database.install(type(connection.creation))
                SEED_COPIES[alias] = seeded_database.SeedTables.take(connection)
            else:
                SEED_COPIES[alias] = connection.creation.serialize_db_to_string()
            connection._test_serialized_contents = SEED_COPIES[alias]
    yield
    with django_db_blocker.unblock():
        if copied:
            seeded_database.teardown(restore)
        elif not django_db_keepdb:
            teardown_databases(db_cfg, verbosity=0)
        else:
            # A transactional test leaves the database empty; one kept for the next run (--reuse-db) gets its seed
            # back.
            for alias, contents in SEED_COPIES.items():
                if not HomePage.objects.using(alias).exists():
                    connections[alias].creation.deserialize_db_from_string(contents)


def pytest_sessionstart(session):
    """A parallel run on PostgreSQL starts building its seeded template before the workers start (see
    :func:`tests.seeded_database.start_building`)."""
    from tests import seeded_database

    session.config.stash[_TEMPLATE_BUILD] = seeded_database.start_building(session.config)


def pytest_sessionfinish(session):
    from tests import seeded_database

    seeded_database.stop_building(session.config.stash.get(_TEMPLATE_BUILD, None))


_TEMPLATE_BUILD = pytest.StashKey()


# --- data a module's tests share ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around one test module, for data that the module's own fixtures build once on the seed.

    ``with module_db():`` opens the database to build it. Each test still runs in a transaction of its own inside
    this one (rolled back to the module's data, as Django's ``TestCase.setUpTestData`` does for a class); the
    module's data is rolled back after its last test. Keep primary keys at module scope and look the objects up
    in a function-scoped fixture, so a test that changes an instance cannot leak the change into the next one.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as Django marks its class-level atomics
        atomic.__enter__()
    yield django_db_blocker.unblock
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


# --- transactional tests, PostgreSQL-only tests ---------------------------------------------------------------


def _empties_database(item):
    """Whether a test runs outside a rolled-back transaction, so the database is flushed when it ends."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and any(validate_django_db(marker)[:2])
    fixtures = getattr(item, "fixturenames", ())
    return transactional or "transactional_db" in fixtures or "live_server" in fixtures


def _uses_database(item):
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or "db" in fixtures or _empties_database(item)


def _expects_seed(item):
    """Whether a test runs inside a transaction on the seeded database."""
    return _uses_database(item) and not _empties_database(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the seed back when a test that flushed the database is followed by one that expects the seed.

    pytest-django runs transactional tests last, so this only happens when something reorders the tests
    (a plugin, a scheduler handing tests to parallel workers); a safety net, then, not the normal path.
    """
    result = yield
    if nextitem is not None and _empties_database(item) and _expects_seed(nextitem):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for alias, contents in SEED_COPIES.items():
                if not HomePage.objects.using(alias).exists():
                    connections[alias].creation.deserialize_db_from_string(contents)
                # Under Playwright this thread may see other connection objects later on: leave none open.
                connections[alias].close()
    return result


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests that need no database first; skip tests marked ``postgres`` when the suite runs against SQLite.

    pytest-django puts the tests without a database last. Here they come first, in the order they had: the
    subprocesses (production settings, collectstatic) then run while the run's seeded template is still being
    built (:func:`tests.seeded_database.start_building`) instead of after every worker has waited for it. Among
    the others pytest-django's order stands (transactional tests last).
    """
    items.sort(key=_uses_database)
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL, the production database (set DATABASE_URL)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


# --- fixtures for every test ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def register(db):
    """The seeded slice of the postal register, by municipality number: the demo municipalities and Alver."""
    return {municipality.number: municipality for municipality in Municipality.objects.all()}


@pytest.fixture
def site_tree(db):
    """The seeded home page at the site root, with «Finn hjelp der du bor» below it."""
    return HomePage.objects.get()


@pytest.fixture
def make_municipality(db):
    """``make(number)`` -> (page, editors, reviewers): the seeded actor map of a municipality (created if new)."""
    return factories.municipality


@pytest.fixture
def make_actor(db):
    """``make(page, title, type_slugs=..., phone=..., contacts=..., user=None)`` -> a published actor page."""
    return factories.make_actor


@pytest.fixture
def make_user(db):
    """``make(username, groups=(), superuser=False, email=None)`` -> a user with the test password."""
    return factories.make_user


@pytest.fixture
def verified_client(client):
    """``verified_client(user)``: pytest-django's ``client``, logged in with the second factor passed."""
    return lambda user: factories.verify_client(client, user)


@pytest.fixture
def client_for(db):
    """``client_for(user)``: a separate, verified test client per user, so several people can act in one test."""
    return lambda user: factories.verify_client(Client(), user)


@pytest.fixture
def care(db):
    """The people of the care process (:func:`tests.factories.care_people`), as a namespace."""
    return factories.care_people()


@pytest.fixture(scope="module")
def _units_and_index(module_db):
    with module_db():
        bjorna, _, _ = factories.municipality("4624")
        austevoll, _, _ = factories.municipality("4625")
        index = PathwayIndexPage(title="Forløp", slug="forlop")
        HomePage.objects.get().add_child(instance=index)
        return factories.keys_of(
            {
                "bjorna": bjorna,
                "austevoll": austevoll,
                "actor": factories.make_actor(
                    bjorna,
                    "Koordinerende enhet Bjørnafjorden",
                    type_slugs=[factories.COORDINATING_UNIT],
                    phone=factories.KE_PHONE,
                    contacts=[("Kari Nordmann", "Leder", factories.CONTACT_PHONE)],
                ),
                "far": factories.make_actor(
                    austevoll,
                    "Koordinerende enhet Austevoll",
                    type_slugs=[factories.COORDINATING_UNIT],
                    phone="56 18 10 00",
                    contacts=[("Hilde Sæther", "Leder", factories.AUSTEVOLL_CONTACT_PHONE)],
                ),
                "index": index,
            }
        )


@pytest.fixture
def units_and_index(db, _units_and_index):
    """Bjørnafjorden and Austevoll each with a coordinating unit (nobody covers «fastlege»), and the pathway index
    «Forløp» under the home page: what the pathway pages and their query counts are tested against. Built once per
    module (every test of the modules that use it does)."""
    return SimpleNamespace(**factories.fresh(_units_and_index))
