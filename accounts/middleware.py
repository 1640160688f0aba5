"""Every staff URL requires a login verified with a second factor (django-otp)."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

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
