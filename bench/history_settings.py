"""Settings of the History benchmark's server: the product's base settings (DEBUG off) with a
URLconf that adds a bare baseline view. Bench-only: never used by the product."""

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-not-secret"  # noqa: S105
ROOT_URLCONF = "bench.history_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
