"""Which municipality a reader means: from a postal code, an address, a place or a municipality name.

The lookup page (:class:`MunicipalityIndexPage`) and the pathways both resolve through :func:`resolve`.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.digits import to_ascii_digits

from .models import Municipality, MunicipalityPage, PostalCode

MAX_QUERY_LENGTH = 200
# ASCII digits only: the query's digits are normalised first (core.digits), and «²» is no digit of a postal code.
POSTAL_CODE = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")
DIGIT_RUN = re.compile(r"[0-9]+")


@dataclass
class LookupResult:
    page: MunicipalityPage | None = None
    message: str = ""
    suggestions: list = field(default_factory=list)


def _page_for(municipality):
    return MunicipalityPage.objects.live().filter(municipality=municipality).first()


def _found(municipality, postal_code=None):
    page = _page_for(municipality)
    if page is not None:
        return LookupResult(page=page)
    where = f"{postal_code.code} {postal_code.place.title()} ligger i " if postal_code else ""
    return LookupResult(
        message=_("%(where)s%(name)s kommune, som ennå ikke har publisert sitt aktørkart her.")
        % {"where": where, "name": municipality.name},
        suggestions=published_pages(),
    )


def published_pages():
    """Published actor maps for suggestions and the picker; only what a link needs."""
    return list(
        MunicipalityPage.objects.live().only("title", "url_path", "path", "depth", "municipality_id").order_by("title")
    )


def resolve(query="", municipality_number=""):
    """Work out which municipality a person means; never raises on odd input."""
    query = to_ascii_digits((query or "").strip()[:MAX_QUERY_LENGTH])
    if municipality_number:
        municipality = Municipality.objects.filter(number=to_ascii_digits(municipality_number.strip()[:4])).first()
        if municipality is None:
            return LookupResult(message=_("Fant ikke kommunen du valgte."), suggestions=published_pages())
        return _found(municipality)
    if not query:
        return LookupResult()

    code = POSTAL_CODE.search(query)
    if code:
        postal_code = PostalCode.objects.select_related("municipality").filter(code=code.group(1)).first()
        if postal_code is None:
            return LookupResult(
                message=_("Postnummeret %(code)s finnes ikke. Sjekk sifrene, eller skriv navnet på kommunen.")
                % {"code": code.group(1)},
                suggestions=published_pages(),
            )
        return _found(postal_code.municipality, postal_code)
    if DIGIT_RUN.search(query) and not re.search(r"[^\W\d_]{2,}", query):
        return LookupResult(
            message=_("Et postnummer har fire sifre, for eksempel 5200. Du kan også skrive navnet på kommunen."),
            suggestions=published_pages(),
        )

    name = query.upper()
    exact = Municipality.objects.filter(name__iexact=query).first()
    if exact is not None:
        return _found(exact)
    by_place = Municipality.objects.filter(postal_codes__place=name).distinct().order_by("name")[:10]
    by_name = Municipality.objects.filter(name__icontains=query).order_by("name")[:10]
    candidates = list(dict.fromkeys([*by_name, *by_place]))
    if len(candidates) == 1:
        return _found(candidates[0])
    if candidates:
        pages = {p.municipality_id: p for p in MunicipalityPage.objects.live().filter(municipality__in=candidates)}
        return LookupResult(
            message=_("Flere kommuner passer med «%(query)s». Velg den du mener:") % {"query": query},
            suggestions=[pages.get(m.number) or m for m in candidates],
        )
    return LookupResult(
        message=_("Fant ingen kommune eller poststed som heter «%(query)s». Prøv postnummeret ditt.")
        % {"query": query},
        suggestions=published_pages(),
    )
