"""All mutable sandbox state behind one lock, optionally persisted to SQLite.

State is plain JSON-able dicts (customers, contracts, campaigns). Every write goes through
``save``/``delete``, which write through to ``sandbox.sqlite3`` in the data dir so a
restarted sandbox keeps its contracts and campaigns. ``--memory`` skips the file.
"""

import json
import sqlite3
import threading
import uuid
from collections import Counter
from pathlib import Path

KINDS = ("customer", "contract", "campaign")


class Store:
    def __init__(self, data_dir: Path | None):
        self.lock = threading.RLock()
        self.customers: dict[str, dict] = {}
        self.contracts: dict[str, dict] = {}
        self.campaigns: dict[str, dict] = {}
        self.stats = Counter()
        self.orders_by_reference: Counter = Counter()
        self._db = None
        if data_dir is not None:
            data_dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(data_dir / "sandbox.sqlite3", check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            # Every change is one small commit; without fsync on each the clock never stalls
            # (a power cut may lose the last changes, which a sandbox can afford).
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS kv (kind TEXT, key TEXT, value TEXT, "
                "PRIMARY KEY (kind, key))"
            )
            self._load()

    def _table(self, kind: str) -> dict:
        return {"customer": self.customers, "contract": self.contracts, "campaign": self.campaigns}[
            kind
        ]

    def _load(self) -> None:
        for kind, key, value in self._db.execute("SELECT kind, key, value FROM kv"):
            if kind in KINDS:
                self._table(kind)[key] = json.loads(value)
            elif kind == "orders":
                self.orders_by_reference[key] = int(value)

    def save(self, kind: str, key: str, obj) -> None:
        """Record ``obj`` (already placed in its table) in the file, if there is one."""
        if kind in KINDS:
            self._table(kind)[key] = obj
        if self._db is not None:
            with self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO kv VALUES (?, ?, ?)",
                    (kind, key, json.dumps(obj) if kind in KINDS else str(obj)),
                )

    def delete(self, kind: str, key: str) -> None:
        self._table(kind).pop(key, None)
        if self._db is not None:
            with self._db:
                self._db.execute("DELETE FROM kv WHERE kind = ? AND key = ?", (kind, key))

    def clear(self) -> None:
        with self.lock:
            self.customers.clear()
            self.contracts.clear()
            self.campaigns.clear()
            self.stats.clear()
            self.orders_by_reference.clear()
            if self._db is not None:
                with self._db:
                    self._db.execute("DELETE FROM kv")

    def count_order(self, reference: str | None) -> None:
        key = reference or ""
        self.orders_by_reference[key] += 1
        self.save("orders", key, self.orders_by_reference[key])

    def customer(self, customer_id: str) -> dict:
        """The customer, created with its default group (idx 0) on first sight."""
        with self.lock:
            found = self.customers.get(customer_id)
            if found is None:
                found = {
                    "id": customer_id,
                    "groups": [{"id": str(uuid.uuid4()), "idx": 0, "name": "Default"}],
                    "next_idx": 1,
                }
                self.save("customer", customer_id, found)
            return found

    def close(self) -> None:
        if self._db is not None:
            with self.lock:
                self._db.close()
                self._db = None
