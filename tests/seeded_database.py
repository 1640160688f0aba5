"""One migrated and seeded PostgreSQL database per test run, copied for each parallel worker.

Migrating costs every worker far more than everything else it sets up (Django renders the model states of
Wagtail's ~250 migrations, most of a minute of CPU on a slow machine), and each worker's database would end up the
same. So one process migrates and seeds a template database, and then every worker takes its own copy with
``CREATE DATABASE … TEMPLATE`` (Django's ``clone_test_db``, as its parallel test runner does). The migrations still
run on every test run, against the real schema.

The main pytest process starts that build in a process of its own before the workers start
(:func:`start_building`), so it runs while they start, collect the tests and run those that need no database; it
holds the template's lock until it is done. A worker that finds no template after it (the build failed, or the main
process did not start one) builds it itself while the others wait. The template is rebuilt for every run (a run is
told apart by pytest-xdist's run id), so a database left behind by an earlier run, or by other code, is never
reused.
"""

import fcntl
import os
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path


def applies(config, keepdb):
    """Whether this worker should copy the run's template: parallel workers on PostgreSQL, unless --reuse-db."""
    from django.db import connections

    worker = getattr(config, "workerinput", {}).get("workerid")
    return bool(worker) and not keepdb and all(connections[alias].vendor == "postgresql" for alias in connections)


@contextmanager
def _run_lock(name):
    with _lock_path(name).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _template_name(connection, worker=None):
    """``test_lkt_ci_gw0`` → ``test_lkt_ci_seed``: one template per configured test database."""
    # In a worker, pytest-django has already given its test database its suffix in the TEST settings.
    name = connection.settings_dict["TEST"]["NAME"] or f"test_{connection.settings_dict['NAME']}"
    return f"{name.removesuffix(f'_{worker}') if worker else name}_seed"


def _marker(template, run):
    return Path(tempfile.gettempdir()) / f"lkt-{template}-{run}.built"


def _lock_path(name):
    return Path(tempfile.gettempdir()) / f"lkt-{name}.lock"


# --- the build, started by the main process before the workers --------------------------------------------------


def start_building(config):
    """In the main process of a parallel run: start building the run's template in a process of its own.

    Migrating takes one core for most of the time the workers spend starting, so it starts first. The template's
    lock is taken here, before any worker can ask for it, and handed to the building process, which holds it
    until it has finished (the lock belongs to the open file, which the process inherits). Returns the process.
    """
    from django.db import connections

    if not config.getoption("numprocesses", None) or hasattr(config, "workerinput"):
        return None
    keepdb = config.getoption("reuse_db", False) and not config.getoption("create_db", False)
    # --nomigrations: the workers build their databases from the models, as pytest-django does.
    if keepdb or config.getoption("nomigrations", False):
        return None
    if any(connections[alias].vendor != "postgresql" for alias in connections):
        return None
    # The workers learn the run id from this option (pytest-xdist makes one up when it is not given).
    if not config.option.testrunuid:
        config.option.testrunuid = uuid.uuid4().hex
    descriptors = []
    for alias in connections:
        handle = os.open(_lock_path(_template_name(connections[alias])), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(handle, fcntl.LOCK_EX)
        descriptors.append(handle)
    try:
        return subprocess.Popen(  # noqa: S603 - this interpreter, this module
            [sys.executable, "-m", "tests.seeded_database", config.option.testrunuid],
            pass_fds=descriptors,
            cwd=str(config.rootpath),
        )
    finally:
        for handle in descriptors:
            os.close(handle)


def stop_building(process):
    """At the end of the run: a build nobody waited for (no test used the database) is not left running."""
    if process is not None and process.poll() is None:
        process.terminate()
        process.wait()


def _build(run):
    """The building process: migrate and seed the template of every database, then mark it built."""
    import django
    from django.db import connections, transaction
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    from tests import factories, migration_order

    for alias in connections:
        connection = connections[alias]
        template = _template_name(connection)
        connection.settings_dict["TEST"]["NAME"] = template
        with migration_order.cheaper_order():
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        with transaction.atomic(using=alias):
            factories.seed_database()
        connection.close()
        _marker(template, run).touch()


def setup(config, seed):
    """Give this worker its copy of the run's seeded template; returns what :func:`teardown` needs."""
    from django.db import connections, transaction

    worker = config.workerinput["workerid"]
    run = config.workerinput.get("testrunuid", "") or os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    restore = []
    for alias in connections:
        connection = connections[alias]
        original_name = connection.settings_dict["NAME"]
        template = _template_name(connection, worker)
        marker = _marker(template, run)
        # Held by the main process's build until it is done (start_building); then the first worker here builds
        # the template only if that build did not.
        with _run_lock(template):
            if not marker.exists():
                connection.settings_dict["TEST"]["NAME"] = template
                connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
                with transaction.atomic(using=alias):
                    seed()
                marker.touch()
            _use(connection, alias, template)
            connection.creation.clone_test_db(suffix=worker, verbosity=0, autoclobber=True)
        _use(connection, alias, connection.creation.get_test_db_clone_settings(worker)["NAME"])
        restore.append((connection, original_name, marker))
    return restore


def _use(connection, alias, name):
    from django.conf import settings

    connection.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES[alias]["NAME"] = name


def teardown(restore):
    """Drop this worker's copy; the template stays until the next run replaces it (a few megabytes)."""
    for connection, original_name, marker in restore:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        marker.unlink(missing_ok=True)


# --- putting the seed back after a transactional test ----------------------------------------------------------------

SEED_SCHEMA = "lkt_seed"


class SeedTables:
    """The seeded rows of every table, kept in a schema of their own beside the test database on PostgreSQL.

    A transactional test (browser journeys, concurrency) empties the database when it ends; Django then reloads
    the seed from JSON, object by object through the ORM, before the next one – most of a second each time.
    Copied back table by table in SQL it takes a few milliseconds. Django is handed an instance of this class as
    the "serialized contents" of the database, and :func:`install` makes its reload recognise it.
    """

    def __init__(self, tables):
        self.tables = tables

    @classmethod
    def take(cls, connection):
        quote = connection.ops.quote_name
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SEED_SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SEED_SCHEMA}")
            seeded = []
            for table in tables:
                cursor.execute(f"CREATE TABLE {SEED_SCHEMA}.{quote(table)} AS TABLE {quote(table)}")
                if cursor.rowcount:
                    seeded.append(table)
        return cls(seeded)

    def restore(self, connection):
        """Copy the seed back into an emptied database; a database that still holds it is left as it is."""
        from django.db import transaction

        quote = connection.ops.quote_name
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM wagtailcore_page)")
            if cursor.fetchone()[0]:
                return
            # Foreign keys are checked at commit (Django makes them deferrable), so the order does not matter.
            for table in self.tables:
                cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {SEED_SCHEMA}.{quote(table)}")  # noqa: S608


def install(creation_class):
    """Let ``deserialize_db_from_string`` take a :class:`SeedTables` as well as Django's JSON."""
    original = creation_class.deserialize_db_from_string
    if getattr(original, "lkt_seed_tables", False):
        return

    def deserialize_db_from_string(self, data):
        if isinstance(data, SeedTables):
            return data.restore(self.connection)
        return original(self, data)

    deserialize_db_from_string.lkt_seed_tables = True
    creation_class.deserialize_db_from_string = deserialize_db_from_string


if __name__ == "__main__":
    _build(sys.argv[1])
