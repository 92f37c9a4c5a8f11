"""Django settings for klimabok.

Everything that differs between a laptop and production comes from the
environment, parsed strictly: a malformed value stops start-up with a message
naming the variable (see README, "Configuration").
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Classes django-stubs types as generic (ModelForm[Site]) become subscriptable at runtime too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """The integer in environment variable ``name`` (``default`` when unset or empty).

    A value that is not a whole number, or is below ``minimum``, stops start-up naming the variable,
    the value and what it must be, rather than a bare ``ValueError`` from ``int()``.
    """
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum}, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    return [p.strip() for p in raw.split(",") if p.strip()] if raw else default


DEBUG = env_bool("KLIMABOK_DEBUG", False)
SECRET_KEY = os.environ.get("KLIMABOK_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "KLIMABOK_SECRET_KEY is not set. Set it (50+ random characters) or set KLIMABOK_DEBUG=true "
            "for local development.")
    SECRET_KEY = "insecure-development-key-only-used-with-KLIMABOK_DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("KLIMABOK_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("KLIMABOK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "klimabok.web",
    "klimabok.accounts",
    "klimabok.audit",
    "klimabok.factors",
    "klimabok.inventory",
    "klimabok.ledger",
    "klimabok.survey",
    "klimabok.account",
    "klimabok.plans",
    "klimabok.claims",
    "klimabok.credits",
    "klimabok.certificates",
    "klimabok.compensation",
    "klimabok.reports",
    "klimabok.engagement",
    "klimabok.api",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "klimabok.web.middleware.UserLanguageMiddleware",  # cookie, else the user's choice, else nb
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "klimabok.web.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "klimabok.urls"
WSGI_APPLICATION = "klimabok.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "klimabok.accounts.context_processors.membership",
            ],
        },
    },
]

DATA_DIR = Path(os.environ.get("KLIMABOK_DATA_DIR", PROJECT_DIR / "var"))
_default_db = f"sqlite:///{DATA_DIR / 'klimabok.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db,
                                                  conn_max_age=60)}
except ValueError as exc:  # dj-database-url says which part is wrong
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Wait for a writer rather than failing with "database is locked"; IMMEDIATE
    # transactions take the write lock up front so two writers serialise cleanly.
    # WAL: the task worker (another process) writes while the web reads, and readers never block it.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                                       "init_command": "PRAGMA journal_mode=WAL;"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "klimabok.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: 5 failures per username+IP lock out for an hour.
AXES_FAILURE_LIMIT = env_int("KLIMABOK_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1
AXES_VERBOSE = False  # its start-up banner would pollute the CLI's JSON output
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "klimabok.accounts.backends.axes_username"  # one count per address, any case
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves from here after collectstatic and warns when it is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MEDIA_ROOT = DATA_DIR / "media"  # uploads waiting for the worker (ledger-uploads/), deleted once read

# Background tasks (django-tasks): reading an uploaded ledger file. The database backend keeps the
# queue in the database; `manage.py db_worker` runs the tasks (`make run` starts one; README,
# "Deployment"). Tests run tasks at once (tests/conftest.py) unless a test runs a worker itself.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("KLIMABOK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("KLIMABOK_FROM_EMAIL", "klimabok@localhost")
# SMTP, for KLIMABOK_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (invitations, password
# resets, `klimabok remind`): localhost:25 without login or TLS unless set; a timeout so a dead server
# fails a reminder run instead of hanging it.
EMAIL_HOST = os.environ.get("KLIMABOK_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("KLIMABOK_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("KLIMABOK_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KLIMABOK_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KLIMABOK_EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("KLIMABOK_EMAIL_USE_SSL", False)  # implicit TLS, usually port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("KLIMABOK_EMAIL_USE_TLS and KLIMABOK_EMAIL_USE_SSL cannot both be true")
EMAIL_TIMEOUT = env_int("KLIMABOK_EMAIL_TIMEOUT", 30, minimum=1)
# `klimabok remind` writes to owners this many days before a measure's, goal's or wheel task's due date.
KLIMABOK_REMIND_DAYS_AHEAD = env_int("KLIMABOK_REMIND_DAYS_AHEAD", 7, minimum=0)
# Printed on certificates (QR code, verification URL); when unset, the address of the request that
# issues the certificate.
KLIMABOK_SITE_URL = os.environ.get("KLIMABOK_SITE_URL", "").rstrip("/")

# Uploads: activity files are small; refuse anything bigger than 10 MB early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Keep each uploaded activity file and ledger file (SAF-T, general ledger) as uploaded, in the default
# storage under kept-imports/, for the auditor's bundle; deleted with its upload or import. False: only
# the name, SHA-256 and size are kept (a SAF-T file holds the whole ledger, customers' names included).
KLIMABOK_KEEP_IMPORT_FILES = env_bool("KLIMABOK_KEEP_IMPORT_FILES", True)
KLIMABOK_MAX_UPLOAD_BYTES = env_int("KLIMABOK_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1)
# Ledger files (SAF-T, general ledger) stream to a temporary file and are read by the worker.
KLIMABOK_LEDGER_MAX_UPLOAD_BYTES = env_int("KLIMABOK_LEDGER_MAX_UPLOAD_BYTES", 500_000_000, minimum=1)
# A ledger import waiting or being read with no progress for this long lost its worker: it fails.
KLIMABOK_LEDGER_STALE_MINUTES = env_int("KLIMABOK_LEDGER_STALE_MINUTES", 15, minimum=1)
# Files the task worker made (auditor's bundles, the account's exports of every line) are kept this many
# days after they are ready; `klimabok jobs clean` (daily from cron) deletes older ones and their jobs.
KLIMABOK_REPORT_JOBS_KEEP_DAYS = env_int("KLIMABOK_REPORT_JOBS_KEEP_DAYS", 14, minimum=1)

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("KLIMABOK_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("KLIMABOK_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Operators' log on stderr: imports started/finished/failed, credit orders reserved/released/retired,
# certificates issued/revoked, background tasks. klimabok at KLIMABOK_LOG_LEVEL (INFO), everything else
# warnings only. Tests lower klimabok to WARNING (tests/conftest.py); caplog still sees INFO.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"operator": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "operator"}},  # stderr
    "loggers": {"klimabok": {"level": os.environ.get("KLIMABOK_LOG_LEVEL", "INFO")}},
    # Django's own and the libraries' log (requests, the task worker; SQL at DEBUG): warnings unless asked
    "root": {"handlers": ["console"], "level": os.environ.get("KLIMABOK_DJANGO_LOG_LEVEL", "WARNING")},
}
