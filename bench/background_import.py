"""A background import of a large generated actor map, timed from the browser's side.

    .venv/bin/python bench/background_import.py --actors 2000 --contacts 1

Uses its own PostgreSQL database (``--database-url``, default ``lkt_imports_bench``, created and migrated when
missing; the municipality's actors are deleted first so every run creates them all). It uploads a generated CSV
(fictional names) through the admin's import view, starts one ``db_worker`` process for the import queue, and
polls the job page once a second until the job is done. It prints how long the upload request and each job page
request took, the progress the page showed, and the import's rate. Everything runs on 127.0.0.1; the worker is
stopped (by its pid) at the end.
"""

import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from bench.generate import ensure_database  # noqa: E402


def generate_csv(actors, contacts):
    from directory.spreadsheet import HEADERS

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for i in range(actors):
        for c in range(max(1, contacts)):
            # By header: the file has grown columns (identifiers, area) since this bench was written.
            row = {
                "enhet": f"Testenhet {i:04d}",
                "aktørtyper": "koordinerende-enhet-kommune; legevakt",
                "beskrivelse": f"Fiktiv enhet nummer {i} for måling av import.",
                "telefon": "55 00 00 00",
                "e-post": f"post{i}@example.com",
                "nettside": "www.example.com",
                "besøksadresse": "Testvegen 1, 5200 Os",
                "postadresse": "Postboks 1, 5201 Os",
                "åpningstider": "Mandag–fredag 08–15",
                "kontaktperson": f"Kontakt {i}-{c}" if contacts else "",
                "kontaktperson_rolle": "Rådgiver" if contacts else "",
                "kontaktperson_telefon": "55 11 22 33" if contacts else "",
                "kontaktperson_e-post": f"kontakt{i}-{c}@example.com" if contacts else "",
            }
            writer.writerow([row.get(header, "") for header in HEADERS])
    return buffer.getvalue().encode("utf-8-sig")


def prepare():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from wagtail.models import Page, Site

    from directory.catalogue import seed_catalogue
    from directory.groups import NATIONAL_ADMINS, create_municipality, ensure_national_admins
    from directory.models import ActorPage, MunicipalityIndexPage, PostalCode
    from directory.postal_register import import_register
    from home.models import HomePage

    call_command("migrate", interactive=False, verbosity=0)
    if not PostalCode.objects.exists():
        import_register((PROJECT_DIR / "directory" / "fixtures" / "postnummer-demo.tsv").read_bytes())
    seed_catalogue()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title="LKT", slug="lkt")
        Page.get_first_root_node().add_child(instance=home)
        Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    index = MunicipalityIndexPage.objects.first()
    if index is None:
        index = MunicipalityIndexPage(title="Finn hjelp der du bor", slug="finn-hjelp")
        home.add_child(instance=index)
    ensure_national_admins()
    page, _, _ = create_municipality("4624", index_page=index)
    for actor in ActorPage.objects.child_of(page):
        actor.delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-nasjonal", defaults={"email": "b@example.com"})
    user.groups.add(Group.objects.get(name=NATIONAL_ADMINS))
    return page, user


def verified_client(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--contacts", type=int, default=1)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lkt_imports_bench")
    parser.add_argument("--timeout", type=int, default=1800, help="give up after this many seconds")
    args = parser.parse_args()

    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lkt_site.settings.dev"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.urls import reverse

    from directory.models import ImportJob

    page, user = prepare()
    data = generate_csv(args.actors, args.contacts)
    print(f"file: {args.actors} actors, {args.contacts} contact(s) each, {len(data) / 1024:.0f} KiB", flush=True)
    client = verified_client(user)
    connection.close()  # the worker and this process each hold their own connection

    worker = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "db_worker", "--backend", "imports", "--queue-name", "imports"]
        + ["--no-reload", "--no-startup-delay", "--interval", "0.2", "--verbosity", "0"],
        cwd=PROJECT_DIR,
        env=os.environ.copy(),
    )
    try:
        # A server that has been up answers from warm code and templates: warm this process the same way, so
        # the figures are those of a request, not of Python importing Wagtail's admin for the first time.
        for _ in range(2):
            client.get(reverse("directory_import", args=[page.pk]))
        for job in ImportJob.objects.defer("data")[:1]:
            client.get(reverse("directory_import_job", args=[job.pk]))
        t0 = time.monotonic()
        response = client.post(
            reverse("directory_import", args=[page.pk]), {"file": SimpleUploadedFile("stort-kart.csv", data)}
        )
        upload_seconds = time.monotonic() - t0
        assert response.status_code == 302, response.status_code
        job_url = response["Location"]
        print(f"upload request: {upload_seconds * 1000:.0f} ms -> {job_url}", flush=True)

        page_times, samples, started = [], [], time.monotonic()
        while time.monotonic() - started < args.timeout:
            t = time.monotonic()
            body = client.get(job_url).content.decode()
            page_times.append(time.monotonic() - t)
            job = ImportJob.objects.defer("data").get(pk=int(job_url.rstrip("/").rsplit("/", 1)[1]))
            shown = f"{job.rows_done} av {job.rows_total} aktører skrevet." in body
            samples.append((time.monotonic() - started, job.status, job.rows_done, job.rows_total, shown))
            print(
                f"  {samples[-1][0]:6.1f}s  {job.status:7} {job.rows_done:5}/{job.rows_total:<5}"
                f" page {page_times[-1] * 1000:4.0f} ms{'  (shown on the page)' if shown else ''}",
                flush=True,
            )
            connection.close()
            if job.finished:
                break
            time.sleep(1)
        job.refresh_from_db()
        run = (job.finished_at - job.started_at).total_seconds() if job.finished_at and job.started_at else None
        print(f"job {job.pk}: {job.status}; {job.summary.get('text', job.errors[:3])}")
        if run:
            print(f"import in the worker: {run:.1f} s, {args.actors / run:.1f} actors/s")
        progress_steps = sorted({s[2] for s in samples if s[1] == ImportJob.Status.RUNNING and s[4]})
        print(f"distinct progress values shown on the job page while running: {len(progress_steps)}")
        print(
            f"upload request {upload_seconds * 1000:.0f} ms; job page requests: {len(page_times)}, "
            f"median {statistics.median(page_times) * 1000:.0f} ms, max {max(page_times) * 1000:.0f} ms"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
