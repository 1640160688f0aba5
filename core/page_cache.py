"""Full-page cache for what anonymous readers get from the public pages, looked up before sessions and users.

A public page (a Wagtail page served to a reader with no session) is the same for every such reader, so the whole
response is kept in the shared cache under its host, path and query string. It is stored with the cache versions
its rendering read (``core.cache_versions.recording``: the catalogue and the page tree always, the municipality and
the pathway when the page shows them) and served only while each is still current, so a publish, a confirmation
or a change to the catalogue is visible at once on every app server without knowing which URLs it touched.

What is never stored: a request that carries a session or another personal cookie (staff, patients, a remembered
choice), anything under the staff, patient and account prefixes, a response that sets a cookie (a CSRF token, a
session, a remembered municipality), says ``private``/``no-store``/``no-cache``, or is not a page Wagtail served
(search, errors, redirects of ``wagtail.contrib.redirects``). The same responses are the ones marked
``Cache-Control: public, s-maxage`` for a shared cache in front (Varnish or a CDN; ``docs/deploy.md``), without the
``Vary: Cookie`` an untouched empty session would add, and compressed once, when stored: they hold no secret,
so compressing them cannot leak one (BREACH). Everything else is passed through untouched and uncompressed.
"""

import gzip
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control, patch_vary_headers

from . import cache_versions
from .frontend_cache import DEPENDENCIES_HEADER

REDIRECT_STATUS = (301, 302)
# Not worth compressing: the gzip header and the CPU cost more than they save.
MIN_COMPRESS_BYTES = 1024
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "image/svg+xml")
# Set on the request by the ``before_serve_page`` hook (core.wagtail_hooks) when Wagtail serves a page, and by a
# page's view for a redirect that is the same for every reader (the lookup's answer).
SERVED_PAGE = "_lkt_public_page"
PUBLIC_REDIRECT = "_lkt_public_redirect"


def mark_public_page(request):
    setattr(request, SERVED_PAGE, True)


def mark_public_redirect(request):
    setattr(request, PUBLIC_REDIRECT, True)


def limit_seconds(response, seconds):
    """Keep this response in the caches for at most ``seconds`` (a page that shows the time it was made)."""
    response.lkt_cache_seconds = seconds


def _seconds(response, configured):
    limit = getattr(response, "lkt_cache_seconds", None)
    return configured if limit is None else min(configured, limit)


def public_headers(response):
    """``Cache-Control`` for a shared cache in front; the browser revalidates every time (a purge cannot reach it)."""
    response.headers.pop("Cache-Control", None)
    s_maxage = _seconds(response, settings.LKT_PUBLIC_S_MAXAGE)
    patch_cache_control(response, public=True, max_age=0, s_maxage=s_maxage)
    # No Cookie: the request had no session (the empty one an anonymous request touched does not matter). No
    # Accept-Language while the site speaks one language: it would split a shared cache per browser setting.
    dropped = {"cookie"} | ({"accept-language"} if len(settings.LANGUAGES) == 1 else set())
    vary = [v for v in cc_delim_re.split(response.get("Vary", "")) if v and v.lower() not in dropped]
    if vary:
        response["Vary"] = ", ".join(vary)
    else:
        response.headers.pop("Vary", None)


def _personal(request):
    if any(name in request.COOKIES for name in settings.LKT_PAGE_CACHE_PERSONAL_COOKIES):
        return True
    return "HTTP_AUTHORIZATION" in request.META


def _eligible(request):
    if request.method not in ("GET", "HEAD") or _personal(request):
        return False
    return not request.path_info.startswith(tuple(settings.LKT_NO_STORE_PATH_PREFIXES))


def _cacheable(request, response):
    if not getattr(request, SERVED_PAGE, False):
        return False
    if response.status_code != 200 and not (
        response.status_code in REDIRECT_STATUS and getattr(request, PUBLIC_REDIRECT, False)
    ):
        return False
    if response.streaming or response.cookies or request.method != "GET":
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _key(request):
    url = f"{request.get_host()}{request.path}?{request.META.get('QUERY_STRING', '')}"
    return "page:" + hashlib.sha256(url.encode()).hexdigest()


def _accepts_gzip(request):
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "").lower()


def _entry(response):
    headers = [(k, v) for k, v in response.items() if k.lower() not in ("content-length", "content-encoding")]
    content = response.content
    compressed = None
    content_type = response.get("Content-Type", "")
    if len(content) >= MIN_COMPRESS_BYTES and content_type.startswith(COMPRESSIBLE_TYPES):
        compressed = gzip.compress(content, compresslevel=6, mtime=0)
    return {"status": response.status_code, "headers": headers, "content": content, "gzip": compressed}


def _response(entry, request):
    compressed = entry["gzip"] is not None and _accepts_gzip(request)
    response = HttpResponse(entry["gzip"] if compressed else entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    if entry["gzip"] is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(response.content))
    return response


class PageCacheMiddleware:
    """Serves and stores the public pages; belongs above the session middleware (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Every request, staff included, reads each cache version once (cache_versions.remembered).
        with cache_versions.remembered():
            return self._serve(request)

    def _serve(self, request):
        if not _eligible(request):
            return self.get_response(request)
        # Off (0) in the test settings, where tests change pages behind Wagtail's back; the headers stay.
        seconds = settings.LKT_PAGE_CACHE_SECONDS
        key = _key(request)
        stored = cache.get(key) if seconds else None
        if stored is not None:
            names, versions, entry = stored
            if cache_versions.values(*names) == versions:
                response = _response(entry, request)
                response["X-LKT-Cache"] = "hit"
                return response
        with cache_versions.recording() as read:
            # Every page depends on these two; the rendering adds the municipality and pathway it shows.
            cache_versions.values(cache_versions.catalogue(), cache_versions.pages())
            response = self.get_response(request)
        if not _cacheable(request, response):
            return response
        public_headers(response)
        # For the shared cache in front: what to ban this response with (core.frontend_cache).
        response[DEPENDENCIES_HEADER] = ",".join(read)
        entry = _entry(response)
        if seconds:
            cache.set(key, (list(read), list(read.values()), entry), _seconds(response, seconds))
        response = _response(entry, request)
        response["X-LKT-Cache"] = "miss" if seconds else "off"
        return response
