"""A trivial Django view: the floor against which the benchmark compares every page."""

from django.http import HttpResponse


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


def sized(request, size):
    """``size`` bytes of HTML-like text: what the same gunicorn reaches with a body as large as a page.

    With ``?public=1`` the response is marked for shared caches, as a public page is (Varnish's baseline).
    """
    size = min(size, 1_000_000)
    response = HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")
    if request.GET.get("public"):
        response["Cache-Control"] = "public, max-age=0, s-maxage=300"
    return response


def after_publish(request, path):
    """The municipality page at ``path`` right after a publish there: its cache version bumped, then served."""
    from wagtail.views import serve

    from core import cache_versions, route_cache

    # What core.route_cache.RouteCacheMiddleware does for a request the URL resolver sends to Wagtail's serve();
    # the page it finds is the one whose version a publish there would bump.
    route_cache.route(request, path)
    found = getattr(request, "_wagtail_route_for_request", None)
    if found is not None:
        cache_versions.bump(cache_versions.municipality(found.page.pk))
    return serve(request, path)
