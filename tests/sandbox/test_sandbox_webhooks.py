"""Webhooks to a tiny local receiver: payload, no authentication header, duplicates, no
blocking."""

import json
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    """Records each notification; answers ``status`` once ``gate`` is open (it is unless a
    test closes it, to play a receiver that does not answer)."""

    def __init__(self, status: int = 200):
        self.received: queue.Queue = queue.Queue()
        self.gate = threading.Event()
        self.gate.set()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.put((dict(self.headers.items()), json.loads(body)))
                outer.gate.wait(timeout=30)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/provider"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def take(self, count: int, timeout: float = 5.0) -> list:
        return [self.received.get(timeout=timeout) for _ in range(count)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def wait_for(condition, what: str, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_every_change_is_announced_without_any_authentication(hapi, sandbox, receiver):
    sandbox.configure_webhook(receiver.url, duplicate_ratio=0)
    campaign_id, _, _ = hapi.naukri_campaign()
    headers, payload = receiver.take(1)[0]
    # The provider documents no authentication header: the URL itself is the secret.
    assert not [name for name in headers if "secret" in name.lower() or "auth" in name.lower()]
    assert headers["Content-Type"] == "application/json"
    assert set(payload) == {"request_id", "campaign_id", "modified_on"}
    assert payload["campaign_id"] == campaign_id
    assert payload["modified_on"] == hapi.campaign(campaign_id)["modifiedOn"]
    sandbox.advance_to_online()
    _, online = receiver.take(1)[0]
    assert online["request_id"] != payload["request_id"]
    assert online["modified_on"] == hapi.campaign(campaign_id)["modifiedOn"]
    assert online["modified_on"] > payload["modified_on"]
    wait_for(lambda: sandbox.stats()["webhooks_sent"] >= 2, "two deliveries")


def test_duplicates_share_the_request_id(hapi, sandbox, receiver):
    sandbox.configure_webhook(receiver.url, duplicate_ratio=1.0)
    hapi.naukri_campaign()
    (_, one), (_, two) = receiver.take(2)
    assert one == two


def test_slow_or_failing_receiver_blocks_nothing(hapi, sandbox):
    stuck = Receiver(status=500)
    stuck.gate.clear()  # the receiver takes the notification and does not answer
    try:
        sandbox.configure_webhook(stuck.url, duplicate_ratio=0)
        campaign_id, _, _ = hapi.naukri_campaign()
        stuck.take(1)
        # While that delivery hangs, the sandbox goes on answering and moving its clock.
        sandbox.advance_to_online()
        assert hapi.campaign(campaign_id)["status"] == "online"
        stuck.take(1)
        assert sandbox.stats()["webhooks_failed"] == 0  # both still waiting for an answer
        stuck.gate.set()
        # no retries: failures are counted, nothing is sent again
        wait_for(lambda: sandbox.stats()["webhooks_failed"] == 2, "two failed deliveries")
        assert stuck.received.empty()
    finally:
        stuck.gate.set()
        stuck.close()


def test_no_url_no_webhook(hapi, sandbox, receiver):
    sandbox.configure_webhook(None)
    campaign_id, _, _ = hapi.naukri_campaign()
    assert sandbox.stats()["webhooks_sent"] == 0
    sandbox.configure_webhook(receiver.url, duplicate_ratio=0)
    sandbox.advance_to_online()
    _, first = receiver.take(1)[0]
    # The first notification the receiver gets is the change made after a URL was set.
    assert first["modified_on"] == hapi.campaign(campaign_id)["modifiedOn"]
    wait_for(lambda: sandbox.stats()["webhooks_sent"] == 1, "one delivery")
