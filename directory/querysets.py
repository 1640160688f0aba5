"""Reads of the directory, named for the screen or job that needs them."""

from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from core.dates import add_months


class ActorPageQuerySet(PageQuerySet):
    def for_display(self, contacts=True):
        """Everything an actor map shows, in a fixed number of queries however many actors there are.

        ``contacts=False`` leaves the contact persons to whoever renders an actor's block (the municipality page
        fetches them for the blocks its cache does not hold, ``directory_tags.actor_blocks``).
        """
        actor_types = self.model._meta.get_field("actor_types").related_model
        prefetch = [Prefetch("actor_types", queryset=actor_types.objects.filter(live=True))]
        if contacts:
            prefetch.append("contacts")
        return self.select_related("confirmation", "municipality").prefetch_related(*prefetch).order_by("title")

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
