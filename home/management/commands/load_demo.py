from django.core.management.base import BaseCommand

from home.demo import DEMO_PASSWORD, USERS, load_demo


class Command(BaseCommand):
    help = "Legger inn demoinnhold: kommunene fra LKT-rapportene, fiktive aktører og brukere, og veiledningssider."

    def handle(self, *args, **options):
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
