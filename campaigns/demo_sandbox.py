"""The provider sandbox the demo data orders through: started for the seeding, stopped after.

``make run`` seeds before it starts the sandbox (Procfile), so the demo starts one itself,
where the product expects its provider (``PROVIDER_BASE_URL``) and on the same state file
(``DEMO_SANDBOX_DATA_DIR``) that the Procfile's sandbox then loads. It is dated in the past
(``--clock-offset``) and moved forward with the sandbox's own ``/_sandbox/clock/advance``,
so orders, deliveries and expiries happen on past days, stamped by the sandbox. Posting days
last real days here (``--day-seconds 86400``), and nothing fails unless the demo asks.

The product never imports the sandbox: this is a process and HTTP, like any provider.
"""

import os
import socket
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.dateparse import parse_datetime

# How far back the sandbox's clock starts: the earliest demo order is later than this.
CLOCK_START_DAYS = 61
# From order to online (or failed) at the seeding sandbox.
ONLINE_AFTER = timedelta(hours=6)
STARTUP_SECONDS = 30
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class SeedingSandboxUnavailable(Exception):
    """The demo cannot start its sandbox (the provider is not local, or the port is taken)."""


class SeedingSandbox:
    def __init__(self):
        self.base_url = settings.PROVIDER_BASE_URL
        parts = urlsplit(self.base_url)
        if parts.hostname not in LOCAL_HOSTS or parts.port is None:
            raise SeedingSandboxUnavailable(
                f"the provider ({self.base_url}) is not a local sandbox"
            )
        self.host, self.port = parts.hostname, parts.port
        self.session = requests.Session()
        self.session.headers["X-Auth-Token"] = settings.PROVIDER_TOKEN.split(",")[0].strip()
        self._process: subprocess.Popen | None = None
        self._output: list[str] = []

    def __enter__(self) -> "SeedingSandbox":
        if _port_taken(self.host, self.port):
            raise SeedingSandboxUnavailable(
                f"something already answers at {self.base_url} (a running sandbox keeps its "
                "own clock); stop it, then seed again"
            )
        args = [
            sys.executable,
            "-m",
            "sandbox",
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--data-dir",
            str(settings.DEMO_SANDBOX_DATA_DIR),
            "--public-url",
            self.base_url,
            "--token",
            settings.PROVIDER_TOKEN,
            "--clock-offset",
            str(-CLOCK_START_DAYS * 86400),
            "--online-after",
            str(ONLINE_AFTER.total_seconds()),
            "--day-seconds",
            "86400",
            "--fail-ratio",
            "0",
            "--rate-limit",
            "100000",
            "--tick-interval",
            "0.1",
        ]
        # Only the variables the sandbox reads are ours to set: a developer's SANDBOX_*
        # settings for the Procfile's sandbox must not change the seeding one.
        env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
        self._process = subprocess.Popen(
            args,
            cwd=settings.BASE_DIR,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ready = threading.Event()
        threading.Thread(target=self._read_output, args=(ready,), daemon=True).start()
        if not ready.wait(STARTUP_SECONDS) or self._process.poll() is not None:
            self.__exit__(None, None, None)
            raise SeedingSandboxUnavailable("the sandbox did not start: " + "".join(self._output))
        return self

    def _read_output(self, ready: threading.Event) -> None:
        for line in self._process.stdout:
            self._output.append(line)
            if line.startswith("sandbox listening on "):
                ready.set()

    def __exit__(self, *exc) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def now(self) -> datetime:
        return parse_datetime(self._control("GET", "clock")["now"])

    def advance_to(self, moment: datetime) -> datetime:
        """Move the sandbox's clock to ``moment`` (never back), applying what falls due."""
        seconds = (moment - self.now()).total_seconds()
        if seconds > 0:
            self._control("POST", "clock/advance", {"seconds": seconds})
        return self.now()

    def refuse_contract(self, *, contract_id: str, errors: list[dict[str, str]]) -> None:
        """The board refuses this contract from now on, with ``errors`` worded per language
        (``{"en": .., "fr": ..}``): every later read of it, and every order on it, says so."""
        self._control("POST", f"contracts/{contract_id}/errors", {"errors": errors})

    def fail_products(self, *, provider_campaign_id: str, customer_id: str, products) -> None:
        """The board rejects these products (the provider's own sandbox-only edit call); the
        sandbox words the reason in the reader's language."""
        response = self.session.patch(
            f"{self.base_url}/campaigns/{provider_campaign_id}/edit",
            json={
                "orderedProductsSpecs": [
                    {"productId": product_id, "status": "not processed"} for product_id in products
                ]
            },
            headers={"X-Customer-Id": customer_id},
            timeout=10,
        )
        response.raise_for_status()

    def _control(self, method: str, path: str, payload: dict | None = None) -> dict:
        response = self.session.request(
            method, f"{self.base_url}/_sandbox/{path}", json=payload, timeout=10
        )
        response.raise_for_status()
        return response.json()


def _port_taken(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0
