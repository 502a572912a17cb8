"""Which credentials a job board asks for are secrets: the one decision, used by the forms
(masked input, never shown back) and by the services (what is stored besides the sealed
value).

The provider does not say. Guessing from the name let ``pass``, ``passcode``,
``auth_code``, ``signature`` and the like through as visible inputs whose last four
characters were kept in clear. So every typed credential is a secret unless the board offers
it as a choice from a list, or its name is on this short allow-list of identifiers; only
those keep a last-four hint.
"""

import re

from contracts.models import CredentialKind

NON_SECRET_NAMES = frozenset({"username", "email", "emailaddress", "accountid", "clientid"})


def _normalised(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def credential_kind(definition) -> CredentialKind:
    """How a board's credential (``distribution.messages.CredentialDefinition``) is asked
    for and stored: an OAuth connection, a choice, a secret or a plain identifier."""
    if definition.kind == CredentialKind.OAUTH:
        return CredentialKind.OAUTH
    if definition.kind == CredentialKind.SELECT and definition.options:
        return CredentialKind.SELECT
    if _normalised(definition.name) in NON_SECRET_NAMES:
        return CredentialKind.TEXT
    return CredentialKind.SECRET


def is_secret_credential(definition) -> bool:
    """Masked when typed, never shown back, no hint kept (OAuth tokens are secrets too)."""
    return credential_kind(definition) in (CredentialKind.SECRET, CredentialKind.OAUTH)


def hint_of(kind: str, value: str) -> str:
    """The last four characters of an identifier, shown to say which one is set; nothing
    of anything else."""
    return value[-4:] if kind == CredentialKind.TEXT else ""
