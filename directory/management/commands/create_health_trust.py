from django.core.management.base import BaseCommand, CommandError

from directory.groups import create_health_trust, ensure_national_admins
from directory.identifiers import normalise, validate_org_number
from directory.models import Municipality, MunicipalityIndexPage


class Command(BaseCommand):
    help = (
        "Oppretter et helseforetak i aktørkartet med opptaksområde, redaktør- og godkjennergruppe, tilganger og "
        "godkjenningsflyt. Trygt å kjøre på nytt."
    )

    def add_arguments(self, parser):
        parser.add_argument("navn", help="Helseforetakets navn, for eksempel «Helse Bergen HF»")
        parser.add_argument(
            "--kommuner", default="", help="Kommunenumrene i opptaksområdet, skilt med komma, for eksempel 4601,4624"
        )
        parser.add_argument("--organisasjonsnummer", default="", help="Ni sifre fra Enhetsregisteret")

    def handle(self, *args, **options):
        name = options["navn"].strip()
        if not name:
            raise CommandError("Oppgi helseforetakets navn.")
        numbers = [n.strip() for n in options["kommuner"].split(",") if n.strip()]
        known = set(Municipality.objects.filter(number__in=numbers).values_list("number", flat=True))
        unknown = [n for n in numbers if n not in known]
        if unknown:
            raise CommandError(f"Disse kommunenumrene finnes ikke i postregisteret: {', '.join(unknown)}.")
        org_number = normalise(options["organisasjonsnummer"])
        if org_number:
            try:
                validate_org_number(org_number)
            except Exception as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        if not MunicipalityIndexPage.objects.exists():
            raise CommandError(
                "Siden «Finn hjelp der du bor» finnes ikke ennå. Opprett den under forsiden i administrasjonen "
                "(i et utviklingsmiljø gjør «manage.py load_demo» det)."
            )
        ensure_national_admins()
        page, editors, reviewers = create_health_trust(name, catchment=numbers, org_number=org_number)
        self.stdout.write(
            self.style.SUCCESS(f"{page.title}: side {page.url_path}, grupper «{editors.name}» og «{reviewers.name}».")
        )
