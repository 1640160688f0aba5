"""Import of Bring's postal code register (postnummerregister), UTF-8 or Bring's own Latin-1 file.

The import is idempotent: running it again with the same file changes nothing, and
running it with a newer register adds, updates and removes codes to match it, all
in one transaction so a broken file leaves the old register in place.

Nothing is guessed: the encoding is decided from the whole file (a file that mixes
UTF-8 and Latin-1 is refused with the line that breaks it), removals beyond a few
codes need the caller's explicit consent, and codes or municipalities that care
processes or actor maps still use are kept and reported instead of being deleted.
"""

import re
from dataclasses import dataclass, field

from django.db import models, transaction

from core import cache_versions

from .models import Municipality, PostalCode

ROW = re.compile(r"^\d{4}$")
CATEGORIES = {c.value for c in PostalCode.Category}
SMALL_WORDS = {"og", "i"}
# Bring's monthly updates remove a handful of codes at most; more than this, or any municipality, is far
# more likely a cut or wrong file than a real change, so it needs the caller's explicit consent.
REMOVAL_LIMIT = 10
MAX_ERRORS = 50

# One complete UTF-8 multibyte sequence (RFC 3629). A Latin-1 register of Norwegian place names never
# contains one by chance: Æ, Ø and Å are single bytes followed by plain ASCII letters.
UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SAVE_AS_UTF8 = "Lagre filen som ren tekst (UTF-8) og prøv igjen."


class RegisterError(ValueError):
    """The file is not a postal register (or may not be applied as it is); carries every problem, in Norwegian."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportSummary:
    """What an import changed (or, for a dry run, would change); lists hold postal codes and municipality numbers."""

    codes: int
    municipalities: int
    created_codes: list = field(default_factory=list)
    updated_codes: list = field(default_factory=list)
    removed_codes: list = field(default_factory=list)
    created_municipalities: list = field(default_factory=list)
    renamed_municipalities: list = field(default_factory=list)
    removed_municipalities: list = field(default_factory=list)
    # Not in the file, but still used (by care processes, actor maps ...): kept, with the reason in Norwegian.
    kept: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def created(self):
        return len(self.created_codes)

    @property
    def updated(self):
        return len(self.updated_codes)

    @property
    def deleted(self):
        return len(self.removed_codes)

    @property
    def needs_permission_to_remove(self):
        return len(self.removed_codes) > REMOVAL_LIMIT or bool(self.removed_municipalities)

    def removal_lines(self):
        """The removals, first in any report: they are the changes that lose data."""
        lines = []
        if self.removed_codes:
            lines.append(f"Fjernes: {len(self.removed_codes)} postnummer: {_listing(self.removed_codes)}.")
        if self.removed_municipalities:
            lines.append(
                f"Fjernes: {len(self.removed_municipalities)} kommuner: {_listing(self.removed_municipalities)}."
            )
        return lines + self.kept

    def lines(self):
        """Every change in Norwegian, removals first."""
        lines = self.removal_lines()
        for label, items in (
            ("Nye postnummer", self.created_codes),
            ("Endrede postnummer", self.updated_codes),
            ("Nye kommuner", self.created_municipalities),
            ("Kommuner med nytt navn", self.renamed_municipalities),
        ):
            if items:
                lines.append(f"{label} ({len(items)}): {_listing(items)}.")
        return lines

    def text(self):
        verb = "ville gitt" if self.dry_run else "ga"
        return (
            f"{self.codes} postnummer i {self.municipalities} kommuner {verb} {self.created} nye, "
            f"{self.updated} endrede og {self.deleted} fjernede postnummer, {len(self.created_municipalities)} nye, "
            f"{len(self.renamed_municipalities)} omdøpte og {len(self.removed_municipalities)} fjernede kommuner."
        )

    def as_dict(self):
        return {
            name: getattr(self, name)
            for name in (
                "codes",
                "municipalities",
                "created_codes",
                "updated_codes",
                "removed_codes",
                "created_municipalities",
                "renamed_municipalities",
                "removed_municipalities",
                "kept",
                "dry_run",
            )
        }


def _listing(items, limit=30):
    shown = ", ".join(items[:limit])
    return shown + (f" og {len(items) - limit} til" if len(items) > limit else "")


# --- reading the file ----------------------------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """The file's text, from UTF-8 (with or without BOM) or Bring's Latin-1 (cp1252); never a guess per line.

    Raises :class:`RegisterError` for compressed, UTF-16, binary and mixed files, naming the first line at fault.
    """
    if raw.startswith(b"\x1f\x8b"):
        raise RegisterError(["Filen er komprimert (gzip). Pakk den ut og importer tekstfilen i den."])
    if raw.startswith(b"PK\x03\x04"):
        raise RegisterError(["Filen er en zip-fil eller et regneark, ikke en tekstfil. " + SAVE_AS_UTF8])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(raw):
        raise RegisterError(["Filen er lagret som UTF-16 (Unicode). " + SAVE_AS_UTF8])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if UTF8_MULTIBYTE.search(raw):
            line = _line_of(raw, exc.start)
            raise RegisterError(
                [
                    f"Linje {line}: teksten er ikke UTF-8, men resten av filen er det. Filen blander tegnkodinger "
                    f"(for eksempel UTF-8 og Latin-1), og kan ikke importeres uten at navn blir feil. " + SAVE_AS_UTF8
                ]
            ) from exc
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as latin_exc:
            line = _line_of(raw, latin_exc.start)
            raise RegisterError(
                [f"Linje {line}: tegn som verken er UTF-8 eller Latin-1. Filen er skadet eller ikke en tekstfil."]
            ) from latin_exc
    bad = CONTROL_CHARACTERS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise RegisterError([f"Linje {line}: filen inneholder kontrolltegn og er skadet eller ikke en tekstfil."])
    return text


def _looks_like_utf16(raw):
    """UTF-16 without a byte order mark: ASCII text with a NUL byte beside every character."""
    sample = raw[:4096]
    if len(sample) < 4:
        return False
    return sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4


def _line_of(raw, offset):
    return raw.count(b"\n", 0, offset) + 1


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
        elif len(place) > 100 or len(municipality_name) > 100:
            errors.append(f"Linje {lineno}: poststed og kommunenavn kan ha høyst 100 tegn.")
        seen.add(code)
        rows.append((code, place, number, municipality_name, category))
    if not rows and not errors:
        errors.append("Filen inneholder ingen postnummer.")
    if errors:
        if len(errors) > MAX_ERRORS:
            errors = errors[:MAX_ERRORS] + [f"… og {len(errors) - MAX_ERRORS} feil til."]
        raise RegisterError(errors)
    return rows


def read_register(raw: bytes):
    """Every row of a register file, or :class:`RegisterError` with what is wrong with it."""
    return parse(decode(raw))


# --- what may be removed -------------------------------------------------------------------------------------

# How a use reads in a message where the model's own name would mislead («brukes av 1 kommune» for an actor map).
USE_LABELS = {"directory.municipalitypage": ("aktørkart", "aktørkart")}


def protected_uses(model, keys, ignore=()):
    """``{key: ["3 pasientforløp", ...]}`` for the rows of ``model`` that a PROTECT or RESTRICT foreign key uses.

    Asked of the models themselves, so a relation added later is respected without changing the import.
    """
    uses = {}
    if not keys:
        return uses
    for relation in model._meta.related_objects:
        related = relation.related_model
        if relation.on_delete not in (models.PROTECT, models.RESTRICT) or relation.many_to_many or related in ignore:
            continue
        counts = (
            related._base_manager.filter(**{f"{relation.field.name}__in": keys})
            .values(relation.field.attname)
            .annotate(n=models.Count("pk"))
            .values_list(relation.field.attname, "n")
        )
        meta = related._meta
        singular, plural = USE_LABELS.get(meta.label_lower, (str(meta.verbose_name), str(meta.verbose_name_plural)))
        for key, n in counts:
            uses.setdefault(key, []).append(f"{n} {singular if n == 1 else plural}")
    return uses


# --- the import ----------------------------------------------------------------------------------------------


@dataclass
class _Changes:
    """The keys behind a summary's wording, for writing them."""

    names: dict
    new_municipalities: list = field(default_factory=list)
    renamed_municipalities: list = field(default_factory=list)
    gone_municipalities: list = field(default_factory=list)


def plan(rows) -> tuple[ImportSummary, _Changes]:
    """What applying ``rows`` would change, without changing anything."""
    names = {}
    for _code, _place, number, municipality_name, _category in rows:
        names[number] = proper_case(municipality_name)
    summary, changes = ImportSummary(codes=len(rows), municipalities=len(names)), _Changes(names=names)

    existing_municipalities = dict(Municipality.objects.values_list("number", "name"))
    for number, name in sorted(names.items()):
        current = existing_municipalities.get(number)
        if current is None:
            changes.new_municipalities.append(number)
            summary.created_municipalities.append(f"{number} {name}")
        elif current != name:
            changes.renamed_municipalities.append(number)
            summary.renamed_municipalities.append(f"{number} {current} → {name}")

    existing = {p.code: p for p in PostalCode.objects.all()}
    for code, place, number, _name, category in rows:
        current = existing.get(code)
        if current is None:
            summary.created_codes.append(code)
        elif (current.place, current.municipality_id, current.category) != (place, number, category):
            summary.updated_codes.append(code)

    in_file = {r[0] for r in rows}
    gone_codes = sorted(code for code in existing if code not in in_file)
    code_uses = protected_uses(PostalCode, gone_codes)
    for code in gone_codes:
        if code in code_uses:
            summary.kept.append(
                f"Postnummeret {code} er ikke i filen, men beholdes fordi det brukes av {', '.join(code_uses[code])}."
            )
        else:
            summary.removed_codes.append(code)

    gone_numbers = sorted(number for number in existing_municipalities if number not in names)
    # A municipality's own postal codes keep it only when one of them is kept.
    municipality_uses = protected_uses(Municipality, gone_numbers, ignore=(PostalCode,))
    still_coded = {existing[code].municipality_id for code in code_uses}
    for number in gone_numbers:
        reasons = municipality_uses.get(number, []) + (["postnummer som beholdes"] if number in still_coded else [])
        label = f"{number} {existing_municipalities[number]}"
        if reasons:
            summary.kept.append(
                f"Kommunen {label} er ikke i filen, men beholdes fordi den brukes av {', '.join(reasons)}."
            )
        else:
            changes.gone_municipalities.append(number)
            summary.removed_municipalities.append(label)
    return summary, changes


def import_register(raw: bytes, *, dry_run=False, allow_removal=False) -> ImportSummary:
    """Check the whole file, then bring the register in line with it in one transaction.

    ``dry_run`` reports what would change and writes nothing. Removing more than a few codes, or any
    municipality, raises :class:`RegisterError` unless ``allow_removal`` is given.
    """
    rows = read_register(raw)
    with transaction.atomic():
        # One import at a time: two would each plan against a register the other is changing.
        list(Municipality.objects.select_for_update().order_by("pk").values_list("pk")[:1])
        summary, changes = plan(rows)
        summary.dry_run = dry_run
        if dry_run:
            return summary
        if summary.needs_permission_to_remove and not allow_removal:
            raise RegisterError(
                summary.removal_lines()
                + [
                    f"Registeret ble ikke endret: filen ville fjerne {len(summary.removed_codes)} postnummer og "
                    f"{len(summary.removed_municipalities)} kommuner. Er filen avkortet eller feil? Hvis fjerningen "
                    "er riktig, importer på nytt og tillat fjerning (--tillat-fjerning)."
                ]
            )
        _apply(rows, summary, changes)
        # The lookup's cached answers (core.page_cache) came from the old register.
        cache_versions.bump(cache_versions.pages())
    return summary


def _apply(rows, summary, changes):
    names = changes.names
    Municipality.objects.bulk_create([Municipality(number=n, name=names[n]) for n in changes.new_municipalities])
    Municipality.objects.bulk_update(
        [Municipality(number=n, name=names[n]) for n in changes.renamed_municipalities], ["name"]
    )
    new, changed = set(summary.created_codes), set(summary.updated_codes)
    to_create, to_update = [], []
    for code, place, number, _name, category in rows:
        postal_code = PostalCode(code=code, place=place, municipality_id=number, category=category)
        if code in new:
            to_create.append(postal_code)
        elif code in changed:
            to_update.append(postal_code)
    PostalCode.objects.bulk_create(to_create, batch_size=1000)
    PostalCode.objects.bulk_update(to_update, ["place", "municipality", "category"], batch_size=1000)
    PostalCode.objects.filter(code__in=summary.removed_codes).delete()
    Municipality.objects.filter(number__in=changes.gone_municipalities).delete()
