"""Webhooks to a tiny local receiver: payload, secret header, duplicates, no blocking."""

import json
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    def __init__(self, status: int = 200, delay: float = 0.0):
        self.received: queue.Queue = queue.Queue()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.put((dict(self.headers.items()), json.loads(body)))
                time.sleep(delay)
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


def test_every_change_is_announced_with_the_secret(hapi, sandbox, receiver):
    sandbox.configure_webhook(receiver.url, "s3cret", duplicate_ratio=0)
    campaign_id, _, _ = hapi.naukri_campaign()
    headers, payload = receiver.take(1)[0]
    assert headers["X-Jobcast-Webhook-Secret"] == "s3cret"
    assert headers["Content-Type"] == "application/json"
    assert set(payload) == {"request_id", "campaign_id", "modified_on"}
    assert payload["campaign_id"] == campaign_id
    assert payload["modified_on"] == hapi.campaign(campaign_id)["modifiedOn"]
    sandbox.advance_to_online()
    _, online = receiver.take(1)[0]
    assert online["request_id"] != payload["request_id"]
    assert online["modified_on"] == hapi.campaign(campaign_id)["modifiedOn"]
    assert online["modified_on"] > payload["modified_on"]
    deadline = time.monotonic() + 5
    while sandbox.stats()["webhooks_sent"] < 2:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_custom_secret_header(hapi, sandbox, receiver):
    sandbox.configure_webhook(receiver.url, "abc", secret_header="X-Other", duplicate_ratio=0)
    hapi.naukri_campaign()
    headers, _ = receiver.take(1)[0]
    assert headers["X-Other"] == "abc"
    assert "X-Jobcast-Webhook-Secret" not in headers


def test_duplicates_share_the_request_id(hapi, sandbox, receiver):
    sandbox.configure_webhook(receiver.url, "s", duplicate_ratio=1.0)
    hapi.naukri_campaign()
    (_, one), (_, two) = receiver.take(2)
    assert one == two


def test_slow_or_failing_receiver_blocks_nothing(hapi, sandbox):
    slow = Receiver(status=500, delay=2.0)
    try:
        sandbox.configure_webhook(slow.url, "s", duplicate_ratio=0)
        started = time.monotonic()
        campaign_id, _, _ = hapi.naukri_campaign()
        sandbox.advance_to_online()
        assert time.monotonic() - started < 1.5
        assert hapi.campaign(campaign_id)["status"] == "online"
        slow.take(2)
        deadline = time.monotonic() + 5
        while sandbox.stats()["webhooks_failed"] < 2:  # no retries: failures are counted
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert slow.received.empty()
    finally:
        slow.close()


def test_no_url_no_webhook(hapi, sandbox, receiver):
    sandbox.configure_webhook(None)
    campaign_id, _, _ = hapi.naukri_campaign()  # a change while no URL is set
    sandbox.configure_webhook(receiver.url, "s", duplicate_ratio=0)
    sandbox.advance_to_online()  # the next change, with a URL
    _, first = receiver.take(1)[0]
    # The first notification that ever arrives is the later change's: the order's was not sent.
    assert first["modified_on"] == hapi.campaign(campaign_id)["modifiedOn"]
    deadline = time.monotonic() + 5
    while sandbox.stats()["webhooks_sent"] < 1:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert sandbox.stats()["webhooks_sent"] == 1
