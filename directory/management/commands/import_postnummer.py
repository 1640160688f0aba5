from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.imports import enqueue_register_import, job_admin_url
from directory.postal_register import RegisterError, import_register


class Command(BaseCommand):
    help = (
        "Importerer Brings postnummerregister (tabulatorseparert, UTF-8 eller Latin-1). "
        "Trygt å kjøre på nytt når registeret endres. Ingenting endres hvis filen har feil."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Sti til postnummerregister.tsv eller postnummerregister-ansi.txt")
        parser.add_argument(
            "--proeve",
            action="store_true",
            help="Prøvekjøring: vis hva som ville blitt opprettet, endret og fjernet, uten å endre noe.",
        )
        parser.add_argument(
            "--tillat-fjerning",
            action="store_true",
            dest="tillat_fjerning",
            help="Tillat at filen fjerner mange postnummer eller en kommune (ellers stopper importen).",
        )
        parser.add_argument(
            "--bakgrunn",
            action="store_true",
            help="Legg importen i bakgrunnskøen og skriv ut adressen der fremdriften kan følges.",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Fant ikke filen {path}.")
        raw = path.read_bytes()
        if options["bakgrunn"]:
            if options["proeve"]:
                raise CommandError("--proeve og --bakgrunn kan ikke brukes sammen.")
            job = enqueue_register_import(raw, path.name, user=None, allow_removal=options["tillat_fjerning"])
            self.stdout.write(self.style.SUCCESS(f"Importen er lagt i køen som jobb {job.pk}: {job_admin_url(job)}"))
            return
        try:
            summary = import_register(raw, dry_run=options["proeve"], allow_removal=options["tillat_fjerning"])
        except RegisterError as exc:
            raise CommandError("Registeret ble ikke importert. Ingenting er endret.\n" + "\n".join(exc.errors)) from exc
        if summary.dry_run:
            self.stdout.write(self.style.WARNING("Prøvekjøring: ingenting er endret."))
        for line in summary.lines():
            self.stdout.write(line)
        if summary.dry_run and summary.needs_permission_to_remove:
            self.stdout.write(self.style.WARNING("Importen vil trenge --tillat-fjerning."))
        self.stdout.write(self.style.SUCCESS(summary.text()))
