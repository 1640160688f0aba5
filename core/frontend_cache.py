"""Purging the shared cache in front of the app (Varnish) through Wagtail's frontend cache.

Wagtail purges a page's own URLs when it is published or unpublished. What else a change touches is known by
cache version (``core.cache_versions``): an actor's publish changes its municipality's page, its lookup answers
and every pathway rendered for that municipality. Every public response names the versions it depends on in
``X-LKT-Deps`` (``core.page_cache``); a bump sends ``PURGE /.lkt-ban/<name>`` through Wagtail's configured
backends, and the reference VCL (``deploy/varnish/lkt.vcl``) bans every stored response naming it. A CDN backend
receives the same request as a purge of a URL that does not exist, which does nothing (``docs/deploy.md``).
"""

from urllib.parse import quote

from django.conf import settings

BAN_PATH = "/.lkt-ban/"
DEPENDENCIES_HEADER = "X-LKT-Deps"


def purge_version(name):
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_url_from_cache

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    purge_url_from_cache(f"{base}{BAN_PATH}{quote(name, safe=':')}")
