"""Local development: SQLite unless DATABASE_URL says otherwise, mail to the console."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env
from .testid import TESTID_APPS, client_settings, provider_settings

DEBUG = True
# Development only; production.py refuses to start without a real secret.
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
# Synthetic fødselsnummer (month + 80) are accepted only where this is on.
LKT_ALLOW_SYNTHETIC_NATIONAL_IDS = True
# load_demo and the fictional data it loads; never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo", *TESTID_APPS]
# TestID, the development identity provider, stands in for ID-porten (lkt_site/settings/testid.py).
LKT_TESTID_ENABLED = True
OAUTH2_PROVIDER = provider_settings()
LKT_OIDC = client_settings(env("LKT_OIDC_ISSUER", "http://127.0.0.1:8000/testid"))
