"""Import of Bring's postal code register (postnummerregister), UTF-8 or Bring's own Latin-1 file.

The import is idempotent: running it again with the same file changes nothing, and
running it with a newer register adds, updates and removes codes to match it, all
in one transaction so a broken file leaves the old register in place.
"""

import re
from dataclasses import dataclass

from django.db import transaction

from .models import Municipality, MunicipalityPage, PostalCode

ROW = re.compile(r"^\d{4}$")
CATEGORIES = {c.value for c in PostalCode.Category}
SMALL_WORDS = {"og", "i"}


class RegisterError(ValueError):
    """The file is not a postal register; carries every problem found, in Norwegian."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportSummary:
    codes: int
    municipalities: int
    created: int
    updated: int
    deleted: int


def decode(raw: bytes) -> str:
    """Bring publishes Latin-1 (ANSI); the shared copy is UTF-8. A BOM is ignored."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def proper_case(name: str) -> str:
    """BJØRNAFJORDEN → Bjørnafjorden, NORE OG UVDAL → Nore og Uvdal, AURSKOG-HØLAND → Aurskog-Høland."""

    def word(w, first):
        if not first and w.lower() in SMALL_WORDS:
            return w.lower()
        return "-".join(part[:1].upper() + part[1:].lower() for part in w.split("-"))

    words = name.strip().split()
    out = []
    for i, w in enumerate(words):
        if w.startswith("(") and len(w) > 1:
            out.append("(" + word(w[1:], True))
        else:
            out.append(word(w, i == 0))
    return " ".join(out)


def parse(text: str):
    rows, errors, seen = [], [], set()
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cols = line.rstrip("\r\n").split("\t")
        if len(cols) != 5:
            errors.append(f"Linje {lineno}: forventet 5 kolonner adskilt med tabulator, fant {len(cols)}.")
            continue
        code, place, number, municipality_name, category = (c.strip() for c in cols)
        if not ROW.match(code):
            errors.append(f"Linje {lineno}: «{code[:20]}» er ikke et firesifret postnummer.")
        elif code in seen:
            errors.append(f"Linje {lineno}: postnummeret {code} står to ganger.")
        if not ROW.match(number):
            errors.append(f"Linje {lineno}: «{number[:20]}» er ikke et firesifret kommunenummer.")
        if category not in CATEGORIES:
            errors.append(f"Linje {lineno}: ukjent kategori «{category[:5]}» (skal være G, P, B eller S).")
        if not place or not municipality_name:
            errors.append(f"Linje {lineno}: poststed og kommunenavn må være fylt ut.")
        seen.add(code)
        rows.append((code, place, number, municipality_name, category))
    if not rows and not errors:
        errors.append("Filen inneholder ingen postnummer.")
    if errors:
        raise RegisterError(errors[:50])
    return rows


@transaction.atomic
def import_register(raw: bytes) -> ImportSummary:
    rows = parse(decode(raw))
    names = {}
    for _code, _place, number, municipality_name, _category in rows:
        names[number] = proper_case(municipality_name)

    existing_municipalities = {m.number: m for m in Municipality.objects.all()}
    for number, name in names.items():
        current = existing_municipalities.get(number)
        if current is None:
            Municipality.objects.create(number=number, name=name)
        elif current.name != name:
            current.name = name
            current.save(update_fields=["name"])

    existing = {p.code: p for p in PostalCode.objects.all()}
    new_codes = {r[0] for r in rows}
    to_create, to_update = [], []
    for code, place, number, _name, category in rows:
        current = existing.get(code)
        if current is None:
            to_create.append(PostalCode(code=code, place=place, municipality_id=number, category=category))
        elif (current.place, current.municipality_id, current.category) != (place, number, category):
            current.place, current.municipality_id, current.category = place, number, category
            to_update.append(current)
    PostalCode.objects.bulk_create(to_create, batch_size=1000)
    PostalCode.objects.bulk_update(to_update, ["place", "municipality", "category"], batch_size=1000)
    deleted, _ = PostalCode.objects.exclude(code__in=new_codes).delete()

    # Municipalities that left the register (merged away) are removed unless an actor map still uses them.
    gone = Municipality.objects.exclude(number__in=names.keys()).exclude(
        number__in=MunicipalityPage.objects.values("municipality_id")
    )
    gone.delete()
    return ImportSummary(
        codes=len(rows), municipalities=len(names), created=len(to_create), updated=len(to_update), deleted=deleted
    )
