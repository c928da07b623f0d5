"""Rapport's one settings module, driven by RAPPORT_* environment variables.

Every variable read here is listed in docs/settings.md and .env.example (a test checks).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from rapport.lib.datadir import data_dir, local_secret_key
from rapport.lib.env import (
    EMAIL_BACKENDS,
    EmailConfig,
    EnvError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_url,
    parse_email_url,
)

ENV = os.environ
PACKAGE_DIR = Path(__file__).resolve().parent

MODE = env_choice(ENV, "RAPPORT_MODE", choices=("local", "server"), default="local")
LOCAL_MODE = MODE == "local"
SERVER_MODE = MODE == "server"
DEBUG = env_bool(ENV, "RAPPORT_DEBUG", default=False)
DATA_DIR = data_dir(ENV)
# For browser tests only: a file holding seconds to add to "now" (see rapport/core/clock.py).
CLOCK_FILE = env_str(ENV, "RAPPORT_TEST_CLOCK")
if CLOCK_FILE and SERVER_MODE:
    raise EnvError("RAPPORT_TEST_CLOCK", "is for tests in local mode; unset it in server mode")

# --- secrets and hosts -------------------------------------------------------------------
if SERVER_MODE:
    SECRET_KEY = env_str(ENV, "RAPPORT_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise EnvError("RAPPORT_SECRET_KEY", "server mode needs a random key of 50+ characters")
    ALLOWED_HOSTS = env_list(ENV, "RAPPORT_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise EnvError("RAPPORT_ALLOWED_HOSTS", "server mode needs the host names it answers to")
else:
    SECRET_KEY = env_str(ENV, "RAPPORT_SECRET_KEY") or local_secret_key(DATA_DIR)
    ALLOWED_HOSTS = env_list(ENV, "RAPPORT_ALLOWED_HOSTS", ("127.0.0.1", "localhost", "[::1]"))

BEHIND_PROXY = SERVER_MODE and env_bool(ENV, "RAPPORT_BEHIND_PROXY", default=False)
CSRF_TRUSTED_ORIGINS = env_list(ENV, "RAPPORT_CSRF_TRUSTED_ORIGINS")
BASE_URL = env_url(ENV, "RAPPORT_BASE_URL", schemes=("http", "https"))

# --- applications ----------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_countries",
    "rapport.core",
    "rapport.accounts",
    "rapport.contacts",
    "rapport.outreach",
    "rapport.meetings",
    "rapport.reminders",
    "rapport.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "rapport.accounts.middleware.ViewerTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "rapport.urls"
WSGI_APPLICATION = "rapport.wsgi.application"

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
                "rapport.web.context_processors.globals_for_templates",
            ],
        },
    },
]

# --- database ------------------------------------------------------------------------------
SQLITE_BUSY_TIMEOUT_S = 20  # long enough to ride out a worker's write, short enough to report
DATABASE_URL = env_url(
    ENV, "RAPPORT_DATABASE_URL", schemes=("sqlite", "postgres", "postgresql", "pgsql")
)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "rapport.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
        # on the busy timeout instead of failing with "database is locked" mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_S,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # Keep connections: opening one runs the PRAGMAs above, which costs more than a query.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["rapport.accounts.backends.EmailOrUsernameBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:today"
LOGOUT_REDIRECT_URL = "accounts:login"
SIGNUP_ENABLED = SERVER_MODE and env_bool(ENV, "RAPPORT_SIGNUP", default=False)
LOGIN_LINK_MINUTES = env_int(ENV, "RAPPORT_LOGIN_LINK_MINUTES", default=10, minimum=1, maximum=1440)
LOGIN_THROTTLE_ATTEMPTS = env_int(
    ENV, "RAPPORT_LOGIN_THROTTLE_ATTEMPTS", default=5, minimum=1, maximum=1000
)
LOGIN_THROTTLE_MINUTES = env_int(
    ENV, "RAPPORT_LOGIN_THROTTLE_MINUTES", default=15, minimum=1, maximum=1440
)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if SERVER_MODE:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool(ENV, "RAPPORT_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int(
        ENV, "RAPPORT_HSTS_SECONDS", default=60 * 60 * 24 * 365, minimum=0, maximum=2 * 10**8
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The health endpoint is probed over plain HTTP from inside the deployment.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# --- email ---------------------------------------------------------------------------------
FILE_EMAIL_BACKEND = EMAIL_BACKENDS["file"]
EMAIL_URL = env_url(
    ENV, "RAPPORT_EMAIL_URL", schemes=("smtp", "smtps", "console", "file", "memory")
)
if EMAIL_URL:
    _email = parse_email_url("RAPPORT_EMAIL_URL", EMAIL_URL)
elif LOCAL_MODE:
    # Until SMTP is set up, a seeker's emails land in a folder where they can open them.
    _email = EmailConfig(backend=FILE_EMAIL_BACKEND, file_path=str(DATA_DIR / "outbox"))
else:
    _email = EmailConfig(backend=EMAIL_BACKENDS["console"])
# Django's file backend appends every email to one .log file; ours writes one .eml per email.
EMAIL_BACKEND = (
    "rapport.outreach.delivery.EmlFileBackend"
    if _email.backend == FILE_EMAIL_BACKEND
    else _email.backend
)
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.username
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
EMAIL_TIMEOUT = _email.timeout_s
EMAIL_FILE_PATH = _email.file_path
DEFAULT_FROM_EMAIL = env_str(ENV, "RAPPORT_FROM_EMAIL", "Rapport <rapport@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- i18n, time, static --------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Only a server deployment collects static files; locally WhiteNoise reads the package.
STATIC_ROOT = env_str(ENV, "RAPPORT_STATIC_ROOT") or (DATA_DIR / "static" if SERVER_MODE else None)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the package, so `rapport serve` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 3600

CSRF_FAILURE_VIEW = "rapport.web.errors.csrf_failure"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            ENV,
            "RAPPORT_LOG_LEVEL",
            choices=("debug", "info", "warning", "error"),
            default="info",
        ).upper(),
    },
}
