"""Every staff URL requires a login verified with a second factor (django-otp); no session outlives its day."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import trail
from .models import SecurityEvent
from .signals import SESSION_STARTED

# Paths under the staff prefixes that a half-logged-in user must still reach:
# the password login itself, logging out and resetting a forgotten password.
EXEMPT_SUFFIXES = ("login/", "logout/", "password_reset/")


class RequireVerifiedStaffMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._needs_second_factor(request):
            query = urlencode({"next": request.path}) if request.method in ("GET", "HEAD") else ""
            url = reverse("accounts:verify")
            return redirect(f"{url}?{query}" if query else url)
        return self.get_response(request)

    def _needs_second_factor(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return False
        # path_info, not path: behind a SCRIPT_NAME (served under a sub-path) the prefix would never match.
        path = request.path_info
        for prefix in settings.LKT_STAFF_PATH_PREFIXES:
            if path.startswith(prefix):
                rest = path[len(prefix) :]
                return not rest.startswith(EXEMPT_SUFFIXES)
        return False


class SessionLifetimeMiddleware:
    """Ends a signed-in session a fixed time after its login, however active it has been since.

    The idle timeout (``SESSION_COOKIE_AGE``) ends a session nobody uses; this ends one that is used all day, so a
    stolen session cookie is worth at most one working day.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            if started is None:
                request.session[SESSION_STARTED] = time.time()
            elif time.time() - started > settings.LKT_SESSION_MAX_AGE_SECONDS:
                trail.record(SecurityEvent.Kind.SESSION_EXPIRED, request, user=user)
                logout(request)
                if request.path_info.startswith(tuple(settings.LKT_STAFF_PATH_PREFIXES)):
                    messages.info(request, _("Økten din er utløpt. Logg inn på nytt."))
                    return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}")
        return self.get_response(request)
