"""Credentials at rest: MultiFernet over keys from the environment, a key id kept with each value.

``settings.CREDENTIAL_KEYS`` is a comma-separated list of ``keyid:fernetkey``, newest first.
New values are always sealed with the newest key; any listed key opens a value, so old keys
stay listed until ``manage.py rotate_credentials`` has re-sealed everything under the newest.
Without the setting (development and tests only, ``CREDENTIAL_DEV_KEY_ALLOWED``) one key is
derived from SECRET_KEY; production settings require the environment variable.

A value that cannot be opened raises ``CredentialDecryptionError``: it is never returned as
ciphertext, and the error names neither the value nor the ciphertext.
"""

import base64
import hashlib
import logging
from dataclasses import dataclass, field
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

logger = logging.getLogger(__name__)

DEV_KEY_ID = "dev"


class CredentialDecryptionError(Exception):
    """A stored credential cannot be decrypted (unknown key id, wrong key, damaged value)."""


@dataclass(frozen=True)
class Sealed:
    key_id: str
    ciphertext: str = field(repr=False)


@dataclass(frozen=True)
class Keyring:
    ids: tuple[str, ...]
    fernets: dict[str, Fernet] = field(repr=False)

    @property
    def newest_id(self) -> str:
        return self.ids[0]

    @property
    def multi(self) -> MultiFernet:
        return MultiFernet([self.fernets[key_id] for key_id in self.ids])


def parse_keys(raw: str) -> Keyring:
    ids, fernets = [], {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key_id, sep, key = item.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id or not key.strip():
            raise ImproperlyConfigured("CREDENTIAL_KEYS entries must look like keyid:fernetkey.")
        if key_id in fernets:
            raise ImproperlyConfigured(f"CREDENTIAL_KEYS lists key id {key_id!r} twice.")
        try:
            fernets[key_id] = Fernet(key.strip().encode())
        except ValueError:
            raise ImproperlyConfigured(
                f"CREDENTIAL_KEYS: key {key_id!r} is not a valid Fernet key."
            ) from None
        ids.append(key_id)
    if not ids:
        raise ImproperlyConfigured("CREDENTIAL_KEYS holds no key.")
    return Keyring(tuple(ids), fernets)


def _dev_key() -> str:
    digest = hashlib.sha256(f"jobcast-credentials:{settings.SECRET_KEY}".encode()).digest()
    return f"{DEV_KEY_ID}:{base64.urlsafe_b64encode(digest).decode()}"


@cache
def keyring() -> Keyring:
    raw = settings.CREDENTIAL_KEYS
    if not raw.strip():
        if not settings.CREDENTIAL_DEV_KEY_ALLOWED:
            raise ImproperlyConfigured("Set CREDENTIAL_KEYS to store job-board credentials.")
        raw = _dev_key()
    return parse_keys(raw)


def _reset_keyring(*, setting, **kwargs):
    if setting in {"CREDENTIAL_KEYS", "CREDENTIAL_DEV_KEY_ALLOWED", "SECRET_KEY"}:
        keyring.cache_clear()


setting_changed.connect(_reset_keyring)


def encrypt(plaintext: str) -> Sealed:
    ring = keyring()
    token = ring.fernets[ring.newest_id].encrypt(plaintext.encode())
    return Sealed(key_id=ring.newest_id, ciphertext=token.decode())


def decrypt(sealed: Sealed) -> str:
    ring = keyring()
    fernet = ring.fernets.get(sealed.key_id)
    if fernet is None:
        logger.error("Credential sealed with unknown key id %r cannot be decrypted", sealed.key_id)
        raise CredentialDecryptionError(
            f"No configured key has id {sealed.key_id!r}; was it removed from CREDENTIAL_KEYS?"
        )
    try:
        return fernet.decrypt(sealed.ciphertext.encode()).decode()
    except (InvalidToken, UnicodeDecodeError):
        logger.error("Credential sealed with key id %r failed to decrypt", sealed.key_id)
        raise CredentialDecryptionError(
            f"A credential sealed with key id {sealed.key_id!r} failed to decrypt."
        ) from None


def reseal(sealed: Sealed) -> Sealed:
    """The same value sealed with the newest key (unchanged if it already is)."""
    ring = keyring()
    if sealed.key_id == ring.newest_id:
        decrypt(sealed)  # still prove it opens
        return sealed
    return encrypt(decrypt(sealed))
