"""Production-like settings for the benchmark server (``bench/serve_bench.py`` sets this module).

Like ``lkt_site.settings.production`` — DEBUG off, Redis as the shared cache so the
fragment cache and its version keys behave as in production — but with no SSL
redirect (plain HTTP on 127.0.0.1), no mail, and the plain static-files storage
(no collectstatic manifest needed).
"""

import os

from lkt_site.settings.base import *  # noqa: F403
from lkt_site.settings.base import dj_database_url

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lkt_bench"),
        # Production reads DB_CONN_MAX_AGE with a default of 0 (a new connection per request); same here.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
CACHES = {
    "default": {
        "BACKEND": "core.redis_cache.RedisCache",
        "LOCATION": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
        "KEY_PREFIX": "lkt-bench",
        "TIMEOUT": 60 * 60 * 24,
    }
}

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_REFERRER_POLICY = "same-origin"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LKT_ALLOW_SYNTHETIC_NATIONAL_IDS = False
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
