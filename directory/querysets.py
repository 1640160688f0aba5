"""Reads of the directory, named for the screen or job that needs them."""

from django.apps import apps
from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from core.dates import add_months


class ActorPageQuerySet(PageQuerySet):
    def for_display(self, with_areas=True, contacts=True):
        """Everything an actor map shows, in a fixed number of queries however many actors there are.

        ``contacts=False`` leaves the contact persons to whoever renders an actor's block (the municipality page
        fetches them for the blocks its cache does not hold, ``directory_tags.actor_blocks``).
        """
        actor_types = self.model._meta.get_field("actor_types").related_model
        lookups = [Prefetch("actor_types", queryset=actor_types.objects.filter(live=True))]
        if contacts:
            lookups.append("contacts")
        if with_areas:
            lookups += ["area_municipalities", "area_postal_codes"]
        return self.select_related("confirmation", "municipality").prefetch_related(*lookups).order_by("title")

    def serving(self, municipality_number, postal_code=None):
        """Actors whose area covers an address (its postal code) or, without one, any part of a municipality.

        An actor serves its whole municipality – a health trust's unit its trust's whole catchment area – unless
        its area is chosen; a chosen area is whole municipalities (an inter-municipal service, wherever it is
        entered) and postal codes (a district). One query whatever the number of actors, trusts, areas and
        postal codes: the area tables are read as subqueries.
        """
        trusts = apps.get_model("directory", "HealthTrustPage")
        by_municipality = {"municipality_id": municipality_number}
        by_code = (
            {"postalcode_id": postal_code} if postal_code else {"postalcode__municipality_id": municipality_number}
        )

        def covering(field, model=self.model):
            through = getattr(model, field).through.objects
            key = "healthtrustpage_id" if model is trusts else "actorpage_id"
            lookup = by_municipality if field.endswith("municipalities") else by_code
            return through.filter(**lookup).values(key)

        whole = (
            Q(municipality__municipality_id=municipality_number)
            | Q(municipality_id__in=covering("catchment_municipalities", trusts))
            | Q(municipality_id__in=covering("catchment_postal_codes", trusts))
        )
        chosen = Q(pk__in=covering("area_municipalities")) | Q(pk__in=covering("area_postal_codes"))
        return self.filter(Q(area_scope="hele") & whole | Q(area_scope="valgt") & chosen)

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
    pass
