"""Wagtail's routing of public pages from the shared cache, each answer checked against the page it names.

Separate from ``core.page_cache`` (which the page models import): this module needs Wagtail's models loaded.
"""

import copy
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from . import cache_versions

# A cached route is checked against the database on every use (see RouteCacheMiddleware), so it may live long.
ROUTE_SECONDS = 24 * 60 * 60


def _route_key(request, path):
    return "route:" + hashlib.sha256(f"{request.get_host()}/{path}".encode()).hexdigest()


def _site_root_paths(request):
    # The attribute Wagtail's own Page._get_site_root_paths keeps them under for the request ({% pageurl %}).
    try:
        return request._wagtail_cached_site_root_paths
    except AttributeError:
        request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
        return request._wagtail_cached_site_root_paths


def _site(request):
    """Wagtail's ``Site.find_for_request``, from the shared cache while no site has changed.

    Wagtail looks the site up in the database on every request; its answer changes only with a site, whose
    changes bump the ``sites`` version (``core.signals``). The site is kept without its root page, which is read
    again where it is used (Wagtail's routing of an address not remembered here). The host has passed
    ``ALLOWED_HOSTS`` (CommonMiddleware) before any view runs, so the keys are bounded.
    """
    if not hasattr(request, "_wagtail_site"):
        version = cache_versions.current(cache_versions.sites())
        key = "site:" + hashlib.sha256(f"{request.get_host()}:{request.get_port()}:{version}".encode()).hexdigest()
        site = cache.get(key)
        if site is None:
            site = Site.find_for_request(request)
            if site is not None:
                kept = copy.copy(site)
                kept._state = copy.copy(site._state)
                kept._state.fields_cache = {}
                cache.set(key, kept, ROUTE_SECONDS)
        # Where Wagtail's Site.find_for_request keeps its answer for the rest of the request.
        request._wagtail_site = site
    return request._wagtail_site


def _url_path(request, path):
    """The ``url_path`` the page at this address has on the request's site, or None."""
    site = _site(request)
    if site is None:
        return None
    root = next((r.root_path for r in _site_root_paths(request) if r.site_id == site.pk), None)
    return None if root is None else root + path


def _cached_page(stored, url_path):
    """The stored page if it is still live at this address, else None (then Wagtail routes as usual)."""
    page_id, content_type_id = stored
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    page = model.objects.filter(pk=page_id).first()
    if page is None or not page.live or page.url_path != url_path:
        return None
    return page


class RouteCacheMiddleware:
    """Wagtail's routing of a public page without walking the page tree: the page read once, by its key.

    Wagtail finds the page for an address by loading every page on the way from the site's root, most of them
    twice (the page, then its specific type): for a municipality page four queries more than here, about 5 ms of
    a render right after a publish (``bench/README.md``; six for an actor page). Here the address is remembered
    with the page it led to, and the page is read by its primary key; what was remembered is only a hint: the
    page is used only if it is still live and still at this address on this site (its ``url_path``), so a move,
    a new slug, an unpublish or a deletion is seen at once, without a cache version. Only plain routes are kept:
    a page type with its own ``route`` (a routable page's sub-pages) is routed by Wagtail every time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve and request.method in ("GET", "HEAD"):
            route(request, view_kwargs.get("path", view_args[0] if view_args else ""))
        return None


def route(request, path):
    """Route ``path`` for Wagtail's ``serve()``: from the cache when the page is still there, else as Wagtail does."""
    url_path = _url_path(request, path)
    if url_path is None:
        return
    key = _route_key(request, path)
    stored = cache.get(key)
    if stored is not None:
        page = _cached_page(stored, url_path)
        if page is not None:
            # Where Wagtail's serve() looks first (Page.route_for_request).
            request._wagtail_route_for_request = RouteResult(page)
            return
    found = Page.route_for_request(request, path)
    if found is not None and not found.args and not found.kwargs:
        page = found.page
        if type(page).route is Page.route and page.url_path == url_path:
            cache.set(key, (page.pk, page.content_type_id), ROUTE_SECONDS)


class RedirectMiddleware(WagtailRedirectMiddleware):
    """Wagtail's redirects for an address that answers 404, with the site read from the shared cache.

    Wagtail looks the site up in the database for every 404 before it looks for a redirect; the need-to-know rule
    answers 404 to everyone outside a process, and scanners ask for addresses that never existed, so that lookup
    came on top of every refusal.
    """

    def process_response(self, request, response):
        if response.status_code == 404:
            _site(request)
        return super().process_response(request, response)
