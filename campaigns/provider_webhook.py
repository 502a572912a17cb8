"""The address the provider posts its status notifications to, and its secret.

The provider documents no authentication for these notifications (the callback URL is
handed to its account manager once, ``08-campaigns/webhooks.md``), so the secret is part of
the URL: an unguessable path segment, compared in constant time. Rotating it means handing
over a new URL (``manage.py provider_webhook_url`` prints it).
"""

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

SALT = "jobcast.campaigns.provider-webhook"


def webhook_secret() -> str:
    """PROVIDER_WEBHOOK_SECRET, or one derived from SECRET_KEY (so every installation has
    its own, and no default is ever shared between installations)."""
    configured = (getattr(settings, "PROVIDER_WEBHOOK_SECRET", "") or "").strip()
    if configured:
        return configured
    return salted_hmac(SALT, "callback-url", algorithm="sha256").hexdigest()[:40]


def webhook_secret_matches(given: str) -> bool:
    """Constant time whatever the input: digests of equal length are compared, so neither
    the content nor the length of the secret leaks through timing."""
    expected = hashlib.sha256(webhook_secret().encode()).digest()
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), expected)


def webhook_url(*, base_url: str | None = None) -> str:
    """The absolute callback URL to give the provider."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    return base + reverse("webhooks:provider", kwargs={"webhook_secret": webhook_secret()})
