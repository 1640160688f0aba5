from django.core.management.base import BaseCommand

from accounts.services import clear_expired


class Command(BaseCommand):
    help = "Fjerner halvferdige to-faktor-oppsett der oppsettkoden er utløpt eller trukket tilbake. Kjøres daglig."

    def handle(self, *args, **options):
        deleted = clear_expired()
        self.stdout.write(self.style.SUCCESS(f"{deleted} halvferdige oppsett fjernet."))
