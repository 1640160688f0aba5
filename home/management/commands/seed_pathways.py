from django.core.management.base import BaseCommand, CommandError

from home.models import HomePage
from home.pathway_seed import seed_pathways


class Command(BaseCommand):
    help = (
        "Legger inn det generiske LKT-forløpet, de gjenbrukbare modulene og skjeletter for psykoseforløpet, "
        "ROP-forløpet, akuttforløpet i psykiatri og intox-forløpet. Det som finnes fra før, røres ikke."
    )

    def handle(self, *args, **options):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError(
                "Fant ingen forside (HomePage). Opprett forsiden i administrasjonen først (i et utviklingsmiljø gjør "
                "«manage.py load_demo» det)."
            )
        try:
            created = seed_pathways(home)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        if not created:
            self.stdout.write(self.style.SUCCESS("Forløpene fantes fra før; ingenting er endret."))
            return
        self.stdout.write(self.style.SUCCESS("Lagt inn og publisert:"))
        for item in created:
            self.stdout.write(f"  {item}")
