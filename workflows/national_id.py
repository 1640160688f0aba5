"""Norwegian national identity numbers: fødselsnummer, D-nummer and synthetic test numbers.

Both control digits are checked (modulus 11). A D-number adds 4 to the first digit
of the day; the national test data register (Tenor/"syntetiske") adds 80 to the
month. Synthetic numbers are accepted only where ``LKT_ALLOW_SYNTHETIC_NATIONAL_IDS``
is on, which production keeps off so that no test person can be registered as real.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.digits import is_ascii_digits, to_ascii_digits

WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control_digit(digits, weights):
    remainder = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    check = 11 - remainder
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def _century(individual, year2):
    # The individual number tells the century (Skatteetaten's table).
    if individual <= 499:
        return 1900
    if individual <= 749 and year2 >= 54:
        return 1800
    if individual >= 900 and year2 >= 40:
        return 1900
    return 2000


def parse(value):
    """Return (birth date, kind) for a valid number, kind being fnr, dnr or synthetic; raise ValidationError."""
    number = normalise(value)
    if len(number) != 11 or not is_ascii_digits(number):
        raise ValidationError(_("Fødselsnummer og D-nummer har 11 sifre."), code="length")
    digits = [int(ch) for ch in number]
    if _control_digit(digits[:9], WEIGHTS_1) != digits[9] or _control_digit(digits[:10], WEIGHTS_2) != digits[10]:
        raise ValidationError(_("Kontrollsifrene stemmer ikke. Sjekk nummeret."), code="control")
    day, month, year2 = int(number[0:2]), int(number[2:4]), int(number[4:6])
    kind = "fnr"
    if day > 40:
        day -= 40
        kind = "dnr"
    if month > 80:
        month -= 80
        kind = "synthetic"
    elif month > 40:
        # Older synthetic series (NAV's "H-number"-like +40) are test data too.
        month -= 40
        kind = "synthetic"
    year = _century(int(number[6:9]), year2) + year2
    try:
        birth = datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(_("Nummeret inneholder ingen gyldig fødselsdato."), code="date") from None
    if birth > datetime.date.today():
        raise ValidationError(_("Fødselsdatoen i nummeret ligger fram i tid."), code="future")
    return birth, kind


def validate_national_id(value):
    """Form/model validator: a real fødselsnummer or D-number, or a synthetic one where allowed."""
    _birth, kind = parse(value)
    if kind == "synthetic" and not getattr(settings, "LKT_ALLOW_SYNTHETIC_NATIONAL_IDS", False):
        raise ValidationError(_("Syntetiske testnumre (måned + 80) er ikke tillatt i dette miljøet."), code="synthetic")


def normalise(value):
    """The number as stored: without spaces, and with digits typed in another script (Arabic-Indic, full-width)
    as the ASCII digits they are – the same person either way, so one form for uniqueness and lookups. Look-alikes
    that are no decimal digit («²») are kept, for :func:`parse` to refuse."""
    return to_ascii_digits("".join(ch for ch in str(value) if not ch.isspace()))


def build(birth, individual=100, kind="synthetic"):
    """A valid number for a birth date – ``synthetic`` (month + 80), ``dnr`` (day + 40) or ``fnr`` – for
    fixtures and demo data; tries individual numbers upward until both control digits exist."""
    day = birth.day + (40 if kind == "dnr" else 0)
    month = birth.month + (80 if kind == "synthetic" else 0)
    year2 = birth.year % 100
    for ind in range(individual, 1000):
        if _century(ind, year2) + year2 != birth.year:
            continue
        base = f"{day:02d}{month:02d}{year2:02d}{ind:03d}"
        digits = [int(ch) for ch in base]
        k1 = _control_digit(digits, WEIGHTS_1)
        if k1 is None:
            continue
        k2 = _control_digit(digits + [k1], WEIGHTS_2)
        if k2 is None:
            continue
        return f"{base}{k1}{k2}"
    raise ValueError("no number for this date")


def synthetic(birth, individual=100):
    return build(birth, individual, "synthetic")
