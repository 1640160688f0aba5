from django.core.management.base import BaseCommand

from home.reminders import send_pathway_review_reminders


class Command(BaseCommand):
    help = "Sender faglige eiere en påminnelse om forløp som skal revideres. Kjøres daglig."

    def handle(self, *args, **options):
        sent = send_pathway_review_reminders()
        self.stdout.write(self.style.SUCCESS(f"{sent} påminnelser sendt."))
