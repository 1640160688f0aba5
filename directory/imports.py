"""Imports as background jobs: an upload is stored as an :class:`ImportJob` and run by a task worker.

The request that uploads a file only stores it and queues :func:`run_import_job`; the worker reads
the file from the job, runs the same all-or-nothing import as before, and records progress and the
outcome on the job, which the job page in the admin shows.

Progress while the import's transaction is open: the counters are written on a database connection of
their own (autocommit), so the job page sees them at once; the import's transaction itself never touches
the job row until its very last statement, which records the outcome so that it commits, or rolls back,
with the import. The database was chosen over the cache because the job page reads the job row anyway,
the worker and the web servers share the database in every set-up (the local-memory cache of ``make run``
is private to each process), and the counters then outlive a cache eviction or restart.
"""

import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .groups import NATIONAL_ADMINS
from .models import ImportJob
from .postal_register import RegisterError, import_register
from .spreadsheet_import import Progress, import_directory

logger = logging.getLogger(__name__)

# How often the counters are written while an import runs: often enough for a page refreshing every
# two seconds, seldom enough that a fast import does not spend its time reporting.
PROGRESS_INTERVAL_SECONDS = 0.5


# --- who may see a job ---------------------------------------------------------------------------------


def is_national_admin(user):
    return user.is_superuser or user.groups.filter(name=NATIONAL_ADMINS).exists()


def can_import_into(user, municipality_page):
    """Import rights in a municipality: the import permission and the right to edit its pages."""
    return is_national_admin(user) or (
        user.has_perm("directory.import_directory") and municipality_page.permissions_for_user(user).can_edit()
    )


def can_see_job(user, job):
    """The person who started a job, whoever may import into its municipality, and national administrators."""
    if not user.is_authenticated:
        return False
    if job.started_by_id is not None and job.started_by_id == user.pk:
        return True
    if job.municipality_page_id is not None:
        return can_import_into(user, job.municipality_page)
    return is_national_admin(user)


def job_admin_url(job):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("directory_import_job", args=[job.pk])


# --- queueing ------------------------------------------------------------------------------------------


def enqueue_directory_import(municipality_page, data, filename, user):
    """Store an uploaded spreadsheet as a job and queue it; the caller has checked the file's type and size."""
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.DIRECTORY,
        started_by=user,
        municipality_page=municipality_page,
        filename=filename[:255],
        size=len(data),
        data=data,
    )
    _enqueue(job)
    return job


def enqueue_register_import(data, filename, user, allow_removal=False):
    """Store a postal register file as a job and queue it."""
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.REGISTER,
        started_by=user,
        filename=filename[:255],
        size=len(data),
        data=data,
        options={"allow_removal": bool(allow_removal)},
    )
    _enqueue(job)
    return job


def _enqueue(job):
    # The database backend writes its queue entry in the caller's transaction, so a worker never sees a task
    # whose job is not committed yet. A queue outside the database (RQ) must only hear of it after the commit.
    backend = settings.TASKS[settings.LKT_IMPORT_TASK_BACKEND]["BACKEND"]
    if backend.startswith(("django_tasks_db.", "django_tasks.backends.immediate.")):
        run_import_job.enqueue(job.pk)
    else:
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))


# --- running -------------------------------------------------------------------------------------------


class JobProgress(Progress):
    """Writes a job's counters where the job page sees them while the import's transaction is still open."""

    def __init__(self, job):
        self.job = job
        self.last_write = 0.0
        self.connection = None
        if connections[DEFAULT_DB_ALIAS].vendor != "sqlite":
            # SQLite allows one writer at a time: a second connection would wait for the import's own
            # transaction. There the counters appear when the import commits.
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def checked(self, actors, failed_rows):
        self.job.rows_total, self.job.rows_failed = actors, failed_rows
        self._write(force=True)

    def advanced(self, done):
        self.job.rows_done = done
        self._write(force=done == self.job.rows_total)

    def before_commit(self, result):
        _record_outcome(self.job, result_summary(result), result.errors, result.warnings)

    def _write(self, force=False):
        now = time.monotonic()
        if self.connection is None or not (force or now - self.last_write >= PROGRESS_INTERVAL_SECONDS):
            return
        self.last_write = now
        table, quote = ImportJob._meta.db_table, self.connection.ops.quote_name
        # Identifiers come from the model's own metadata; the values are passed as parameters.
        sql = (
            f"UPDATE {quote(table)} SET {quote('rows_total')} = %s, {quote('rows_done')} = %s, "  # noqa: S608
            f"{quote('rows_failed')} = %s WHERE {quote('id')} = %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [self.job.rows_total, self.job.rows_done, self.job.rows_failed, self.job.pk])

    def close(self):
        if self.connection is not None:
            self.connection.close()


def result_summary(result):
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "not_in_file": result.not_in_file,
        "text": result.summary(),
    }


def _record_outcome(job, summary, errors, warnings=()):
    job.summary = summary
    job.errors = [
        {"row": e.row, "column": e.column, "message": str(e.message)} if hasattr(e, "message") else {"message": e}
        for e in errors
    ]
    job.warnings = [str(w) for w in warnings]
    job.status = ImportJob.Status.FAILED if errors else ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.data = b""  # the file has served its purpose; contact details are not kept twice
    job.save(
        update_fields=[
            "summary",
            "errors",
            "warnings",
            "status",
            "finished_at",
            "data",
            "rows_total",
            "rows_done",
            "rows_failed",
        ]
    )


@task(backend=settings.LKT_IMPORT_TASK_BACKEND, queue_name=settings.LKT_IMPORT_QUEUE)
def run_import_job(job_id):
    """Run one queued import; a job that is already running or finished is left alone (a repeated task)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.WAITING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("municipality_page", "started_by").get(pk=job_id)
    progress = JobProgress(job)
    try:
        if job.kind == ImportJob.Kind.DIRECTORY:
            _run_directory(job, progress)
        else:
            _run_register(job, progress)
    except Exception:
        logger.exception("Import job %s failed", job_id)
        job.refresh_from_db(fields=["rows_total", "rows_done", "rows_failed"])
        _record_outcome(
            job,
            {},
            [
                _(
                    "Importen stoppet på grunn av en feil hos oss. Ingenting er endret. "
                    "Prøv igjen senere, eller kontakt brukerstøtte."
                )
            ],
        )
        raise
    finally:
        progress.close()
    return job.status


def _run_directory(job, progress):
    result = import_directory(job.municipality_page, bytes(job.data), job.filename, job.started_by, progress)
    if not result.ok:
        _record_outcome(job, {}, result.errors)


def _run_register(job, progress):
    try:
        with transaction.atomic():
            summary = import_register(bytes(job.data), allow_removal=job.options.get("allow_removal", False))
            job.rows_total = job.rows_done = summary.codes
            _record_outcome(job, summary.as_dict() | {"text": summary.text(), "lines": summary.lines()}, [])
    except RegisterError as exc:
        _record_outcome(job, {}, exc.errors)
