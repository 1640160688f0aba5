from django.core.management.base import BaseCommand

from monitoring.services import sweep_missed


class Command(BaseCommand):
    help = (
        "Manglende egenmålinger: påminnelse til pasienten når en måling er forsinket, og oppgave til koordinator "
        "hvis den fortsatt mangler. Kjør fra cron hvert kvarter, ved siden av workflow_timers."
    )

    def handle(self, **options):
        reminders, tasks = sweep_missed()
        self.stdout.write(f"{reminders} påminnelse(r), {tasks} oppgave(r) til koordinator.")
