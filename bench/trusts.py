"""National scale for the specialist health service: the four regional health authorities' trusts, their
catchment areas and units, for the benchmark (``bench/generate.py --trusts``).

The trusts are the real ones; their catchment areas are *generated*: each county's municipalities (in number
order) are split between the trusts serving that county, and Oslo's postal codes between its three local
hospitals' catchments – close enough in size and shape to measure, not a statement of who serves whom. Each trust
gets a coordinating unit, a substance-use unit and an acute psychiatric unit for its whole catchment, and a DPS per
about five municipalities (Oslo: per postal-code range), each with a fictional contact.
"""

import random

# county code -> [(regional health authority, trust), ...] sharing that county's municipalities
TRUSTS_BY_COUNTY = {
    "03": [
        ("Helse Sør-Øst", "Oslo universitetssykehus HF"),
        ("Helse Sør-Øst", "Lovisenberg Diakonale Sykehus"),
        ("Helse Sør-Øst", "Diakonhjemmet Sykehus"),
    ],
    "31": [("Helse Sør-Øst", "Sykehuset Østfold HF")],
    "32": [("Helse Sør-Øst", "Akershus universitetssykehus HF"), ("Helse Sør-Øst", "Vestre Viken HF")],
    "33": [("Helse Sør-Øst", "Vestre Viken HF")],
    "34": [("Helse Sør-Øst", "Sykehuset Innlandet HF")],
    "39": [("Helse Sør-Øst", "Sykehuset i Vestfold HF")],
    "40": [("Helse Sør-Øst", "Sykehuset Telemark HF")],
    "42": [("Helse Sør-Øst", "Sørlandet sykehus HF")],
    "11": [("Helse Vest", "Helse Stavanger HF"), ("Helse Vest", "Helse Fonna HF")],
    "46": [("Helse Vest", "Helse Bergen HF"), ("Helse Vest", "Helse Fonna HF"), ("Helse Vest", "Helse Førde HF")],
    "15": [("Helse Midt-Norge", "Helse Møre og Romsdal HF")],
    "50": [("Helse Midt-Norge", "St. Olavs hospital HF"), ("Helse Midt-Norge", "Helse Nord-Trøndelag HF")],
    "18": [("Helse Nord", "Nordlandssykehuset HF"), ("Helse Nord", "Helgelandssykehuset HF")],
    "55": [("Helse Nord", "Universitetssykehuset Nord-Norge HF")],
    "56": [("Helse Nord", "Finnmarkssykehuset HF")],
}
OSLO = "0301"
WHOLE_UNITS = [
    (
        "Koordinerende enhet",
        ["koordinerende-enhet-spesialisthelsetjenesten", "intern-koordinator-spesialisthelsetjenesten"],
    ),
    ("Avdeling for rus og avhengighet", ["tsb"]),
    ("Akuttpsykiatrisk avdeling", ["akuttmottak-akuttpsykiatri"]),
]
DPS_TYPES = ["dps", "kontaktlege-kontaktpsykolog"]
MUNICIPALITIES_PER_DPS = 5


def _split(items, parts):
    """``items`` in ``parts`` consecutive, nearly equal chunks."""
    size, extra = divmod(len(items), parts)
    chunks, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def catchments():
    """{trust: (regional authority, municipality numbers, Oslo postal codes)} over the whole register."""
    from directory.models import Municipality, PostalCode

    numbers = sorted(Municipality.objects.values_list("number", flat=True))
    result = {}
    for county, trusts in TRUSTS_BY_COUNTY.items():
        in_county = [n for n in numbers if n[:2] == county]
        if county == "03":
            codes = list(
                PostalCode.objects.filter(municipality_id=OSLO).order_by("code").values_list("code", flat=True)
            )
            for (region, trust), part in zip(trusts, _split(codes, len(trusts)), strict=True):
                result.setdefault(trust, (region, [], []))[2].extend(part)
            continue
        for (region, trust), part in zip(trusts, _split(in_county, len(trusts)), strict=True):
            result.setdefault(trust, (region, [], []))[1].extend(part)
    return result


def _phone(rng):
    return f"55 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def build_trusts(index, seed=20240501):
    """Create every trust with its catchment, groups and workflow, and its units; trusts that have units are left
    as they are. Returns the number of units created."""
    from directory.groups import create_health_trust
    from directory.models import ActorPage, ActorType, AreaScope, ContactPerson, Municipality, PostalCode

    types = {t.slug: t for t in ActorType.objects.filter(live=True)}
    created = 0
    for trust_name, (_region, numbers, oslo_codes) in catchments().items():
        rng = random.Random(f"{seed}:{trust_name}")
        trust, _editors, _reviewers = create_health_trust(trust_name, index_page=index)
        if ActorPage.objects.filter(municipality=trust).exists():
            continue
        trust.catchment_municipalities = list(Municipality.objects.filter(number__in=numbers))
        trust.catchment_postal_codes = list(PostalCode.objects.filter(code__in=oslo_codes))
        trust.save_revision(clean=False).publish()
        units = [(f"{title} {trust_name}", slugs, None) for title, slugs in WHOLE_UNITS]
        if oslo_codes:
            for i, part in enumerate(_split(oslo_codes, 3), start=1):
                units.append((f"DPS {trust_name.split()[0]} {i}", DPS_TYPES, ([], part)))
        for i, part in enumerate(_split(numbers, max(1, len(numbers) // MUNICIPALITIES_PER_DPS)) if numbers else []):
            units.append((f"DPS {trust_name.split()[0]} {i + 1}", DPS_TYPES, (part, [])))
        for title, slugs, area in units:
            actor = ActorPage(title=title, phone=_phone(rng), email="post@example.com", live=False)
            actor.contacts = [
                ContactPerson(
                    name=f"Kontakt {rng.randint(100, 999)}", role="Koordinator", phone=_phone(rng), sort_order=0
                )
            ]
            if area is not None:
                actor.area_scope = AreaScope.CHOSEN
                actor.area_municipalities = list(Municipality.objects.filter(number__in=area[0]))
                actor.area_postal_codes = list(PostalCode.objects.filter(code__in=area[1]))
            trust.add_child(instance=actor)
            actor.actor_types.set([types[s] for s in slugs if s in types])
            actor.save_revision(clean=False).publish()
            created += 1
        print(
            f"{trust_name}: {len(numbers)} municipalities, {len(oslo_codes)} Oslo postal codes, {len(units)} units",
            flush=True,
        )
    return created
