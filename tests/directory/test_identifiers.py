"""Organisation number (mod 11), HER-id and RESH-id on actors: checked when typed, carried by import and export."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from directory.groups import NATIONAL_ADMINS
from directory.identifiers import (
    HER_SYSTEM,
    ORG_NUMBER_SYSTEM,
    RESH_SYSTEM,
    org_number_check_digit,
    validate_org_number,
)
from directory.models import ActorPage
from directory.spreadsheet import HEADERS, OPTIONAL_HEADERS, export_rows
from directory.spreadsheet_import import import_directory
from tests.directory.test_import_export import csv_bytes, row


@pytest.mark.parametrize("number", ["974760673", "983974724", "940101808"])
def test_valid_organisation_numbers_pass(number):
    validate_org_number(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("974760674", "kontrollsifferet stemmer ikke"),
        ("12345678", "ni sifre"),
        ("9747606731", "ni sifre"),
        ("97476067a", "ni sifre"),
    ],
)
def test_invalid_organisation_numbers_are_refused_in_norwegian(number, message):
    with pytest.raises(ValidationError) as exc:
        validate_org_number(number)
    assert message in " ".join(exc.value.messages)


def test_an_organisation_number_whose_check_digit_would_be_ten_does_not_exist():
    # Eight digits whose weighted sum leaves remainder 1 would need check digit 10: no number starts so.
    first_eight = next(f"{n:08d}" for n in range(10_000_000, 10_001_000) if org_number_check_digit(f"{n:08d}") is None)
    for last in "0123456789":
        with pytest.raises(ValidationError):
            validate_org_number(first_eight + last)


def test_actor_fields_take_spaces_and_refuse_bad_numbers(make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakt Os")
    actor.org_number, actor.her_id, actor.resh_id = "974 760 673", "81 42 519", "100320"
    actor.full_clean()
    assert (actor.org_number, actor.her_id) == ("974760673", "8142519")
    assert actor.identifiers == [
        (ORG_NUMBER_SYSTEM, "974760673"),
        (HER_SYSTEM, "8142519"),
        (RESH_SYSTEM, "100320"),
    ]
    actor.org_number, actor.her_id, actor.resh_id = "974760674", "0123", "abc"
    with pytest.raises(ValidationError) as exc:
        actor.full_clean()
    assert set(exc.value.message_dict) == {"org_number", "her_id", "resh_id"}


def test_the_public_actor_page_shows_the_identifiers(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakt Os")
    actor.org_number, actor.her_id = "974760673", "8142519"
    actor.save_revision().publish()
    body = client.get(actor.url).content.decode()
    assert "974760673" in body and "8142519" in body


@pytest.fixture
def national_admin(make_user):
    return make_user("nasjonal", groups=[Group.objects.get(name=NATIONAL_ADMINS)])


def test_import_and_export_carry_the_identifiers(make_municipality, national_admin):
    page, _, _ = make_municipality("4624")
    data = csv_bytes(
        [
            row(
                "Legevakt Os",
                types="legevakt",
                organisasjonsnummer="974 760 673",
                her_dash_id="8142519",
                resh_dash_id="",
            )
        ]
    )
    result = import_directory(page, data, "kart.csv", national_admin)
    assert result.ok, result.errors
    actor = ActorPage.objects.get(municipality=page, title="Legevakt Os")
    assert (actor.org_number, actor.her_id, actor.resh_id) == ("974760673", "8142519", "")
    exported = export_rows(page)
    assert exported[0]["organisasjonsnummer"] == "974760673" and exported[0]["her-id"] == "8142519"


def test_a_wrong_identifier_in_a_file_is_a_row_error_and_nothing_is_written(make_municipality, national_admin):
    page, _, _ = make_municipality("4624")
    data = csv_bytes(
        [
            row("Legevakt Os", types="legevakt", organisasjonsnummer="974760674"),
            row("Helsestasjon", types="helsestasjon-skolehelsetjeneste", her_dash_id="12a"),
        ]
    )
    result = import_directory(page, data, "kart.csv", national_admin)
    assert [(e.row, e.column) for e in result.errors] == [(2, "organisasjonsnummer"), (3, "her-id")]
    assert "kontrollsifferet stemmer ikke" in result.errors[0].message
    assert not ActorPage.objects.filter(municipality=page).exists()


def test_a_long_text_in_an_identifier_column_is_a_row_error_not_a_failed_import(make_municipality, national_admin):
    # An address pasted into the HER-id column fails both the length and the identifier's own check; the message
    # names the length, and the import reports it as a row error instead of stopping with «feil hos oss».
    page, _, _ = make_municipality("4624")
    data = csv_bytes([row("Legevakt Os", types="legevakt", her_dash_id="Testvegen 1, 5200 Os")])
    result = import_directory(page, data, "kart.csv", national_admin)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "her-id", "Teksten er for lang (høyst 9 tegn).")
    ]
    assert not ActorPage.objects.filter(municipality=page).exists()


def test_a_file_without_the_identifier_columns_keeps_the_identifiers(make_municipality, make_actor, national_admin):
    page, _, _ = make_municipality("4624")
    actor = make_actor(page, "Legevakt Os", type_slugs=("legevakt",))
    actor.org_number = "974760673"
    actor.save_revision().publish()
    old_headers = [h for h in HEADERS if h not in OPTIONAL_HEADERS]
    data = csv_bytes([row("Legevakt Os", types="legevakt", telefon="55 99 99 99")], headers=old_headers)
    result = import_directory(page, data, "kart.csv", national_admin)
    assert result.ok, result.errors
    actor = ActorPage.objects.get(pk=actor.pk)
    assert actor.phone == "55 99 99 99" and actor.org_number == "974760673"
