"""OAuth connect for job boards whose credential is a connection, not a typed value.

The admin's half-filled Add contract form is kept as a *draft* in their session; a random
``state`` bound to that session and draft goes into our callback URL. The callback accepts a
state only once and only in the session that issued it; the token it receives is encrypted
(contracts.crypto) before it is put in the session, so it is never stored in clear.
"""

import secrets
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from contracts import crypto

DRAFTS_KEY = "contracts_drafts"
STATES_KEY = "contracts_oauth_states"
STATE_TTL_SECONDS = 30 * 60
MAX_DRAFTS = 10


class OAuthStateError(Exception):
    """The callback's state is missing, unknown to this session, expired or already used."""


def draft_save(session, *, draft_id: str | None, data: dict) -> str:
    drafts = dict(session.get(DRAFTS_KEY, {}))
    draft_id = draft_id if draft_id in drafts else secrets.token_urlsafe(12)
    previous = drafts.get(draft_id, {})
    drafts[draft_id] = {**data, "oauth": previous.get("oauth", {}), "at": time.time()}
    if len(drafts) > MAX_DRAFTS:  # forget the oldest
        for old in sorted(drafts, key=lambda key: drafts[key]["at"])[: len(drafts) - MAX_DRAFTS]:
            drafts.pop(old)
    session[DRAFTS_KEY] = drafts
    return draft_id


def draft_get(session, draft_id: str | None) -> dict | None:
    if not draft_id:
        return None
    return session.get(DRAFTS_KEY, {}).get(draft_id)


def draft_discard(session, draft_id: str | None) -> None:
    drafts = dict(session.get(DRAFTS_KEY, {}))
    if drafts.pop(draft_id or "", None) is not None:
        session[DRAFTS_KEY] = drafts


def draft_connected(draft: dict | None) -> set[str]:
    return set((draft or {}).get("oauth", {}))


def draft_tokens(draft: dict | None) -> dict[str, str]:
    """The connected OAuth tokens of a draft, decrypted for sending to the provider."""
    return {
        name: crypto.decrypt(crypto.Sealed(key_id, ciphertext))
        for name, (key_id, ciphertext) in (draft or {}).get("oauth", {}).items()
    }


def state_issue(session, *, draft_id: str, credential: str) -> str:
    state = secrets.token_urlsafe(24)
    states = {
        key: value
        for key, value in session.get(STATES_KEY, {}).items()
        if value["at"] > time.time() - STATE_TTL_SECONDS
    }
    states[state] = {"draft": draft_id, "credential": credential, "at": time.time()}
    session[STATES_KEY] = states
    return state


def state_check(session, state: str) -> dict:
    """The draft and credential the state was issued for, leaving it usable (the page that
    reads a token from the URL fragment is shown before the state is spent)."""
    issued = session.get(STATES_KEY, {}).get(state or "")
    if issued is None or issued["at"] <= time.time() - STATE_TTL_SECONDS:
        raise OAuthStateError(state)
    return issued


def state_consume(session, state: str) -> dict:
    """The draft and credential the state was issued for; the state cannot be used again."""
    states = dict(session.get(STATES_KEY, {}))
    issued = states.pop(state or "", None)
    session[STATES_KEY] = states
    if issued is None or issued["at"] <= time.time() - STATE_TTL_SECONDS:
        raise OAuthStateError(state)
    return issued


def draft_store_token(session, *, draft_id: str, credential: str, token: str) -> None:
    drafts = dict(session.get(DRAFTS_KEY, {}))
    draft = drafts.get(draft_id)
    if draft is None:
        raise OAuthStateError(draft_id)
    sealed = crypto.encrypt(token)
    draft["oauth"] = {**draft.get("oauth", {}), credential: [sealed.key_id, sealed.ciphertext]}
    drafts[draft_id] = draft
    session[DRAFTS_KEY] = drafts


def consent_url(board_url: str, callback_url: str) -> str:
    """The board's consent page with ``callbackUrl`` added to whatever query it has."""
    parts = urlsplit(board_url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "callbackUrl"
    ]
    query.append(("callbackUrl", callback_url))
    return urlunsplit(parts._replace(query=urlencode(query)))
