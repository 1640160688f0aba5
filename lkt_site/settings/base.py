"""Settings shared by every environment.

Secrets and anything that differs between machines come from the environment; see
``dev.py``, ``test.py`` and ``production.py`` for what each environment overrides.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


INSTALLED_APPS = [
    "core",
    "home",
    "directory",
    "accounts",
    "workflows",
    "patients",
    "monitoring",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "viewflow",
    "viewflow.workflow",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above everything that may answer early (WhiteNoise in production, redirects, errors), so that every
    # response carries the headers.
    "lkt_site.middleware.ContentSecurityPolicyMiddleware",
    "lkt_site.middleware.PermissionsPolicyMiddleware",
    "lkt_site.middleware.NoStoreMiddleware",
    # Public pages for readers without a session, served from the shared cache before any session or user is
    # looked at (core/page_cache.py).
    "core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The few English words Wagtail's and Viewflow's templates never mark for translation (core/untranslated.py).
    "core.untranslated.UntranslatedTemplateTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF and every view: control characters refused, and Django's size limits met, in one place.
    "core.middleware.InputHardeningMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Patients and next of kin: their sessions count only under /min-side/ and end after 30 idle minutes.
    "patients.middleware.CitizenSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RequireVerifiedStaffMiddleware",
    "directory.admin_isolation.AdminIsolationMiddleware",
    "workflows.middleware.ProcessAccessMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Wagtail's redirects, the site from the shared cache (core/route_cache.py).
    "core.route_cache.RedirectMiddleware",
    # Wagtail's page routing from the shared cache, checked against the page itself (core/route_cache.py).
    "core.route_cache.RouteCacheMiddleware",
    # Last, so it sees every login form's outcome and answers a locked-out attempt with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lkt_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "lkt_site.wsgi.application"

# SQLite is the zero-setup default for trying the product; PostgreSQL is what
# production and CI use (DATABASE_URL=postgres://...).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_cache(url):
    """The shared cache in Redis, so that every app server sees the same cached pages and invalidations."""
    return {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "lkt"),
            "TIMEOUT": 60 * 60 * 24,
        }
    }


if env("REDIS_URL"):
    CACHES = redis_cache(env("REDIS_URL"))
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "lkt",
            "TIMEOUT": 60 * 60 * 24,
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "lkt_site.staticfiles.AppDirectoriesFinder",  # Django's, without Viewflow's unused files; see there
]
STATICFILES_DIRS = [BASE_DIR / "static_src"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Consent forms and other patient documents live outside MEDIA_ROOT and have no URL of their own:
# they are only ever streamed by a view that checks need-to-know and writes the audit log.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background tasks (django-tasks). Two backends, because two kinds of work use them:
# - "default": Wagtail's own small tasks (search and reference index updates after a save) run in the process
#   that saved, as they did before any queue existed, so a published page is searchable at once;
# - "imports": long imports (a municipality's actor map, the postal register) go to a queue in the database,
#   run by `manage.py db_worker --backend imports --queue-name imports`. It needs nothing but the database;
#   docs/architecture.md says how to move it to Redis (RQ) instead.
LKT_IMPORT_TASK_BACKEND = "imports"
LKT_IMPORT_QUEUE = "imports"
TASKS = {
    "default": {"BACKEND": "core.tasks.GatheringImmediateBackend"},
    LKT_IMPORT_TASK_BACKEND: {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [LKT_IMPORT_QUEUE]},
}

# The largest file anyone may upload: documents, consent forms, directory spreadsheets.
LKT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# Bounds on one request, so none holds a worker for long (core.formsets, core.middleware): the largest real forms,
# a long pathway in the page editor (every StreamField block is several fields) or a team or plan at the row limit,
# stay well under 5,000 fields; a formset (team, plan, contact persons) has at most LKT_FORMSET_MAX_ROWS rows.
# What is over gets a Norwegian answer that says what was too large (core.errors).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5_000
LKT_FORMSET_MAX_ROWS = 50
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGIN_URL = "wagtailadmin_login"
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

# django-axes throttles password guessing on every form that authenticates (Wagtail's admin login, its
# front-end login for private pages, the password asked again before a second-factor change): per account
# and, separately, per client address, with a cool-off. Behind a load balancer the address comes from its
# X-Forwarded-For header (AXES_IPWARE_PROXY_COUNT, set in production).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Loads the user of a patient's or next of kin's session (after ID-porten); it never checks a password.
    "patients.backends.CitizenBackend",
]
AXES_FAILURE_LIMIT = int(env("LKT_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LKT_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_IPWARE_PROXY_COUNT = int(env("LKT_TRUSTED_PROXY_COUNT", "0")) or None

# Staff sessions reach health data: they end when the browser closes, after two idle hours, and eight hours
# after login however busy (accounts.middleware.SessionLifetimeMiddleware). The idle timeout slides with use, but
# the session row is written for it at most once per LKT_SESSION_REFRESH_SECONDS, not on every request.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = False
LKT_SESSION_REFRESH_SECONDS = 60
LKT_SESSION_MAX_AGE_SECONDS = 8 * 60 * 60

# Wagtail
WAGTAIL_SITE_NAME = "LKT – langvarige og koordinerte tjenester"
# Wagtail's login form names no label for the password, so Django shows the English field name.
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.LoginForm"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "norwegian",
    }
}
# Wagtail's Draftail editor, refusing content it cannot read with a message instead of a server error.
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "core.widgets.DraftailRichTextArea"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = LKT_UPLOAD_MAX_BYTES

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "LKT <noreply@example.com>")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Two-factor authentication
OTP_TOTP_ISSUER = "LKT"
# Path prefixes that only a login verified with a second factor may reach.
# The care processes (Viewflow's frontend) live under their own prefix, behind the same two factors.
LKT_PROCESS_PATH_PREFIX = "/prosesser/"
LKT_STAFF_PATH_PREFIXES = ["/admin/", LKT_PROCESS_PATH_PREFIX]

# The patient channel (Min side): patients and next of kin log in with ID-porten over OpenID Connect. ``LKT_OIDC``
# is the client's configuration (issuer, client id, secret or private key, acr levels); None switches the login off.
# Dev and test point it at TestID (lkt_site/settings/testid.py), production reads it from the environment.
LKT_OIDC = None
LKT_TESTID_ENABLED = False
LKT_CITIZEN_PATH_PREFIX = "/min-side/"
LKT_CITIZEN_IDLE_SECONDS = 30 * 60

# Pages under these prefixes carry health data, contact details or a TOTP secret and are never cached
# (Cache-Control: no-store, private): the care processes with their lists, forms, plan print, consent
# documents and audit log; Wagtail's admin with the directory spreadsheet export (/admin/aktorkart/…);
# the two-factor pages; Min side (a patient's plan, team, messages and access log) and TestID's login.
LKT_NO_STORE_PATH_PREFIXES = [*LKT_STAFF_PATH_PREFIXES, "/konto/", LKT_CITIZEN_PATH_PREFIX, "/testid/"]

# The full-page cache of public pages (core/page_cache.py): how long an entry is kept at most (its versions end it
# sooner; 0 switches the cache off), the cookies that make a request personal (never served from or stored in
# the cache), and the s-maxage a shared cache in front may keep a public page (Varnish is purged on publish,
# docs/deploy.md; a CDN without purging serves a change within this time).
LKT_PAGE_CACHE_SECONDS = int(env("LKT_PAGE_CACHE_SECONDS", str(24 * 60 * 60)))
LKT_PAGE_CACHE_PERSONAL_COOKIES = ["sessionid", "lkt_kommune", "messages"]
LKT_PUBLIC_S_MAXAGE = int(env("LKT_PUBLIC_S_MAXAGE", "300"))
# The shared cache in front, purged by Wagtail on publish and by LKT on every cache-version bump
# (core/frontend_cache.py, deploy/varnish/lkt.vcl): LKT_VARNISH_URL, e.g. http://127.0.0.1:6081.
if env("LKT_VARNISH_URL"):
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env("LKT_VARNISH_URL"),
        }
    }

# Response headers; see lkt_site/middleware.py and docs/security.md.
# Everything the pages load comes from this origin: Viewflow's fonts and icons, Wagtail's admin, LKT's own
# CSS and JavaScript. Inline scripts and styles need the request's nonce ({{ request.csp_nonce }}).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # data: for the small SVG icons in Wagtail's and Viewflow's CSS, blob: for Wagtail's image upload previews.
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# What differs under a path prefix: directives replaced whole (a nonce beside 'unsafe-inline' would make
# browsers ignore 'unsafe-inline'). Wagtail 8's admin cannot work with the strict policy and has no nonce
# support (wagtail/wagtail#1288): it writes inline <script> blocks with per-field ids and data to start
# InlinePanels, choosers and date pickers; its rich-text editor (Draftail) inserts <style> elements at run
# time, and the tag field and upload widgets create elements with style attributes. Only the admin gets
# 'unsafe-inline', only for scripts and styles; everything still has to come from this origin.
# Viewflow's frontend (/prosesser/) keeps the strict policy: its Turbo reads the nonce from a meta tag
# (templates/viewflow/base.html).
LKT_CSP_PATH_OVERRIDES = {
    "/admin/": {"script-src": [SELF, UNSAFE_INLINE], "style-src": [SELF, UNSAFE_INLINE]},
}
# Browser features no page of LKT uses, refused for every page and every frame in it.
LKT_PERMISSIONS_POLICY_DISABLED = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
# Wagtail would show staff avatars from gravatar.com, telling a third party who uses the admin; initials instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Directory: months between confirmations unless a municipality sets its own.
LKT_DEFAULT_REVIEW_INTERVAL_MONTHS = 6

# Logging never includes request bodies or query strings, which may carry
# personal data; Django's default request logging is kept to status lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    # Django's default config gives "django" a console handler of its own in DEBUG, which printed every warning
    # twice (once there, once at the root); the root handler alone prints it once.
    "loggers": {"django": {"handlers": [], "level": env("LOG_LEVEL", "WARNING"), "propagate": True}},
}
