"""Wires the sandbox's parts together: settings, state, clock, webhooks, faults, limits."""

import hashlib
import json
import threading
import time

from .campaigns import Campaigns
from .catalogue import Catalogue
from .clock import Clock, Ticker
from .config import Settings
from .faults import Faults, RateLimiter
from .profiles import PROFILES
from .store import Store
from .webhooks import WebhookConfig, WebhookSender


class App:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.profile = PROFILES[settings.profile]
        # Run-time switches a test may flip (restored by reset()).
        self.ignore_date_filters = settings.ignore_date_filters
        self.oauth_fragment = settings.oauth_fragment
        self.partner_campaign_list = self._partner_list_default()
        self.store = Store(settings.data_path)
        self.clock = Clock(settings.clock_offset)
        self.catalogue = Catalogue(
            settings.channels, settings.public_url or "", id_offset=settings.id_offset
        )
        self.faults = Faults()
        self.limiter = RateLimiter(settings.rate_limit, settings.rate_window)
        self.webhooks = WebhookSender(
            WebhookConfig(
                url=settings.webhook_url,
                duplicate_ratio=settings.webhook_duplicate_ratio,
                timeout=settings.webhook_timeout,
            ),
            on_result=self._webhook_result,
        )
        self.campaigns = Campaigns(
            self.store, self.catalogue, settings, self.clock.now, self.webhooks.campaign_changed
        )
        self.ticker = Ticker(self.campaigns.tick, settings.tick_interval)
        # Identical order bodies seen recently, per customer: the provider's duplicate guard.
        self._recent_orders: dict[tuple[str, str], float] = {}
        self.order_lock = threading.Lock()

    def set_public_url(self, url: str) -> None:
        self.settings.public_url = url.rstrip("/")
        self.catalogue.public_url = self.settings.public_url

    def _webhook_result(self, outcome: str) -> None:
        with self.store.lock:
            self.store.stats[f"webhooks_{outcome}"] += 1

    def seen_recently(self, customer_id: str, body: dict) -> float | None:
        """Seconds since an identical order by this customer, if within the window.

        Call with ``order_lock`` held, together with ``remember_order``, so that two
        identical orders racing each other cannot both pass.
        """
        key = (customer_id, hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest())
        now = time.monotonic()
        window = self.settings.duplicate_window
        for k, at in list(self._recent_orders.items()):
            if now - at > window:
                del self._recent_orders[k]
        at = self._recent_orders.get(key)
        return None if at is None else now - at

    def remember_order(self, customer_id: str, body: dict) -> None:
        key = (customer_id, hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest())
        self._recent_orders[key] = time.monotonic()

    def reset(self) -> None:
        """Forget all state and restore run-time knobs to their start-up values."""
        with self.order_lock:
            self.store.clear()
            self._recent_orders.clear()
            self.campaigns.reschedule()
        self.faults.clear()
        self.limiter.reset(restore=True)
        self.webhooks.restore()
        self.clock.reset()
        self.ignore_date_filters = self.settings.ignore_date_filters
        self.oauth_fragment = self.settings.oauth_fragment
        self.partner_campaign_list = self._partner_list_default()

    def _partner_list_default(self) -> str:
        return "all" if self.profile.partner_campaign_list else "refuse"

    def start(self) -> None:
        self.ticker.start()

    def stop(self) -> None:
        self.ticker.stop()
        self.webhooks.shutdown()
        self.store.close()
