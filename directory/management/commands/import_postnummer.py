from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.postal_register import RegisterError, import_register


class Command(BaseCommand):
    help = (
        "Importerer Brings postnummerregister (tabulatorseparert, UTF-8 eller Latin-1). "
        "Trygt å kjøre på nytt når registeret endres."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Sti til postnummerregister.tsv eller postnummerregister-ansi.txt")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Fant ikke filen {path}.")
        try:
            summary = import_register(path.read_bytes())
        except RegisterError as exc:
            raise CommandError("Registeret ble ikke importert:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.codes} postnummer i {summary.municipalities} kommuner: "
                f"{summary.created} nye, {summary.updated} endret, {summary.deleted} fjernet."
            )
        )
