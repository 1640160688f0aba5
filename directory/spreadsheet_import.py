"""The all-or-nothing import of a municipality's actor map from CSV or XLSX.

Every row is checked first; only a file without errors is written, in one
transaction, through Wagtail revisions so history, audit log and caches follow.
The background job (:mod:`directory.imports`) and the management command both go
through :func:`import_directory`; a progress object lets the job report while the
transaction is still open.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page

from core import cache_versions
from core.bulk_publish import NewPage, create_published_pages
from core.tasks import gathered_tasks

from .models import ActorPage, ActorType, AreaScope, ContactPerson
from .services import gathered_confirmations
from .spreadsheet import (
    ACTOR_COLUMNS,
    AREA_COLUMNS,
    CONTACT_COLUMNS,
    HEADERS,
    TYPE_SEPARATOR,
    TYPES_COLUMN,
    RowError,
    SpreadsheetError,
    clean_value,
    plain_to_rich_text,
    read_rows,
    rich_text_to_plain,
)
from .text import norwegian_slug


@dataclass
class ImportResult:
    """What an import did, or the errors that stopped it (then nothing was changed)."""

    errors: list = field(default_factory=list)
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    not_in_file: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def failed_rows(self):
        return len({e.row for e in self.errors if e.row})

    def summary(self):
        text = _("%(created)s nye, %(updated)s oppdatert og %(unchanged)s uendret.") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }
        if self.not_in_file:
            text += " " + _("%(n)s aktører som ikke var i filen, er ikke endret: %(titles)s.") % {
                "n": len(self.not_in_file),
                "titles": ", ".join(self.not_in_file),
            }
        return text


# --- import --------------------------------------------------------------------------------------------

IMPORT_ACTION = "lkt.import"


@dataclass
class ParsedActor:
    """One actor as described by the file: its first row, field values, actor types and contact persons."""

    title: str
    row: int
    values: dict = field(default_factory=dict)
    types: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    type_error: bool = False


class Progress:
    """What an import tells its caller as it goes; this one tells nobody (the command and direct calls)."""

    def checked(self, actors, failed_rows):
        """The file has been read and every row checked: ``actors`` to write, or rows with errors."""

    def advanced(self, done):
        """``done`` actors of the file have been written (inside the still open transaction)."""

    def before_commit(self, result):
        """Everything is written; the last thing to do inside the transaction, so it commits with the import."""


def import_directory(municipality_page, uploaded_bytes, filename, user, progress=None):
    """Check every row of a file, then create or update the municipality's actors in one transaction.

    Nothing is written unless the whole file is valid; actors not named in the file are left alone.
    """
    progress = progress or Progress()
    try:
        rows = read_rows(uploaded_bytes, filename)
    except SpreadsheetError as exc:
        result = ImportResult(errors=exc.errors)
        progress.checked(0, result.failed_rows)
        return result
    actors, errors = collect_actors(rows)
    errors = sorted(errors + _check_areas(municipality_page, actors), key=lambda e: (e.row, HEADERS.index(e.column)))
    progress.checked(len(actors), len({e.row for e in errors if e.row}))
    if errors:
        return ImportResult(errors=errors)
    with transaction.atomic():
        # Serialise imports into one municipality, so two uploads cannot both create the same actors.
        list(Page.objects.select_for_update().filter(pk=municipality_page.pk).values_list("pk"))
        existing, result = _existing_actors(municipality_page, actors, user)
        if result.errors:
            return result
        # Wagtail's search and reference index updates, the cache versions and the confirmations the publishes
        # cause: once for the whole import, at its end, instead of once per save.
        with gathered_tasks(), cache_versions.gathered(), gathered_confirmations():
            _apply(municipality_page, actors, existing, user, result, progress)
        log(
            instance=municipality_page,
            action=IMPORT_ACTION,
            user=user,
            data={
                "filename": filename,
                "created": len(result.created),
                "updated": len(result.updated),
                "unchanged": len(result.unchanged),
            },
        )
        progress.before_commit(result)
    return result


def collect_actors(rows):
    """Check every row and group rows into actors by title; returns ``(actors, errors)``."""
    types_by_key = {}
    for actor_type in ActorType.objects.filter(live=True):
        types_by_key[actor_type.name.lower()] = actor_type
        types_by_key[actor_type.slug.lower()] = actor_type
    actors, errors, first_seen = {}, [], {}
    areas_read = {}  # an actor's area repeats on each of its rows: read each distinct cell once
    for number, row in rows:
        same_as = first_seen.setdefault(tuple(row.values()), number)
        if same_as != number:
            # A row copied twice would add its contact person twice; say so rather than guess.
            message = _("Raden er lik rad %(first)s (alle kolonnene er like). Fjern en av dem.") % {"first": same_as}
            errors.append(RowError(number, "enhet", message))
            continue
        title = row["enhet"]
        if not title:
            errors.append(RowError(number, "enhet", _("Enheten mangler navn.")))
        values = {}
        for header, name in ACTOR_COLUMNS.items():
            if name in (None, "description") or header not in row:
                continue
            if header in AREA_COLUMNS:
                values[name] = _area_value(number, header, row[header], errors, areas_read)
                continue
            value, message = clean_value(ActorPage, name, header, row[header])
            if message and row[header]:
                errors.append(RowError(number, header, message))
            values[name] = value
        values["description"] = row["beskrivelse"]
        tokens = list(dict.fromkeys(t.strip() for t in row[TYPES_COLUMN].split(TYPE_SEPARATOR) if t.strip()))
        unknown = [t for t in tokens if t.lower() not in types_by_key]
        if unknown:
            errors.append(
                RowError(
                    number,
                    TYPES_COLUMN,
                    _("Ukjente aktørtyper: %(types)s. Bruk koden eller navnet fra aktørtypekatalogen.")
                    % {"types": ", ".join(f"«{t}»" for t in unknown)},
                )
            )
        contact = _collect_contact(number, row, errors)
        if not title:
            continue
        actor = actors.setdefault(title, ParsedActor(title=title, row=number))
        actor.type_error = actor.type_error or bool(unknown)
        _merge(actor, number, values, [] if unknown else [types_by_key[t.lower()] for t in tokens], errors)
        if contact:
            actor.contacts.append(contact)
    for actor in actors.values():
        if not actor.types and not actor.type_error:
            errors.append(RowError(actor.row, TYPES_COLUMN, _("Oppgi minst én aktørtype (flere skilles med «;»).")))
    return list(actors.values()), sorted(errors, key=lambda e: (e.row, HEADERS.index(e.column)))


AREA_FIELDS = tuple(AREA_COLUMNS.values())


def _area_value(number, header, text, errors, areas_read):
    """Municipalities or postal codes of a cell, checked as the editor's area fields check them."""
    from django.core.exceptions import ValidationError

    from .forms import MunicipalityListField, PostalCodeListField

    if (header, text) not in areas_read:
        field = MunicipalityListField(required=False) if header == "kommuner" else PostalCodeListField(required=False)
        try:
            areas_read[header, text] = (field.clean(text), None)
        except ValidationError as exc:
            areas_read[header, text] = ([], " ".join(exc.messages))
    value, message = areas_read[header, text]
    if message:
        errors.append(RowError(number, header, message))
    return list(value)


def _check_areas(municipality_page, actors):
    """A municipality's actor with an area of its own must serve some of that municipality (as in the editor)."""
    home = municipality_page.municipality_id
    errors = []
    for actor in actors if home else []:
        municipalities = actor.values.get("area_municipalities") or []
        codes = actor.values.get("area_postal_codes") or []
        if (municipalities or codes) and home not in {m.number for m in municipalities} | {
            p.municipality_id for p in codes
        }:
            message = _("Området må omfatte %(name)s, helt eller delvis: legg til kommunen, eller postnumre i den.")
            errors.append(RowError(actor.row, "kommuner", message % {"name": municipality_page.title}))
    return errors


def _collect_contact(number, row, errors):
    contact = {name: row[header] for header, name in CONTACT_COLUMNS.items()}
    if not any(contact.values()):
        return None
    if not contact["name"]:
        errors.append(RowError(number, "kontaktperson", _("Kontaktpersonen mangler navn.")))
    for header, name in CONTACT_COLUMNS.items():
        contact[name], message = clean_value(ContactPerson, name, header, contact[name])
        if message and contact[name]:
            errors.append(RowError(number, header, message))
    return contact


def _merge(actor, number, values, types, errors):
    """Later rows of an actor may leave its columns empty, but may not contradict the first value given."""
    conflict = _("Enheten «%(title)s» har en annen verdi her enn tidligere i filen.") % {"title": actor.title}
    if types and actor.types and set(types) != set(actor.types):
        errors.append(RowError(number, TYPES_COLUMN, conflict))
    elif types:
        actor.types = types
    for header, name in ACTOR_COLUMNS.items():
        if name is None or name not in values:
            continue
        empty = [] if header in AREA_COLUMNS else ""
        value, current = values[name], actor.values.get(name, empty)
        if value and current and value != current:
            errors.append(RowError(number, header, conflict))
        elif value:
            actor.values[name] = value
        else:
            actor.values.setdefault(name, empty)


def _existing_actors(municipality_page, actors, user):
    """The municipality's actor pages by title, or errors if the file cannot be applied to them."""
    result, existing, duplicates = ImportResult(), {}, set()
    pages = (
        ActorPage.objects.child_of(municipality_page)
        .order_by("path")
        .prefetch_related("actor_types", "contacts", *AREA_FIELDS)  # all _differs reads
    )
    for page in pages:
        if page.title in existing:
            duplicates.add(page.title)
        page._cached_parent_obj = municipality_page  # what get_parent() returns, known without a query
        existing[page.title] = page
    permissions = municipality_page.permissions_for_user(user) if user is not None else None
    if permissions and not (permissions.can_add_subpage() and permissions.can_publish_subpage()):
        result.errors.append(RowError(None, "", _("Du har ikke rettigheter til å publisere aktører i denne kommunen.")))
    for actor in actors:
        page = existing.get(actor.title)
        if actor.title in duplicates:
            message = _("Kommunen har flere aktører med navnet «%(title)s». Gi dem ulike navn før du importerer.")
            result.errors.append(RowError(actor.row, "enhet", message % {"title": actor.title}))
        elif page is not None and (lock := page.get_lock()) and (user is None or lock.for_user(user)):
            message = _("Aktøren «%(title)s» er låst og kan ikke endres av importen. Lås den opp først.")
            result.errors.append(RowError(actor.row, "enhet", message % {"title": actor.title}))
    in_file = {actor.title for actor in actors}
    result.not_in_file = sorted(title for title in existing if title not in in_file)
    return existing, result


def _apply(municipality_page, actors, existing, user, result, progress):
    """Write the file's actors: changed ones through Wagtail's edit-and-publish, new ones in bulk.

    ``progress`` hears of every actor once it is written (or found unchanged), in the order they are written.
    """
    taken_slugs = set(municipality_page.get_children().values_list("slug", flat=True))
    done = 0
    progress.advanced(done)
    new_actors = []
    for actor in actors:
        page = existing.get(actor.title)
        if page is None:
            new_actors.append(actor)
            continue
        if not _differs(page, actor):
            result.unchanged.append(actor.title)
        else:
            if page.live and (page.has_unpublished_changes or page.workflow_in_progress):
                message = _(
                    "«%(title)s» hadde upubliserte endringer. De er erstattet av importen, men finnes i historikken."
                )
                result.warnings.append(message % {"title": actor.title})
            _fill(page, actor)
            result.updated.append(actor.title)
            # The same revision-and-publish an editor's publish makes: history, audit log, confirmation, cache. The
            # publish validates the page, unless it is scheduled (then it is not saved live, and the revision is
            # validated instead); permission to publish here was checked once, for the municipality.
            scheduled = page.go_live_at is not None and page.go_live_at > timezone.now()
            revision = page.save_revision(user=user, log_action=True, clean=scheduled)
            revision.publish(user=user, skip_permission_checks=True)
        done += 1
        progress.advanced(done)

    def published(page):
        nonlocal done
        done += 1
        progress.advanced(done)

    new_pages = []
    for actor in new_actors:
        page = ActorPage(live=False, owner=user, slug=_free_slug(actor.title, taken_slugs))
        _fill_fields(page, actor)
        m2m = {"actor_types": actor.types} | {name: value for name in AREA_FIELDS if (value := actor.values.get(name))}
        new_pages.append(NewPage(page, children={"contacts": _contacts(actor)}, m2m=m2m))
        result.created.append(actor.title)
    # What add_child, save_revision(log_action=True) and publish would leave, in a fixed number of queries per actor.
    create_published_pages(municipality_page, new_pages, user, log_revisions=True, on_published=published)


def _differs(page, actor):
    if not page.live:
        return True
    for name, value in actor.values.items():
        if name in AREA_FIELDS:
            if {v.pk for v in getattr(page, name).all()} != {v.pk for v in value}:
                return True
            continue
        else:
            current = rich_text_to_plain(page.description) if name == "description" else getattr(page, name)
        if current != value:
            return True
    if _scope(actor) not in (None, page.area_scope):
        return True
    if {t.pk for t in page.actor_types.all()} != {t.pk for t in actor.types}:
        return True
    current_contacts = [{n: getattr(c, n) for n in CONTACT_COLUMNS.values()} for c in page.contacts.all()]
    return current_contacts != actor.contacts


def _fill(page, actor):
    _fill_fields(page, actor)
    for name in AREA_FIELDS:
        if name in actor.values:
            setattr(page, name, actor.values[name])  # a ParentalManyToManyField takes the list; saved with the revision
    page.actor_types.set(actor.types)
    page.contacts = _contacts(actor)


def _fill_fields(page, actor):
    """The actor's own columns (not its types, contacts or areas)."""
    scope = _scope(actor)
    if scope is not None:
        page.area_scope = scope
    for name, value in actor.values.items():
        if name in AREA_FIELDS:
            continue
        if name != "description":
            setattr(page, name, value)
        elif rich_text_to_plain(page.description) != value:
            # Only replace the rich text when its words changed, so links and emphasis survive a round trip.
            page.description = plain_to_rich_text(value)


def _contacts(actor):
    return [ContactPerson(sort_order=i, **contact) for i, contact in enumerate(actor.contacts)]


def _scope(actor):
    """The area scope the file gives (chosen when it names municipalities or postal codes), None when it has no
    area columns."""
    if not any(name in actor.values for name in AREA_FIELDS):
        return None
    chosen = any(actor.values.get(name) for name in AREA_FIELDS)
    return AreaScope.CHOSEN if chosen else AreaScope.WHOLE


def _free_slug(title, taken):
    base = norwegian_slug(title) or "aktor"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug
