"""Bring's postal register: the full national import, re-runs, Latin-1 input and bad files."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directory.models import Municipality, PostalCode
from directory.postal_register import RegisterError, import_register, proper_case

REGISTER = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "postnummerregister.tsv"
needs_register = pytest.mark.skipif(not REGISTER.exists(), reason="../shared/data/postnummerregister.tsv is missing")


@needs_register
@pytest.mark.django_db
def test_full_register_imports_every_code_and_municipality():
    rows = [line for line in REGISTER.read_text(encoding="utf-8").splitlines() if line.strip()]
    summary = import_register(REGISTER.read_bytes())
    # The shared README says 5,121 rows; the file has 5,122 (its last line has no newline, so `wc -l` shows 5,121).
    assert summary.codes == len(rows) == PostalCode.objects.count() >= 5121
    mainland = [m for m in Municipality.objects.all() if m.is_mainland]
    assert len(mainland) == 357
    assert Municipality.objects.count() == 359
    assert Municipality.objects.get(number="4624").name == "Bjørnafjorden"
    assert Municipality.objects.get(number="4624").county == "Vestland"
    assert PostalCode.objects.get(code="5200").municipality_id == "4624"
    assert {m.county_number for m in mainland} == {
        "03",
        "11",
        "15",
        "18",
        "31",
        "32",
        "33",
        "34",
        "39",
        "40",
        "42",
        "46",
        "50",
        "55",
        "56",
    }


@needs_register
@pytest.mark.django_db
def test_rerun_is_idempotent_and_a_changed_register_is_applied():
    raw = REGISTER.read_bytes()
    import_register(raw)
    again = import_register(raw)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)

    text = raw.decode("utf-8")
    changed = text.replace("5200\tOS\t4624", "5200\tOS SENTRUM\t4624").replace("0001\tOSLO\t0301\tOSLO\tP\n", "")
    summary = import_register(changed.encode("utf-8"))
    assert (summary.updated, summary.deleted) == (1, 1)
    assert PostalCode.objects.get(code="5200").place == "OS SENTRUM"
    assert not PostalCode.objects.filter(code="0001").exists()


@pytest.mark.django_db
def test_brings_latin1_file_is_accepted(tmp_path):
    path = tmp_path / "postnummerregister-ansi.txt"
    path.write_bytes("5392\tSTOREBØ\t4625\tAUSTEVOLL\tG\r\n5650\tTYSSE\t4623\tSAMNANGER\tB\r\n".encode("cp1252"))
    # The seed's register slice has codes this two-line file leaves out: their removal is allowed on purpose.
    call_command("import_postnummer", str(path), "--tillat-fjerning")
    assert PostalCode.objects.get(code="5392").place == "STOREBØ"
    assert Municipality.objects.get(number="4623").name == "Samnanger"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("5392\tSTOREBØ\t4625\tAUSTEVOLL\n", "forventet 5 kolonner"),
        ("53X2\tSTOREBØ\t4625\tAUSTEVOLL\tG\n", "firesifret postnummer"),
        ("5392\tSTOREBØ\t4625\tAUSTEVOLL\tQ\n", "ukjent kategori"),
        ("5392\tSTOREBØ\t4625\tAUSTEVOLL\tG\n5392\tSTOREBØ\t4625\tAUSTEVOLL\tG\n", "to ganger"),
        ("", "ingen postnummer"),
    ],
)
def test_a_broken_file_is_rejected_and_the_old_register_kept(content, message):
    import_register("5200\tOS\t4624\tBJØRNAFJORDEN\tG\n".encode(), allow_removal=True)
    with pytest.raises(RegisterError) as excinfo:
        import_register(content.encode("utf-8"))
    assert message in str(excinfo.value)
    assert list(PostalCode.objects.values_list("code", flat=True)) == ["5200"]


def test_missing_file_gives_a_norwegian_error():
    with pytest.raises(CommandError, match="Fant ikke filen"):
        call_command("import_postnummer", "/finnes/ikke.tsv")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("BJØRNAFJORDEN", "Bjørnafjorden"),
        ("NORE OG UVDAL", "Nore og Uvdal"),
        ("AURSKOG-HØLAND", "Aurskog-Høland"),
        ("HERØY (MØRE OG ROMSDAL)", "Herøy (Møre og Romsdal)"),
    ],
)
def test_names_are_shown_in_proper_case(raw, expected):
    assert proper_case(raw) == expected
