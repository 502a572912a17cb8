from pathlib import Path

import pytest

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    """A template pair only these tests use (tests/notifications/templates/)."""
    engine = {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]


@pytest.fixture
def smtp_refusing(settings):
    """Mail goes to an SMTP server that refuses the connection (nothing listens on port
    1): a real delivery failure, not a mock."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 1},
        }
    }
