"""``manage.py load_demo``: fictional content, users and patients for trying LKT on a development machine."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.content import DEMO_PASSWORD, USERS, load_demo


class Command(BaseCommand):
    help = (
        "Legger inn demoinnhold: kommunene fra LKT-rapportene, fiktive aktører, brukere og pasienter, og "
        "veiledningssider. Bare for utvikling (DEBUG)."
    )

    def handle(self, *args, **options):
        # The demo users include a superuser whose password is printed here and in the README.
        if not settings.DEBUG:
            raise CommandError(
                "load_demo kjøres bare i utvikling (DEBUG=True): demoen oppretter en superbruker og andre brukere "
                "med et passord som står offentlig i README, og fiktive pasienter."
            )
        created = load_demo()
        self.stdout.write(self.style.SUCCESS("Demoinnholdet er på plass."))
        if created:
            self.stdout.write(f"Nye demobrukere (passord for alle: {DEMO_PASSWORD}):")
        else:
            self.stdout.write(f"Demobrukerne fantes fra før (passord: {DEMO_PASSWORD}):")
        for username, _first, _last, groups, superuser in USERS:
            role = "superbruker" if superuser else ", ".join(groups)
            self.stdout.write(f"  {username:28} {role}")
        self.stdout.write(
            "Logg inn på /admin/. Første gang setter du opp to-faktor: skann QR-koden med en autentiseringsapp "
            "(for eksempel Microsoft Authenticator, Google Authenticator eller FreeOTP) og skriv inn koden. "
            "Ta vare på reservekodene."
        )
