"""Django settings for chainproof, read from the environment.

Every variable is documented in README.md ("Configuration"). Bad values stop the
process with a message naming the variable (see chainproof.envreaders).
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from pathlib import Path

from chainproof.datadir import (
    AUDIT_CHECKPOINT_FILE,
    DEFAULT_DATA_DIR,
    prepare_data_dir,
    read_or_create_audit_key,
    read_or_create_secret_key,
)
from chainproof.envreaders import (
    ConfigError,
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
# The audit chain is an HMAC under this key, kept outside the database (a secret store can
# provide it instead of the file); signed checkpoints of each chain's head go to a file.
AUDIT_KEY = os.environ.get("CHAINPROOF_AUDIT_KEY", "").strip() or read_or_create_audit_key(DATA_DIR)
if len(AUDIT_KEY) < 32:
    raise ConfigError(
        f"CHAINPROOF_AUDIT_KEY: expected at least 32 characters, found {len(AUDIT_KEY)}"
    )
AUDIT_CHECKPOINTS = env_path("CHAINPROOF_AUDIT_CHECKPOINTS", DATA_DIR / AUDIT_CHECKPOINT_FILE)
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
BEHIND_PROXY = env_bool("CHAINPROOF_BEHIND_PROXY", False)
# The address the reverse proxy connects from: `chainproof serve` takes X-Forwarded-Proto
# and X-Forwarded-For only from it (waitress drops them from anyone else).
TRUSTED_PROXY = env_str("CHAINPROOF_TRUSTED_PROXY", "127.0.0.1" if BEHIND_PROXY else "")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("CHAINPROOF_SESSION_SECONDS", 8 * 3600, minimum=300)
# Sign-in throttling: wrong passwords within the window, then a lock of the same length.
LOGIN_LOCKOUT_SECONDS = env_int("CHAINPROOF_LOGIN_LOCKOUT_SECONDS", 900, minimum=1)
LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS = env_int("CHAINPROOF_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("CHAINPROOF_LOGIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=1)
LOGIN_MAX_FAILURES_PER_ACCOUNT = env_int("CHAINPROOF_LOGIN_MAX_FAILURES_PER_ACCOUNT", 50, minimum=1)
API_TOKEN_DAYS = env_int("CHAINPROOF_API_TOKEN_DAYS", 90, minimum=1)
LOGIN_AUDIT_FAILURES_PER_WINDOW = env_int("CHAINPROOF_LOGIN_AUDIT_FAILURES", 200, minimum=1)
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
    "chainproof.common",
    "chainproof.web",
    "chainproof.accounts",
    "chainproof.audit",
    "chainproof.auditlog",
    "chainproof.reference",
    "chainproof.jobs",
    "chainproof.suppliers",
    "chainproof.risk",
    "chainproof.screening",
    "chainproof.evidence",
    "chainproof.diligence",
    "chainproof.cases",
    "chainproof.questionnaires",
    "chainproof.statements",
    "chainproof.interchange",
    "chainproof.outbox",
    "chainproof.api",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chainproof.web.middleware.SecurityHeadersMiddleware",
    "chainproof.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chainproof.common.middleware.QueryTextMiddleware",
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
    # lock at BEGIN so two writers queue instead of failing half-way. A page cache of up
    # to 64 MiB per connection (SQLite's default is 2 MiB) keeps a large import's index
    # pages in memory instead of spilling them to the WAL again and again: the 300,000
    # link import spent a third of its time waiting on those writes.
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # One index carries extra columns for PostgreSQL to read without the table
    # (risk_current_level); SQLite builds it without them, which is all it can use. Said
    # once here rather than as a warning on every command a person runs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
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
# A password-reset link works once, for this long.
PASSWORD_RESET_TIMEOUT = 2 * 3600
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
# The languages of the supplier portal, its emails and the questionnaire (the analyst's pages
# are in English). The portal picks one per request (questionnaires/languages.py); the
# translations are in questionnaires/locale, compiled .mo files committed with their .po.
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("vi", "Tiếng Việt"),
    ("es", "Español"),
    ("ko", "한국어"),
    ("tr", "Türkçe"),
    ("bn", "বাংলা"),
]
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
# Uploaded files waiting for (or kept after) a background job: deleted this many days after
# their job finished (the job's record and audit events stay).
UPLOAD_RETENTION_DAYS = env_int("CHAINPROOF_UPLOAD_RETENTION_DAYS", 30, minimum=1)
# The address space `chainproof worker` may use (0: no limit): a job that needs more fails
# with a message instead of exhausting the host's memory.
WORKER_MEMORY_MB = env_int("CHAINPROOF_WORKER_MEMORY_MB", 1024, minimum=0)
# A full re-score or re-screen of at least this many records (0: never) is split into parts
# of at most SPLIT_PART_RECORDS that several workers run at once (jobs.services.job_split):
# groups of whole connected supply chains for scoring, batches of names for screening.
SPLIT_AT_RECORDS = env_int("CHAINPROOF_SPLIT_AT_RECORDS", 50_000, minimum=0)
SPLIT_PART_RECORDS = env_int("CHAINPROOF_SPLIT_PART_RECORDS", 20_000, minimum=1)
# Who delivers the jobs to the workers (Django's tasks interface, see jobs/tasks.py): the
# database by default (no other service), or RQ on Redis for workers on several hosts.
TASKS_BACKEND = env_choice("CHAINPROOF_TASKS_BACKEND", ("database", "rq"), "database")
REDIS_URL = env_str("CHAINPROOF_REDIS_URL", "")
TASKS_QUEUE = "chainproof"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [TASKS_QUEUE]}}
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ConfigError(
            "CHAINPROOF_REDIS_URL: expected an address such as redis://127.0.0.1:6379/0 when "
            "CHAINPROOF_TASKS_BACKEND=rq"
        )
    if importlib.util.find_spec("django_tasks_rq") is None:
        raise ConfigError(
            "CHAINPROOF_TASKS_BACKEND=rq: the RQ backend is not installed; install chainproof "
            "with its rq extra (pip install 'chainproof[rq]')"
        )
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [TASKS_QUEUE]}}
    # No time limit from RQ: a job's own heartbeat tells a stopped worker (jobs/services.py).
    RQ_QUEUES = {TASKS_QUEUE: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": -1}}
# Stored documents (questionnaire attachments, the evidence locker): content-addressed, kept
# once per SHA-256, on local disk (files/ in the data directory) or in an S3-compatible
# object store.
STORAGE_BACKEND = env_choice("CHAINPROOF_STORAGE", ("local", "s3"), "local")
S3_BUCKET = env_str("CHAINPROOF_S3_BUCKET", "")
S3_ENDPOINT_URL = env_str("CHAINPROOF_S3_ENDPOINT_URL", "")
S3_REGION = env_str("CHAINPROOF_S3_REGION", "us-east-1")
S3_ACCESS_KEY_ID = env_str("CHAINPROOF_S3_ACCESS_KEY_ID", "")
S3_SECRET_ACCESS_KEY = env_str("CHAINPROOF_S3_SECRET_ACCESS_KEY", "")
S3_PREFIX = env_str("CHAINPROOF_S3_PREFIX", "chainproof/blobs/")
if STORAGE_BACKEND == "s3" and not S3_BUCKET:
    raise ConfigError("CHAINPROOF_S3_BUCKET: expected a bucket name when CHAINPROOF_STORAGE=s3")
# Evidence documents: the largest accepted, how long a deleted document's bytes are kept
# before an admin may purge them, and how many days ahead an expiry is announced.
EVIDENCE_MAX_BYTES = env_int("CHAINPROOF_EVIDENCE_MAX_BYTES", 200 * 1024 * 1024, minimum=1024)
EVIDENCE_RETENTION_DAYS = env_int("CHAINPROOF_EVIDENCE_RETENTION_DAYS", 365 * 7, minimum=0)
EVIDENCE_EXPIRY_NOTICE_DAYS = env_int("CHAINPROOF_EVIDENCE_EXPIRY_NOTICE_DAYS", 30, minimum=1)
# Days before a case deadline when its owner is reminded by email (comma-separated).
CASE_REMINDER_DAYS = tuple(
    int(day)
    for day in env_list("CHAINPROOF_CASE_REMINDER_DAYS", ["14", "7", "3", "1"])
    if day.strip().isdigit()
) or (14, 7, 3, 1)
# Reference lists kept current (reference/updates.py): where each list is fetched from, in
# its publisher's format (CHAINPROOF_REFDATA_URL_<KIND>, several addresses separated by
# spaces; "off" not to fetch it), how long a fetch may take, how often the worker checks
# (days; 0 never), and whether a changed list that check finds is loaded at once (True)
# or only announced.
REFDATA_DEFAULT_URLS = {
    "uflpa_entity_list": "https://www.dhs.gov/uflpa-entity-list",
    "ofac_sdn_dprk": " ".join(
        f"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/{name}"
        for name in ("SDN.CSV", "ALT.CSV", "ADD.CSV")
    ),
    "cbp_wro_findings": "https://www.cbp.gov/trade/forced-labor/withhold-release-orders-and-findings",
    "dol_goods": "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods",
    "tip_tiers": "https://www.state.gov/trafficking-in-persons-report/",
}
REFDATA_URLS = {
    kind: [
        address
        for address in env_str(f"CHAINPROOF_REFDATA_URL_{kind.upper()}", default).split()
        if address.lower() != "off"
    ]
    for kind, default in REFDATA_DEFAULT_URLS.items()
}
REFDATA_FETCH_TIMEOUT = env_int("CHAINPROOF_REFDATA_FETCH_TIMEOUT", 60, minimum=1, maximum=600)
REFDATA_CHECK_DAYS = env_int("CHAINPROOF_REFDATA_CHECK_DAYS", 7, minimum=0)
REFDATA_AUTO_LOAD = env_bool("CHAINPROOF_REFDATA_AUTO_LOAD", True)
# The scheduled check never loads on its own an edition that removes more than this share
# (per cent) of the entries in force (a page cut short, a file half downloaded): it holds
# it, and the administrators decide.
REFDATA_AUTO_LOAD_MAX_REMOVED_PERCENT = env_int(
    "CHAINPROOF_REFDATA_AUTO_LOAD_MAX_REMOVED_PERCENT", 20, minimum=0, maximum=100
)
# Text recognition of scans and images (Tesseract); languages as Tesseract names them.
OCR_LANGUAGES = env_str("CHAINPROOF_OCR_LANGUAGES", "eng+chi_sim+chi_tra+kor+vie")
OCR_MAX_PAGES = env_int("CHAINPROOF_OCR_MAX_PAGES", 50, minimum=1)
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
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    # The same output, with the links that sign people in redacted unless DEBUG: the
    # console is a log in production.
    EMAIL_BACKEND = "chainproof.outbox.backends.ConsoleBackend"
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("CHAINPROOF_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CHAINPROOF_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("CHAINPROOF_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("CHAINPROOF_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CHAINPROOF_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("CHAINPROOF_EMAIL_FROM", "chainproof <noreply@localhost>")
# Attempts at each outbound message before it is given up (retries wait 1, 2, 4... minutes).
EMAIL_MAX_ATTEMPTS = env_int("CHAINPROOF_EMAIL_MAX_ATTEMPTS", 5, minimum=1, maximum=20)
# The address suppliers reach this instance at, for the links in invitations and reminders.
PUBLIC_BASE_URL = env_str("CHAINPROOF_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

SCREENING_THRESHOLD = (
    float(env_int("CHAINPROOF_SCREENING_THRESHOLD_PERCENT", 70, minimum=30, maximum=100)) / 100
)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 500

# Every handler redacts the invitation and password-reset tokens in what it writes
# (Django logs the path of a 4xx, e.g. "Gone: /portal/invite/<token>/"; the development
# server logs every request line).
# pyHanko imports cryptography's DSA support, which warns on import; chainproof never uses DSA.
warnings.filterwarnings("ignore", message="DSA is deprecated")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"secret_links": {"()": "chainproof.common.redaction.RedactSecretLinks"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["secret_links"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["secret_links"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("CHAINPROOF_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # PDF rendering logs every step at INFO; only its warnings are worth a line.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The task backends log every task's start and end; the job records say what ran.
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "rq": {"level": "WARNING"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
