from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from directory.imports import enqueue_directory_import, job_admin_url
from directory.models import MunicipalityPage
from directory.spreadsheet_import import import_directory


class Command(BaseCommand):
    help = (
        "Importerer en kommunes aktørkart fra CSV eller XLSX, med samme kontroller som i administrasjonen. "
        "Ingenting endres hvis én rad har feil."
    )

    def add_arguments(self, parser):
        parser.add_argument("kommunenummer", help="Firesifret kommunenummer, for eksempel 4624")
        parser.add_argument("path", help="Sti til .csv- eller .xlsx-filen")
        parser.add_argument("--user", help="Brukernavnet som står som utgiver i historikken")
        parser.add_argument(
            "--bakgrunn",
            action="store_true",
            help="Legg importen i bakgrunnskøen og skriv ut adressen der fremdriften kan følges.",
        )

    def handle(self, *args, **options):
        number = options["kommunenummer"].strip()
        page = MunicipalityPage.objects.filter(municipality__number=number).first()
        if page is None:
            raise CommandError(
                f"Kommune {number} har ikke noe aktørkart ennå. Kjør create_municipality {number} først."
            )
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Fant ikke filen {path}.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Fant ingen bruker med brukernavnet {options['user']}.")

        if options["bakgrunn"]:
            job = enqueue_directory_import(page, path.read_bytes(), path.name, user)
            self.stdout.write(self.style.SUCCESS(f"Importen er lagt i køen som jobb {job.pk}: {job_admin_url(job)}"))
            return
        result = import_directory(page, path.read_bytes(), path.name, user)
        if not result.ok:
            lines = [
                f"Rad {error.row}, {error.column}: {error.message}" if error.row else error.message
                for error in result.errors
            ]
            raise CommandError("Aktørkartet ble ikke importert. Ingenting er endret.\n" + "\n".join(lines))
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(self.style.SUCCESS(f"{page.title}: {result.summary()}"))
