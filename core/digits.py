"""Digits as people type them and as the database stores them.

``str.isdigit()`` and the regex class ``\\d`` accept far more than 0–9: «²» passes ``isdigit()`` but ``int()``
refuses it (a server error), and Arabic-Indic or full-width digits pass both and would be stored as typed.
Every check in the project that asks «is this a number?» goes through here: identifiers in URLs and forms are
ASCII only, and numbers a person types (fødselsnummer, postal code) are first normalised to ASCII digits.
"""

import re
import unicodedata

ASCII_DIGITS = re.compile(r"[0-9]+")
# The largest primary key PostgreSQL's bigint holds; a longer number in a URL or form is no row of ours.
MAX_ID = 2**63 - 1


def is_ascii_digits(value):
    """True for a non-empty string of 0–9 only."""
    return isinstance(value, str) and ASCII_DIGITS.fullmatch(value) is not None


def parse_id(value):
    """A positive database id from user input (``"42"``), or ``None`` for anything else – «²», «٤٢», «abc», ``""``,
    a number too large for the database. Never raises."""
    value = value.strip() if isinstance(value, str) else value
    if not is_ascii_digits(value) or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values):
    """The valid ids among ``values`` (see :func:`parse_id`), in order, without duplicates."""
    return list(dict.fromkeys(n for n in map(parse_id, values) if n is not None))


def to_ascii_digits(value):
    """Decimal digits of any script (Arabic-Indic «٠١٢», full-width «０１２», …) become 0–9; everything else, including
    characters that only look like digits («²», «①»), is left as it is for the caller's check to refuse."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in str(value))
