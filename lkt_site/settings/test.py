"""Test settings: PostgreSQL when DATABASE_URL is set (as in CI), fast hashing, local memory cache."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, LKT_IMPORT_QUEUE, LKT_IMPORT_TASK_BACKEND, env
from .testid import TESTID_APPS, client_settings, provider_settings

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lkt-test",
    }
}
LKT_ALLOW_SYNTHETIC_NATIONAL_IDS = True
# Tests change pages directly, behind Wagtail's publish signals; the full-page cache's own tests switch it on.
LKT_PAGE_CACHE_SECONDS = 0
# The demo data and the bulk generator are test fixtures too; production never installs the app.
INSTALLED_APPS = [*INSTALLED_APPS, "demo", *TESTID_APPS]
# TestID answers at the test client's host; browser journeys point the client at the live server instead.
LKT_TESTID_ENABLED = True
OAUTH2_PROVIDER = provider_settings()
LKT_OIDC = client_settings("http://testserver/testid")
WAGTAILADMIN_BASE_URL = "http://testserver"
AUTH_PASSWORD_VALIDATORS = []
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": env("LOG_LEVEL", "ERROR")},
}

# Imports run inside the request that queues them, so tests see their outcome at once; the tests that
# exercise the database queue and its worker switch to it themselves.
TASKS = {
    **TASKS,  # noqa: F405
    LKT_IMPORT_TASK_BACKEND: {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": [LKT_IMPORT_QUEUE],
    },
}

# Uploaded consent forms in tests go to a throw-away folder, never into the checkout.
PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "lkt-test-private-media"
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
}
