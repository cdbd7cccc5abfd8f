"""The one settings module, driven by the environment.

With no environment variable at all it runs on a local SQLite file with a secret key generated
once and kept beside it, so every `reciprocity` subcommand works from a fresh clone. Production
(`RECIPROCITY_ENV=production`) refuses to start without a strong `SECRET_KEY` and
`FIELD_ENCRYPTION_KEY`.
"""

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("RECIPROCITY_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENT = os.environ.get("RECIPROCITY_ENV", "local")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1"


def _local_secret_key() -> str:
    """A key generated once per checkout; ephemeral when the folder is read-only."""
    key_file = VAR_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        try:
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(key)
            key_file.chmod(0o600)
        except OSError:
            pass
        return key


def _require_strong(name: str, value: str, *, min_length: int) -> str:
    """Refuse a production secret a person could have typed (Django's own rule for SECRET_KEY:
    50 characters, 5 distinct, no `django-insecure-` prefix; docs/deploy.md)."""
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    if (len(value) < min_length or len(set(value)) < 5
            or value.startswith("django-insecure-")):
        raise ImproperlyConfigured(
            f"{name} is too weak for production: use at least {min_length} random characters "
            f"with at least 5 different ones (e.g. `python -c \"import secrets; "
            f"print(secrets.token_urlsafe(50))\"`).")
    return value


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    _require_strong("SECRET_KEY", SECRET_KEY, min_length=50)
elif not SECRET_KEY:
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]


def database_from_url(url: str) -> dict:
    """Parse `sqlite:////abs/path` or `postgres://user:pw@host:port/name` into Django's form."""
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme == "sqlite":
        # sqlite:////abs/path -> /abs/path ; sqlite:///rel/path -> rel/path
        name = unquote(url[len("sqlite://") :])[1:] or ":memory:"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    if scheme in {"postgres", "postgresql", "pgsql"}:
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
        }
    raise ImproperlyConfigured(f"Unsupported DATABASE_URL scheme: {scheme!r}")


DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    # A read-only checkout can still run the commands that need no database.
    with contextlib.suppress(OSError):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "reciprocity.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the dev server and a command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
    }

# A PostgreSQL streaming replica (docs/scaling.md): the balance pages and the annual report read
# from it, everything else (and every write) uses the primary (core/db_routing.py). In tests the
# alias mirrors the test database; only tests marked `replica` read through it (conftest.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_DATABASE = "replica" if DATABASE_REPLICA_URL else ""
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**database_from_url(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["reciprocity.core.db_routing.ReplicaRouter"]
# A browser that sent a write reads the primary this long afterwards (read-your-own-writes).
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "15"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_prometheus",
    "reciprocity.core",
    "reciprocity.accounts",
    "reciprocity.partners",
    "reciprocity.schemes",
    "reciprocity.agreements",
    "reciprocity.missions",
    "reciprocity.volunteers",
    "reciprocity.applications",
    "reciprocity.placements",
    "reciprocity.procedures",
    "reciprocity.balance",
    # No models: installed for its commands (workflow/management/commands/, ADR 0005 "faces").
    "reciprocity.workflow",
    "reciprocity.planning",
    "reciprocity.notifications",
    "reciprocity.matching",
    "reciprocity.demo",
    "reciprocity.exchange",
    "reciprocity.imports",
    "reciprocity.conversations",
    "reciprocity.home",
    # The menu's cached per-user summary and the receivers that make it stale (menu/caching.py).
    "reciprocity.menu",
    "auditlog",
    "reciprocity.audit",
]

MIDDLEWARE = [
    # Every request gets an id (X-Request-ID in and out), put in every log line (core/logs.py).
    "reciprocity.core.logs.RequestIdMiddleware",
    # Counts every request and its duration for /metrics (first, and its pair last but one).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # /healthz and /readyz answer before the HTTPS redirect, the host check, sessions and the
    # sign-in middlewares: probes come over plain HTTP from the proxy (core/health.py).
    "reciprocity.core.health.HealthCheckMiddleware",
    # /metrics for the monitoring, closed unless METRICS_ALLOWED_IPS or METRICS_TOKEN (core/metrics.py).
    "reciprocity.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Errors under /api/ in the API's JSON shape, whoever answers them (core/api_errors.py).
    "reciprocity.core.api_errors.ApiErrorMiddleware",
    # An API write without a body reads as {} (core/api_types.py).
    "reciprocity.core.api_types.EmptyBodyAsObjectMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Sessions signed in through Django's ModelBackend move to ours (accounts/identity.py).
    "reciprocity.accounts.identity_middleware.SessionBackendMiddleware",
    # After a write, this browser reads the primary database for a while (core/db_routing.py).
    "reciprocity.core.db_routing.ReplicaStickyMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the session's user verified once a second factor is passed (django-otp's, the
    # session's device taken from the user's cached copy: accounts/identity.py).
    "reciprocity.accounts.identity_middleware.OTPMiddleware",
    # A signed-in person's chosen language wins over the cookie and the browser's (after the
    # locale and authentication middlewares; reciprocity/accounts/language.py).
    "reciprocity.accounts.language.PreferredLanguageMiddleware",
    # After authentication: audit entries read the acting user from the request.
    "reciprocity.audit.middleware.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and too-old sessions are signed out (before the second factor is asked for).
    "reciprocity.accounts.session_timeout.SessionIdleTimeoutMiddleware",
    # Staff and administrators reach nothing else until their second factor is passed.
    "reciprocity.accounts.two_factor.middleware.TwoFactorMiddleware",
    # Times in the signed-in user's organisation's time zone (partners/timezones.py).
    "reciprocity.partners.timezones.OrganisationTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reciprocity.urls"
WSGI_APPLICATION = "reciprocity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "reciprocity.navigation.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the signed-in user kept per process between requests and checked
    # against a version in the shared cache (accounts/identity.py).
    "reciprocity.accounts.backends.ModelBackend",
]
# Brute-force protection of the sign-in: after AXES_FAILURE_LIMIT wrong passwords for one
# account from one address, that pair is locked for AXES_COOLOFF_HOURS (offices share addresses,
# so an address alone is never locked).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's full set of validators; 12 characters at least (OWASP ASVS 2.1.1 asks for 12).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password-reset link works once, and for this long.
PASSWORD_RESET_TIMEOUT = 60 * int(os.environ.get("PASSWORD_RESET_TIMEOUT_MINUTES", "60"))
# Two-factor authentication (django-otp, TOTP with recovery codes): the name authenticator apps
# show; wrong codes delay the next try exponentially (1, 2, 4... seconds, per device); device
# keys are not shown in the admin.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Reciprocity")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sessions: signed out after this long without activity (platform staff sooner: they reach
# everyone's data), and after SESSION_COOKIE_AGE whatever the activity (OWASP ASVS 3.3).
SESSION_IDLE_TIMEOUT_STAFF_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_STAFF_MINUTES", "30"))
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "480"))
SESSION_COOKIE_AGE = 3600 * int(os.environ.get("SESSION_MAX_AGE_HOURS", "12"))
# Sessions in the database, read through the cache, in production with Redis (shared by every web
# process: a per-process cache would keep a signed-out session alive in the other processes).
SESSION_ENGINE = os.environ.get(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db" if PRODUCTION and os.environ.get("REDIS_URL")
    else "django.contrib.sessions.backends.db",
)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "home:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True
# One unambiguous date format per language ("5 April 2027", "5 avril 2027"): reciprocity/formats/.
FORMAT_MODULE_PATH = ["reciprocity.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Project-wide static files (CSS, vendored htmx and ECharts) live in the package, not in an app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Uploaded files in an S3-compatible bucket (AWS S3, MinIO, Garage, Scaleway...) when a bucket is
# named, so that several web machines share them (pip install '.[s3]'; docs/deploy.md "Storage").
# The code only ever goes through Django's storage API (default_storage, FileField), never the
# disk. The credentials come from boto3's own environment variables (AWS_ACCESS_KEY_ID...).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", os.environ.get("S3_BUCKET", ""))
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            # Private objects, reached only through the application's permission checks.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
# How long files uploaded for a preview are kept for the import that follows (core/staging.py).
STAGED_UPLOAD_SECONDS = int(os.environ.get("STAGED_UPLOAD_SECONDS", "3600"))

# Without an SMTP server every e-mail is written as a file under var/mail/ (one .log file per
# connection), so a person trying the platform locally can open the sign-up link they were sent;
# the test runner replaces the backend with locmem (mail.outbox) whatever this says.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Reciprocity <noreply@localhost>")

# Key for identity-document numbers at rest. Required in production, separate from SECRET_KEY
# (rotating the signing key must not make the numbers unreadable, and a leak of one is not a leak
# of both); locally, derived from the generated SECRET_KEY when not given (core/fields.py).
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
if PRODUCTION:
    _require_strong("FIELD_ENCRYPTION_KEY", FIELD_ENCRYPTION_KEY, min_length=32)
    if FIELD_ENCRYPTION_KEY == SECRET_KEY:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must differ from SECRET_KEY.")
# Former keys, comma-separated, still accepted for reading while `reciprocity encryption rotate`
# rewrites everything under FIELD_ENCRYPTION_KEY (docs/deploy.md "Rotating the encryption key").
FIELD_ENCRYPTION_OLD_KEYS = [
    key.strip() for key in os.environ.get("FIELD_ENCRYPTION_OLD_KEYS", "").split(",") if key.strip()
]

# Days without a decision after which an application is flagged to host and sender.
APPLICATION_DECISION_DAYS = int(os.environ.get("APPLICATION_DECISION_DAYS", "21"))
# Days a volunteer has to accept or decline the place a host offers (inclusive); after that the
# offer expires and the mission's waiting list moves (applications/offers.py).
OFFER_RESPONSE_DAYS = int(os.environ.get("OFFER_RESPONSE_DAYS", "7"))
# Months after a volunteer's last activity before their personal data are anonymised.
PERSONAL_DATA_RETENTION_MONTHS = int(os.environ.get("PERSONAL_DATA_RETENTION_MONTHS", "60"))
# Statistics shown to readers outside the organisations withhold counts below this
# (balance/disclosure.py, docs/balance.md "Small numbers").
SMALL_CELL_THRESHOLD = int(os.environ.get("SMALL_CELL_THRESHOLD", "3"))

# PLATO, the work-camp networks' placement platform (docs/exchange.md): its web service and our
# organisation's web key. Calls time out, and failures are retried with a growing pause.
PLATO_BASE_URL = os.environ.get(
    "PLATO_BASE_URL", "https://workcamp-plato.org/files/services/ExternalSynchronization.asmx"
)
PLATO_WEB_KEY = os.environ.get("PLATO_WEB_KEY", "")
PLATO_TIMEOUT_SECONDS = float(os.environ.get("PLATO_TIMEOUT_SECONDS", "30"))
PLATO_RETRIES = int(os.environ.get("PLATO_RETRIES", "3"))
PLATO_BACKOFF_SECONDS = float(os.environ.get("PLATO_BACKOFF_SECONDS", "1"))

# Webhooks for partners (docs/exchange.md): deliveries are tried right after the change is
# saved (else only by `reciprocity webhooks deliver`); plain http to localhost is for tests.
WEBHOOKS_SEND_ON_COMMIT = os.environ.get("WEBHOOKS_SEND_ON_COMMIT", "1") == "1"
WEBHOOKS_ALLOW_HTTP_LOCALHOST = os.environ.get("WEBHOOKS_ALLOW_HTTP_LOCALHOST", "0") == "1"

# Redis (docs/deploy.md): when set, the Celery broker and result store, the shared cache, and a
# readiness check (/readyz). Unset (the local default), tasks run in-process and nothing needs it.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Celery (reciprocity/celery.py, docs/decisions/0009-celery.md). A task is acknowledged only
# once it has finished, and handed back to the queue when its worker dies, so a killed worker's
# task runs again (every task is idempotent); a worker takes one task at a time for the same
# reason. Without Redis every task runs eagerly, in the calling process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "3600"))
CELERY_RESULT_EXPIRES = 86400
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker logs through LOGGING below (JSON in production, with the queuing request's id).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A task delayed past this is redelivered by Redis to another worker (must exceed the longest task):
# this is also how long the task of a killed worker waits before another worker takes it up.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(
    os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(CELERY_TASK_TIME_LIMIT + 600)))}
CELERY_TIMEZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
# The daily jobs, run by `celery -A reciprocity beat` (Celery's own scheduler: the schedule is
# code, reviewed and versioned; docs/decisions/0009-celery.md). Each runs the `reciprocity`
# command of the same name (core/tasks.py). Without Redis, run the commands from cron instead.
CELERY_BEAT_SCHEDULE = {
    name: {"task": "reciprocity.core.tasks.run_job", "args": (name,),
           "schedule": crontab(**when), "options": {"expires": 3600}}
    for name, when in {
        "procedures-remind": {"minute": "0", "hour": "7"},
        "applications-flag-overdue": {"minute": "10", "hour": "7"},
        "applications-expire-offers": {"minute": "5", "hour": "0"},
        "balance-alerts": {"minute": "20", "hour": "7"},
        "volunteers-anonymise": {"minute": "30", "hour": "3"},
        "matching-fail-stale": {"minute": "*/15"},
        "imports-fail-stale": {"minute": "7-59/15"},
        "webhooks-deliver": {"minute": "*/5"},
        # Conversation e-mails held back by batching (docs/conversations.md); overdue steps.
        "conversations-send-digests": {"minute": "*"},
        "conversations-overdue-events": {"minute": "5", "hour": "7"},
    }.items()
}
# Placement runs (matching/services.py): on a Celery worker when Redis is configured, else in a
# thread of the web process ("inline" and "manual" exist for tests and operators).
MATCHING_RUNNER = os.environ.get("MATCHING_RUNNER", "celery" if REDIS_URL else "thread")
# Imports of spreadsheets (imports/services.py): the same choice, "celery", "thread" or "inline".
IMPORTS_RUNNER = os.environ.get("IMPORTS_RUNNER", "celery" if REDIS_URL else "thread")
if REDIS_URL:
    # Shared by every process: rate-limit counters, sessions' cache, computed pages.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "reciprocity",
        }
    }
# Balance dashboard and annual report cached per reader's scope and filters, invalidated by
# ledger writes (balance/caching.py); on by default only with a cache shared by every process.
BALANCE_CACHE_SECONDS = int(os.environ.get("BALANCE_CACHE_SECONDS", "600" if REDIS_URL else "0"))
# The public catalogue's results cached per filters, page and language, invalidated by mission
# changes; "places left" may lag by this much (missions/caching.py). Same condition as above.
CATALOGUE_CACHE_SECONDS = int(os.environ.get("CATALOGUE_CACHE_SECONDS", "60" if REDIS_URL else "0"))
# The menu's per-user summary (entries, unread messages), invalidated by the writes it reads
# (menu/caching.py), and a mission page's public part per kind of reader, invalidated by the
# mission's and its placements' writes (missions/page_cache.py). Same condition as above.
MENU_CACHE_SECONDS = int(os.environ.get("MENU_CACHE_SECONDS", "60" if REDIS_URL else "0"))
# The signed-in person's row, devices and organisations kept by each process, checked against a
# version in Redis at each request; a copy is read again after this many seconds regardless
# (accounts/identity.py). Same condition as above: off without a shared cache.
IDENTITY_CACHE_SECONDS = int(os.environ.get("IDENTITY_CACHE_SECONDS", "300" if REDIS_URL else "0"))
MISSION_PAGE_CACHE_SECONDS = int(
    os.environ.get("MISSION_PAGE_CACHE_SECONDS", "60" if REDIS_URL else "0"))

# API rate limits (docs/security.md): requests per API token and per client address, written
# N/second, N/minute, N/hour or N/day; 0 turns a limit off. Counted in the default cache
# (CACHES; Django's default is per process, so several workers need a shared cache such as Redis).
API_RATE_LIMIT_PER_TOKEN = os.environ.get("API_RATE_LIMIT_PER_TOKEN", "600/minute")
API_RATE_LIMIT_PER_ADDRESS = os.environ.get("API_RATE_LIMIT_PER_ADDRESS", "1200/minute")
# The forms anyone may post without signing in (volunteer sign-up, password reset), each counted
# on its own per e-mail address and per client address (accounts/rate_limits.py): a refusal is
# the form again with the reason, 429 and Retry-After. Same notation; 0 turns a limit off.
ACCOUNT_RATE_LIMIT_PER_EMAIL = os.environ.get("ACCOUNT_RATE_LIMIT_PER_EMAIL", "5/hour")
ACCOUNT_RATE_LIMIT_PER_IP = os.environ.get("ACCOUNT_RATE_LIMIT_PER_IP", "30/hour")
# Reverse proxies in front of the app that append to X-Forwarded-For; with 0 the client address
# is REMOTE_ADDR, which a client cannot forge (a forged header would dodge the address limit).
NINJA_NUM_PROXIES = int(os.environ.get("NINJA_NUM_PROXIES", "0"))

# Prometheus metrics on /metrics (core/metrics.py, docs/deploy.md "Metrics"): 404 unless the
# client's address is in METRICS_ALLOWED_IPS (addresses or networks, comma-separated) or it sends
# `Authorization: Bearer <METRICS_TOKEN>`.
METRICS_ALLOWED_IPS = os.environ.get("METRICS_ALLOWED_IPS", "")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

COUNTRIES_FIRST = ["FR"]
# Kosovo (XK, user-assigned, not in ISO 3166) is a country both engines accept
# (reciprocity/domain/countries.py); django-countries leaves it out, so without this a Kosovar
# volunteer's nationality could not be entered. The exchange formats write it as XKX.
# django-countries names Nauru by its Nauruan name, "Naoero", in English only (its fr and es
# catalogues say "Nauru"): an English reader would not find it.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo"), "NR": _("Nauru")}

# Audit log (django-auditlog into our own append-only table; docs/decisions/0008-audit-log.md).
# Which models and fields are recorded is in reciprocity/audit/registry.py, not in settings.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = True
# django-auditlog's own table is never used (AuditEntry replaces its swapped model): its
# migrations are not run, so no orphan table keeps foreign keys to the users' table (PostgreSQL
# would then refuse the TRUNCATE of `flush`).
MIGRATION_MODULES = {"auditlog": None}

# Content Security Policy (django-csp): scripts and styles only from our own static files, so an
# injected `<script>` or `onerror=` never runs. Templates carry no inline script; data reach the
# scripts through `json_script` or data- attributes (docs/security-headers.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # Every subdomain served over HTTPS only, and eligible for the browsers' preload list:
    # `check --deploy` asks for both; turn off only for a domain with plain-HTTP subdomains.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "1") == "1"
    # Hashed, compressed, cached for ever once `collectstatic` has run (docs/deploy.md); before
    # it has, or for a file missing from the manifest, pages still answer: the storage falls back
    # to the plain name and WhiteNoise serves it from the package through the finders.
    STORAGES["staticfiles"]["BACKEND"] = "reciprocity.core.staticfiles.ForgivingManifestStorage"
    WHITENOISE_USE_FINDERS = os.environ.get("WHITENOISE_USE_FINDERS", "1") == "1"

# Logs on standard error: one JSON object a line in production (`LOG_FORMAT=json`), readable
# lines locally (`text`); each carries the request id (core/logs.py, docs/deploy.md "Logs").
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "reciprocity.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "reciprocity.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
