"""One settings module; everything that differs between machines comes from environment variables."""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ZHIFA_VAR_DIR", BASE_DIR.parent.parent / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Production sets DJANGO_SECRET_KEY; a development machine gets a random key kept in var/."""
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        return key


DEBUG = _env_bool("DJANGO_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, found by FORM_RENDERER below
    "axes",
    "django_prometheus",
    "zhifa.core",
    "zhifa.organizations",
    "zhifa.catalog",
    "zhifa.parties",
    "zhifa.inspections",
    "zhifa.discretion",
    "zhifa.cases",
    "zhifa.measures",
    "zhifa.dispatch",
    "zhifa.supervision",
    "zhifa.training",
    "zhifa.indicators",
    "zhifa.reports",
    "zhifa.cockpit",
    "zhifa.api",
    "zhifa.portal",
    "zhifa.web",
    "zhifa.demo",
    "zhifa.integrations",
    "zhifa.smart",
    "zhifa.partyspace",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhifa.web.middleware.PasswordMustChange",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhifa.core.middleware.RequestIdMiddleware",
    "zhifa.core.middleware.ApiGuardMiddleware",
    "zhifa.core.limits.LoginGuardMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "zhifa.web.middleware.MethodNotAllowedPage",
]

ROOT_URLCONF = "zhifa.urls"
# Form widgets render through TEMPLATES, so src/zhifa/templates/django/forms/ can override them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "zhifa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhifa.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql") and os.environ.get("ZHIFA_PG_JIT", "0") != "1":
    # PostgreSQL's JIT compiles any query its planner costs high (a count over a province's cases)
    # and spent 140 ms compiling for a 150 ms page query; pages need answers in milliseconds.
    # ZHIFA_PG_JIT=1 leaves the server's setting (e.g. for a reporting replica).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded demo: WAL lets readers work while one writer writes, and a writer waits up to
    # 20 s for the lock (BEGIN IMMEDIATE) instead of answering "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organizations.User"

# Argon2 first: new and re-hashed passwords use it; older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout: after AXES_FAILURE_LIMIT failures for one user name from one address,
# that pair is locked for the cool-off time.
AXES_FAILURE_LIMIT = int(os.environ.get("ZHIFA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ZHIFA_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Beyond that pair (zhifa.core.limits.LoginGuardMiddleware, in the shared cache): one account
# locked after this many failures from any addresses, one address after this many failures on
# any accounts (password spraying), both for the cool-off time.
ZHIFA_LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("ZHIFA_LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
ZHIFA_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("ZHIFA_LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_CLIENT_IP_CALLABLE = "zhifa.core.web.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = _env_bool("ZHIFA_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Behind nginx: how many reverse proxies append to X-Forwarded-For (zhifa.core.web.client_address),
# and whether the proxy terminates HTTPS (then it must set X-Forwarded-Proto, see deploy/nginx.conf).
ZHIFA_PROXY_COUNT = int(os.environ.get("ZHIFA_PROXY_COUNT", "0"))
if SESSION_COOKIE_SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHIFA_HSTS_SECONDS", "31536000"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("ZHIFA_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("ZHIFA_MEDIA_ROOT", VAR_DIR / "media"))

# Shared cache: Redis when REDIS_URL is set (production, tests), so rate limits and login
# lockouts hold across every process; local memory only in the embedded single-process demo.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "zhifa.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("ZHIFA_CACHE_PREFIX", "zhifa"),
        }
    }
    AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Limits of what a request may carry. API bodies over ZHIFA_API_MAX_BODY_BYTES get 413 JSON;
# uploaded files are checked by zhifa.core.uploads (size, type from the bytes).
ZHIFA_API_MAX_BODY_BYTES = int(os.environ.get("ZHIFA_API_MAX_BODY_BYTES", str(1024 * 1024)))
ZHIFA_UPLOAD_MAX_BYTES = int(os.environ.get("ZHIFA_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = max(ZHIFA_API_MAX_BODY_BYTES, 2621440)
STORAGES = {
    "default": {"BACKEND": "zhifa.core.uploads.AfterCommitStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The audit anchor (zhifa.core.anchor): the chain head, signed with HMAC-SHA256 under a key from
# the environment (never the database), appended to a file the application only appends to —
# on another volume, or shipped to object storage with retention (docs/operations.md).
# Audit chains: events of organisation o go to chain o % N, each chain appended under its own lock
# (zhifa.core.audit). 1 = one chain for everything; a province sets e.g. 16.
ZHIFA_AUDIT_CHAINS = int(os.environ.get("ZHIFA_AUDIT_CHAINS", "1"))
ZHIFA_AUDIT_ANCHOR_KEY = os.environ.get("ZHIFA_AUDIT_ANCHOR_KEY", "")
ZHIFA_AUDIT_ANCHOR_OLD_KEYS = [k for k in os.environ.get("ZHIFA_AUDIT_ANCHOR_OLD_KEYS", "").split(",") if k]
ZHIFA_AUDIT_ANCHOR_PATH = Path(os.environ.get("ZHIFA_AUDIT_ANCHOR_PATH", VAR_DIR / "audit-anchors.jsonl"))
ZHIFA_AUDIT_ANCHOR_MINUTES = int(os.environ.get("ZHIFA_AUDIT_ANCHOR_MINUTES", "10"))
# An intake's Idempotency-Key is remembered this many days (a platform retries within minutes or
# hours); a platform's own ids (source + external_id) are kept for good. See dispatch.services.
ZHIFA_IDEMPOTENCY_KEY_DAYS = int(os.environ.get("ZHIFA_IDEMPOTENCY_KEY_DAYS", "30"))

# Background work: Celery with Redis; with no broker configured, tasks run eagerly in-process
# (the embedded zero-setup default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker runs again: tasks are idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a worker killed mid-task: the task goes back to the queue
# A task whose worker vanished (killed, machine lost) is delivered again after this many seconds.
# Workers look for such tasks every ZHIFA_CELERY_RESTORE_INTERVAL seconds; a broker that vanishes
# without closing the connection is noticed after socket_timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("ZHIFA_CELERY_VISIBILITY_TIMEOUT", "600")),
    "unacked_restore_interval": int(os.environ.get("ZHIFA_CELERY_RESTORE_INTERVAL", "30")),
    "unacked_restore_throttle": 1,
    "socket_timeout": 30,
    "socket_connect_timeout": 5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_BEAT_SCHEDULE = {
    "verify-audit-chain-nightly": {"task": "core.verify_audit_chain", "schedule": crontab(hour=2, minute=30)},
    "anchor-audit-chain": {
        "task": "core.anchor_audit_chain",
        "schedule": timedelta(minutes=ZHIFA_AUDIT_ANCHOR_MINUTES),
    },
    "remove-orphan-uploads": {"task": "core.remove_orphan_uploads", "schedule": crontab(minute=40)},
    "deliver-outbox": {"task": "core.deliver_outbox", "schedule": timedelta(minutes=1)},
    "dispatch-sweep-deadlines": {"task": "dispatch.sweep_deadlines", "schedule": crontab(minute="*/10")},
    "dispatch-retrain-router": {"task": "dispatch.retrain_router", "schedule": crontab(hour=3, minute=10)},
    "dispatch-forget-idempotency-keys": {
        "task": "dispatch.forget_idempotency_keys",
        "schedule": crontab(hour=3, minute=40),
    },
    "integrations-flush-outbox": {"task": "integrations.flush_outbox", "schedule": crontab(minute="*")},
    "catalog-apply-due-revisions": {
        "task": "catalog.apply_due_revisions",
        "schedule": crontab(hour=0, minute=5),
    },
    "parties-recompute-risk-nightly": {
        "task": "parties.recompute_risk",
        "schedule": crontab(hour=1, minute=15),
    },
    "supervision-sweep-alerts": {"task": "supervision.sweep_alerts", "schedule": crontab(minute=15)},
    "cockpit-refresh-snapshots": {"task": "cockpit.refresh_snapshots", "schedule": crontab(minute="*/5")},
}

# How status callbacks are sent: "celery" (workers; the default with a broker), "thread" (in the
# background of the web process; the default without one) or "manual" (only by flush; tests).
ZHIFA_WEBHOOK_MODE = os.environ.get("ZHIFA_WEBHOOK_MODE", "")
# Where the supervision rules' event runs happen (zhifa.supervision.events): inline | queued | off.
ZHIFA_SUPERVISION_EVENT_RUNS = os.environ.get("ZHIFA_SUPERVISION_EVENT_RUNS", "inline")

# The district the platform serves; names documents and the default region.
ZHIFA_DISTRICT_CODE = os.environ.get("ZHIFA_DISTRICT_CODE", "330803")
# The address the public reaches the portal at (QR codes); empty: the address of the request.
ZHIFA_PUBLIC_BASE_URL = os.environ.get("ZHIFA_PUBLIC_BASE_URL", "")
# Case procedure settings that local rules fix, as JSON: e.g. the hearing thresholds for "较大数额"
# (行政处罚法 第六十三条), {"hearing_thresholds": {...}}. Empty: every fine is treated as
# hearing-eligible (the safe side). See zhifa.cases.services.case_config().
ZHIFA_CASE_CONFIG = json.loads(os.environ.get("ZHIFA_CASE_CONFIG", "{}"))
# GeoJSON FeatureCollection of the township boundaries for the cockpit's map (features carry the
# township's 区划代码 as ``code`` or its ``name``); empty: a schematic grid of townships.
ZHIFA_TOWNSHIP_GEOJSON = os.environ.get("ZHIFA_TOWNSHIP_GEOJSON", "")
# The public credential-check link an officer shows (亮证) stays valid this long.
ZHIFA_CREDENTIAL_TOKEN_MAX_AGE = int(os.environ.get("ZHIFA_CREDENTIAL_TOKEN_MAX_AGE", str(24 * 3600)))
# The party's space (zhifa.partyspace, docs/party-space.md): the sender of sign-in codes (a dotted
# path: an SMS gateway adapter; the console sender of the demo prints them), how long a code lives,
# the online payment channel (the test channel only in the demo), and the minimum publication
# period before credit repair (configuration of the credit rules; unset: none checked here).
ZHIFA_OTP_SENDER = os.environ.get("ZHIFA_OTP_SENDER", "zhifa.partyspace.otp.ConsoleSender" if DEBUG else "")
ZHIFA_OTP_FILE = os.environ.get("ZHIFA_OTP_FILE", "")
ZHIFA_OTP_TTL_SECONDS = int(os.environ.get("ZHIFA_OTP_TTL_SECONDS", "300"))
ZHIFA_PAYMENT_ADAPTER = os.environ.get(
    "ZHIFA_PAYMENT_ADAPTER", "zhifa.partyspace.payments.TestAdapter" if DEBUG else ""
)
ZHIFA_CREDIT_REPAIR_MIN_MONTHS = os.environ.get("ZHIFA_CREDIT_REPAIR_MIN_MONTHS") or None

# Logs: one JSON object a line (ZHIFA_LOG_FORMAT=json, the default outside DEBUG) carrying the
# request id that the audit log records, so a log line and an audit event meet on request_id.
ZHIFA_LOG_FORMAT = os.environ.get("ZHIFA_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "zhifa.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": ZHIFA_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIFA_LOG_LEVEL", "WARNING")},
}
