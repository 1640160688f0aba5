"""``manage.py totp_kode BRUKERNAVN``: the current one-time code of a demo user's authenticator, without a phone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Skriver ut gjeldende engangskode fra brukerens autentiseringsapp (også en som er under oppsett), slik at "
        "demoen kan prøves uten telefon. Bare for utvikling (DEBUG)."
    )

    def add_arguments(self, parser):
        parser.add_argument("brukernavn")

    def handle(self, *args, **options):
        # A code generator for any account is a way round the second factor: never outside development.
        if not settings.DEBUG:
            raise CommandError("totp_kode kjøres bare i utvikling (DEBUG=True).")
        username = options["brukernavn"]
        device = TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "-pk").first()
        if device is None:
            raise CommandError(
                f"{username} har ingen autentiseringsapp ennå. Logg inn på /admin/ og skriv oppsettkoden fra "
                "`make run` først; kjør så denne kommandoen når siden ber om koden fra appen."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        code = f"{totp.token():0{device.digits}d}"
        state = "" if device.confirmed else " (appen er under oppsett)"
        self.stdout.write(f"{code}  gyldig i opptil {device.step} sekunder{state}")
