"""A patient's or next of kin's session is a session for Min side only, and ends after 30 idle minutes.

Outside ``LKT_CITIZEN_PATH_PREFIX`` the request is made anonymous before any other middleware looks at it, so the
admin, the care processes, the account pages and any page restricted to logged-in users answer a citizen exactly as
they answer anybody who is not logged in (a redirect to the staff login, or 404): the staff middlewares never see
a citizen, never ask them for a second factor, and no staff view can take them for a user.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from accounts import trail
from accounts.models import SecurityEvent

from .backends import CITIZEN_BACKEND

LAST_SEEN = "lkt_citizen_seen"


def is_citizen_session(request):
    return request.session.get(BACKEND_SESSION_KEY) == CITIZEN_BACKEND


class CitizenSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_citizen_session(request):
            return self.get_response(request)
        in_min_side = request.path_info.startswith(settings.LKT_CITIZEN_PATH_PREFIX)
        now = time.time()
        seen = request.session.get(LAST_SEEN, now)
        if now - seen > settings.LKT_CITIZEN_IDLE_SECONDS:
            user = request.user
            logout(request)
            trail.record(SecurityEvent.Kind.SESSION_EXPIRED, request, user=user)
            if in_min_side:
                return redirect(f"{reverse('patients:login')}?{urlencode({'utlopt': '1'})}")
            return self.get_response(request)
        if in_min_side:
            # Only Min side counts as activity: reading public pages does not keep a patient's session open.
            request.session[LAST_SEEN] = now
        else:
            request.user = AnonymousUser()
            request._cached_user = request.user
        return self.get_response(request)
