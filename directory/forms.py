"""Editing an actor's service area: municipalities and postal codes typed as text, checked against the register.

A multiple-choice list of 5,000 postal codes or 357 municipalities is no way to say «5003–5099»; editors type
numbers, ranges and names, and see exactly which of them the register does not know.
"""

import re
from bisect import bisect_left, bisect_right

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm

from core.digits import to_ascii_digits

MAX_AREA_TEXT = 20_000
# More names than the country has municipalities is a pasted mistake, and each name becomes part of one regex.
MAX_MUNICIPALITIES = 400
_CODE_TOKENS = re.compile(r"[\s,;]+")
_RANGE = re.compile(r"^([0-9]{4})[-–—]([0-9]{4})$")
_NUMBER_IN = re.compile(r"\(?\b([0-9]{4})\b\)?")


def _joined(values):
    return ", ".join(values)


class _ListField(forms.CharField):
    """Shared by the two list fields: changed only when the set of rows changes, not the text's spelling."""

    def has_changed(self, initial, data):
        try:
            new = {item.pk for item in self.clean(data)}
        except forms.ValidationError:
            return True
        if isinstance(initial, str):
            try:
                initial = self.clean(initial)
            except forms.ValidationError:
                return True
        return {getattr(item, "pk", item) for item in initial or []} != new


class PostalCodeListField(_ListField):
    """Postal codes as «5003, 5004, 5200-5211»; a range takes every code the register has between its ends."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_AREA_TEXT)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return _joined(str(getattr(item, "pk", item)) for item in value or [])

    def clean(self, value):
        from .models import PostalCode

        text = to_ascii_digits(super().clean(value) or "")
        singles, ranges, bad = [], [], []
        for token in filter(None, _CODE_TOKENS.split(text.strip())):
            span = _RANGE.match(token)
            if span and span.group(1) <= span.group(2):
                ranges.append(span.groups())
            elif re.fullmatch(r"[0-9]{4}", token):
                singles.append(token)
            else:
                bad.append(token)
        if bad:
            raise forms.ValidationError(
                _("Dette er ikke postnumre: %(bad)s. Skriv firesifrede postnumre, for eksempel «5003, 5200-5211».")
                % {"bad": ", ".join(f"«{b}»" for b in bad[:10])}
            )
        # One condition per distinct range, joined in one Q: chaining a queryset per range costs time in the
        # square of their number, and a pasted list may hold thousands.
        spans = sorted(set(ranges))
        where = Q(code__in=singles, _connector=Q.OR)
        where |= Q(*(Q(code__gte=low, code__lte=high) for low, high in spans), _connector=Q.OR)
        found = list(PostalCode.objects.filter(where).order_by("code")) if singles or ranges else []
        unknown = sorted(set(singles) - {p.code for p in found})
        if unknown:
            raise forms.ValidationError(
                _("Disse postnumrene finnes ikke i postregisteret: %(codes)s.") % {"codes": ", ".join(unknown[:20])}
            )
        # ``found`` is sorted by code: one bisection per range, not a scan of every code for every range (a pasted
        # list of thousands of ranges must not hold the worker).
        codes = [p.code for p in found]
        empty = [f"{low}-{high}" for low, high in spans if bisect_right(codes, high) == bisect_left(codes, low)]
        if empty:
            raise forms.ValidationError(
                _("Ingen postnumre i registeret ligger mellom %(ranges)s.") % {"ranges": ", ".join(empty)}
            )
        return found


class MunicipalityListField(_ListField):
    """Municipalities as «Bergen, Bjørnafjorden (4624), 4625»: by name, or by number where two share a name."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_AREA_TEXT)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return _joined(f"{m.name} ({m.number})" if hasattr(m, "number") else str(m) for m in value or [])

    def clean(self, value):
        from .models import Municipality

        text = to_ascii_digits(super().clean(value) or "")
        tokens = [t.strip() for t in re.split(r"[,;\n]+", text) if t.strip()]
        if len(tokens) > MAX_MUNICIPALITIES:
            raise forms.ValidationError(
                _("Skriv høyst %(max)s kommuner; landet har færre enn det.") % {"max": MAX_MUNICIPALITIES}
            )
        numbers, names = [], []
        for token in tokens:
            number = _NUMBER_IN.search(token)
            (numbers if number else names).append(number.group(1) if number else token)
        by_number = Municipality.objects.in_bulk(numbers)
        by_name = {}
        for municipality in Municipality.objects.filter(name__iregex=_names_regex(names)) if names else []:
            by_name.setdefault(municipality.name.lower(), []).append(municipality)
        found, errors = [by_number[n] for n in numbers if n in by_number], []
        unknown = [n for n in numbers if n not in by_number]
        for name in names:
            matches = by_name.get(name.lower(), [])
            if len(matches) == 1:
                found.append(matches[0])
            elif matches:
                errors.append(
                    _("Flere kommuner heter «%(name)s». Skriv kommunenummeret (%(numbers)s).")
                    % {"name": name, "numbers": _(" eller ").join(m.number for m in matches)}
                )
            else:
                unknown.append(name)
        if unknown:
            errors.insert(
                0,
                _("Fant ikke disse kommunene i postregisteret: %(unknown)s.")
                % {"unknown": ", ".join(f"«{u}»" for u in unknown[:20])},
            )
        if errors:
            raise forms.ValidationError(errors)
        return list({m.number: m for m in found}.values())


def _names_regex(names):
    return "^(" + "|".join(re.escape(n) for n in names) + ")$"


AREA_HELP = {
    "area_municipalities": gettext_lazy(
        "Hele kommuner tjenesten dekker, med navn eller kommunenummer, skilt med komma. "
        "For en interkommunal tjeneste: alle kommunene, også denne."
    ),
    "area_postal_codes": gettext_lazy(
        "Postnumre i deler av kommuner tjenesten dekker, for eksempel en bydel: «5003, 5004, 5200-5211»."
    ),
}


class AreaTextFormMixin:
    """Municipality and postal-code fields of a page form typed as text (see :class:`PostalCodeListField`)."""

    area_fields = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (field_class, help_text) in self.area_fields.items():
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = field_class(label=old.label, required=False, help_text=help_text)


class HealthTrustPageForm(AreaTextFormMixin, WagtailAdminPageForm):
    """A health trust's catchment area as text: whole municipalities, and postal codes where it serves a part."""

    area_fields = {
        "catchment_municipalities": (
            MunicipalityListField,
            gettext_lazy("Kommunene helseforetaket har ansvar for, med navn eller kommunenummer, skilt med komma."),
        ),
        "catchment_postal_codes": (
            PostalCodeListField,
            gettext_lazy("Postnumre i kommuner der helseforetaket bare dekker en del (for eksempel noen bydeler)."),
        ),
    }


class ActorPageForm(AreaTextFormMixin, WagtailAdminPageForm):
    """The actor editor's form: the area fields as text, and an area that includes the actor's own place."""

    area_fields = {
        "area_municipalities": (MunicipalityListField, AREA_HELP["area_municipalities"]),
        "area_postal_codes": (PostalCodeListField, AREA_HELP["area_postal_codes"]),
    }

    def clean(self):
        from .models import AreaScope, MunicipalityPage

        cleaned = super().clean()
        if "area_scope" not in cleaned:
            return cleaned
        municipalities = cleaned.get("area_municipalities") or []
        postal_codes = cleaned.get("area_postal_codes") or []
        if cleaned["area_scope"] == AreaScope.WHOLE:
            # What is not used is not kept: a hidden list would surprise whoever sets the scope back.
            cleaned["area_municipalities"], cleaned["area_postal_codes"] = [], []
            if cleaned.get("area_name"):
                cleaned["area_name"] = ""
            return cleaned
        if "area_municipalities" in self.errors or "area_postal_codes" in self.errors:
            return cleaned
        if not municipalities and not postal_codes:
            self.add_error(
                "area_scope",
                _("Skriv hvilke kommuner eller postnumre tjenesten dekker, eller velg «%(whole)s».")
                % {"whole": AreaScope.WHOLE.label},
            )
            return cleaned
        parent = getattr(self, "parent_page", None)
        parent = parent.specific if parent is not None else None
        if isinstance(parent, MunicipalityPage) and parent.municipality_id:
            home = parent.municipality_id
            if home not in {m.number for m in municipalities} and home not in {p.municipality_id for p in postal_codes}:
                self.add_error(
                    "area_municipalities",
                    _(
                        "Området må omfatte %(name)s, helt eller delvis: aktøren hører til den kommunens aktørkart. "
                        "Legg til kommunen, eller postnumre i den."
                    )
                    % {"name": parent.title},
                )
        return cleaned
