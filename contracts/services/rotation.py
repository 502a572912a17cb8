"""Key rotation: every stored credential re-sealed under the newest of ``CREDENTIAL_KEYS``
(``manage.py rotate_credentials``), so that an old key can then be dropped."""

import dataclasses
from dataclasses import dataclass

from contracts import crypto
from contracts.models import ContractCredential


@dataclass
class RotationResult:
    rotated: int = 0
    unchanged: int = 0
    failed: list[int] = dataclasses.field(default_factory=list)


def credentials_rotate() -> RotationResult:
    """Re-encrypt every stored credential under the newest key. A value that cannot be opened
    is reported by id and left as it is; the others are still rotated."""
    result = RotationResult()
    newest = crypto.keyring().newest_id
    for credential in ContractCredential.objects.only("pk", "key_id", "ciphertext").iterator():
        if credential.key_id == newest:
            result.unchanged += 1
            continue
        try:
            sealed = crypto.reseal(crypto.Sealed(credential.key_id, credential.ciphertext))
        except crypto.CredentialDecryptionError:
            result.failed.append(credential.pk)
            continue
        # Only replace the value we read: a concurrent edit wins.
        ContractCredential.objects.filter(
            pk=credential.pk, key_id=credential.key_id, ciphertext=credential.ciphertext
        ).update(key_id=sealed.key_id, ciphertext=sealed.ciphertext)
        result.rotated += 1
    return result
