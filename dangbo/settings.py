"""One settings file; everything that differs between machines comes from the environment.

SQLite by default, PostgreSQL when DATABASE_URL is set. DEBUG=0 turns on the
production hardening that `manage.py check --deploy` looks for.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The demo waives two-factor enrolment (and says so on the login page);
# production requires it for every role above member.
DEMO_MODE = env_bool("DEMO_MODE", DEBUG)
REQUIRE_2FA = env_bool("REQUIRE_2FA", not DEMO_MODE)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Background jobs (django-tasks): the queue is a table of this database (django_tasks_db, migrated
    # with the rest); see TASKS below.
    "django_tasks",
    "django_tasks_db",
    "dangbo.core",
    "dangbo.accounts",
    "dangbo.org",
    "dangbo.members",
    "dangbo.rules",
    "dangbo.admission",
    "dangbo.transfers",
    "dangbo.lifecycle",
    "dangbo.fees",
    "dangbo.meetings",
    "dangbo.documents",
    "dangbo.study",
    "dangbo.programmes",
    "dangbo.inspection",
    "dangbo.review",
    "dangbo.committees",
    "dangbo.reports",
    "dangbo.stattables",
    "dangbo.demo",
]

MIDDLEWARE = [
    "dangbo.core.middleware.RequestLogMiddleware",  # ops: one log line per request (first, so it times everything)
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy header (CONTENT_SECURITY_POLICY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "dangbo.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dangbo.rules.middleware.UnknownRulesMiddleware",  # a past fact before the rules held: applied, flagged
    "dangbo.core.middleware.RejectNulMiddleware",  # a NUL character in a query or form value: a 400 page
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dangbo.urls"
WSGI_APPLICATION = "dangbo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dangbo.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'dangbo.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes. Bulk writes (member import, opening a review) keep
    # their write transactions short (batches, a background task), so no writer waits more than about a
    # second; the busy timeout (seconds a writer waits for the lock before "database is locked") is a
    # second line only.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
    }

# Background tasks (django-tasks): enqueued into the database, run by a worker process,
# `manage.py db_worker` (ops: started beside the web server by `make run` and in production; it must run
# wherever the site runs, or review openings stay "being opened"). TASKS_BACKEND=
# django_tasks.backends.immediate.ImmediateBackend runs them inside the request instead (the tests do).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Django's validators with Vietnamese messages, and one refusing the username inside the password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dangbo.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "dangbo.accounts.validators.UsernameInPasswordValidator"},
    {"NAME": "dangbo.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "dangbo.accounts.validators.CommonPasswordValidator"},
    {"NAME": "dangbo.accounts.validators.NumericPasswordValidator"},
]
# Login throttling (accounts.services): failures of one username from one address pause it there,
# failures from one address across usernames block the address; behind a reverse proxy, list it in
# LOGIN_TRUSTED_PROXIES (comma-separated addresses) so the forwarded client address is counted.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
LOGIN_TRUSTED_PROXIES = [a for a in os.environ.get("LOGIN_TRUSTED_PROXIES", "").split(",") if a]
OTP_TOTP_ISSUER = "Đảng bộ số"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own `vi` locale defines no input formats: dd/mm/yyyy everywhere.
FORMAT_MODULE_PATH = ["dangbo.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Third-party assets come from node_modules (package-lock.json), never copied in: only the built files
# listed in dangbo/core/staticfinders.py, under /static/vendor/ (not the whole of node_modules).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "dangbo.core.staticfinders.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploads (dangbo/core/uploads.py): no file is kept past 25 MB (the first handler drops the rest, the form
# refuses it), each upload field has its own smaller limit; a file above 2.5 MB goes to a temporary file,
# not memory; the other fields of a request are limited to 2.5 MB and a request to 20 files.
FILE_UPLOAD_HANDLERS = [
    "dangbo.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dangbo@localhost")
# Web Push (core.push): the server's VAPID key (base64url) from the environment, else a key file made on first
# use; the contact push services may write to about this server.
WEBPUSH_VAPID_PRIVATE_KEY = os.environ.get("WEBPUSH_VAPID_PRIVATE_KEY", "")
WEBPUSH_VAPID_KEY_FILE = Path(os.environ.get("WEBPUSH_VAPID_KEY_FILE", BASE_DIR / "var" / "webpush-vapid.pem"))
WEBPUSH_CONTACT = os.environ.get("WEBPUSH_CONTACT", "mailto:" + DEFAULT_FROM_EMAIL.split("<")[-1].strip(">"))
# The push services of the browsers a subscription may point at (https; a host or its subdomains): Chrome
# (FCM), Firefox (Mozilla autopush), Safari (Apple), Edge (Windows push).
WEBPUSH_ENDPOINT_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "WEBPUSH_ENDPOINT_HOSTS",
        "fcm.googleapis.com,updates.push.services.mozilla.com,push.apple.com,notify.windows.com",
    ).split(",")
    if h.strip()
]

# Content-Security-Policy (django-csp 4), in every setting, tests included: scripts only from our static files
# (no inline <script>, no on*= attribute, no eval; chart data sits in json_script blocks, which are not run),
# styles only from static files (no style= attribute either: classes in core/site.css); no plugin, no framing,
# forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_AGE = 8 * 3600
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True


# --- Operations (docs/operations.md): logs, Sentry, health thresholds, backups ---
# One line per request on the "dangbo.request" logger (request id, user id, time, query count);
# LOG_FORMAT=json writes JSON lines. Requests slower than SLOW_REQUEST_MS are logged with their queries.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
REQUEST_LOG_LEVEL = os.environ.get("REQUEST_LOG_LEVEL", "INFO")
SLOW_REQUEST_MS = int(os.environ.get("SLOW_REQUEST_MS", "1000"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "dangbo.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "text"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "dangbo.request": {"handlers": ["console"], "level": REQUEST_LOG_LEVEL, "propagate": False},
        "dangbo.ops": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
# Errors go to Sentry when SENTRY_DSN is set and sentry-sdk is installed (`pip install sentry-sdk`).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from dangbo.core.logs import init_sentry

    init_sentry(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"))
# /healthz: the worker's heartbeat and the last daily run must be this recent, the disk this free.
HEALTH_WORKER_MAX_AGE_SECONDS = int(os.environ.get("HEALTH_WORKER_MAX_AGE_SECONDS", "180"))
HEALTH_DAILY_MAX_AGE_HOURS = int(os.environ.get("HEALTH_DAILY_MAX_AGE_HOURS", "26"))
HEALTH_MIN_FREE_MB = int(os.environ.get("HEALTH_MIN_FREE_MB", "500"))
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "30"))
# `manage.py backup` writes here when given no path; `manage.py upgrade` backs up here first.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "/usr/lib/postgresql/15/bin")
# The reverse proxy on this machine (deploy/Caddyfile, nginx.conf) goes in LOGIN_TRUSTED_PROXIES (above).
# --- end operations ---
