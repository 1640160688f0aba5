"""The one client TestID knows: LKT's patient channel, with the redirect addresses of this machine."""

from django.conf import settings
from oauth2_provider.models import get_application_model

from .lkt_settings import client_id, client_secret


def ensure_client(redirect_uris):
    """Create or update the registration of LKT's Min side at TestID (confidential, authorisation code, RS256)."""
    Application = get_application_model()
    application = Application.objects.filter(client_id=client_id()).first()
    wanted = " ".join(dict.fromkeys(redirect_uris))
    if application is None:
        application = Application(client_id=client_id(), name="LKT Min side")
    application.client_secret = client_secret()
    application.client_type = Application.CLIENT_CONFIDENTIAL
    application.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    application.algorithm = Application.RS256_ALGORITHM
    application.skip_authorization = True
    application.redirect_uris = wanted
    application.save()
    return application


def callback_uris(*bases):
    """The callback address of Min side on each base address (``http://127.0.0.1:8000`` and the like)."""
    return [f"{base.rstrip('/')}{settings.LKT_CITIZEN_PATH_PREFIX}innlogget/" for base in bases]
