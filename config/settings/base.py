"""Settings shared by every environment.

Everything secret or environment-specific comes from environment variables; the README lists
them all in one table. With no DATABASE_URL / REDIS_URL set, Jobcast runs on an embedded SQLite
file and Celery's filesystem broker under ``var/`` so that a fresh machine needs nothing else.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("JOBCAST_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the built-in widget templates, for the project's form renderer
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "accounts",
    "notifications",
    "distribution",
    "jobs",
    "contracts",
    "campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A view that lost the database or the cache answers 503, never 500 (config/outages.py).
    "config.outages.ServiceOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.staff_security.StaffTwoFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that the answer to a refused request (a body too large, NUL in the query) has
    # the session, the language and the CSRF cookie, yet comes before anything (CSRF's
    # check) reads the body.
    "accounts.request_limits.RequestLimitsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "accounts.context_processors.organization",
            ],
        },
    },
]

# Forms render through the project's templates: one field template for every form.
FORM_RENDERER = "config.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'jobcast.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let web, worker and beat share the embedded file without
    # "database is locked" errors under light concurrent use.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "accounts.backends.EmailModelBackend",
    "accounts.backends.EmailAllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email is the login; sign-up makes a new organisation (accounts.forms).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# A new account logs in only once its address is confirmed: nobody can take someone else's
# address, and a sign-up's organisation cannot be used before that.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}

# The client's address (accounts/client_ip.py) for every rate limit: by default REMOTE_ADDR
# only. Behind our load balancer set how many proxies append to X-Forwarded-For, or the header
# one of them sets with the client's address (README, environment table).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("JOBCAST_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("JOBCAST_CLIENT_IP_HEADER", "") or None

# Two-factor authentication (allauth.mfa): an authenticator app plus recovery codes. Support
# staff must have it before /support/ or the support desk open (accounts/staff_security.py).
MFA_ADAPTER = "accounts.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Jobcast"

# Request bodies: anything larger than the biggest upload we accept (a 10 MB CV plus the
# form) is refused from its Content-Length before it is read (accounts/request_limits.py).
# A reverse proxy in front should refuse the same size (README).
REQUEST_BODY_MAX_BYTES = int(
    os.environ.get("JOBCAST_REQUEST_BODY_MAX_BYTES", str(11 * 1024 * 1024))
)
# Form fields other than files, read into memory (Django's own limit, answered with a 400).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Uploads larger than this go to a temporary file instead of memory while they are checked.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("JOBCAST_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # A file cache is shared by every process of the embedded default (web, worker, beat),
    # which the login rate limits and the provider rate limiter need.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Sessions are read from the cache (Redis in production) and written through to the database,
# so an authenticated page costs no session query; Django's cached_db engine, except that a
# cache outage falls back to the database instead of failing every page (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# No inline scripts anywhere: every script is a static file.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:", "http:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    # A form may lead to a job board's OAuth consent page; the local sandbox's is plain http.
    # Production allows https only (config/settings/production.py).
    "form-action": [CSP.SELF, "http:", "https:"],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Django 6.1's MAILERS replaces EMAIL_BACKEND; the console backend prints mail in development.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Jobcast <no-reply@jobcast.test>")
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@jobcast.test")

# Absolute base URL used in links that leave the site (emails, job ads on boards).
SITE_URL = os.environ.get("JOBCAST_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INVITATION_VALID_DAYS = 7

# Celery: Redis when REDIS_URL is set, otherwise the filesystem broker under var/ so that a
# separate worker and beat process can talk on one machine without any server.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "broker"
    # The filesystem transport does not create its folders; every process needs them.
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcast exchanges (remote control); kombu's default is ./control in the cwd.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_BROKER_VISIBILITY_TIMEOUT = CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Beat's schedule lives here (django-celery-beat does not support Django 6.1 yet). Apps add
# their periodic tasks to this dict in their own settings section below.
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "accounts.logging.RedactSecretsFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "plain"),
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's access log goes through the same redaction (OAuth values in URLs).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
DEMO_DATA_ALLOWED = True
# The state file of the sandbox the demo data orders through, which the Procfile's sandbox
# (--data-dir var/sandbox) then loads.
DEMO_SANDBOX_DATA_DIR = Path(os.environ.get("DEMO_SANDBOX_DATA_DIR", VAR_DIR / "sandbox"))

# --- distribution: the job distribution provider (client, rate limit, catalogue mirror) ---
PROVIDER_BASE_URL = os.environ.get("PROVIDER_BASE_URL", "http://127.0.0.1:8100").rstrip("/")
PROVIDER_TOKEN = os.environ.get("PROVIDER_TOKEN", "sandbox-partner-token")
PROVIDER_CONNECT_TIMEOUT = float(os.environ.get("PROVIDER_CONNECT_TIMEOUT", "3.05"))
# Ordering a campaign may take 30 s at the provider.
PROVIDER_READ_TIMEOUT = float(os.environ.get("PROVIDER_READ_TIMEOUT", "35"))
# The provider's budget for all our processes together: calls per rolling window (seconds).
PROVIDER_RATE_LIMIT = int(os.environ.get("PROVIDER_RATE_LIMIT", "60"))
PROVIDER_RATE_WINDOW = float(os.environ.get("PROVIDER_RATE_WINDOW", "60"))
# Seconds added to our window so that a call reaching the provider a little after we granted
# it is never one too many (default: 2 % of the window, at most 0.5 s).
PROVIDER_RATE_SLACK = (
    float(os.environ["PROVIDER_RATE_SLACK"]) if os.environ.get("PROVIDER_RATE_SLACK") else None
)
# Slots of each window that only user-facing calls may take.
PROVIDER_RATE_RESERVE = int(os.environ.get("PROVIDER_RATE_RESERVE", "5"))
# How long a call may wait for a slot before ProviderRateLimited is raised.
PROVIDER_RATE_WAIT_INTERACTIVE = float(os.environ.get("PROVIDER_RATE_WAIT_INTERACTIVE", "10"))
PROVIDER_RATE_WAIT_BACKGROUND = float(os.environ.get("PROVIDER_RATE_WAIT_BACKGROUND", "30"))
# The embedded default's shared budget (used when REDIS_URL is not set).
PROVIDER_RATE_LIMIT_FILE = VAR_DIR / "provider-ratelimit.sqlite3"
# The provider is shown as unreachable (Job boards cards, campaign pages) once it has failed
# this long without answering in between (distribution/health.py).
PROVIDER_OUTAGE_NOTICE_SECONDS = float(os.environ.get("PROVIDER_OUTAGE_NOTICE_SECONDS", "60"))
PROVIDER_SYNC_ON_WORKER_START = env_bool("PROVIDER_SYNC_ON_WORKER_START", True)
PROVIDER_CATALOGUE_PAGE_SIZE = int(os.environ.get("PROVIDER_CATALOGUE_PAGE_SIZE", "500"))
# A complete catalogue pass older than this is started again by the periodic sync.
PROVIDER_CATALOGUE_MAX_AGE = int(os.environ.get("PROVIDER_CATALOGUE_MAX_AGE", str(6 * 3600)))
PROVIDER_TAXONOMY_MAX_AGE = int(os.environ.get("PROVIDER_TAXONOMY_MAX_AGE", str(24 * 3600)))
PROVIDER_CHANNEL_DETAIL_TTL = int(os.environ.get("PROVIDER_CHANNEL_DETAIL_TTL", str(6 * 3600)))
CELERY_BEAT_SCHEDULE["distribution-sync-catalogue"] = {
    "task": "distribution.tasks.sync_catalogue",
    "schedule": 600.0,  # cheap when nothing is due: no provider call until MAX_AGE passed
}
CELERY_BEAT_SCHEDULE["distribution-sync-taxonomy"] = {
    "task": "distribution.tasks.sync_taxonomy",
    "schedule": 600.0,  # cheap when nothing is due: no provider call until MAX_AGE passed
}

# --- jobs: career page and applications -------------------------------------------------
# Candidates' CVs: outside MEDIA_ROOT, never under a public URL (served by a checked view).
JOBS_PRIVATE_MEDIA_ROOT = Path(os.environ.get("JOBCAST_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Apply form submissions allowed per client IP and window (seconds), counted in the cache.
JOBS_APPLY_RATE_LIMIT = (int(os.environ.get("JOBCAST_APPLY_RATE_LIMIT", "20")), 3600)
JOBS_CV_MAX_BYTES = 10 * 1024 * 1024
JOBS_LOGO_MAX_BYTES = 2 * 1024 * 1024

# --- contracts (My Own Contracts) ---------------------------------------------------------
# Job-board credentials at rest: comma-separated "keyid:fernetkey", newest first. Without it,
# development and tests derive one key from SECRET_KEY; production requires the variable.
CREDENTIAL_KEYS = os.environ.get("CREDENTIAL_KEYS", "")
CREDENTIAL_DEV_KEY_ALLOWED = True

# --- campaigns: ordering pipeline and status sync -----------------------------------------
# The secret path segment of the URL the provider posts status notifications to (it sends no
# authentication header). Empty: derived from SECRET_KEY. `manage.py provider_webhook_url`
# prints the whole URL to hand to the provider.
PROVIDER_WEBHOOK_SECRET = os.environ.get("PROVIDER_WEBHOOK_SECRET", "")
# ... and that segment never reaches a log line (accounts/logging.py masks it): Django logs
# the path of 4xx answers, and runserver the path of every request, so Django's loggers write
# through the console handler (and its filter) only, not also through Django's own DEBUG
# console handler.
for _logger in ("django", "django.server"):
    LOGGING["loggers"][_logger] = {"handlers": ["console"], "level": "INFO", "propagate": False}
del _logger
# How often an open campaign page asks for its statuses while a board is on its way (seconds).
CAMPAIGN_LIVE_REFRESH_SECONDS = 5
# Campaigns per page of the status poll's list calls (the provider allows up to 100).
CAMPAIGNS_POLL_PAGE_SIZE = int(os.environ.get("CAMPAIGNS_POLL_PAGE_SIZE", "100"))
# How long a rendered History page may be served from the cache (0 turns the cache off). A
# campaign or posting change shows at once anyway; this bounds how late career page views,
# applications and renamed jobs show (campaigns/history/page_cache.py).
HISTORY_CACHE_SECONDS = int(os.environ.get("HISTORY_CACHE_SECONDS", "60"))
# An order still pending this long after it was due is handed to the broker again.
CAMPAIGNS_OUTBOX_GRACE_SECONDS = float(os.environ.get("CAMPAIGNS_OUTBOX_GRACE_SECONDS", "120"))
CAMPAIGNS_SUBMIT_BACKOFF_BASE = float(os.environ.get("CAMPAIGNS_SUBMIT_BACKOFF_BASE", "5"))
CAMPAIGNS_SUBMIT_BACKOFF_CAP = float(os.environ.get("CAMPAIGNS_SUBMIT_BACKOFF_CAP", "600"))
CAMPAIGNS_SUBMIT_MAX_ATTEMPTS = int(os.environ.get("CAMPAIGNS_SUBMIT_MAX_ATTEMPTS", "12"))
# An order whose delivery gave up while its outcome was unknown shows "Checking with the
# provider" and is looked up by the status poll; it is Failed when the provider confirms it
# has no such order, or when the provider could not be asked for this many hours (the message
# then says to check the order reference with the provider before ordering again).
CAMPAIGNS_CHECKING_DEADLINE_HOURS = int(os.environ.get("CAMPAIGNS_CHECKING_DEADLINE_HOURS", "48"))
# The status poll is the backstop of the webhooks: it spends at most this share of the
# provider's call budget (PROVIDER_RATE_LIMIT per PROVIDER_RATE_WINDOW), on the organisations
# whose statuses most likely changed first (campaigns/services/poll_schedule.py).
CAMPAIGNS_POLL_BUDGET_SHARE = float(os.environ.get("CAMPAIGNS_POLL_BUDGET_SHARE", "0.3"))
# A posting due online (ordered) or offline (order date + duration) is polled for this long
# around that moment; a webhook expected this long after an order and still missing makes its
# organisation a priority too.
CAMPAIGNS_POLL_DUE_WINDOW_MINUTES = int(os.environ.get("CAMPAIGNS_POLL_DUE_WINDOW_MINUTES", "60"))
# A board's posting duration when the order did not set one (to know when it is due offline).
CAMPAIGNS_DEFAULT_POSTING_DAYS = int(os.environ.get("CAMPAIGNS_DEFAULT_POSTING_DAYS", "30"))
CAMPAIGNS_POLL_WEBHOOK_EXPECTED_MINUTES = int(
    os.environ.get("CAMPAIGNS_POLL_WEBHOOK_EXPECTED_MINUTES", "10")
)
# --- notifications: the email outbox (notifications/services.py) ---
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", "8"))
# A row still "sending" this long after a worker claimed it belongs to a worker that died;
# it is handed out again. Keep it well above the SMTP timeout (production: 10 s a step).
NOTIFICATIONS_SEND_LEASE_SECONDS = float(os.environ.get("NOTIFICATIONS_SEND_LEASE_SECONDS", "300"))
# A notification still pending this long after it was due is handed to the broker again.
NOTIFICATIONS_RELAY_GRACE_SECONDS = float(os.environ.get("NOTIFICATIONS_RELAY_GRACE_SECONDS", "60"))
CELERY_BEAT_SCHEDULE["notifications-relay"] = {
    "task": "notifications.tasks.notifications_relay_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["campaigns-outbox-relay"] = {
    "task": "campaigns.tasks.outbox_relay_task",
    "schedule": float(os.environ.get("CAMPAIGNS_RELAY_EVERY", "60")),
}
# The notifications arriving within this many seconds are followed by one read of the
# partner-level campaign list (one call per page of changes, not one per campaign).
CAMPAIGNS_WEBHOOK_SWEEP_SECONDS = float(os.environ.get("CAMPAIGNS_WEBHOOK_SWEEP_SECONDS", "10"))
# A campaign the status poll finds at the provider before our delivery recorded its id is
# fetched on its own this many seconds later (the refresh waits for the id).
CAMPAIGNS_IN_FLIGHT_REFRESH_SECONDS = float(
    os.environ.get("CAMPAIGNS_IN_FLIGHT_REFRESH_SECONDS", "10")
)
CELERY_BEAT_SCHEDULE["campaigns-status-poll"] = {
    "task": "campaigns.tasks.status_poll_task",
    "schedule": float(os.environ.get("CAMPAIGNS_POLL_EVERY", "60")),
}
# Contracts read back from the provider (credits, expiry, errors) and their health emailed to
# admins on change: daily is enough (one list page per organisation).
# After an order used credits, its organisation's contracts are read back this many seconds
# later, once for every order delivered meanwhile (0: after each order).
CONTRACTS_REFRESH_AFTER_ORDER_SECONDS = float(
    os.environ.get("CONTRACTS_REFRESH_AFTER_ORDER_SECONDS", "60")
)
CELERY_BEAT_SCHEDULE["contracts-refresh-daily"] = {
    "task": "contracts.tasks.contracts_refresh_daily_task",
    "schedule": float(os.environ.get("CONTRACTS_REFRESH_EVERY", str(24 * 3600))),
}
CELERY_BEAT_SCHEDULE["campaigns-drafts-purge"] = {
    "task": "campaigns.tasks.drafts_purge_task",
    "schedule": 6 * 3600.0,
}
