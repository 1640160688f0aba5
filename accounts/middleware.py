"""Every staff URL requires a login verified with a second factor (django-otp); no session outlives its day."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
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


# When a signed-in session's idle timeout was last pushed forward (a write of the session row).
SESSION_REFRESHED = "lkt_session_refreshed_at"


class SessionLifetimeMiddleware:
    """Ends a signed-in session a fixed time after its login, however active it has been since, and slides its idle
    timeout.

    The idle timeout (``SESSION_COOKIE_AGE``) ends a session nobody uses; this ends one that is used all day, so a
    stolen session cookie is worth at most one working day. Sliding the idle timeout means saving the session
    (its expiry is set on save); rather than on every request (``SESSION_SAVE_EVERY_REQUEST``, an ``UPDATE`` per
    page), the session is marked changed at most once per ``LKT_SESSION_REFRESH_SECONDS``, so the timeout is
    exact to within that.
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
            now = time.time()
            if now - request.session.get(SESSION_REFRESHED, 0) >= settings.LKT_SESSION_REFRESH_SECONDS:
                request.session[SESSION_REFRESHED] = now
        response = self.get_response(request)
        self._keep_cookie_of_a_live_session(request, response)
        return response

    @staticmethod
    def _keep_cookie_of_a_live_session(request, response):
        """Wagtail's logout view deletes the session cookie even when it refuses a GET (405) and logs nobody out.

        Marking the session changed makes the session middleware set the cookie again, as it did when every
        request saved the session; a real logout has emptied the session, and its cookie stays deleted.
        """
        cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
        session = getattr(request, "session", None)
        if cookie is not None and cookie["max-age"] == 0 and session is not None and session.get(SESSION_KEY):
            session.modified = True
