"""Export and import of a municipality's actor map as CSV/XLSX: round trips, row errors, permissions and safety."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, Revision

from directory.groups import NATIONAL_ADMINS
from directory.models import ActorPage, ImportJob
from directory.spreadsheet import (
    HEADERS,
    export_rows,
    neutralise_formula,
    read_rows,
    rich_text_to_plain,
    to_csv,
    to_xlsx,
)
from directory.spreadsheet_import import IMPORT_ACTION, import_directory
from tests import factories

KE = "koordinerende-enhet-kommune"


def csv_bytes(rows, delimiter=";", encoding="utf-8-sig", headers=HEADERS):
    """A CSV file as a spreadsheet program would save it; rows are dicts keyed by header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def row(title, types=KE, **values):
    return {"enhet": title, "aktørtyper": types, **{k.replace("_dash_", "-"): v for k, v in values.items()}}


def snapshot(municipality_page):
    """Everything the public actor map shows, independent of page ids and slugs."""
    actors = ActorPage.objects.live().filter(municipality=municipality_page).for_display()
    return [
        (
            a.title,
            rich_text_to_plain(a.description),
            a.phone,
            a.email,
            a.website,
            a.visiting_address,
            a.postal_address,
            a.opening_hours,
            sorted(t.slug for t in a.actor_types.all()),
            [(c.name, c.role, c.phone, c.email) for c in a.contacts.all()],
        )
        for a in actors
    ]


@pytest.fixture
def national_admin(make_user):
    return make_user("nasjonal", groups=[Group.objects.get(name=NATIONAL_ADMINS)])


@pytest.fixture(scope="module")
def _bjornafjorden(module_db):
    with module_db():
        page, editors, _ = factories.municipality("4624")
        ke = factories.make_actor(
            page,
            "Koordinerende enhet Bjørnafjorden",
            type_slugs=(KE, "barnekoordinator"),
            phone="+47 56 57 50 00",
            contacts=(("Åse Ødegård", "Leder", "56 57 50 01"), ("Bjørn Æsøy", "Koordinator", "+47 900 00 000")),
        )
        ke.description = "<p>Vi hjelper deg å få <b>riktig</b> hjelp.</p><p>Ring oss på hverdager.</p>"
        ke.website = "https://bjornafjorden.kommune.no/ke"
        ke.visiting_address = "Rådhusvegen 1, 5200 Os"
        ke.postal_address = "Postboks 24, 5201 Os"
        ke.opening_hours = "Mandag–fredag 08–15\nStengt i romjulen"
        ke.save_revision().publish()
        factories.make_actor(page, "Legevakt Os", type_slugs=("legevakt",), phone="116 117 00", contacts=())
        factories.make_actor(
            page,
            "=Helsestasjon Søreide",
            type_slugs=("helsestasjon-skolehelsetjeneste",),
            contacts=(("Per Ås", "@jordmor", "55 11 22 33"),),
        )
        return factories.keys_of({"page": page, "editors": editors})


@pytest.fixture
def bjornafjorden(db, _bjornafjorden):
    """Three actors with æøå, rich text, several types, two contacts, no contacts, and formula-like text
    (built once for the module); (page, editor group)."""
    built = factories.fresh(_bjornafjorden)
    return built["page"], built["editors"]


# --- round trip -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_into_another_municipality(
    fmt, bjornafjorden, make_municipality, make_user, national_admin, verified_client
):
    source, editors = bjornafjorden
    target, _, _ = make_municipality("4625")
    editor = make_user("redaktor", groups=[editors])
    response = verified_client(editor).get(reverse("directory_export", args=[source.pk]), {"format": fmt})
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="aktorkart-4624-bjornafjorden-') and f'.{fmt}"' in disposition

    result = import_directory(target, response.content, f"eksport.{fmt}", national_admin)

    assert result.ok, result.errors
    assert sorted(result.created) == sorted(a.title for a in ActorPage.objects.filter(municipality=source))
    assert snapshot(target) == snapshot(source)
    assert export_rows(target) == export_rows(source)
    new_actor = ActorPage.objects.get(municipality=target, title="Legevakt Os")
    assert new_actor.live and new_actor.owner == national_admin
    assert new_actor.get_latest_revision().user == national_admin
    assert PageLogEntry.objects.filter(page=target, action=IMPORT_ACTION, user=national_admin).exists()

    # The same file again changes nothing: no new revisions, everything reported unchanged.
    revisions = Revision.objects.count()
    again = import_directory(target, response.content, f"eksport.{fmt}", national_admin)
    assert again.ok and len(again.unchanged) == 3 and not again.created and not again.updated
    assert Revision.objects.count() == revisions


def test_csv_export_is_excel_friendly_and_neutralises_formulas(bjornafjorden):
    source, _ = bjornafjorden
    data = to_csv(export_rows(source))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(HEADERS)
    cells = [c for r in csv.reader(io.StringIO(text), delimiter=";") for c in r]
    assert "'=Helsestasjon Søreide" in cells and "'@jordmor" in cells
    assert "+47 56 57 50 00" in cells and "+47 900 00 000" in cells  # plain phone numbers are left alone
    assert "Åse Ødegård" in cells


def test_xlsx_export_stores_formula_like_text_as_text(bjornafjorden):
    source, _ = bjornafjorden
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(export_rows(source)))).active
    cells = {cell.value: cell for r in sheet.iter_rows(min_row=2) for cell in r if cell.value}
    assert cells["=Helsestasjon Søreide"].data_type == "s" and cells["=Helsestasjon Søreide"].quotePrefix
    assert cells["@jordmor"].quotePrefix
    assert not cells["Legevakt Os"].quotePrefix


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("+47 55 12 34 56", "+47 55 12 34 56"),
        ("55 12 34 56", "55 12 34 56"),
        ("+47 55 12 34 56 =1", "'+47 55 12 34 56 =1"),
        ("Os legevakt", "Os legevakt"),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


# --- errors: everything checked, nothing changed ---------------------------------------------------------------------


def test_row_errors_are_reported_and_nothing_changes(bjornafjorden, national_admin, verified_client):
    page, _ = bjornafjorden
    data = csv_bytes(
        [
            row("Ny enhet som ellers er gyldig", kontaktperson="Kari"),
            row("Koordinerende enhet Bjørnafjorden", telefon="ring meg"),
            row("Fysioterapi", e_dash_post="ikke-en-adresse"),
            row("Psykisk helse", types="psykisk-helse-rus-kommune; tannlege;Fotterapeut"),
            row("", telefon="55 00 00 00"),
            row("Uten type", types=""),
            row("Kontakt uten navn", kontaktperson_telefon="55 12 34 56"),
        ]
    )
    pages, revisions = Page.objects.count(), Revision.objects.count()
    response = verified_client(national_admin).post(
        reverse("directory_import", args=[page.pk]), {"file": SimpleUploadedFile("kart.csv", data)}, follow=True
    )

    # The import runs as a background job; its page shows the outcome (the tests run jobs at once).
    assert response.status_code == 200
    errors = [(e["row"], e["column"]) for e in response.context["job"].errors]
    assert errors == [
        (3, "telefon"),
        (4, "e-post"),
        (5, "aktørtyper"),
        (6, "enhet"),
        (7, "aktørtyper"),
        (8, "kontaktperson"),
    ]
    body = response.content.decode()
    assert "Ukjente aktørtyper: «tannlege», «Fotterapeut»" in body
    assert "«ikke-en-adresse» er ikke en gyldig e-postadresse." in body
    assert "Skriv telefonnummeret med sifre" in body
    assert "Enheten mangler navn." in body
    assert "Ingenting er endret" in body
    assert Page.objects.count() == pages and Revision.objects.count() == revisions
    assert not ActorPage.objects.filter(title="Ny enhet som ellers er gyldig").exists()


def test_conflicting_values_for_one_actor_are_an_error(bjornafjorden, national_admin):
    page, _ = bjornafjorden
    data = csv_bytes(
        [
            row("Barneteam", telefon="55 00 00 01", kontaktperson="A"),
            row("Barneteam", types="", telefon="", kontaktperson="B"),  # empty: inherits the first row's value
            row("Barneteam", telefon="55 00 00 02", kontaktperson="C"),
        ]
    )
    result = import_directory(page, data, "kart.csv", national_admin)
    assert [(e.row, e.column) for e in result.errors] == [(4, "telefon")]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("kart.csv", b"", "Filen er tom."),
        ("kart.csv", b"\r\n;;\r\n", "Filen er tom."),
        ("kart.csv", b"navn;telefon\r\nOs;55 00 00 00\r\n", "Disse kolonnene mangler i rad 1: «enhet», «aktørtyper»"),
        ("kart.xlsx", b"enhet;aktortyper\r\n", "kunne ikke leses som et Excel-regneark"),
        ("kart.xlsx", b"PK\x03\x04 ikke egentlig en zip", "kunne ikke leses som et Excel-regneark"),
        ("kart.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Filen er ikke en CSV-fil."),
        ("kart.xls", b"\xd0\xcf\x11\xe0", "Gamle Excel-filer (.xls)"),
        ("kart.pdf", b"%PDF-1.7", "Bare CSV-filer (.csv) og Excel-regneark (.xlsx)"),
    ],
)
def test_unreadable_files_give_a_clear_message(bjornafjorden, national_admin, filename, data, message):
    page, _ = bjornafjorden
    result = import_directory(page, data, filename, national_admin)
    assert not result.ok
    assert result.errors[0].row is None
    assert message in result.errors[0].message


def test_file_over_the_size_limit_is_refused(bjornafjorden, national_admin, verified_client, settings):
    page, _ = bjornafjorden
    settings.LKT_UPLOAD_MAX_BYTES = 1024 * 1024
    data = csv_bytes([row("Enhet", beskrivelse="x" * (1024 * 1024))])
    client = verified_client(national_admin)
    response = client.post(reverse("directory_import", args=[page.pk]), {"file": SimpleUploadedFile("kart.csv", data)})
    assert response.status_code == 200
    assert "Filen er for stor. Største tillatte størrelse er 1 MB." in response.content.decode()
    assert "Filen er for stor" in import_directory(page, data, "kart.csv", national_admin).errors[0].message


def test_non_spreadsheet_uploads_are_refused_in_norwegian(bjornafjorden, national_admin, verified_client):
    page, _ = bjornafjorden
    client = verified_client(national_admin)
    url = reverse("directory_import", args=[page.pk])
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    response = client.post(url, {"file": SimpleUploadedFile("bilde.png", png)})
    assert response.status_code == 200
    assert "Velg en .csv- eller .xlsx-fil." in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("bilde.xlsx", png)})
    assert response.status_code == 200
    assert "kunne ikke leses som et Excel-regneark" in response.content.decode()


# --- updating and encodings ------------------------------------------------------------------------------------------


def test_update_by_title_publishes_a_new_revision_and_the_public_page_shows_it(
    bjornafjorden, national_admin, verified_client
):
    page, _ = bjornafjorden
    actor = ActorPage.objects.get(title="Legevakt Os")
    public = Client()
    assert "116 117 00" in public.get(page.url).content.decode()  # warms the municipality's cache
    revisions = actor.revisions.count()
    data = csv_bytes(
        [
            row("Legevakt Os", types="Legevakt", telefon="56 12 34 56", kontaktperson="Lege Ødegård"),
            row("Legevakt Os", types="legevakt", telefon="56 12 34 56", kontaktperson="Sykepleier Ås"),
        ]
    )
    client = verified_client(national_admin)
    response = client.post(reverse("directory_import", args=[page.pk]), {"file": SimpleUploadedFile("kart.csv", data)})

    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("directory_import_job", args=[job.pk])
    message = client.get(response["Location"]).content.decode()
    assert "0 nye, 1 oppdatert og 0 uendret" in message and "=Helsestasjon Søreide" in message
    actor = ActorPage.objects.get(pk=actor.pk)
    assert actor.revisions.count() == revisions + 1
    assert actor.get_latest_revision().user == national_admin and actor.live_revision == actor.get_latest_revision()
    assert [c.name for c in actor.contacts.all()] == ["Lege Ødegård", "Sykepleier Ås"]
    assert ActorPage.objects.filter(municipality=page).count() == 3  # actors not in the file are left alone
    assert "56 12 34 56" in public.get(actor.url).content.decode()
    assert "56 12 34 56" in public.get(page.url).content.decode()
    assert PageLogEntry.objects.filter(page=actor, action="wagtail.publish", user=national_admin).exists()


def test_latin1_csv_with_commas_imports(make_municipality, national_admin):
    page, _, _ = make_municipality("4625")
    data = csv_bytes(
        [row("Helsestasjon Storebø", types="Helsestasjon og skolehelsetjeneste", kontaktperson="Åse Ødegård")],
        delimiter=",",
        encoding="cp1252",
    )
    result = import_directory(page, data, "kart.csv", national_admin)
    assert result.ok, result.errors
    actor = ActorPage.objects.get(municipality=page)
    assert actor.title == "Helsestasjon Storebø" and actor.contacts.get().name == "Åse Ødegård"


def test_xlsx_numbers_and_websites_without_scheme(make_municipality, national_admin):
    page, _, _ = make_municipality("4625")
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(["Legevakt", "legevakt", None, 55123456, None, "www.austevoll.kommune.no"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_rows(buffer.getvalue(), "kart.xlsx")
    assert rows[0][0] == 2 and rows[0][1]["telefon"] == "55123456"
    assert import_directory(page, buffer.getvalue(), "kart.xlsx", national_admin).ok
    assert ActorPage.objects.get(municipality=page).website == "https://www.austevoll.kommune.no"


def test_management_command(make_municipality, national_admin, tmp_path, capsys):
    make_municipality("4625")
    good, bad = tmp_path / "kart.csv", tmp_path / "feil.csv"
    good.write_bytes(csv_bytes([row("Legevakt Storebø", types="legevakt")]))
    bad.write_bytes(csv_bytes([row("Legevakt Storebø", telefon="abc")]))
    before = set(ActorPage.objects.values_list("pk", flat=True))  # other tests of this module share a map
    with pytest.raises(CommandError, match="Rad 2, telefon: Skriv telefonnummeret"):
        call_command("import_aktorkart", "4625", str(bad), "--user", "nasjonal")
    assert set(ActorPage.objects.values_list("pk", flat=True)) == before
    call_command("import_aktorkart", "4625", str(good), "--user", "nasjonal")
    assert "1 nye, 0 oppdatert og 0 uendret" in capsys.readouterr().out
    assert ActorPage.objects.exclude(pk__in=before).get().get_latest_revision().user == national_admin


# --- permissions -----------------------------------------------------------------------------------------------------


def test_only_editors_of_the_municipality_may_export(bjornafjorden, make_municipality, make_user, verified_client):
    page, editors = bjornafjorden
    _, bergen_editors, _ = make_municipality("4601")
    url = reverse("directory_export", args=[page.pk])
    other = verified_client(make_user("bergen", groups=[bergen_editors]))
    assert other.get(url, {"format": "csv"}).status_code == 404
    own = verified_client(make_user("os", groups=[editors]))
    assert own.get(url, {"format": "csv"}).status_code == 200
    assert own.get(url, {"format": "pdf"}).status_code == 404
    explorer = own.get(reverse("wagtailadmin_explore", args=[page.pk]))
    assert explorer.status_code == 200
    assert "Eksporter aktørkart" in explorer.content.decode()
    assert "Importer aktørkart" not in explorer.content.decode()


def test_municipal_editors_may_not_import(bjornafjorden, make_user, verified_client, national_admin):
    page, editors = bjornafjorden
    url = reverse("directory_import", args=[page.pk])
    editor = verified_client(make_user("os", groups=[editors]))
    assert editor.get(url).status_code == 404
    data = csv_bytes([row("Ny enhet")])
    assert editor.post(url, {"file": SimpleUploadedFile("kart.csv", data)}).status_code == 404
    assert not ActorPage.objects.filter(title="Ny enhet").exists()

    admin = verified_client(national_admin)
    assert admin.get(url).status_code == 200
    assert "Importer aktørkart" in admin.get(reverse("wagtailadmin_explore", args=[page.pk])).content.decode()
    assert admin.get(reverse("directory_import", args=[page.get_parent().pk])).status_code == 404
