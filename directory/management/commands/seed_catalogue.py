from django.core.management.base import BaseCommand

from directory.catalogue import seed_catalogue


class Command(BaseCommand):
    help = "Legger inn den nasjonale katalogen over aktørtyper (bare de som mangler)."

    def handle(self, *args, **options):
        created, total = seed_catalogue()
        self.stdout.write(self.style.SUCCESS(f"{created} nye aktørtyper lagt inn; katalogen har {total}."))
