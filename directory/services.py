"""Changes to the directory that do more than save a row: confirmations and their side effects."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from core import cache_versions
from core.collecting import collecting

from .models import AREAS_VERSION, ActorConfirmation, ActorPage

CONFIRM_ACTION = "lkt.confirm"

# The confirmations recorded so far in a ``gathered_confirmations`` block, by page (None: nobody is gathering).
_gathered = ContextVar("lkt_gathered_confirmations", default=None)


@contextmanager
def gathered_confirmations():
    """Write the confirmations recorded in this block with one statement when it ends.

    Every publish of an actor confirms its data (``directory.signals``); an import publishes a whole
    municipality's actors, and one statement for all of them replaces two to four queries for each.
    """
    with collecting(_gathered, join_outer=True) as pending:
        yield
    if pending:  # None inside an outer block, which writes them
        ActorConfirmation.objects.bulk_create(
            pending.values(),
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=["confirmed_at", "confirmed_by"],
        )


def record_confirmation(page, user, when=None):
    """Mark an actor's data as correct now; used both on confirm and on publish."""
    when = when or timezone.now()
    pending = _gathered.get()
    if pending is not None:
        pending[page.pk] = ActorConfirmation(page=page, confirmed_at=when, confirmed_by=user)
    else:
        ActorConfirmation.objects.update_or_create(page=page, defaults={"confirmed_at": when, "confirmed_by": user})
    cache_versions.bump(cache_versions.municipality(page.municipality_id))
    if page.reaches_other_maps:
        cache_versions.bump(AREAS_VERSION)


def confirm_unchanged(pages, user):
    """Confirm that the published data of each page is still correct, logging each one.

    Only live pages the user may edit are confirmed; returns the pages confirmed.
    """
    confirmed = []
    with transaction.atomic():
        for page in pages:
            page = page.specific if not isinstance(page, ActorPage) else page
            if not isinstance(page, ActorPage) or not page.live:
                continue
            if not page.permissions_for_user(user).can_edit():
                continue
            record_confirmation(page, user)
            log(instance=page, action=CONFIRM_ACTION, user=user)
            confirmed.append(page)
    return confirmed
