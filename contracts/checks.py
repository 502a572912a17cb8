"""Deploy check: production must carry real credential keys, and they must parse."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from contracts.crypto import parse_keys


@register(Tags.security, deploy=True)
def credential_keys_check(app_configs, **kwargs):
    raw = settings.CREDENTIAL_KEYS
    if not raw.strip():
        if settings.CREDENTIAL_DEV_KEY_ALLOWED:
            return []
        return [
            Error(
                "CREDENTIAL_KEYS is not set: job-board credentials cannot be stored.",
                hint='Set CREDENTIAL_KEYS="keyid:<Fernet.generate_key()>" (newest key first).',
                id="contracts.E001",
            )
        ]
    try:
        parse_keys(raw)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="contracts.E002")]
    return []
