"""Directory imports as background jobs: the job page, who may see it, all-or-nothing, progress, the worker."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Revision

from core.permissions import permission
from directory import imports
from directory.groups import NATIONAL_ADMINS
from directory.models import ActorPage, ImportJob
from directory.spreadsheet import HEADERS, MAX_CELL_CHARS
from directory.spreadsheet_import import import_directory

KE = "koordinerende-enhet-kommune"


def csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HEADERS])
    return buffer.getvalue().encode("utf-8-sig")


def actors(n, contacts=1, prefix="Enhet"):
    return [
        {"enhet": f"{prefix} {i}", "aktørtyper": KE, "telefon": "55 00 00 00", "kontaktperson": f"Kontakt {i}-{c}"}
        for i in range(n)
        for c in range(contacts)
    ]


@pytest.fixture
def national_admin(make_user, site_tree):
    return make_user("nasjonal", groups=[Group.objects.get(name=NATIONAL_ADMINS)])


@pytest.fixture
def os_page(make_municipality):
    page, editors, reviewers = make_municipality("4624")
    return page, editors, reviewers


def upload(client, page, data, name="kart.csv"):
    return client.post(reverse("directory_import", args=[page.pk]), {"file": SimpleUploadedFile(name, data)})


# --- the spreadsheet's own rules ------------------------------------------------------------------------------------


def test_a_csv_with_only_the_header_row_is_refused(os_page, national_admin):
    page, _, _ = os_page
    result = import_directory(page, csv_bytes([]), "kart.csv", national_admin)
    assert [e.message for e in result.errors] == [
        "Filen har ingen rader med aktører. Fyll inn én rad per kontaktperson under overskriftene."
    ]


def test_the_same_row_twice_is_an_error_naming_both_rows(os_page, national_admin):
    page, _, _ = os_page
    rows = actors(3)
    result = import_directory(page, csv_bytes([*rows, rows[1], rows[0]]), "kart.csv", national_admin)
    assert [(e.row, e.message) for e in result.errors] == [
        (5, "Raden er lik rad 3 (alle kolonnene er like). Fjern en av dem."),
        (6, "Raden er lik rad 2 (alle kolonnene er like). Fjern en av dem."),
    ]
    assert not ActorPage.objects.exists()


def test_a_cell_over_the_limit_is_named_by_row_and_column(os_page, national_admin):
    page, _, _ = os_page
    rows = actors(2)
    rows[1]["beskrivelse"] = "x" * 200_000  # over the csv module's own 128 KiB limit as well
    result = import_directory(page, csv_bytes(rows), "kart.csv", national_admin)
    assert [(e.row, e.column) for e in result.errors] == [(3, "beskrivelse")]
    assert result.errors[0].message == (
        f"Cellen har 200\u00a0000 tegn. Høyst {MAX_CELL_CHARS:,} tegn er tillatt i én celle.".replace(",", "\u00a0")
    )
    rows[1]["beskrivelse"] = "x" * MAX_CELL_CHARS
    assert import_directory(page, csv_bytes(rows), "kart.csv", national_admin).ok


# --- the upload and the job page ------------------------------------------------------------------------------------


def test_upload_queues_a_job_and_its_page_shows_the_outcome(os_page, national_admin, verified_client):
    page, _, _ = os_page
    client = verified_client(national_admin)
    response = upload(client, page, csv_bytes(actors(3, contacts=2)))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("directory_import_job", args=[job.pk])
    assert (job.started_by, job.municipality_page, job.filename, job.status) == (
        national_admin,
        page,
        "kart.csv",
        ImportJob.Status.DONE,
    )
    assert (job.rows_total, job.rows_done, job.rows_failed) == (3, 3, 0)
    assert job.summary["created"] == ["Enhet 0", "Enhet 1", "Enhet 2"]
    body = client.get(response["Location"]).content.decode()
    assert "Aktørkartet er importert: 3 nye, 0 oppdatert og 0 uendret." in body
    assert 'http-equiv="refresh"' not in body  # finished: nothing more to wait for
    assert "kart.csv" in client.get(reverse("directory_import", args=[page.pk])).content.decode()  # recent imports


def test_a_job_with_row_errors_lists_them_and_offers_a_new_upload(os_page, national_admin, verified_client):
    page, _, _ = os_page
    client = verified_client(national_admin)
    rows = actors(2)
    rows[1]["telefon"] = "ring meg"
    response = upload(client, page, csv_bytes(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.rows_failed == 1
    body = client.get(response["Location"]).content.decode()
    assert "Filen ble ikke importert. Ingenting er endret." in body
    assert "Skriv telefonnummeret med sifre" in body
    assert reverse("directory_import", args=[page.pk]) in body


def test_a_running_job_shows_progress_and_refreshes_itself(os_page, national_admin, verified_client):
    page, _, _ = os_page
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.DIRECTORY,
        started_by=national_admin,
        municipality_page=page,
        filename="stor.csv",
        size=10,
        status=ImportJob.Status.RUNNING,
        rows_total=2000,
        rows_done=640,
    )
    body = verified_client(national_admin).get(reverse("directory_import_job", args=[job.pk])).content.decode()
    assert "640 av 2000 aktører skrevet." in body
    assert '<progress id="import-progress" max="2000" value="640">' in body
    assert '<meta http-equiv="refresh" content="2">' in body


def test_only_the_starter_importers_of_the_municipality_and_national_admins_see_a_job(
    os_page, make_municipality, make_user, national_admin, client_for
):
    page, editors, _ = os_page
    _, bergen_editors, _ = make_municipality("4601")
    # An importer of Bjørnafjorden: the import permission and edit rights there.
    importers = Group.objects.create(name="Importører – Bjørnafjorden")
    importers.permissions.add(permission("wagtailadmin", "access_admin"), permission("directory", "import_directory"))
    GroupPagePermission.objects.create(group=importers, page=page, permission=permission("wagtailcore", "change_page"))
    starter = make_user("starter", groups=[importers])
    job = imports.enqueue_directory_import(page, csv_bytes(actors(1)), "kart.csv", starter)
    url = reverse("directory_import_job", args=[job.pk])

    for user in (starter, make_user("kollega", groups=[importers]), national_admin):
        assert client_for(user).get(url).status_code == 200, user
    may_import_anywhere = Group.objects.create(name="Importører")
    may_import_anywhere.permissions.add(permission("directory", "import_directory"))
    for user in (
        make_user("redaktor", groups=[editors]),  # edits the municipality, but may not import
        make_user("bergen", groups=[bergen_editors, may_import_anywhere]),  # imports, but into Bergen only
    ):
        assert client_for(user).get(url).status_code == 404, user
    assert client_for(national_admin).get(reverse("directory_import_job", args=[job.pk + 1000])).status_code == 404


# --- all or nothing -------------------------------------------------------------------------------------------------


def test_a_failure_half_way_leaves_nothing_written(os_page, national_admin, verified_client, monkeypatch):
    page, _, _ = os_page
    pages, revisions = Page.objects.count(), Revision.objects.count()
    original, calls = ActorPage.save_revision, []

    def failing_save_revision(self, *args, **kwargs):
        calls.append(self.title)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ActorPage, "save_revision", failing_save_revision)
    response = upload(verified_client(national_admin), page, csv_bytes(actors(5)))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["message"].startswith("Importen stoppet på grunn av en feil hos oss. Ingenting er endret.")
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)
    assert "Ingenting er endret" in verified_client(national_admin).get(response["Location"]).content.decode()


# --- progress while the transaction is open, and the real queue -----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_visible_outside_the_import_transaction(os_page, national_admin, monkeypatch):
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        pytest.skip("two connections writing at once need PostgreSQL")
    page, _, _ = os_page
    monkeypatch.setattr(imports, "PROGRESS_INTERVAL_SECONDS", 0)
    onlooker = connections.create_connection(DEFAULT_DB_ALIAS)  # another process's view of the database
    seen = []
    original = imports.JobProgress.advanced

    def advanced(self, done):
        original(self, done)
        with onlooker.cursor() as cursor:
            cursor.execute("SELECT rows_done, rows_total FROM directory_importjob WHERE id = %s", [self.job.pk])
            rows_done, rows_total = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM directory_actorpage")
            seen.append((rows_done, rows_total, cursor.fetchone()[0]))

    monkeypatch.setattr(imports.JobProgress, "advanced", advanced)
    try:
        job = imports.enqueue_directory_import(page, csv_bytes(actors(4)), "kart.csv", national_admin)
    finally:
        onlooker.close()
    # Every step was visible at once, and not one actor before the whole import committed.
    assert seen == [(0, 4, 0), (1, 4, 0), (2, 4, 0), (3, 4, 0), (4, 4, 0)]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and ActorPage.objects.count() == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_queue_and_its_worker_run_the_import(os_page, national_admin, verified_client, settings):
    settings.TASKS = {
        **settings.TASKS,
        settings.LKT_IMPORT_TASK_BACKEND: {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": [settings.LKT_IMPORT_QUEUE],
        },
    }
    page, _, _ = os_page
    client = verified_client(national_admin)
    response = upload(client, page, csv_bytes(actors(3)))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.WAITING and not ActorPage.objects.exists()
    assert "Importen venter på tur." in client.get(response["Location"]).content.decode()

    call_command(
        "db_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        "--backend",
        settings.LKT_IMPORT_TASK_BACKEND,
        "--queue-name",
        settings.LKT_IMPORT_QUEUE,
        verbosity=0,
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and ActorPage.objects.live().count() == 3
    assert "Aktørkartet er importert: 3 nye" in client.get(response["Location"]).content.decode()
