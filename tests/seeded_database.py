"""One migrated and seeded PostgreSQL database per test run, copied for each parallel worker.

Migrating costs every worker far more than everything else it sets up (Django renders the model states of
Wagtail's ~250 migrations, about 15 seconds of CPU), and each worker's database would end up the same. So the
first worker to come migrates and seeds a template database while the others wait, and then every worker
takes its own copy with ``CREATE DATABASE … TEMPLATE`` (Django's ``clone_test_db``, as its parallel test runner
does). The migrations still run on every test run, against the real schema.

The template is rebuilt by the first worker of every run (a run is told apart by pytest-xdist's run id), so a
database left behind by an earlier run, or by other code, is never reused.
"""

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def applies(config, keepdb):
    """Whether this worker should copy the run's template: parallel workers on PostgreSQL, unless --reuse-db."""
    from django.db import connections

    worker = getattr(config, "workerinput", {}).get("workerid")
    return bool(worker) and not keepdb and all(connections[alias].vendor == "postgresql" for alias in connections)


@contextmanager
def _run_lock(name):
    path = Path(tempfile.gettempdir()) / f"lkt-{name}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _template_name(connection, worker):
    """``test_lkt_ci_gw0`` → ``test_lkt_ci_seed``: one template per configured test database."""
    # pytest-django has already given this worker's test database its suffix in the TEST settings.
    name = connection.settings_dict["TEST"]["NAME"] or f"test_{connection.settings_dict['NAME']}_{worker}"
    return f"{name.removesuffix(f'_{worker}')}_seed"


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
        marker = Path(tempfile.gettempdir()) / f"lkt-{template}-{run}.built"
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
