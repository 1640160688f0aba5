from django.core.management.base import BaseCommand

from monitoring.groups import ensure_template_groups
from monitoring.seed import seed_templates


class Command(BaseCommand):
    help = "Publiser eksempelmalene for egenmåling (ikke klinisk godkjent) og koble malene til godkjenningsflyten."

    def handle(self, **options):
        ensure_template_groups()
        created = seed_templates()
        self.stdout.write(f"{created} mal(er) for egenmåling opprettet.")
