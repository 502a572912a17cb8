from django.core.management.base import BaseCommand, CommandError

from contracts.crypto import keyring
from contracts.services.rotation import credentials_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored job-board credential under the newest key of CREDENTIAL_KEYS. "
        "Run it after putting a new key first; remove the old key only once it reports no "
        "failures."
    )

    def handle(self, *args, **options):
        result = credentials_rotate()
        self.stdout.write(
            f"newest key {keyring().newest_id!r}: {result.rotated} re-encrypted, "
            f"{result.unchanged} already current, {len(result.failed)} failed"
        )
        if result.failed:
            ids = ", ".join(str(pk) for pk in result.failed[:50])
            raise CommandError(
                f"{len(result.failed)} credential(s) could not be decrypted with any configured "
                f"key (ContractCredential ids: {ids}). They were left unchanged."
            )
