"""A logging filter that masks secret-looking values, as a last line of defence.

The code never logs credentials on purpose; this catches accidents such as a request body
or a dict of credentials interpolated into a message.
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


def redact(text: str) -> str:
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
