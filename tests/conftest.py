"""Project-wide fixtures: organisations, users and logged-in clients, the real services check
and the browser set-up (Debian's Chromium through Playwright)."""

import os
import shutil

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from tests.factories import AdminMembershipFactory, MembershipFactory, OrganizationFactory

pytest_plugins = ["tests.fixtures.services", "tests.fixtures.browser"]
# --- distribution: the provider sandbox process and the client pointed at it ---
pytest_plugins += ["tests.fixtures.sandbox", "tests.fixtures.provider"]
# --- campaigns: a real Celery worker for the ordering pipeline tests ---
pytest_plugins += ["tests.fixtures.celery_worker"]
# --- the parallel run (pytest-xdist): slow tests first, exclusive tests, a clean namespace ---
pytest_plugins += ["tests.fixtures.parallel"]


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Acme Test")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="Other Org")


@pytest.fixture
def admin(org):
    return AdminMembershipFactory(organization=org).user


@pytest.fixture
def recruiter(org):
    return MembershipFactory(organization=org).user


@pytest.fixture
def other_admin(other_org):
    return AdminMembershipFactory(organization=other_org).user


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def recruiter_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def cache_outage(settings):
    """From here on, the cache is a Redis server that does not answer (nothing listens on
    port 1): a real connection refusal, not a mock."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.fixture
def browser_contexts():
    """Browser contexts a test opens (append them), closed before the live server stops so
    that no poll is in flight when it does."""
    opened = []
    yield opened
    for context in opened:
        context.close()


@pytest.fixture(autouse=True)
def _language_reset():
    """A request in French leaves French active in the test thread (LocaleMiddleware never
    deactivates it): every test starts and ends in the default language."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


# --- jobs: CVs go to a private storage root; keep test files out of var/ ------------------
@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.JOBS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
