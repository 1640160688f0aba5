"""Sign-ins, failures, lockouts and sign-outs go into the security trail as they happen."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from . import trail
from .models import SecurityEvent

Kind = SecurityEvent.Kind
SESSION_STARTED = "lkt_authenticated_at"


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = timezone.now().timestamp()
    trail.record(Kind.LOGIN, request, user=user)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in ``credentials``; only the username given is kept.
    trail.record(Kind.LOGIN_FAILED, request, username=str(credentials.get("username", "")))


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        trail.record(Kind.LOGOUT, request, user=user)


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    trail.record(Kind.LOCKED_OUT, request, username=str(username or ""))
