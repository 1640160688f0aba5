"""A municipality's actor map as a spreadsheet (CSV or XLSX): the format, export, and reading files.

One row per contact person; an actor's own columns repeat on each of its rows
(an actor without contacts has one row with the contact columns empty). Rows are
grouped into actors by the ``enhet`` column. The all-or-nothing import that builds
on this lives in :mod:`directory.spreadsheet_import`.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from html import escape, unescape

import openpyxl
from django.conf import settings
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.uploads import too_large_message

from .models import ActorPage, phone_validator

# Column header -> model field. The order here is the order of the exported columns.
ACTOR_COLUMNS = {
    "enhet": "title",
    "aktørtyper": None,
    "beskrivelse": "description",
    "telefon": "phone",
    "e-post": "email",
    "nettside": "website",
    "besøksadresse": "visiting_address",
    "postadresse": "postal_address",
    "åpningstider": "opening_hours",
    "organisasjonsnummer": "org_number",
    "her-id": "her_id",
    "resh-id": "resh_id",
    "område": "area_name",
    "kommuner": "area_municipalities",
    "postnumre": "area_postal_codes",
}
# Columns added after files were already in use: a file without them is read as before, and leaves the
# actors' values in these columns as they are.
OPTIONAL_HEADERS = ("organisasjonsnummer", "her-id", "resh-id", "område", "kommuner", "postnumre")
# The area as text: empty «kommuner» and «postnumre» mean the whole municipality (or catchment area).
AREA_COLUMNS = {"kommuner": "area_municipalities", "postnumre": "area_postal_codes"}
CONTACT_COLUMNS = {
    "kontaktperson": "name",
    "kontaktperson_rolle": "role",
    "kontaktperson_telefon": "phone",
    "kontaktperson_e-post": "email",
}
HEADERS = [*ACTOR_COLUMNS, *CONTACT_COLUMNS]
TYPES_COLUMN = "aktørtyper"
TYPE_SEPARATOR = ";"
CSV_DELIMITER = ";"  # what Excel with Norwegian regional settings expects

# Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A cell that is only a phone number (digits, spaces, an optional leading +) cannot carry a
# formula payload, so it is exported as is rather than as "'+47 …", which would corrupt the number.
PLAIN_PHONE_RE = re.compile(phone_validator.regex.pattern)
MAX_ROWS = 5000
# The longest text one cell may hold; the longest model field (a description) needs far less.
MAX_CELL_CHARS = 10_000
# An .xlsx is a zip; refuse archives that would unpack to far more than any real actor map (zip bombs).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded file; ``row`` is the spreadsheet row number (header = 1), None for the file."""

    row: int | None
    column: str
    message: str


class SpreadsheetError(Exception):
    """The file cannot be read as it is; carries the errors to show (for the file, or for given cells)."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = errors or [RowError(None, "", message)]


# --- text conversions -----------------------------------------------------------------------------------


def rich_text_to_plain(html):
    """Rich text as plain text: paragraphs separated by a blank line, line breaks kept."""
    text = re.sub(r"<br\s*/?>", "\n", html or "", flags=re.IGNORECASE)
    text = re.sub(r"</(p|h\d|li|blockquote)>", "\n\n", text, flags=re.IGNORECASE)
    text = unescape(strip_tags(text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def plain_to_rich_text(text):
    """Plain text from a spreadsheet cell as rich text paragraphs (escaped: a cell is never trusted HTML)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br/>')}</p>" for p in paragraphs)


def neutralise_formula(value):
    """Prefix a cell Excel would run as a formula with ' (kept out of plain phone numbers)."""
    if value.startswith(FORMULA_TRIGGERS) and not PLAIN_PHONE_RE.match(value):
        return "'" + value
    return value


def _cell_text(value):
    """A cell value as the text an editor would have typed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # phone numbers typed into Excel come back as numbers
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    # Undo our own export's (or a careful editor's) guard against formulas.
    if text.startswith("'") and text[1:2] in FORMULA_TRIGGERS:
        text = text[1:]
    return text


# --- export --------------------------------------------------------------------------------------------


def export_rows(municipality_page):
    """The published actor map of a municipality as dicts keyed by header, in a fixed number of queries."""
    rows = []
    for actor in ActorPage.objects.live().filter(municipality=municipality_page).for_display():
        actor_values = {
            header: getattr(actor, name)
            for header, name in ACTOR_COLUMNS.items()
            if name not in (None, "description") and header not in AREA_COLUMNS
        }
        actor_values["kommuner"] = area_text(actor.area_municipalities.all(), municipalities=True)
        actor_values["postnumre"] = area_text(actor.area_postal_codes.all())
        actor_values["beskrivelse"] = rich_text_to_plain(actor.description)
        actor_values[TYPES_COLUMN] = f"{TYPE_SEPARATOR} ".join(t.slug for t in actor.actor_types.all())
        contacts = list(actor.contacts.all()) or [None]
        for contact in contacts:
            row = {header: "" for header in HEADERS} | actor_values
            if contact is not None:
                row.update({header: getattr(contact, name) for header, name in CONTACT_COLUMNS.items()})
            rows.append(row)
    return rows


def area_text(values, municipalities=False):
    """«Bergen (4601), Bjørnafjorden (4624)» or «5003, 5004», as the editor's area fields show them."""
    from .forms import MunicipalityListField, PostalCodeListField

    field = MunicipalityListField(required=False) if municipalities else PostalCodeListField(required=False)
    return field.prepare_value(sorted(values, key=lambda v: v.pk))


def to_csv(rows):
    """UTF-8 with BOM (so Excel shows æøå), semicolon-separated, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([neutralise_formula(str(row.get(h, ""))) for h in HEADERS])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows):
    """An .xlsx workbook with one sheet; cells that look like formulas are stored as quoted text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Aktørkart")
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = openpyxl.styles.Font(bold=True)
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(row.get(h, ""))) for h in HEADERS])
    for sheet_row in sheet.iter_rows(min_row=2):
        for cell in sheet_row:
            if isinstance(cell.value, str) and neutralise_formula(cell.value) != cell.value:
                # Excel's own "text" prefix: the cell shows the value but never evaluates it, and the
                # apostrophe is not part of the value, so the file re-imports unchanged.
                cell.data_type = "s"
                cell.quotePrefix = True
    for letter, header in zip("ABCDEFGHIJKLMNOPQRS", HEADERS, strict=True):
        sheet.column_dimensions[letter].width = max(14, len(header) + 4)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


NOT_XLSX = gettext_lazy(
    "Filen kunne ikke leses som et Excel-regneark (.xlsx). Lagre den på nytt fra Excel, eller som CSV."
)

# --- reading -------------------------------------------------------------------------------------------


def read_rows(data, filename):
    """``[(row_number, {header: text})]`` for every non-empty data row; raises SpreadsheetError."""
    check_file(data, filename)
    name = (filename or "").lower()
    raw_rows = _xlsx_rows(data) if name.endswith(".xlsx") else _csv_rows(data)
    return _with_headers(raw_rows)


def check_file(data, filename):
    """The checks that need no parsing – size, type, the first bytes – so an upload can be refused at once."""
    if not data:
        raise SpreadsheetError(_("Filen er tom."))
    if len(data) > settings.LKT_UPLOAD_MAX_BYTES:
        raise SpreadsheetError(too_large_message(settings.LKT_UPLOAD_MAX_BYTES))
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            raise SpreadsheetError(NOT_XLSX)
    elif name.endswith(".csv"):
        if b"\x00" in data or data.startswith(b"PK\x03\x04"):
            raise SpreadsheetError(_("Filen er ikke en CSV-fil. Lagre regnearket som «CSV UTF-8» eller .xlsx."))
    elif name.endswith(".xls"):
        raise SpreadsheetError(_("Gamle Excel-filer (.xls) kan ikke importeres. Lagre filen som .xlsx eller CSV."))
    else:
        raise SpreadsheetError(_("Bare CSV-filer (.csv) og Excel-regneark (.xlsx) kan importeres."))


def _csv_rows(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(_("Tegnene i filen kunne ikke leses. Lagre filen som «CSV UTF-8»."))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Accept both ; (Norwegian Excel) and , (most other tools): pick the one that yields known headers.
    delimiter = max(
        (";", ",", "\t"),
        key=lambda d: len({c.strip().lower() for c in next(csv.reader([first_line], delimiter=d))} & set(HEADERS)),
    )
    # The csv module refuses cells over 128 KiB with an English error and no cell named. The file is already
    # within the upload limit, so let it read any cell of it, and MAX_CELL_CHARS names the row and column.
    csv.field_size_limit(max(csv.field_size_limit(), len(data) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        raise SpreadsheetError(
            _("Filen kunne ikke leses som CSV: feil i oppsettet rundt linje %(line)s.") % {"line": reader.line_num}
        ) from exc


def _xlsx_rows(data):
    not_xlsx = NOT_XLSX
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise SpreadsheetError(_("Regnearket er for stort til å importeres."))
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds; any of them means "not an xlsx"
        raise SpreadsheetError(not_xlsx) from exc
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    except Exception as exc:
        raise SpreadsheetError(not_xlsx) from exc
    finally:
        workbook.close()


def _with_headers(raw_rows):
    numbered = [(number, [_cell_text(v) for v in row]) for number, row in enumerate(raw_rows, start=1)]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if not numbered:
        raise SpreadsheetError(_("Filen er tom."))
    header_row, header_cells = numbered[0]
    headers = [h.strip().lower() for h in header_cells]
    missing = [h for h in HEADERS if h not in headers and h not in OPTIONAL_HEADERS]
    if missing:
        raise SpreadsheetError(
            _("Disse kolonnene mangler i rad %(row)s: %(missing)s. Første rad skal ha kolonnenavnene %(all)s.")
            % {
                "row": header_row,
                "missing": ", ".join(f"«{h}»" for h in missing),
                "all": ", ".join(f"«{h}»" for h in HEADERS),
            }
        )
    if len(numbered) == 1:
        raise SpreadsheetError(
            _("Filen har ingen rader med aktører. Fyll inn én rad per kontaktperson under overskriftene.")
        )
    if len(numbered) - 1 > MAX_ROWS:
        raise SpreadsheetError(_("Filen har mer enn %(max)s rader.") % {"max": MAX_ROWS})
    _check_cell_sizes(numbered[1:], headers)
    positions = {h: headers.index(h) for h in HEADERS if h in headers}
    return [
        (number, {h: cells[i] if i < len(cells) else "" for h, i in positions.items()})
        for number, cells in numbered[1:]
    ]


def _check_cell_sizes(numbered, headers):
    too_long = [
        RowError(
            number,
            headers[i] if i < len(headers) and headers[i] else _("kolonne %(n)s") % {"n": i + 1},
            _("Cellen har %(length)s tegn. Høyst %(max)s tegn er tillatt i én celle.")
            % {"length": f"{len(cell):,}".replace(",", "\u00a0"), "max": f"{MAX_CELL_CHARS:,}".replace(",", "\u00a0")},
        )
        for number, cells in numbered
        for i, cell in enumerate(cells)
        if len(cell) > MAX_CELL_CHARS
    ]
    if too_long:
        raise SpreadsheetError(too_long[0].message, errors=too_long[:50])


# --- checking one value --------------------------------------------------------------------------------


def clean_value(model, field_name, column, value):
    """``(value, error_message_or_None)`` checked with the model field's own validators."""
    model_field = model._meta.get_field(field_name)
    typed = value
    if isinstance(model_field, models.URLField) and value and "://" not in value:
        value = "https://" + value  # spreadsheets usually hold "www.example.no"
    try:
        cleaned = model_field.clean(value, None)
    except Exception as exc:  # ValidationError; anything else is also a bad value, never a 500
        return value, _field_message(column, typed, exc)
    # The field's own normal form where it has one (an organisation number typed with spaces).
    return (cleaned if isinstance(cleaned, str) else value), None


def _field_message(column, value, exc):
    codes = {getattr(e, "code", None) for e in getattr(exc, "error_list", [])}
    if "max_length" in codes:
        # The length error need not come first: a long HER-id also fails the identifier's own check.
        limit = next(e.params["limit_value"] for e in exc.error_list if e.code == "max_length")
        return _("Teksten er for lang (høyst %(max)s tegn).") % {"max": limit}
    if column.endswith("telefon"):
        return str(phone_validator.message)
    if column.endswith("e-post"):
        return _("«%(value)s» er ikke en gyldig e-postadresse.") % {"value": value}
    if column == "nettside":
        return _("«%(value)s» er ikke en gyldig nettadresse.") % {"value": value}
    if codes & {"org_number_format", "org_number_check", "her_id", "resh_id"}:
        return " ".join(exc.messages)
    if "blank" in codes or "null" in codes:
        return _("Feltet må fylles ut.")
    return " ".join(getattr(exc, "messages", [str(exc)]))
