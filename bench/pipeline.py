"""The ground of the benchmarks that run the real pipeline (``kill_drill``, ``order_burst``):
a test database of their own, a real sandbox process whose own call limit is out of the
way (each bench sets the limit it measures, if any), and the product pointed at it.

Django is set up by the caller first: the benchmark chooses its database before
``django.setup()``, so Django and the test fixtures are imported inside the function.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def pipeline_bench(name: str, **overrides) -> Iterator[object]:
    """Yield the sandbox (a ``tests.fixtures.sandbox.SandboxProcess``) with the test database
    ``test_<db>_<name>`` created, the provider settings (and ``overrides``) pointed at it;
    the database is dropped afterwards."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    from tests.fixtures.sandbox import SandboxProcess

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        raise SystemExit(f"{name} needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"test_{old_name}_{name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    token = f"{name}-{uuid.uuid4().hex[:8]}"
    try:
        with SandboxProcess("--rate-limit", "100000", token=token) as sandbox:
            provider = {
                "PROVIDER_BASE_URL": sandbox.url,
                "PROVIDER_TOKEN": token,
                "PROVIDER_RATE_LIMIT": 100_000,
            }
            with override_settings(**provider, **overrides):
                yield sandbox
    finally:
        # A thread of the bench (the interactive probe, whose provider calls may record the
        # provider's health) can still hold a session: the database cannot be dropped under it.
        test_name = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [test_name],
            )
        connection.creation.destroy_test_db(old_name, verbosity=0)
