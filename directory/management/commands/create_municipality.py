from django.core.management.base import BaseCommand, CommandError

from directory.groups import create_municipality, ensure_national_admins
from directory.models import Municipality, MunicipalityIndexPage


class Command(BaseCommand):
    help = (
        "Oppretter en kommunes aktørkart med redaktør- og godkjennergruppe, tilganger og godkjenningsflyt. "
        "Trygt å kjøre på nytt."
    )

    def add_arguments(self, parser):
        parser.add_argument("kommunenummer", help="Firesifret kommunenummer, for eksempel 4624")

    def handle(self, *args, **options):
        number = options["kommunenummer"].strip()
        if not Municipality.objects.filter(number=number).exists():
            raise CommandError(
                f"Kommunenummer {number} finnes ikke i postregisteret. Kjør import_postnummer først, "
                "eller sjekk nummeret."
            )
        if not MunicipalityIndexPage.objects.exists():
            raise CommandError(
                "Siden «Finn hjelp der du bor» finnes ikke ennå. Opprett den under forsiden i administrasjonen "
                "(i et utviklingsmiljø gjør «manage.py load_demo» det)."
            )
        ensure_national_admins()
        page, editors, reviewers = create_municipality(number)
        self.stdout.write(
            self.style.SUCCESS(f"{page.title}: side {page.url_path}, grupper «{editors.name}» og «{reviewers.name}».")
        )
