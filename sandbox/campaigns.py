"""Campaigns: creation from a valid order and status transitions (reads: campaign_reads).

Product life: ``in progress`` → ``online`` | ``not processed`` after ``online_after``
seconds; ``online`` → ``offline`` after its posting duration (in sandbox days) or on
cancellation. A product fails when its posting title contains ``[fail]``, or for a
deterministic share ``fail_ratio`` of products chosen by hashing orderReference + productId.
Every change moves ``modifiedOn`` forward and announces the campaign to the webhook.
"""

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from .campaign_reads import CampaignReads
from .catalogue import Catalogue
from .clock import iso, parse_iso
from .common import ApiError, not_found
from .config import Settings
from .store import Store

DEFAULT_DURATION_DAYS = 30
RAW_ERROR = (
    '<error code="E4711">Posting rejected by the board: <detail>account suspended</detail></error>'
)
PRODUCT_STATUSES = ("online", "offline", "in progress", "not processed")


class Campaigns(CampaignReads):
    def __init__(
        self,
        store: Store,
        catalogue: Catalogue,
        settings: Settings,
        now: Callable[[], datetime],
        notify: Callable[[str, str], None],
    ):
        self.store = store
        self.catalogue = catalogue
        self.settings = settings
        self.now = now
        self.notify = notify
        # Earliest dueAt/offlineAt of any live product, so idle ticks cost nothing; None
        # means "unknown, scan everything" and is set by every change made outside tick().
        self._next_due: str | None = None

    # --- creation ----------------------------------------------------------------------

    def create(self, customer_id: str, body: dict, resolved: list[dict]) -> dict:
        now = self.now()
        campaign_id = str(uuid.uuid4())
        by_product = {r["spec"]["productId"]: r for r in resolved}
        products = []
        for product_id in body["orderedProducts"]:
            spec, contract = by_product[product_id]["spec"], by_product[product_id]["contract"]
            days = spec.get("postingDurationDays")
            if days in (None, -1):
                days = contract["posting_duration_days"]
            if days in (None, -1):
                days = DEFAULT_DURATION_DAYS
            channel = self.catalogue.by_id[contract["channel_id"]]
            products.append(
                {
                    "productId": product_id,
                    "contractId": contract["contract_id"],
                    "name": channel.name,
                    "status": "in progress",
                    "statusKey": "in progress",
                    "statusDescription": None,
                    "statusSolution": None,
                    "statusRawError": None,
                    "deliveredOn": None,
                    "jobBoardLink": None,
                    "utm": spec.get("utm"),
                    "postingRequirements": spec.get("postingRequirements") or {},
                    "postingRequirementsLabels": spec.get("postingRequirementsLabels"),
                    "durationDays": days,
                    "dueAt": iso(now + timedelta(seconds=self.settings.online_after)),
                    "offlineAt": None,
                    "clicks": 0,
                    "accruedClicks": 0,
                    # The length of this posting's days, fixed when ordered: a sandbox
                    # restarted with another --day-seconds neither shortens nor speeds it.
                    "daySeconds": self.settings.day_seconds,
                }
            )
        campaign = {
            "campaignId": campaign_id,
            "customerId": customer_id,
            "companyId": body.get("companyId"),
            "campaignName": body.get("campaignName"),
            "orderReference": body.get("orderReference"),
            "labels": body.get("labels") or {},
            "currency": body.get("currency"),
            "recruiterInfo": body.get("recruiterInfo"),
            "postingDetails": body.get("postingDetails"),
            "targetGroup": body.get("targetGroup"),
            "orderedProducts": list(body["orderedProducts"]),
            "products": products,
            "status": "in progress",
            "createdOn": iso(now),
            "modifiedOn": iso(now),
        }
        with self.store.lock:
            self.store.save("campaign", campaign_id, campaign)
            self.store.count_order(body.get("orderReference"))
            for product in products:  # each order uses one credit of a counted contract
                contract = self.store.contracts.get(product["contractId"])
                if contract is not None and contract.get("credits") is not None:
                    contract["credits"] = max(0, contract["credits"] - 1)
                    self.store.save("contract", contract["contract_id"], contract)
            self._next_due = None
        self.notify(campaign_id, campaign["modifiedOn"])
        return campaign

    def find(self, customer_id: str, campaign_id: str, **not_found_extra) -> dict:
        campaign = self.store.campaigns.get(campaign_id)
        if campaign is None or campaign["customerId"] != customer_id:
            raise not_found(**not_found_extra)
        return campaign

    def _fails(self, c: dict, p: dict) -> bool:
        if "[fail]" in str((c["postingDetails"] or {}).get("title", "")).lower():
            return True
        seed = f"{c['orderReference'] or c['campaignId']}:{p['productId']}".encode()
        fraction = int.from_bytes(hashlib.sha256(seed).digest()[:8], "big") / 2**64
        return fraction < self.settings.fail_ratio

    def board_link(self, c: dict, p: dict) -> str:
        base = (self.settings.public_url or "").rstrip("/")
        return f"{base}/_sandbox/boards/{c['campaignId']}/{p['productId']}/"

    def _online(
        self, c: dict, p: dict, now: datetime, delivered: str | None = None, link: str | None = None
    ) -> None:
        p.update(status="online", statusKey="online", statusSolution=None, statusRawError=None)
        p["deliveredOn"] = delivered or iso(now)
        p["jobBoardLink"] = link or self.board_link(c, p)
        online_since = parse_iso(p["deliveredOn"])
        p["offlineAt"] = iso(
            online_since
            + timedelta(seconds=p["durationDays"] * p.get("daySeconds", self.settings.day_seconds))
        )

    def _offline(self, p: dict, now: datetime, key: str) -> None:
        if p["status"] == "online":
            p["accruedClicks"] = self._accrued(p, now)  # frozen from now on
        p.update(status="offline", statusKey=key, statusDescription=None, offlineAt=None)

    def _not_processed(self, p: dict) -> None:
        p.update(
            status="not processed",
            statusKey="not processed",
            statusDescription=None,
            statusSolution=None,
            statusRawError=RAW_ERROR,
            offlineAt=None,
        )

    def _in_progress(self, p: dict, now: datetime) -> None:
        p.update(
            status="in progress",
            statusKey="in progress",
            statusDescription=None,
            statusSolution=None,
            statusRawError=None,
            deliveredOn=None,
            jobBoardLink=None,
            offlineAt=None,
            dueAt=iso(now + timedelta(seconds=self.settings.online_after)),
        )

    def _touch(self, c: dict, now: datetime) -> None:
        """Derive the campaign status and move modifiedOn strictly forward."""
        self._next_due = None
        statuses = {p["status"] for p in c["products"]}
        if "online" in statuses:
            c["status"] = "online"
        elif statuses <= {"offline", "not processed"}:
            c["status"] = "offline"
        else:
            c["status"] = "in progress"
        previous = parse_iso(c["modifiedOn"])
        moment = max(now, previous + timedelta(milliseconds=1))
        c["modifiedOn"] = iso(moment)
        self.store.save("campaign", c["campaignId"], c)
        self.notify(c["campaignId"], c["modifiedOn"])

    def reschedule(self) -> None:
        """Forget the cached next due time (after state was replaced wholesale)."""
        self._next_due = None

    def tick(self) -> int:
        """Apply every due transition; return how many campaigns changed."""
        now = self.now()
        # dueAt and offlineAt are always written by iso(), so comparing the strings compares
        # the times: a tick over thousands of live campaigns stays cheap.
        stamp = iso(now)
        changed = 0
        with self.store.lock:
            if self._next_due is not None and stamp < self._next_due:
                return 0
            next_due = "9999"
            for c in list(self.store.campaigns.values()):
                if c["status"] == "offline":
                    continue
                moved = False
                for p in c["products"]:
                    if p["status"] == "in progress" and p["dueAt"] <= stamp:
                        if self._fails(c, p):
                            self._not_processed(p)
                        else:
                            self._online(c, p, parse_iso(p["dueAt"]))
                        moved = True
                    if p["status"] == "online" and p["offlineAt"] and p["offlineAt"] <= stamp:
                        self._offline(p, parse_iso(p["offlineAt"]), "offline_expired")
                        moved = True
                    if p["status"] == "in progress":
                        next_due = min(next_due, p["dueAt"])
                    elif p["status"] == "online" and p["offlineAt"]:
                        next_due = min(next_due, p["offlineAt"])
                if moved:
                    self._touch(c, now)
                    changed += 1
            self._next_due = next_due
        return changed

    def cancel(
        self, customer_id: str, campaign_id: str, body: dict, *, explicit: bool = False
    ) -> None:
        """Take an online campaign's boards offline. A campaign that is not online is left
        as it is: silently (the provider's default), or with a 400 when ``explicit``."""
        errors = {}
        if body.get("campaignId") is not None and body.get("campaignId") != campaign_id:
            errors["campaignId"] = [
                "The campaignId in the request body should match the campaignId in the request URL."
            ]
        if body.get("campaignId") is None:
            errors["campaignId"] = ["This value should not be blank."]
        if body.get("status") != "offline":
            errors["status"] = ['This value should be equal to "offline"']
        with self.store.lock:
            c = self.find(customer_id, campaign_id, campaignId="Campaign not found.")
            if errors:
                raise ApiError(400, errors)
            if c["status"] != "online":
                if explicit:
                    raise ApiError(400, {"campaignId": ["The campaign is not online."]})
                return
            now = self.now()
            for p in c["products"]:
                if p["status"] in ("online", "in progress"):
                    self._offline(p, now, "offline_cancelled")
            self._touch(c, now)

    def cancel_product(
        self, customer_id: str, campaign_id: str, body: dict, *, needs_campaign_id: bool
    ) -> None:
        errors = {}
        if body.get("status") != "offline":
            errors["status"] = ['This value should be equal to "offline"']
        given = body.get("campaignId")
        if given is None and needs_campaign_id:
            errors["campaignId"] = ["This value should not be blank."]
        elif given is not None and given != campaign_id:
            errors["campaignId"] = [
                "The campaignId in the request body should match the campaignId in the request URL."
            ]
        with self.store.lock:
            c = self.find(customer_id, campaign_id, campaignId="Campaign not found.")
            if errors:
                raise ApiError(400, errors)
            product = next(
                (p for p in c["products"] if p["productId"] == body.get("productId")), None
            )
            if product is None:
                raise not_found(campaignId="Campaign not found.")
            if product["status"] != "online":
                raise ApiError(
                    400,
                    {
                        "status": [
                            "Only an online product can be taken offline; "
                            f'it is "{product["status"]}".'
                        ]
                    },
                )
            now = self.now()
            self._offline(product, now, "offline_cancelled")
            self._touch(c, now)

    def edit(self, customer_id: str, campaign_id: str, body: dict) -> dict:
        """Sandbox-only status driving, as the provider allows outside production."""
        status = body.get("status")
        specs = body.get("orderedProductsSpecs")
        if status is None and specs is None:
            raise ApiError(400, {"non_field_errors": ["Give status and/or orderedProductsSpecs."]})
        if status is not None and status not in ("online", "offline", "in progress"):
            raise ApiError(400, {"status": [f'"{status}" is not a valid choice.']})
        if specs is not None and not isinstance(specs, list):
            raise ApiError(400, {"orderedProductsSpecs": ["Expected a list of items."]})
        with self.store.lock:
            c = self.store.campaigns.get(campaign_id)
            if c is None:
                raise not_found()
            if c["customerId"] != customer_id:
                raise ApiError(
                    403, {"detail": "You do not have permission to perform this action."}
                )
            by_id = {p["productId"]: p for p in c["products"]}
            spec_errors = []
            for spec in specs or []:
                e = {}
                if not isinstance(spec, dict) or spec.get("productId") not in by_id:
                    e["productId"] = ["No such product in this campaign."]
                elif spec.get("status") is not None and spec["status"] not in PRODUCT_STATUSES:
                    e["status"] = [f'"{spec["status"]}" is not a valid choice.']
                spec_errors.append(e)
            if any(spec_errors):
                raise ApiError(400, {"orderedProductsSpecs": spec_errors})
            now = self.now()
            if status is not None:
                for p in c["products"]:
                    self._set(c, p, status, now)
            for spec in specs or []:
                p = by_id[spec["productId"]]
                if spec.get("status"):
                    self._set(
                        c, p, spec["status"], now, spec.get("deliveredOn"), spec.get("jobBoardLink")
                    )
                for key in (
                    "statusDescription",
                    "statusSolution",
                    "statusRawError",
                    "deliveredOn",
                    "jobBoardLink",
                ):
                    if key in spec:
                        p[key] = spec[key]
            self._touch(c, now)
            return c

    def _set(self, c, p, status, now, delivered=None, link=None) -> None:
        if status == p["status"]:
            return
        if status == "online":
            self._online(c, p, now, delivered, link)
        elif status == "offline":
            self._offline(p, now, "offline_cancelled")
        elif status == "not processed":
            self._not_processed(p)
        else:
            self._in_progress(p, now)

    def click(self, campaign_id: str, product_id: str) -> tuple[dict, dict] | None:
        """Count an Apply click on an online posting; None when there is no such posting."""
        with self.store.lock:
            c = self.store.campaigns.get(campaign_id)
            p = next(
                (p for p in (c or {}).get("products", []) if p["productId"] == product_id), None
            )
            if p is None:
                return None
            if p["status"] == "online":
                p["clicks"] += 1
                self.store.save("campaign", campaign_id, c)
            return c, p
