"""Reads of the directory, named for the screen or job that needs them."""

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.apps import apps
from django.db import connections
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils import timezone
from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from core.dates import add_months

from .levels import Level


@dataclass(eq=False)
class MapEntry:
    """One actor on a map as the page around its blocks needs it: the headings, the contents, the roles and the
    coverage read only these, and each block is keyed on the two times (``directory_tags.actor_blocks``).

    Reading the rows as values costs a fraction of building each actor as a Wagtail page with its municipality's
    page and confirmation beside it, which is what a render right after a publish elsewhere on the map did for
    every actor whose block the cache already held (bench/README.md).
    """

    pk: int
    title: str
    last_published_at: datetime | None
    last_confirmed_at: datetime | None
    types: list = field(default_factory=list)

    @property
    def primary_level(self):
        # As ActorPage.primary_level: the level of the first live type in the catalogue's order.
        return self.types[0].level if self.types else Level.OTHER


# Stand-ins for the address while the union below is compiled; each is replaced by the real value per call.
_MUNICIPALITY = "lkt:serving:municipality"
_POSTAL_CODE = "lkt:serving:postal-code"


@functools.cache
def _serving_sql(model, alias, by_postal_code):
    """The SQL and parameters of :meth:`ActorPageQuerySet.serving`'s union, compiled once per database and shape.

    Building the three subqueries with the ORM took about 3 ms a call, as long as PostgreSQL took to run them, and
    every render of an actor map right after a publish paid it (bench/README.md). The parameters hold the two
    stand-ins where the address goes, so the compiled statement is the ORM's own, only filled in per call.
    """
    maps = model._meta.get_field("municipality").related_model
    trusts = apps.get_model("directory", "HealthTrustPage")
    by_municipality = {"municipality_id": _MUNICIPALITY}
    by_code = {"postalcode_id": _POSTAL_CODE} if by_postal_code else {"postalcode__municipality_id": _MUNICIPALITY}

    def covering(field, owner):
        through = getattr(owner, field).through.objects
        key = "healthtrustpage_id" if owner is trusts else "actorpage_id"
        lookup = by_municipality if field.endswith("municipalities") else by_code
        return through.filter(**lookup).values(key)

    whole_maps = (
        maps.objects.filter(**by_municipality)
        .order_by()  # a page's default order: no compound statement may carry one (SQLite refuses it)
        .values("pk")
        .union(covering("catchment_municipalities", trusts), covering("catchment_postal_codes", trusts))
    )
    whole = model.objects.filter(area_scope="hele", municipality_id__in=whole_maps).order_by().values("pk")
    chosen = [
        model.objects.filter(area_scope="valgt", pk__in=covering(field, model)).order_by().values("pk")
        for field in ("area_municipalities", "area_postal_codes")
    ]
    return whole.union(*chosen).query.get_compiler(using=alias).as_sql()


class ActorPageQuerySet(PageQuerySet):
    def for_display(self):
        """Everything an actor's block shows, in a fixed number of queries however many actors there are."""
        actor_types = self.model._meta.get_field("actor_types").related_model
        lookups = [Prefetch("actor_types", queryset=actor_types.objects.filter(live=True)), "contacts"]
        clone = self.select_related("confirmation", "municipality").prefetch_related(*lookups).order_by("title")
        clone._lkt_chosen_areas = True
        return clone

    AREA_RELATIONS = ("area_municipalities", "area_postal_codes")

    def _clone(self):
        clone = super()._clone()
        clone._lkt_chosen_areas = getattr(self, "_lkt_chosen_areas", False)
        return clone

    def _prefetch_related_objects(self):
        super()._prefetch_related_objects()
        if getattr(self, "_lkt_chosen_areas", False):
            self._prefetch_chosen_areas(self._result_cache)

    @classmethod
    def _prefetch_chosen_areas(cls, actors):
        """The areas of the actors whose area is chosen, in one query per relation; the others' are empty.

        An actor serving its whole municipality keeps no area (the form and the import clear it), so reading it
        would only cost time: prefetching the two relations for every actor of a map built a related manager
        and a queryset per actor and relation, about 14 ms for 60 actors of which none had a chosen area
        (bench/README.md, the render after a publish).
        """
        chosen = [a for a in actors if a.area_scope == "valgt"]
        if chosen:
            prefetch_related_objects(chosen, *cls.AREA_RELATIONS)
        for name in cls.AREA_RELATIONS:
            empty = None
            for actor in actors:
                if actor.area_scope == "valgt":
                    continue
                if empty is None:
                    # One empty, already-evaluated queryset shared by every such actor, as a prefetch leaves it.
                    empty = getattr(actor, name).none()
                    empty._result_cache, empty._prefetch_done = [], True
                actor.__dict__.setdefault("_prefetched_objects_cache", {})[name] = empty

    def serving(self, municipality_number, postal_code=None):
        """Actors whose area covers an address (its postal code) or, without one, any part of a municipality.

        An actor serves its whole municipality – a health trust's unit its trust's whole catchment area – unless
        its area is chosen; a chosen area is whole municipalities (an inter-municipal service, wherever it is
        entered) and postal codes (a district). One query whatever the number of actors, trusts, areas and
        postal codes.

        The actors are found as the union of three small sets – those serving the whole of the maps that cover
        the municipality (its own and its trusts'), and those whose chosen area names it or one of its postal
        codes – each read through an index, so the query costs the same in a country of 21,000 actors as in a
        county (an ``OR`` of these conditions made PostgreSQL read every actor: 7 ms at national scale).
        """
        sql, params = _serving_sql(self.model, self.db, bool(postal_code))
        values = {_MUNICIPALITY: municipality_number, _POSTAL_CODE: postal_code}
        # The ORM compiled this SQL (_serving_sql); the address goes in only as parameters.
        return self.filter(pk__in=RawSQL(sql, [values.get(p, p) for p in params]))  # noqa: S611

    def overdue(self, now=None):
        """Actors whose data has not been confirmed within their municipality's review interval.

        Intervals are per municipality, so the cut-off is computed once per distinct
        interval (a handful) and the whole country is answered in one query.
        """
        municipality_pages = self.model._meta.get_field("municipality").related_model
        now = now or timezone.now()
        intervals = municipality_pages.objects.values_list("review_interval_months", flat=True).distinct()
        condition = Q(confirmation__isnull=True)
        for months in intervals:
            condition |= Q(
                municipality__review_interval_months=months,
                confirmation__confirmed_at__lte=add_months(now, -months),
            )
        return self.filter(condition)


class ActorPageManager(PageManager.from_queryset(ActorPageQuerySet)):
    def map_of(self, municipality_number, catalogue=None):
        """The live actors serving a municipality as :class:`MapEntry` rows in title order, with their live types
        (from the cached catalogue, in its order): one query however many actors and types there are."""
        if catalogue is None:
            catalogue = self.model._meta.get_field("actor_types").related_model.live_catalogue()
        order = {t.pk: i for i, t in enumerate(catalogue)}
        sql, params = _map_sql(self.model, self.db)
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [municipality_number if p == _MUNICIPALITY else p for p in params])
            rows = cursor.fetchall()
        entries = {}
        for pk, title, published, confirmed, type_pk in rows:
            entry = entries.get(pk)
            if entry is None:
                entry = entries[pk] = MapEntry(pk, title, _aware(published), _aware(confirmed))
            if type_pk in order:
                entry.types.append(catalogue[order[type_pk]])
        for entry in entries.values():
            entry.types.sort(key=lambda actor_type: order[actor_type.pk])
        return list(entries.values())


@functools.cache
def _map_sql(model, alias):
    """:meth:`ActorPageManager.map_of`'s statement, compiled once per database as ``serving()``'s union is: a row
    per actor and live or withdrawn type (the through table joined), grouped by actor in title order.

    Built by the ORM on every call, this statement and the types' own took longer than PostgreSQL took to run them,
    in every render of an actor map right after a publish (bench/README.md).
    """
    rows = model.objects.live().serving(_MUNICIPALITY).order_by("title", "pk")
    fields = ("pk", "title", "last_published_at", "confirmation__confirmed_at", "actor_types")
    return rows.values_list(*fields).query.get_compiler(using=alias).as_sql()


def _aware(value):
    # The ORM's converters do not run on a cursor: SQLite hands back the naive UTC time it stores.
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, UTC)
    return value
