"""Demo content: the municipalities named in the LKT reports, fictional people, guidance pages and pathways.

Everything here is fictional: names, phone numbers (55 xx xx xx), e-mail addresses
at example.com. Run through ``manage.py load_demo``; running it twice changes nothing.
The pathways themselves are product content (:mod:`home.pathway_seed`); the demo only
seeds them under its home page and names a demo user as the generic pathway's owner.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from directory.catalogue import seed_catalogue
from directory.groups import NATIONAL_ADMINS, create_municipality, ensure_national_admins
from directory.models import ActorConfirmation, ActorPage, ActorType, ContactPerson, MunicipalityIndexPage, PostalCode
from directory.postal_register import import_register
from home.groups import CLINICAL_APPROVERS, OWNERS, PUBLISHERS
from home.models import GuidancePage, HomePage
from home.pathway_seed import seed_pathways, set_generic_content_owner

from . import care
from .monitoring import load_monitoring

FIXTURE = Path(__file__).resolve().parent.parent / "directory" / "fixtures" / "postnummer-demo.tsv"
DEMO_PASSWORD = "lkt-demo-2026"  # noqa: S105 - printed for the demo users; never used outside load_demo

MUNICIPALITIES = ["4601", "4624", "4625", "4623"]

# (title, actor type slugs, phone, e-mail local part, visiting address, opening hours, contacts, age in days)
ACTORS = {
    "4624": [
        (
            "Koordinerende enhet Bjørnafjorden",
            ["koordinerende-enhet-kommune", "koordinator-kommune"],
            "56 57 50 00",
            "koordinerende.enhet",
            "Rådhusvegen 5, 5200 Os",
            "Mandag–fredag 08.00–15.30",
            [("Kari Nordmann", "Leder koordinerende enhet", "56 57 51 10"), ("Ola Vik", "Koordinator", "56 57 51 12")],
            20,
        ),
        (
            "Os legesenter",
            ["fastlege"],
            "56 30 40 00",
            "os.legesenter",
            "Kuventræ 2, 5200 Os",
            "Mandag–fredag 08.00–16.00",
            [("Lege Ingrid Haugen", "Fastlege", "56 30 40 01")],
            60,
        ),
        (
            "Bjørnafjorden legevakt",
            ["legevakt"],
            "116 117",
            "legevakt",
            "Hagavikvegen 1, 5200 Os",
            "Hele døgnet",
            [("Per Solberg", "Avdelingsleder", "56 30 41 00")],
            250,
        ),
        (
            "Hjemmesykepleien Os",
            ["hjemmesykepleie", "praktisk-bistand-personlig-assistanse"],
            "56 57 52 00",
            "hjemmesykepleien",
            "Kolskogen 10, 5200 Os",
            "Hele døgnet",
            [("Marte Lie", "Avdelingsleder", "56 57 52 01"), ("Jonas Berg", "Sykepleier", "56 57 52 02")],
            30,
        ),
        (
            "Psykisk helse og rus Bjørnafjorden",
            ["psykisk-helse-rus-kommune", "kommunepsykolog"],
            "56 57 53 00",
            "psykiskhelse.rus",
            "Torggata 3, 5200 Os",
            "Mandag–fredag 08.00–15.30",
            [("Sara Moe", "Leder", "56 57 53 01"), ("Emil Dahl", "Psykolog", "56 57 53 02")],
            200,
        ),
        (
            "Tildelingskontoret Bjørnafjorden",
            ["tildelingskontor"],
            "56 57 54 00",
            "tildeling",
            "Rådhusvegen 5, 5200 Os",
            "Mandag–fredag 09.00–14.00",
            [("Nora Strand", "Saksbehandler", "56 57 54 01")],
            90,
        ),
        (
            "NAV Bjørnafjorden",
            ["nav-kontor"],
            "55 55 33 33",
            "nav.bjornafjorden",
            "Torggata 9, 5200 Os",
            "Mandag–fredag 10.00–14.00",
            [("Henrik Aas", "Veileder", "55 55 33 34")],
            400,
        ),
        (
            "Os DPS, poliklinikk",
            ["dps", "kontaktlege-kontaktpsykolog"],
            "55 97 00 00",
            "os.dps",
            "Hamnavegen 20, 5200 Os",
            "Mandag–fredag 08.00–15.30",
            [("Lege Lise Holm", "Kontaktlege", "55 97 00 01")],
            10,
        ),
    ],
    "4601": [
        (
            "Koordinerende enhet Bergen",
            ["koordinerende-enhet-kommune", "koordinator-kommune"],
            "55 56 60 00",
            "koordinerende.enhet",
            "Rådhusgaten 10, 5014 Bergen",
            "Mandag–fredag 08.00–15.45",
            [("Astrid Johansen", "Seksjonsleder", "55 56 60 01")],
            15,
        ),
        (
            "Bergen legevakt",
            ["legevakt"],
            "116 117",
            "legevakt",
            "Vestre Strømkaien 19, 5008 Bergen",
            "Hele døgnet",
            [("Thomas Eide", "Avdelingssjef", "55 56 87 00")],
            100,
        ),
        (
            "Årstad helse- og omsorgstjenester",
            ["hjemmesykepleie"],
            "55 56 61 00",
            "arstad.helse",
            "Kanalveien 1, 5068 Bergen",
            "Hele døgnet",
            [("Camilla Ruud", "Enhetsleder", "55 56 61 01")],
            45,
        ),
        (
            "Bergen legesenter Sentrum",
            ["fastlege"],
            "55 30 20 00",
            "sentrum.legesenter",
            "Strandgaten 3, 5013 Bergen",
            "Mandag–fredag 08.00–16.00",
            [("Lege Magnus Lund", "Fastlege", "55 30 20 01")],
            30,
        ),
    ],
    "4625": [
        (
            "Koordinerende enhet Austevoll",
            ["koordinerende-enhet-kommune", "koordinator-kommune"],
            "56 18 10 00",
            "koordinerende.enhet",
            "Storebø, 5392 Storebø",
            "Mandag–fredag 08.00–15.30",
            [("Hilde Sæther", "Koordinator", "56 18 10 01")],
            40,
        ),
        (
            "Austevoll legekontor",
            ["fastlege", "legevakt"],
            "56 18 20 00",
            "legekontor",
            "Storebø, 5392 Storebø",
            "Mandag–fredag 08.00–15.30",
            [("Lege Anders Myhre", "Fastlege", "56 18 20 01")],
            220,
        ),
    ],
    "4623": [
        (
            "Samnanger helse og omsorg",
            ["koordinerende-enhet-kommune", "hjemmesykepleie"],
            "56 58 74 00",
            "helse.omsorg",
            "Tysse, 5650 Tysse",
            "Mandag–fredag 08.00–15.30",
            [("Eva Bakken", "Tenesteleiar", "56 58 74 01")],
            300,
        ),
    ],
}

USERS = [
    # (username, first name, last name, group names, superuser)
    ("admin", "Anne", "Admin", [], True),
    ("nasjonal", "Nils", "Nasjonal", [NATIONAL_ADMINS], False),
    ("redaktor.bjornafjorden", "Rita", "Redaktør", ["Redaktører – Bjørnafjorden (4624)"], False),
    ("godkjenner.bjornafjorden", "Geir", "Godkjenner", ["Godkjennere – Bjørnafjorden (4624)"], False),
    ("redaktor.bergen", "Berit", "Redaktør", ["Redaktører – Bergen (4601)"], False),
    ("godkjenner.bergen", "Bjørn", "Godkjenner", ["Godkjennere – Bergen (4601)"], False),
    ("forlopseier", "Frida", "Forløpseier", [OWNERS], False),
    ("klinisk.godkjenner", "Kåre", "Klinikersen", [CLINICAL_APPROVERS], False),
    ("forlopsredaktor", "Randi", "Forløpsredaktør", [PUBLISHERS], False),
    *care.USERS,
]

GUIDANCE = json.loads((Path(__file__).resolve().parent / "guidance.json").read_text(encoding="utf-8"))


def _home():
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    home = HomePage(
        title="Langvarige og koordinerte tjenester",
        slug="lkt",
        intro="<p>Her finner pasienter, pårørende og fagfolk hvem som hjelper der du bor, og hvordan "
        "aktørene samarbeider etter LKT-rammeverket.</p>",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80, "site_name": "LKT"}
    )
    if old_root is not None and old_root.specific_class is Page and old_root.depth == 2:
        old_root.delete()  # Wagtail's «Welcome» placeholder page
    return home


def _guidance(home):
    if GuidancePage.objects.exists():
        return
    for entry in GUIDANCE:
        parent = home
        if entry.get("parent"):
            parent = GuidancePage.objects.get(slug=entry["parent"])
        page = GuidancePage(
            title=entry["title"],
            slug=entry["slug"],
            summary=entry["summary"],
            body=json.dumps([{"type": b[0], "value": b[1]} for b in entry["body"]]),
            show_in_menus=parent is home,
        )
        parent.add_child(instance=page)
        page.save_revision().publish()
        if entry.get("patient_entry"):
            home.patient_page = page
            home.save_revision().publish()


def _actors(municipality_page, number, now):
    if ActorPage.objects.filter(municipality=municipality_page).exists():
        return
    for title, slugs, phone, mail, address, hours, contacts, age in ACTORS.get(number, []):
        actor = ActorPage(
            title=title,
            phone=phone,
            email=f"{mail}@example.com",
            visiting_address=address,
            opening_hours=hours,
            description=f"<p>{title} er en fiktiv enhet i demoinnholdet.</p>",
        )
        municipality_page.add_child(instance=actor)
        actor.actor_types.set(ActorType.objects.filter(slug__in=slugs))
        for i, (name, role, contact_phone) in enumerate(contacts):
            first = name.split()[-2].lower() if len(name.split()) > 1 else name.lower()
            actor.contacts.add(
                ContactPerson(name=name, role=role, phone=contact_phone, email=f"{first}@example.com", sort_order=i)
            )
        actor.save_revision().publish()
        ActorConfirmation.objects.filter(page=actor).update(confirmed_at=now - timedelta(days=age))


def _users():
    User = get_user_model()
    created = []
    for username, first, last, groups, superuser in USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(
            username=username,
            email=f"{username}@example.com",
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            is_superuser=superuser,
            is_staff=superuser,
        )
        user.groups.set(Group.objects.filter(name__in=groups))
        created.append(username)
    return created


@transaction.atomic
def load_demo():
    if not PostalCode.objects.exists():
        import_register(FIXTURE.read_bytes())
    seed_catalogue()
    home = _home()
    _guidance(home)
    index = MunicipalityIndexPage.objects.first()
    if index is None:
        index = MunicipalityIndexPage(
            title="Finn hjelp der du bor",
            slug="finn-hjelp",
            intro="<p>Skriv postnummeret ditt, en adresse med postnummer eller navnet på kommunen, så viser vi "
            "hvem som hjelper der du bor og hvordan du når dem.</p>",
            show_in_menus=True,
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    ensure_national_admins()
    now = timezone.now()
    for number in MUNICIPALITIES:
        page, _editors, _reviewers = create_municipality(number)
        _actors(page, number, now)
    seed_pathways(home)
    care.ensure_groups(MUNICIPALITIES)
    created = _users()
    set_generic_content_owner(get_user_model().objects.filter(username="forlopseier").first())
    care.load_processes()
    load_monitoring()
    return created
