"""The suite runs in parallel processes (pytest-xdist): what keeps them apart holds.

Each test process has a namespace (``config/settings/test.py``) for its files and its Redis
keys; a Celery worker started by one process takes only that process's tasks; clearing the
cache touches only the process's own keys; an exclusive test runs alone
(``tests/fixtures/parallel.py``).
"""

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from kombu import Connection

from config.celery import app
from distribution.models import TaxonomyTerm
from distribution.tasks import sync_taxonomy
from tests.fixtures.namespaced_cache import redis_delete_matching
from tests.fixtures.parallel import RunLock, spread

pytestmark = pytest.mark.django_db

SETTINGS_SCRIPT = """
import json, django
django.setup()
from django.conf import settings as s
cache = s.CACHES["default"]
broker = s.CELERY_BROKER_TRANSPORT_OPTIONS
print(json.dumps({
    "cache": [cache["BACKEND"], cache["LOCATION"], cache.get("KEY_PREFIX", "")],
    "broker": [s.CELERY_BROKER_URL, broker.get("global_keyprefix"), broker.get("data_folder_in")],
    "files": [str(s.MEDIA_ROOT), str(s.JOBS_PRIVATE_MEDIA_ROOT), str(s.PROVIDER_RATE_LIMIT_FILE)],
}))
"""


def settings_of(namespace: str, redis_url: str) -> dict:
    """The test settings as a process of ``namespace`` sees them."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_XDIST_WORKER", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        JOBCAST_TEST_NAMESPACE=namespace,
        JOBCAST_VAR_DIR=str(settings.VAR_DIR),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def require_redis() -> str:
    if not settings.REDIS_URL:
        pytest.fail("This test needs Redis: set REDIS_URL (CI does).", pytrace=False)
    return settings.REDIS_URL


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/5"], ids=["embedded", "redis"])
def test_each_test_process_has_its_own_files_cache_and_broker(redis_url):
    first, second = settings_of("gw0", redis_url), settings_of("gw1", redis_url)
    # What differs between two processes is their namespace, wherever they keep something.
    assert json.dumps(second) == json.dumps(first).replace("gw0", "gw1")
    if redis_url:
        assert first["cache"][2] == "jobcast-test:gw0:cache"
        assert first["broker"][1] == "jobcast-test:gw0:broker:"
    else:
        assert first["cache"][1].endswith("test/gw0/cache")
        assert first["broker"][2].endswith("test/gw0/broker/queue")
    assert all("/test/gw0/" in path for path in first["files"])


def test_clearing_the_cache_keeps_other_processes_keys():
    client = redis.Redis.from_url(require_redis())
    other_process_key = f"jobcast-test:other-{uuid.uuid4().hex}:broker:celery"
    client.rpush(other_process_key, "a queued task of another test process")
    try:
        cache.set("mine", "value")
        cache.clear()
        assert cache.get("mine") is None
        assert client.llen(other_process_key) == 1
    finally:
        client.delete(other_process_key)


@pytest.mark.pipeline
def test_a_celery_worker_takes_only_its_own_processs_tasks(celery_worker, sandbox):
    client = redis.Redis.from_url(require_redis())
    # Another test process's broker, as its settings make it.
    other = settings_of(f"other-{uuid.uuid4().hex[:8]}", settings.REDIS_URL)
    other_options = {**app.conf.broker_transport_options, "global_keyprefix": other["broker"][1]}
    other_queue = (other["broker"][1] or "") + "celery"
    try:
        with Connection(settings.REDIS_URL, transport_options=other_options) as other_broker:
            app.send_task(sync_taxonomy.name, connection=other_broker)
        assert client.llen(other_queue) == 1
        sync_taxonomy.delay()  # sent after the other process's task, to our own broker
        deadline = time.monotonic() + 60
        while not TaxonomyTerm.objects.exists():
            assert time.monotonic() < deadline, "our task never ran:\n" + celery_worker.log()
            time.sleep(0.2)
        # Our task ran; the other process's task still waits for the other process's worker.
        assert client.llen(other_queue) == 1
    finally:
        redis_delete_matching(client, (other["broker"][1] or "celery") + "*")


def wait_until(predicate, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.01)


def waiting_on(path: Path) -> int:
    """How many flock requests are blocked on ``path`` (Linux lists them in /proc/locks)."""
    inode = f":{path.stat().st_ino} "
    return sum(
        1
        for line in Path("/proc/locks").read_text().splitlines()
        if " -> FLOCK " in line and inode in line
    )


def test_an_exclusive_test_waits_for_running_tests_and_holds_back_new_ones(tmp_path):
    running, exclusive, newcomer = (RunLock(tmp_path) for _ in range(3))
    gate, main = tmp_path / "gate.lock", tmp_path / "main.lock"
    exclusive_in, release, newcomer_in = threading.Event(), threading.Event(), threading.Event()

    def exclusive_test():
        with exclusive.exclusive():
            exclusive_in.set()
            release.wait(10)

    def new_test():
        with newcomer.shared():
            newcomer_in.set()

    threads = [threading.Thread(target=exclusive_test), threading.Thread(target=new_test)]
    with running.shared():
        threads[0].start()
        wait_until(lambda: waiting_on(main) == 1, "the exclusive test waits for the running one")
        threads[1].start()
        wait_until(lambda: waiting_on(gate) == 1, "the new test waits behind the exclusive one")
        assert not exclusive_in.is_set() and not newcomer_in.is_set()
    # The running test is done: the exclusive test runs, alone.
    assert exclusive_in.wait(10)
    assert not newcomer_in.is_set() and waiting_on(gate) == 1
    release.set()
    for thread in threads:
        thread.join(10)
    assert newcomer_in.is_set()


class FakeItem:
    def __init__(self, name: str, *markers: str):
        self.name, self.markers = name, set(markers)

    def get_closest_marker(self, name: str):
        return name if name in self.markers else None

    def __repr__(self):
        return self.name


def test_the_parallel_order_keeps_every_test_and_starts_the_long_ones():
    light = [FakeItem(f"light{n}") for n in range(9)]
    heavy = [FakeItem("browser", "browser"), FakeItem("pipeline", "pipeline")]
    first = [FakeItem("long", "pipeline", "long"), FakeItem("exclusive", "exclusive")]
    items = light[:4] + heavy[:1] + first + light[4:] + heavy[1:]
    ordered = spread(items)
    assert sorted(map(repr, ordered)) == sorted(map(repr, items))  # none lost, none twice
    assert ordered[:2] == [first[1], first[0]]  # exclusive, then long
    # The heavy tests are spaced out: three light tests before, between and after them.
    assert ordered[2:] == [*light[:3], heavy[0], *light[3:6], heavy[1], *light[6:]]
