"""Credentials that were guessed to be plain text from their name (``pass``, ``passcode``,
``auth_code``, ...) kept their last four characters in clear: only the allow-listed
identifiers (contracts/credential_fields.py, copied here as it was) keep a hint now."""

import re

from django.db import migrations

NON_SECRET_NAMES = frozenset({"username", "email", "emailaddress", "accountid", "clientid"})


def forget_hints(apps, schema_editor):
    ContractCredential = apps.get_model("contracts", "ContractCredential")
    for credential in ContractCredential.objects.filter(kind="text").only("pk", "name"):
        if re.sub(r"[^a-z0-9]", "", credential.name.lower()) not in NON_SECRET_NAMES:
            ContractCredential.objects.filter(pk=credential.pk).update(kind="secret", last4="")


class Migration(migrations.Migration):
    dependencies = [("contracts", "0002_credentials_audit_access_requests")]

    operations = [migrations.RunPython(forget_hints, migrations.RunPython.noop)]
