"""allauth's two-factor authentication, adapted: its secrets are encrypted at rest.

allauth stores each authenticator app's TOTP secret and the seed of the recovery codes in
``Authenticator.data`` as they are unless the adapter encrypts them. Here they are sealed
with Fernet keys derived from ``SECRET_KEY``; ``SECRET_KEY_FALLBACKS`` still open values
sealed before a key rotation (the same rule as Django's signing).
"""

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(f"jobcast-mfa:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    return MultiFernet(
        [_fernet(key) for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
    )


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _keys().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _keys().decrypt(encrypted_text.encode()).decode()
