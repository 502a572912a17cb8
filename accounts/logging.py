"""A logging filter that masks secret-looking values, as a last line of defence.

The code never logs credentials on purpose; this catches accidents such as a request body
or a dict of credentials interpolated into a message, and the OAuth values that job boards
put in the query string of the address they send the admin back to (``?hash=...``), which
access logs and ``next=`` links would otherwise carry, plain or URL-encoded, and the secret
segment of the provider webhook's URL (the provider sends no header: the secret is in the path,
which Django logs for every 4xx answer and runserver for every request). It imports nothing
from Django: logging is configured before the apps are loaded.
"""

import logging
import re

# A key that names a secret (also with a prefix such as client_secret, access_token,
# x-auth-token, or a digit such as password1), then ":" or "=", then the value, which may
# start with an HTTP auth scheme ("Bearer abc").
_SECRET_PATTERN = re.compile(
    r"(?i)((?<![a-z0-9])(?:[a-z0-9]+[_-])*"
    r"(?:password|passwd|pwd|secret|token|api[_-]?key|hash|authorization|credentials?"
    r"|private[_-]?key)\d*[\"']?\s*[:=]\s*[\"']?)"
    r"(?:(?:bearer|basic|token)\s+)?[^\s\"',}&]+"
)


# Query parameters that carry OAuth secrets (a job board's token comes back in "hash").
SECRET_QUERY_PARAMETERS = frozenset(
    {"hash", "code", "state", "token", "access_token", "id_token", "refresh_token",
     "client_secret", "oauth_token", "oauth_verifier"}
)  # fmt: skip
_QUERY_SECRET_PATTERN = re.compile(
    r"(?i)((?:[?&;]|%3F|%26)(?:" + "|".join(sorted(SECRET_QUERY_PARAMETERS)) + r")(?:=|%3D))"
    r"(?:(?!%26)[^&;\s\"'#])+"
)

# The provider webhook's path ends in its secret (campaigns/urls.py: webhooks/provider/<secret>/).
_WEBHOOK_PATH_PATTERN = re.compile(r"(/webhooks/provider/)[^/\s\"'?]+")


def redact(text: str) -> str:
    text = _WEBHOOK_PATH_PATTERN.sub(r"\1[redacted]", text)
    text = _QUERY_SECRET_PATTERN.sub(r"\1[redacted]", text)
    return _SECRET_PATTERN.sub(r"\1[redacted]", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
