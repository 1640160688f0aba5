from django.core.management.base import BaseCommand

from directory.reminders import send_overdue_reminders


class Command(BaseCommand):
    help = "Sender hver kommunes redaktører en e-post om aktører som ikke er bekreftet i tide. Kjøres daglig."

    def handle(self, *args, **options):
        municipalities, sent = send_overdue_reminders()
        self.stdout.write(self.style.SUCCESS(f"{sent} e-poster sendt til redaktører i {municipalities} kommuner."))
