"""The test suite: fast hashing, in-memory email, eager nothing (a real worker runs tasks)."""

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
ACCOUNT_RATE_LIMITS = False
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):  # noqa: F405
    # Keep the suite's rate-limit counters apart from a development server's.
    CACHES = {  # noqa: F405
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "test-cache"),
        }
    }
DATABASES["default"]["CONN_MAX_AGE"] = 0  # live-server threads must not keep the test DB open
# Test workers must not start syncing the catalogue into the test database on their own.
PROVIDER_SYNC_ON_WORKER_START = False
