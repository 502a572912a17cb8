"""Campaign-change webhooks: fire and forget, like the provider's.

Deliveries run on a small thread pool so neither the clock nor a request ever waits for the
receiver. No retries (the provider has none); occasionally the same ``request_id`` is sent
twice, because the provider's receivers must cope with duplicates. No authentication header
is sent: the provider documents none (the callback URL itself is the secret).
"""

import json
import random
import threading
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass


@dataclass
class WebhookConfig:
    url: str | None = None
    duplicate_ratio: float = 0.05
    timeout: float = 5.0


class WebhookSender:
    def __init__(self, config: WebhookConfig, on_result):
        self.config = config
        self._initial = WebhookConfig(**vars(config))
        self._on_result = on_result  # called with "sent" | "failed" for the stats
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sandbox-webhook")
        self._lock = threading.Lock()
        self._random = random.Random(20261125)

    def configure(self, **changes) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(self.config, key, value)

    def restore(self) -> None:
        with self._lock:
            self.config = WebhookConfig(**vars(self._initial))

    def public_config(self) -> dict:
        with self._lock:
            c = self.config
            return {
                "url": c.url,
                "duplicate_ratio": c.duplicate_ratio,
                "timeout": c.timeout,
            }

    def campaign_changed(self, campaign_id: str, modified_on: str) -> None:
        with self._lock:
            config = WebhookConfig(**vars(self.config))
            duplicate = self._random.random() < config.duplicate_ratio
        if not config.url:
            return
        body = json.dumps(
            {
                "request_id": str(uuid.uuid4()),
                "campaign_id": campaign_id,
                "modified_on": modified_on,
            }
        ).encode()
        for _ in range(2 if duplicate else 1):
            self._pool.submit(self._deliver, config, body)

    def _deliver(self, config: WebhookConfig, body: bytes) -> None:
        headers = {"Content-Type": "application/json", "User-Agent": "jobcast-sandbox"}
        request = urllib.request.Request(config.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=config.timeout) as response:
                response.read()
            self._on_result("sent")
        except Exception:  # noqa: BLE001 - any failure is just counted; no retries
            self._on_result("failed")

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
