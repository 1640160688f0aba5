from django.core.management.base import BaseCommand, CommandError

from directory.models import Municipality
from workflows import groups


class Command(BaseCommand):
    help = "Opprett koordinerende enhet (gruppe med tilgang til kommunens pasientforløp) for en kommune."

    def add_arguments(self, parser):
        parser.add_argument("number", help="Kommunenummer, fire sifre")

    def handle(self, number, **options):
        if not Municipality.objects.filter(number=number).exists():
            raise CommandError(f"Ukjent kommunenummer: {number}. Importer postnummerregisteret først.")
        unit = groups.ensure_coordinating_unit(number)
        groups.ensure_auditors()
        groups.ensure_care_team()
        self.stdout.write(f"Gruppen «{unit.group.name}» er klar.")
