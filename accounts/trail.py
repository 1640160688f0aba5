"""Writing the security trail: who, when and from where, never a password, a one-time code or a secret."""

from axes.helpers import get_client_ip_address, get_client_user_agent

from .models import SecurityEvent

Kind = SecurityEvent.Kind


def client_ip(request):
    """The client's address as django-axes sees it (behind the load balancer: from the trusted proxy header)."""
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return address or None


def record(kind, request=None, user=None, username="", actor=None, detail=""):
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        actor=actor if actor is not None and actor.is_authenticated else None,
        ip_address=client_ip(request),
        user_agent=(get_client_user_agent(request) if request is not None else "")[:200],
        detail=detail[:200],
    )
