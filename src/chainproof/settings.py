"""Django settings for chainproof, read from the environment.

Every variable is documented in README.md ("Configuration"). Bad values stop the
process with a message naming the variable (see chainproof.envreaders).
"""

from __future__ import annotations

import os
from pathlib import Path

from chainproof.datadir import DEFAULT_DATA_DIR, prepare_data_dir, read_or_create_secret_key
from chainproof.envreaders import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    parse_database_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent

DATA_DIR = prepare_data_dir(
    env_path("CHAINPROOF_DATA_DIR", DEFAULT_DATA_DIR),
    explicit=bool(os.environ.get("CHAINPROOF_DATA_DIR", "").strip()),
)

DEBUG = env_bool("CHAINPROOF_DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or read_or_create_secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("CHAINPROOF_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CHAINPROOF_CSRF_TRUSTED_ORIGINS", [])

# Behind TLS in production: secure cookies, HSTS, redirect to https.
HTTPS = env_bool("CHAINPROOF_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("CHAINPROOF_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("CHAINPROOF_HSTS_PRELOAD", HTTPS)
if env_bool("CHAINPROOF_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("CHAINPROOF_SESSION_SECONDS", 8 * 3600, minimum=300)
CSRF_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "chainproof.web",
    "chainproof.accounts",
    "chainproof.audit",
    "chainproof.reference",
    "chainproof.jobs",
    "chainproof.suppliers",
    "chainproof.risk",
    "chainproof.screening",
    "chainproof.questionnaires",
    "chainproof.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chainproof.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chainproof.accounts.middleware.LoginRequiredMiddleware",
    "chainproof.accounts.middleware.ActiveMembershipMiddleware",
]

ROOT_URLCONF = "chainproof.urls"
WSGI_APPLICATION = "chainproof.wsgi.application"

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
                "chainproof.web.context_processors.shell",
            ],
        },
    }
]

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    _db = parse_database_url(_database_url).as_django()
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _db["CONN_MAX_AGE"] = env_int("CHAINPROOF_DB_CONN_MAX_AGE", 60, minimum=0)
        _db["CONN_HEALTH_CHECKS"] = True
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "chainproof.sqlite3"),
    }
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing half-way.
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("CHAINPROOF_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = "chainproof.formats"

STATIC_URL = "/static/"
# Static files are served by WhiteNoise straight from the installed package.
WHITENOISE_USE_FINDERS = True
if os.environ.get("CHAINPROOF_STATIC_ROOT"):
    STATIC_ROOT = env_path("CHAINPROOF_STATIC_ROOT", DATA_DIR / "static")
MEDIA_ROOT = DATA_DIR / "files"

# Uploads: kept small in memory, refused above the limit.
UPLOAD_MAX_BYTES = env_int("CHAINPROOF_UPLOAD_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = env_choice(
    "CHAINPROOF_EMAIL_BACKEND",
    (
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",
    ),
    "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("CHAINPROOF_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CHAINPROOF_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("CHAINPROOF_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("CHAINPROOF_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CHAINPROOF_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("CHAINPROOF_EMAIL_FROM", "chainproof <noreply@localhost>")
# The address suppliers reach this instance at, for the links in invitations and reminders.
PUBLIC_BASE_URL = env_str("CHAINPROOF_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

SCREENING_THRESHOLD = (
    float(env_int("CHAINPROOF_SCREENING_THRESHOLD_PERCENT", 70, minimum=30, maximum=100)) / 100
)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("CHAINPROOF_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
