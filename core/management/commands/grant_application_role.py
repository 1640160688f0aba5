from django.core.management.base import BaseCommand, CommandError

from core.database_roles import grant


class Command(BaseCommand):
    help = (
        "Gir applikasjonens databaserolle rettighetene den trenger – og ikke mer: den eier ingen tabeller og kan "
        "verken endre, slette eller tømme revisjonsloggene. Kjøres som eierrollen etter hver migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("rolle", help="Databaserollen app-serverne kobler til med, for eksempel lkt_app")

    def handle(self, *args, **options):
        try:
            grant(options["rolle"])
        except RuntimeError as exc:
            raise CommandError("Databaseroller settes opp bare på PostgreSQL.") from exc
        self.stdout.write(self.style.SUCCESS(f"Rettighetene til {options['rolle']} er satt."))
