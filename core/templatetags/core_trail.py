"""The way back up the page tree on every public page (``templates/includes/breadcrumbs.html``)."""

from django import template
from django.core.cache import cache

from core import cache_versions

register = template.Library()

# Each public page's trail is kept this long at most; a change of the page tree ends it at once (the pages version).
TRAIL_SECONDS = 60 * 60 * 24


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page):
    """The pages above ``page`` from the front page (depth 2) down, as ``(url, title, depth)``.

    Read from the shared cache under the page tree's version, which any publish, unpublish, move or deletion of a
    page with descendants bumps (an actor has none); reading the ancestors and their addresses took over a
    millisecond of every public page rendered afresh (bench/README.md). A preview, or a page not saved yet,
    reads them every time.
    """
    request = context.get("request")
    if page.pk is None or request is None or getattr(request, "is_preview", False):
        return _trail(page, request)
    version = cache_versions.current(cache_versions.pages())
    # The host is part of the key: an ancestor's address is relative only on its own site.
    key = f"breadcrumbs:{page.pk}:{request.get_host()}:{version}"
    trail = cache.get(key)
    if trail is None:
        trail = _trail(page, request)
        cache.set(key, trail, TRAIL_SECONDS)
    return trail


def _trail(page, request):
    ancestors = page.get_ancestors().filter(depth__gt=1).only("title", "url_path", "depth", "path")
    return [(ancestor.get_url(request), ancestor.title, ancestor.depth) for ancestor in ancestors]
