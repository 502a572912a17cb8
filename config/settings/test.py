"""The test suite: fast hashing, in-memory email, eager nothing (a real worker runs tasks).

The suite runs in parallel (pytest-xdist: processes ``gw0``, ``gw1``, ...). Each process, and
every Celery worker it starts (``JOBCAST_TEST_NAMESPACE``), gets its own
*namespace*: its own files under ``var/test/<namespace>/`` and its own Redis keys
(``jobcast-test:<namespace>:...``) in the one configured Redis database, so that no test
sees another process's cache entries, broker messages or rate-limit counters. pytest-django
gives each process its own test database (``test_<name>_gw0``, ...).
"""

import os

from .base import *  # noqa: F403
from .base import CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES, REDIS_URL, VAR_DIR

# JOBCAST_TEST_NAMESPACE is what the fixtures hand to the processes they start.
TEST_NAMESPACE = (
    os.environ.get("JOBCAST_TEST_NAMESPACE") or os.environ.get("PYTEST_XDIST_WORKER") or "main"
)
TEST_VAR_DIR = VAR_DIR / "test" / TEST_NAMESPACE
# Every Redis key the tests write starts with this (cache, Celery broker); see
# tests/fixtures/namespaced_cache.py for why the cache's clear() must respect it too.
TEST_REDIS_KEY_PREFIX = f"jobcast-test:{TEST_NAMESPACE}:"

DEBUG = False
# Tests read contracts back after each order unless they ask for more (the bench does).
CONTRACTS_REFRESH_AFTER_ORDER_SECONDS = float(
    os.environ.get("CONTRACTS_REFRESH_AFTER_ORDER_SECONDS", "0")
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
if os.environ.get("JOBCAST_TEST_SMTP_PORT"):
    # A worker started by a pipeline test sends to that test's SMTP sink process
    # (tests/fixtures/smtp_sink.py): in-memory mail would die with the worker.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": int(os.environ["JOBCAST_TEST_SMTP_PORT"]),
                "timeout": 60,
            },
        }
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = TEST_VAR_DIR / "media"
JOBS_PRIVATE_MEDIA_ROOT = TEST_VAR_DIR / "private"
ACCOUNT_RATE_LIMITS = False

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "tests.fixtures.namespaced_cache.NamespacedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": TEST_REDIS_KEY_PREFIX + "cache",
        }
    }
    # Kombu prefixes every key and channel of the broker (queues, unacked messages,
    # bindings, control messages) with this.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "global_keyprefix": TEST_REDIS_KEY_PREFIX + "broker:",
    }
else:
    # Keep the suite's rate-limit counters apart from a development server's, and apart from
    # the other test processes'.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(TEST_VAR_DIR / "cache"),
        }
    }
    # The filesystem broker of a development worker (var/broker) must never receive the
    # suite's tasks, nor one test process another's.
    _test_broker_dir = TEST_VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_test_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(_test_broker_dir / "queue"),
        "data_folder_out": str(_test_broker_dir / "queue"),
        "processed_folder": str(_test_broker_dir / "processed"),
        "control_folder": str(_test_broker_dir / "control"),
    }

# The embedded limiter's file (used without REDIS_URL).
PROVIDER_RATE_LIMIT_FILE = TEST_VAR_DIR / "provider-ratelimit.sqlite3"
CELERY_BEAT_SCHEDULE_FILENAME = str(TEST_VAR_DIR / "celerybeat-schedule")

DATABASES["default"]["CONN_MAX_AGE"] = 0  # live-server threads must not keep the test DB open
# Test workers must not start syncing the catalogue into the test database on their own.
PROVIDER_SYNC_ON_WORKER_START = False
