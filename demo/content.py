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
from directory.groups import NATIONAL_ADMINS, create_health_trust, create_municipality, ensure_national_admins
from directory.models import (
    ActorConfirmation,
    ActorPage,
    ActorType,
    AreaScope,
    ContactPerson,
    Municipality,
    MunicipalityIndexPage,
    PostalCode,
)
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

# Bergen's home nursing per district (bydel), by postal code ranges: a demo split, not the city's real one.
# Each Bergen postal code falls in the first range that holds it, the rest in the last district.
BERGEN_DISTRICTS = [
    ("Bydel Bergenhus og Årstad", [("5003", "5099")]),
    ("Bydel Åsane og Arna", [("5100", "5139"), ("5260", "5299")]),
    ("Bydel Laksevåg og Fyllingsdalen", [("5140", "5199")]),
    ("Bydel Fana og Ytrebygda", [("5200", "5259")]),
]
# (district, title, phone, e-mail local part, visiting address, contacts); the first is «Årstad helse- og
# omsorgstjenester» above, which gets the first district's area.
HOME_NURSING = [
    (
        "Bydel Åsane og Arna",
        "Hjemmesykepleien Åsane og Arna",
        "55 56 62 00",
        "asane.hjemmesykepleie",
        "Åsane senter 10, 5116 Ulset",
        [("Siri Dahl", "Avdelingsleder", "55 56 62 01")],
    ),
    (
        "Bydel Laksevåg og Fyllingsdalen",
        "Hjemmesykepleien Laksevåg og Fyllingsdalen",
        "55 56 63 00",
        "laksevag.hjemmesykepleie",
        "Folke Bernadottes vei 40, 5147 Fyllingsdalen",
        [("Håkon Moe", "Avdelingsleder", "55 56 63 01")],
    ),
    (
        "Bydel Fana og Ytrebygda",
        "Hjemmesykepleien Fana og Ytrebygda",
        "55 56 64 00",
        "fana.hjemmesykepleie",
        "Østre Nesttunvegen 2, 5221 Nesttun",
        [("Ingvild Aas", "Avdelingsleder", "55 56 64 01")],
    ),
]
# An inter-municipal service, entered once in Bergen and shown in each municipality it serves.
SHARED_SERVICE = (
    "Overgrepsmottaket i Bergen og omland",
    ["legevakt"],
    "55 56 87 50",
    "overgrepsmottak",
    "Vestre Strømkaien 19, 5008 Bergen",
    "Hele døgnet",
    [("Linn Holm", "Koordinator", "55 56 87 51")],
    ["4601", "4624", "4625", "4623"],
)

TRUST = "Helse Bergen HF"
TRUST_ORG_NUMBER = "983974724"
TRUST_MUNICIPALITIES = ["4601", "4624", "4625", "4623"]
# (title, actor type slugs, phone, e-mail local part, visiting address, hours, contacts, area)
# area: None for the trust's whole catchment area, else (name, municipalities, Bergen districts).
TRUST_UNITS = [
    (
        "Koordinerende enhet i Helse Bergen",
        ["koordinerende-enhet-spesialisthelsetjenesten", "intern-koordinator-spesialisthelsetjenesten"],
        "55 97 00 10",
        "koordinerende.enhet.hb",
        "Jonas Lies vei 65, 5021 Bergen",
        "Mandag–fredag 08.00–15.30",
        [("Tone Halvorsen", "Leder", "55 97 00 11"), ("Rune Aasen", "Koordinator", "55 97 00 12")],
        None,
    ),
    (
        "DPS Bergen nord",
        ["dps", "kontaktlege-kontaktpsykolog"],
        "55 97 10 00",
        "dps.nord",
        "Flaktveitvegen 9, 5132 Nyborg",
        "Mandag–fredag 08.00–15.30, akutteam hele døgnet",
        [("Psykolog Mari Strand", "Kontaktpsykolog", "55 97 10 01"), ("Lege Erik Foss", "Overlege", "55 97 10 02")],
        ("Bergen nord og sentrum", [], ["Bydel Bergenhus og Årstad", "Bydel Åsane og Arna"]),
    ),
    (
        "DPS Bergen sør og vest",
        ["dps", "kontaktlege-kontaktpsykolog"],
        "55 97 20 00",
        "dps.sor",
        "Østre Nesttunvegen 12, 5221 Nesttun",
        "Mandag–fredag 08.00–15.30, akutteam hele døgnet",
        [("Lege Sunniva Rø", "Overlege", "55 97 20 01")],
        (
            "Bergen sør og vest, Austevoll og Samnanger",
            ["4625", "4623"],
            ["Bydel Laksevåg og Fyllingsdalen", "Bydel Fana og Ytrebygda"],
        ),
    ),
    (
        "Os DPS, poliklinikk",
        ["dps", "kontaktlege-kontaktpsykolog"],
        "55 97 00 00",
        "os.dps",
        "Hamnavegen 20, 5200 Os",
        "Mandag–fredag 08.00–15.30",
        [("Lege Lise Holm", "Kontaktlege", "55 97 00 01")],
        ("Bjørnafjorden", ["4624"], []),
    ),
    (
        "Avdeling for rusmedisin",
        ["tsb"],
        "55 97 30 00",
        "rusmedisin",
        "Østre Murallmenningen 7, 5012 Bergen",
        "Mandag–fredag 08.00–15.30",
        [("Lege Kjetil Brun", "Seksjonsoverlege", "55 97 30 01")],
        None,
    ),
    (
        "Psykiatrisk akuttmottak",
        ["akuttmottak-akuttpsykiatri"],
        "55 97 40 00",
        "akuttmottak",
        "Sandviksleitet 1, 5036 Bergen",
        "Hele døgnet",
        [("Vakthavende lege", "Akuttmottak", "55 97 40 01")],
        None,
    ),
    (
        "Habiliteringstjenesten for voksne",
        ["habiliteringstjenesten-spesialisthelsetjenesten"],
        "55 97 50 00",
        "habilitering",
        "Haukelandsveien 28, 5009 Bergen",
        "Mandag–fredag 08.00–15.30",
        [("Fysioterapeut Guro Lid", "Koordinator", "55 97 50 01")],
        None,
    ),
]

USERS = [
    # (username, first name, last name, group names, superuser)
    ("admin", "Anne", "Admin", [], True),
    ("nasjonal", "Nils", "Nasjonal", [NATIONAL_ADMINS], False),
    ("redaktor.bjornafjorden", "Rita", "Redaktør", ["Redaktører – Bjørnafjorden (4624)"], False),
    ("godkjenner.bjornafjorden", "Geir", "Godkjenner", ["Godkjennere – Bjørnafjorden (4624)"], False),
    ("redaktor.bergen", "Berit", "Redaktør", ["Redaktører – Bergen (4601)"], False),
    ("godkjenner.bergen", "Bjørn", "Godkjenner", ["Godkjennere – Bergen (4601)"], False),
    ("redaktor.helsebergen", "Hanne", "Redaktør", [f"Redaktører – {TRUST}"], False),
    ("godkjenner.helsebergen", "Halvor", "Godkjenner", [f"Godkjennere – {TRUST}"], False),
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
        _actor(municipality_page, now, title, slugs, phone, mail, address, hours, contacts, age)


def bergen_districts():
    """{district name: [postal codes]}: every Bergen postal code in exactly one district."""
    districts = {name: [] for name, _ranges in BERGEN_DISTRICTS}
    for code in PostalCode.objects.filter(municipality_id="4601").values_list("code", flat=True).order_by("code"):
        name = next(
            (name for name, ranges in BERGEN_DISTRICTS if any(low <= code <= high for low, high in ranges)),
            BERGEN_DISTRICTS[-1][0],
        )
        districts[name].append(code)
    return districts


def _with_area(actor, name, municipalities=(), postal_codes=()):
    actor.area_scope = AreaScope.CHOSEN
    actor.area_name = name
    actor.area_municipalities.set(Municipality.objects.filter(number__in=municipalities))
    actor.area_postal_codes.set(PostalCode.objects.filter(code__in=postal_codes))


def _bergen_areas(bergen, now):
    """Bergen's home nursing split into districts, and the inter-municipal service entered in Bergen."""
    if ActorPage.objects.filter(municipality=bergen, area_scope=AreaScope.CHOSEN).exists():
        return
    districts = bergen_districts()
    first = ActorPage.objects.get(municipality=bergen, title="Årstad helse- og omsorgstjenester")
    _with_area(first, BERGEN_DISTRICTS[0][0], postal_codes=districts[BERGEN_DISTRICTS[0][0]])
    first.save_revision().publish()
    for district, title, phone, mail, address, contacts in HOME_NURSING:
        area = (district, [], districts[district])
        _actor(bergen, now, title, ["hjemmesykepleie"], phone, mail, address, "Hele døgnet", contacts, 20, area)
    title, slugs, phone, mail, address, hours, contacts, municipalities = SHARED_SERVICE
    _actor(bergen, now, title, slugs, phone, mail, address, hours, contacts, 10, ("", municipalities, []))


def _trust(now):
    """Helse Bergen with its units: some serve the whole catchment area, the DPSs share it by district."""
    trust, _editors, _reviewers = create_health_trust(TRUST, TRUST_MUNICIPALITIES, org_number=TRUST_ORG_NUMBER)
    if ActorPage.objects.filter(municipality=trust).exists():
        return trust
    districts = bergen_districts()
    for title, slugs, phone, mail, address, hours, contacts, area in TRUST_UNITS:
        if area is not None:
            name, municipalities, district_names = area
            area = (name, municipalities, [code for district in district_names for code in districts[district]])
        _actor(trust, now, title, slugs, phone, mail, address, hours, contacts, 25, area)
    return trust


def _actor(parent, now, title, slugs, phone, mail, address, hours, contacts, age, area=None):
    """A published demo actor under a municipality's or a trust's map, with fictional contacts; ``area`` is
    (name, municipality numbers, postal codes) for a chosen area, None for the whole municipality or catchment."""
    actor = ActorPage(
        title=title,
        phone=phone,
        email=f"{mail}@example.com",
        visiting_address=address,
        opening_hours=hours,
        description=f"<p>{title} er en fiktiv enhet i demoinnholdet.</p>",
    )
    parent.add_child(instance=actor)
    actor.actor_types.set(ActorType.objects.filter(slug__in=slugs))
    for i, (name, role, contact_phone) in enumerate(contacts):
        first = name.split()[-2].lower() if len(name.split()) > 1 else name.lower()
        actor.contacts.add(
            ContactPerson(name=name, role=role, phone=contact_phone, email=f"{first}@example.com", sort_order=i)
        )
    if area is not None:
        _with_area(actor, *area)
    actor.save_revision().publish()
    ActorConfirmation.objects.filter(page=actor).update(confirmed_at=now - timedelta(days=age))
    return actor


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
        if number == "4601":
            _bergen_areas(page, now)
    _trust(now)
    seed_pathways(home)
    care.ensure_groups(MUNICIPALITIES)
    created = _users()
    set_generic_content_owner(get_user_model().objects.filter(username="forlopseier").first())
    care.load_processes()
    load_monitoring()
    return created
