"""Keep the provider webhook URL's secret out of log lines.

The secret is a segment of the callback URL (the provider sends no header), and Django logs
the path of every 4xx answer (``django.request``) and, under runserver, of every request
(``django.server``): this filter masks the segment wherever a line quotes that path. It
imports nothing from Django: logging is configured before the apps are loaded.
"""

import logging
import re

WEBHOOK_PATH = re.compile(r"(/webhooks/provider/)[^/\s\"'?]+")


def redact_webhook_secret(text: str) -> str:
    return WEBHOOK_PATH.sub(r"\1[redacted]", text)


class RedactWebhookSecretFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            return True
        redacted = redact_webhook_secret(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
