"""Which municipality – and which address – a reader means: from a postal code, an address, a place or a name.

The lookup page (:class:`MunicipalityIndexPage`), the pathways and the care process resolve through
:func:`resolve`. A postal code answers for that address: the municipality's actors that serve it, the
inter-municipal services and the specialist units whose catchment area covers it. A name answers with every
match: a municipality and a postal place of the same name elsewhere («Os») are both offered.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from core.digits import to_ascii_digits

from .models import ActorPage, Municipality, MunicipalityPage, PostalCode

MAX_QUERY_LENGTH = 200
# ASCII digits only: the query's digits are normalised first (core.digits), and «²» is no digit of a postal code.
POSTAL_CODE = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")
DIGIT_RUN = re.compile(r"[0-9]+")
# Postal codes that stand for a place's addresses rather than its post boxes or service codes.
ADDRESS_CATEGORIES = ("G", "B")


@dataclass
class Choice:
    """One of several places a name may mean, and where the lookup goes for it."""

    label: str
    query: str

    @property
    def querystring(self):
        return urlencode({"q": self.query} if not self.query.startswith("kommune=") else {"kommune": self.query[8:]})


@dataclass
class LookupResult:
    page: MunicipalityPage | None = None
    message: str = ""
    suggestions: list = field(default_factory=list)
    municipality: Municipality | None = None
    postal_code: PostalCode | None = None
    choices: list = field(default_factory=list)

    @property
    def searched_for(self):
        """«5200 Os»: what the reader's search was taken to mean."""
        if self.postal_code is not None:
            return f"{self.postal_code.code} {place_name(self.postal_code.place)}"
        return ""


def place_name(place):
    """Bring's upper-case place name as it is written («FØRDE» → «Førde», «MO I RANA» → «Mo i Rana»)."""
    words = place.lower().split(" ")
    small = {"i", "på", "og"}
    return " ".join(w if (w in small and n) else w[:1].upper() + w[1:] for n, w in enumerate(words))


def _page_for(municipality):
    return MunicipalityPage.objects.live().filter(municipality=municipality).first()


def _found(municipality, postal_code=None):
    page = _page_for(municipality)
    if page is not None:
        return LookupResult(page=page, municipality=municipality, postal_code=postal_code)
    where = f"{postal_code.code} {place_name(postal_code.place)} ligger i " if postal_code else ""
    return LookupResult(
        message=_("%(where)s%(name)s kommune, som ennå ikke har publisert sitt aktørkart her.")
        % {"where": where, "name": municipality.name},
        suggestions=published_pages(),
        municipality=municipality,
        postal_code=postal_code,
    )


def published_pages():
    """Published actor maps for suggestions and the picker; only what a link needs."""
    return list(
        MunicipalityPage.objects.live()
        .filter(municipality__isnull=False)
        .only("title", "url_path", "path", "depth", "municipality_id")
        .order_by("title")
    )


def resolve(query="", municipality_number=""):
    """Work out which municipality (and address) a person means; never raises on odd input."""
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
    return _by_name(query)


def _by_name(query):
    name = query.upper()
    exact = list(Municipality.objects.filter(name__iexact=query).order_by("number"))
    # A postal place with the name of a municipality elsewhere («Os» in Bjørnafjorden, beside Os kommune).
    shadowed = _places_named(name, exclude=[m.number for m in exact]) if exact else []
    if len(exact) == 1 and not shadowed:
        return _found(exact[0])
    if exact:
        choices = [
            Choice(_("%(name)s kommune (%(county)s)") % {"name": m.name, "county": m.county}, f"kommune={m.number}")
            for m in exact
        ]
        choices += [
            Choice(
                _("%(code)s %(place)s (i %(municipality)s kommune)")
                % {"code": p.code, "place": place_name(p.place), "municipality": p.municipality.name},
                p.code,
            )
            for p in shadowed
        ]
        return LookupResult(
            message=_("Flere steder heter «%(query)s». Velg det du mener:") % {"query": query}, choices=choices
        )
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


def _places_named(name, exclude):
    """One postal code per municipality (other than ``exclude``) with a place of this name, addresses first."""
    codes = (
        PostalCode.objects.filter(place=name)
        .exclude(municipality__in=exclude)
        .select_related("municipality")
        .order_by("code")
    )
    first = {}
    for code in codes:
        current = first.get(code.municipality_id)
        if current is None or (current.category not in ADDRESS_CATEGORIES and code.category in ADDRESS_CATEGORIES):
            first[code.municipality_id] = code
    return sorted(first.values(), key=lambda c: c.code)


def actors_for(municipality, postal_code=None, exclude_own=False):
    """The actors serving an address (or a municipality), grouped under headings for the lookup's answer.

    The municipality's own actors first, then services entered once for several municipalities, then the
    specialist health service; each actor carries its area (``area_label``). A fixed number of queries.
    """
    actors = ActorPage.objects.live().serving(municipality.number, postal_code and postal_code.code)
    if exclude_own:
        actors = actors.exclude(municipality__municipality_id=municipality.number)
    own, shared, specialist = [], [], []
    for actor in actors.for_display():
        if actor.is_specialist_unit:
            specialist.append(actor)
        elif actor.municipality.municipality_id == municipality.number and not actor.is_inter_municipal:
            own.append(actor)
        else:
            shared.append(actor)
    groups = [
        (_("Kommunale tjenester i %(name)s") % {"name": municipality.name}, own),
        (_("Tjenester flere kommuner har sammen"), shared),
        (_("Spesialisthelsetjenesten"), specialist),
    ]
    return [(heading, group) for heading, group in groups if group]
