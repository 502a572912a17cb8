"""Command-line flags, each also readable from a ``SANDBOX_*`` environment variable."""

import argparse
import os
from dataclasses import dataclass, fields
from pathlib import Path

from .profiles import PROFILES


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8100
    data_dir: str = "var/sandbox"
    memory: bool = False
    token: str = "sandbox-partner-token"  # noqa: S105 - the sandbox's public test token
    rate_limit: int = 60
    rate_window: float = 60.0
    channels: int = 3000
    id_offset: int = 0
    day_seconds: float = 86400.0
    clock_offset: float = 0.0
    online_after: float = 30.0
    fail_ratio: float = 0.1
    profile: str = "guides"
    ignore_date_filters: bool = False
    oauth_fragment: bool = False
    webhook_url: str | None = None
    webhook_duplicate_ratio: float = 0.05
    webhook_timeout: float = 5.0
    public_url: str | None = None
    duplicate_window: float = 10.0
    tick_interval: float = 0.25
    verbose: bool = False

    @property
    def tokens(self) -> set[str]:
        """Several partner tokens may be given comma-separated; each has its own budget."""
        return {t.strip() for t in self.token.split(",") if t.strip()}

    @property
    def data_path(self) -> Path | None:
        return None if self.memory else Path(self.data_dir)


HELP = {
    "host": "interface to bind",
    "port": "port to bind; 0 picks a free one (the real one is printed)",
    "data_dir": "folder for sandbox.sqlite3",
    "memory": "keep everything in memory (tests)",
    "token": "accepted X-Auth-Token value(s), comma-separated",
    "rate_limit": "requests per rolling window per token",
    "rate_window": "rolling window in seconds",
    "channels": "number of channels in the catalogue (famous boards included)",
    "id_offset": "added to every channel id, to stand in for a provider that numbers its "
    "channels differently (the boards and their names stay the same)",
    "day_seconds": "how many real seconds a posting day lasts",
    "clock_offset": "seconds added to wall-clock time at start (negative: a sandbox dated in "
    "the past, which /_sandbox/clock/advance then moves forward)",
    "online_after": "seconds from order until a product is online or not processed",
    "fail_ratio": "share of products that end 'not processed' (deterministic per order)",
    "profile": "answer as the provider's guides describe (guides) or in the OpenAPI "
    "document's shapes where the two differ (openapi)",
    "ignore_date_filters": "ignore the campaign list's date filters (a service that does not "
    "know the spelling sent)",
    "oauth_fragment": "the OAuth consent page hands the token back in the callback URL's "
    "fragment (#hash=...) instead of its query (?hash=...)",
    "webhook_url": "where campaign-change webhooks are POSTed (none: no webhooks)",
    "webhook_duplicate_ratio": "probability that a webhook is sent twice",
    "webhook_timeout": "seconds to wait for the webhook receiver",
    "public_url": "base URL used in links (default http://HOST:PORT)",
    "duplicate_window": "seconds in which an identical order is refused with 422",
    "tick_interval": "seconds between clock ticks",
    "verbose": "log every request to stderr",
}


def _env_bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def parse(argv: list[str] | None = None, environ: dict | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    defaults = Settings()
    parser = argparse.ArgumentParser(
        prog="python -m sandbox", description="Local stand-in for the provider's API."
    )
    for f in fields(Settings):
        flag = "--" + f.name.replace("_", "-")
        env_name = "SANDBOX_" + f.name.upper()
        default = getattr(defaults, f.name)
        if env_name in environ:
            raw = environ[env_name]
            default = _env_bool(raw) if isinstance(default, bool) else raw
        help_text = f"{HELP[f.name]} (env {env_name})"
        if isinstance(getattr(defaults, f.name), bool):
            parser.add_argument(flag, action="store_true", default=default, help=help_text)
        elif f.name == "profile":
            parser.add_argument(flag, choices=sorted(PROFILES), default=default, help=help_text)
        else:
            kind = type(getattr(defaults, f.name)) if getattr(defaults, f.name) is not None else str
            parser.add_argument(
                flag, type=kind, default=None if default is None else kind(default), help=help_text
            )
    args = parser.parse_args(argv)
    return Settings(**vars(args))
