"""Tokens the sandbox's OAuth consent page issues, and the check boards run on them.

A token is signed with a fixed key so that a restarted sandbox still accepts the tokens it
issued before: this is a test double, not a security boundary.
"""

import hashlib
import hmac
import secrets

_KEY = b"jobcast-sandbox-oauth"


def _signature(channel_id: int, nonce: str) -> str:
    return hmac.new(_KEY, f"{channel_id}:{nonce}".encode(), hashlib.sha256).hexdigest()[:16]


def issue(channel_id: int) -> str:
    nonce = secrets.token_hex(8)
    return f"sbx-oauth-{channel_id}-{nonce}-{_signature(channel_id, nonce)}"


def verify(channel_id: int, token: str) -> bool:
    parts = token.split("-") if isinstance(token, str) else []
    if len(parts) != 5 or parts[:2] != ["sbx", "oauth"] or parts[2] != str(channel_id):
        return False
    return hmac.compare_digest(parts[4], _signature(channel_id, parts[3]))
