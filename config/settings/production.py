"""Production: PostgreSQL, Redis, SMTP, HTTPS. Every value comes from the environment."""

import os

from django.utils.csp import CSP

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# The load balancer probes /healthz over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Forms post to us, and lead only to https pages (job boards' OAuth consent).
SECURE_CSP = {**SECURE_CSP, "form-action": [CSP.SELF, "https:"]}  # noqa: F405

# allauth builds password-reset links from the request; make sure they are https.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 10,
        },
    }
}

LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
DEMO_DATA_ALLOWED = False

# --- contracts: credentials at rest need real keys ----------------------------------------
# Missing keys fail the deploy check (contracts.checks) instead of the import of settings.
CREDENTIAL_KEYS = os.environ.get("CREDENTIAL_KEYS", "")
CREDENTIAL_DEV_KEY_ALLOWED = False
