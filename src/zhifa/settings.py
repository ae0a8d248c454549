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
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h]
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
    "zhifa.core",
    "zhifa.organizations",
    "zhifa.catalog",
    "zhifa.parties",
    "zhifa.inspections",
    "zhifa.discretion",
    "zhifa.cases",
    "zhifa.dispatch",
    "zhifa.supervision",
    "zhifa.cockpit",
    "zhifa.api",
    "zhifa.portal",
    "zhifa.smart",
    "zhifa.partyspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhifa.core.middleware.RequestIdMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "zhifa.core.context_processors.navigation",
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

# Background work: Celery with Redis; with no broker configured, tasks run eagerly in-process
# (the embedded zero-setup default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker runs again: tasks are idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    "verify-audit-chain-nightly": {"task": "core.verify_audit_chain", "schedule": crontab(hour=2, minute=30)},
    "dispatch-sweep-deadlines": {"task": "dispatch.sweep_deadlines", "schedule": crontab(minute="*/10")},
    "catalog-apply-due-revisions": {"task": "catalog.apply_due_revisions", "schedule": crontab(hour=0, minute=5)},
    "supervision-sweep-alerts": {"task": "supervision.sweep_alerts", "schedule": crontab(minute=15)},
    "cockpit-refresh-snapshots": {"task": "cockpit.refresh_snapshots", "schedule": crontab(minute="*/5")},
}

# The district the platform serves; names documents and the default region.
ZHIFA_DISTRICT_CODE = os.environ.get("ZHIFA_DISTRICT_CODE", "330803")
# The address the public reaches the portal at (QR codes); empty: the address of the request.
ZHIFA_PUBLIC_BASE_URL = os.environ.get("ZHIFA_PUBLIC_BASE_URL", "")
# Case procedure settings that local rules fix, as JSON: e.g. the hearing thresholds for "较大数额"
# (行政处罚法 第六十三条), {"hearing_thresholds": {...}}. Empty: every fine is treated as
# hearing-eligible (the safe side). See zhifa.cases.services.case_config().
ZHIFA_CASE_CONFIG = json.loads(os.environ.get("ZHIFA_CASE_CONFIG", "{}"))
# The public credential-check link an officer shows (亮证) stays valid this long.
ZHIFA_CREDENTIAL_TOKEN_MAX_AGE = int(os.environ.get("ZHIFA_CREDENTIAL_TOKEN_MAX_AGE", str(24 * 3600)))
# The party's space (zhifa.partyspace, docs/party-space.md): the sender of sign-in codes (a dotted
# path: an SMS gateway adapter; the console sender of the demo prints them), how long a code lives,
# the online payment channel (the test channel only in the demo), and the minimum publication
# period before credit repair (configuration of the credit rules; unset: none checked here).
ZHIFA_OTP_SENDER = os.environ.get("ZHIFA_OTP_SENDER", "zhifa.partyspace.otp.ConsoleSender" if DEBUG else "")
ZHIFA_OTP_FILE = os.environ.get("ZHIFA_OTP_FILE", "")
ZHIFA_OTP_TTL_SECONDS = int(os.environ.get("ZHIFA_OTP_TTL_SECONDS", "300"))
ZHIFA_PAYMENT_ADAPTER = os.environ.get("ZHIFA_PAYMENT_ADAPTER", "zhifa.partyspace.payments.TestAdapter" if DEBUG else "")
ZHIFA_CREDIT_REPAIR_MIN_MONTHS = os.environ.get("ZHIFA_CREDIT_REPAIR_MIN_MONTHS") or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIFA_LOG_LEVEL", "WARNING")},
}
