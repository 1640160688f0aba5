"""``manage.py load_demo``: fictional content, users and patients for trying LKT on a development machine."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import services as second_factor
from accounts.models import EnrolmentGrant
from demo.content import DEMO_PASSWORD, USERS, load_demo
from demo.patients import ensure_patient_logins


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
        codes = self._enrolment_codes()
        for username, _first, _last, groups, superuser in USERS:
            role = "superbruker" if superuser else ", ".join(groups)
            code = codes.get(username, "(har to-faktor fra før)")
            self.stdout.write(f"  {username:28} oppsettkode {code:22} {role}")
        self.stdout.write(
            "Logg inn på /admin/. Første gang kobler du en autentiseringsapp til kontoen (for eksempel Microsoft "
            "Authenticator, Google Authenticator eller FreeOTP): skriv inn oppsettkoden over (gyldig i 24 timer), "
            "eller trykk «Send meg en oppsettlenke» – e-posten med lenken skrives ut i terminalen der serveren "
            "kjører. Skann QR-koden, skriv inn koden fra appen, og ta vare på reservekodene."
        )
        self._patient_logins()

    def _patient_logins(self):
        """Min side: how to log in as a demo patient or next of kin through TestID (ID-porten's stand-in)."""
        patients, kin = ensure_patient_logins()
        if not patients:
            return
        self.stdout.write(
            "\nMin side for pasienter og pårørende: gå til /min-side/, trykk «Logg inn med ID-porten», og skriv et "
            "syntetisk fødselsnummer under på TestID-siden (testinnlogging, bare i utvikling):"
        )
        for name, pid, stage in patients:
            self.stdout.write(f"  pasient    {pid}  {name:22} {stage}")
        for name, pid, relation in kin:
            self.stdout.write(f"  pårørende  {pid}  {name:22} {relation} (har innsyn i plan og team)")

    def _enrolment_codes(self):
        """A fresh administrator's enrolment code for each demo user who has no second factor yet."""
        users = get_user_model().objects.filter(username__in=[row[0] for row in USERS])
        codes = {}
        for user in users:
            if second_factor.authenticators(user).exists():
                continue
            _grant, code = second_factor.issue_grant(user, EnrolmentGrant.Channel.ADMIN)
            codes[user.username] = second_factor.format_code(code)
        return codes
