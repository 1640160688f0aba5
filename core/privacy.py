"""Wagtail's privacy check of a public page, skipped while no page in the tree is private."""

from django.core.cache import cache
from wagtail.models import PageViewRestriction

from . import cache_versions

# At most this long; a change of any restriction ends it at once (core.signals.privacy_changed bumps the version).
PRIVACY_SECONDS = 60 * 60 * 24


def any_page_private():
    """Whether any page has a view restriction, from the shared cache under the page tree's version."""
    key = f"any-page-private:{cache_versions.current(cache_versions.pages())}"
    private = cache.get(key)
    if private is None:
        private = PageViewRestriction.objects.exists()
        cache.set(key, private, PRIVACY_SECONDS)
    return private


class PrivacyCheckedOnlyWhenNeeded:
    """For page models: no privacy to check while no page is private.

    Wagtail asks each page it serves for the restrictions of the page and its ancestors (two queries, about a
    millisecond of every public page rendered afresh; bench/README.md). LKT's public pages are public by design, so
    while no restriction exists anywhere the answer is known; once one exists, Wagtail's own check runs as before.
    """

    def get_view_restrictions(self):
        if not any_page_private():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
