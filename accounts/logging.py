"""A logging filter that masks secret-looking values, as a last line of defence.

The code never logs credentials on purpose; this catches accidents such as a request body
or a dict of credentials interpolated into a message.
"""

import logging
import re

_SECRET_PATTERN = re.compile(
    r"(?i)(\b(?:password|passwd|secret|token|api[_-]?key|hash|authorization|x-auth-token)"
    r"\b[\"']?\s*[:=]\s*[\"']?)([^\s\"',}&]+)"
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
