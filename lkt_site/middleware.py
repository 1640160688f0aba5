"""Response headers every page gets: no caching of staff and patient pages, Content-Security-Policy, Permissions-Policy.

The rules live here and in settings, keyed on path prefixes, so that no view has to remember them.
"""

from csp.constants import HEADER, SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils.cache import add_never_cache_headers


def _starts_with(request, prefixes):
    # path_info, not path: behind a SCRIPT_NAME (served under a sub-path) the prefix would never match.
    return request.path_info.startswith(tuple(prefixes))


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` (Django's ``never_cache``) under ``LKT_NO_STORE_PATH_PREFIXES``.

    Those pages carry health data, contact details or a TOTP secret: neither the browser's cache (a shared
    computer at a care home) nor any proxy on the way may keep a copy. The headers replace the freshness a
    view might have set, so a view cannot loosen them by mistake; redirects and error pages under the
    prefixes get them too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _starts_with(request, settings.LKT_NO_STORE_PATH_PREFIXES):
            response.headers.pop("Cache-Control", None)
            add_never_cache_headers(response)
        return response


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` refusing ``LKT_PERMISSIONS_POLICY_DISABLED``: no page uses camera, microphone…"""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.LKT_PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the directives of ``LKT_CSP_PATH_OVERRIDES`` under their path prefixes.

    A response that its view marked ``X-Frame-Options: SAMEORIGIN`` – Wagtail's preview, shown in a frame of
    the page editor – may be framed by this origin (``frame-ancestors 'self'``); every other page by no one.
    Wagtail renders a preview by running a simulated request for the page's public URL through the whole
    middleware stack, so the preview arrives with the public page's policy (as it should: the preview shows
    what visitors will get) and only its ``frame-ancestors`` is changed here.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        for prefix, directives in settings.LKT_CSP_PATH_OVERRIDES.items():
            if _starts_with(request, [prefix]):
                parts.replace = {**(parts.replace or {}), **directives}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if response.headers.get("X-Frame-Options", "").upper() == "SAMEORIGIN" and HEADER in response:
            response[HEADER] = _with_directive(response[HEADER], "frame-ancestors", SELF)
        return response


def _with_directive(policy, name, value):
    directives = [d for d in (part.strip() for part in policy.split(";")) if d and d.split()[0] != name]
    return "; ".join([*directives, f"{name} {value}"])
