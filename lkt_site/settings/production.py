"""Production: every secret from the environment, and a hard failure when one is missing."""

import os

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from .base import *  # noqa: F403
from .base import redis_cache


def required(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Environment variable {name} is required in production.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
required("DATABASE_URL")
# Keep connections open between requests; every request opening its own costs more than the query it runs.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
CACHES = redis_cache(required("REDIS_URL"))
WAGTAILADMIN_BASE_URL = required("WAGTAILADMIN_BASE_URL")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = required("EMAIL_HOST")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = True

# Synthetic national identity numbers are never accepted in production.
LKT_ALLOW_SYNTHETIC_NATIONAL_IDS = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind one load balancer unless told otherwise: the client address for login throttling and the security
# trail is the one it adds to X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("LKT_TRUSTED_PROXY_COUNT", "1")) or None
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# Wagtail marks its own preview views SAMEORIGIN, so everything else can refuse framing.
X_FRAME_OPTIONS = "DENY"

# Consent documents must land on storage meant for them (shared between app servers), never a default path.
PRIVATE_MEDIA_ROOT = required("PRIVATE_MEDIA_ROOT")
STORAGES = {
    **STORAGES,  # noqa: F405 – keeps the private (consent document) storage from base
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    # Static files: collectstatic writes every file under a name with its content's hash (and rewrites the
    # references in CSS), plus gzip and Brotli copies; WhiteNoise serves them from the app servers with a
    # far-future, immutable Cache-Control (hashed names) and the precompressed copy the browser accepts.
    # The manifest storage stays strict: a reference to a missing file fails collectstatic, here and in
    # tests/test_production_static.py.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Not worth compressing at every deploy: source maps are read only by developer tools, and browsers load the
# woff2 fonts, never Viewflow's icon fonts in the legacy formats.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map", "eot", "otf", "ttf"]
# Below the header middleware, so that static files carry the Content-Security-Policy and Permissions-Policy
# too, and above everything else, so that serving them touches no session, user or database.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("lkt_site.middleware.NoStoreMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)

# TestID, the development identity provider, can never run here: its apps are not installed, its URLs are not
# mounted (lkt_site/urls.py mounts them only when the app is installed), and a settings module that adds them fails.
LKT_TESTID_ENABLED = False
if {"testid", "oauth2_provider"} & set(INSTALLED_APPS):  # noqa: F405
    raise ImproperlyConfigured("TestID (the development identity provider) must never be installed in production.")


def oidc_from_environment():
    """ID-porten for the patient channel, or None (Min side's login is then switched off) when no issuer is set.

    The client authenticates with a private key (private_key_jwt, ID-porten's recommendation) when
    ``LKT_OIDC_PRIVATE_KEY_FILE`` is set, else with ``LKT_OIDC_CLIENT_SECRET``.
    """
    issuer = os.environ.get("LKT_OIDC_ISSUER", "").strip().rstrip("/")
    if not issuer:
        return None
    if not issuer.startswith("https://"):
        raise ImproperlyConfigured("LKT_OIDC_ISSUER must be an https:// address (ID-porten's issuer).")
    key_file = os.environ.get("LKT_OIDC_PRIVATE_KEY_FILE", "")
    private_key = None
    if key_file:
        with open(key_file, encoding="utf-8") as handle:
            private_key = handle.read()
    secret = os.environ.get("LKT_OIDC_CLIENT_SECRET", "")
    if not (private_key or secret):
        raise ImproperlyConfigured("Set LKT_OIDC_PRIVATE_KEY_FILE or LKT_OIDC_CLIENT_SECRET for ID-porten.")
    levels = {"substantial": ["idporten-loa-substantial", "idporten-loa-high"], "high": ["idporten-loa-high"]}
    level = os.environ.get("LKT_OIDC_LEVEL", "substantial")
    if level not in levels:
        raise ImproperlyConfigured("LKT_OIDC_LEVEL is «substantial» or «high».")
    return {
        "issuer": issuer,
        "client_id": required("LKT_OIDC_CLIENT_ID"),
        "client_secret": secret or None,
        "private_key": private_key,
        "private_key_id": os.environ.get("LKT_OIDC_PRIVATE_KEY_ID") or None,
        "acr_values": [levels[level][0]],
        "accepted_acr": levels[level],
        "scope": os.environ.get("LKT_OIDC_SCOPE", "openid profile"),
    }


LKT_OIDC = oidc_from_environment()
