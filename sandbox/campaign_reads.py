"""How campaigns read: their JSON (in the caller's language), status and listing.

Clicks are computed when read: each online posting earns a fixed 2-20 clicks per sandbox
day (from its product id) on top of the Apply clicks counted by its board page.
"""

import hashlib
from datetime import datetime

from .clock import parse_iso
from .common import ApiError, int_param
from .i18n import STATUS_TEXTS, text

SORTS = {
    "modifiedOn.asc": ("modifiedOn", False),
    "modifiedOn.desc": ("modifiedOn", True),
    "createdOn.asc": ("createdOn", False),
    "createdOn.desc": ("createdOn", True),
}


class CampaignReads:
    """Read side of ``Campaigns`` (which provides ``store``, ``settings`` and ``now``)."""

    def product_json(self, p: dict, lang: str) -> dict:
        description = p["statusDescription"]
        if description is None and p["statusKey"] in STATUS_TEXTS:
            description = text(STATUS_TEXTS[p["statusKey"]], lang)
        solution = p["statusSolution"]
        if solution is None and p["status"] == "not processed":
            solution = text(STATUS_TEXTS["not_processed_solution"], lang)
        data = {
            "productId": p["productId"],
            "contractId": p["contractId"],
            "status": p["status"],
            "statusDescription": description,
            "statusSolution": solution,
            "statusRawError": p["statusRawError"],
            "deliveredOn": p["deliveredOn"],
            "jobBoardLink": p["jobBoardLink"],
            "duration": f"{p['durationDays']} days",
            "durationPeriod": {"period": p["durationDays"], "range": "days"},
            "utm": p["utm"],
            "postingRequirements": p["postingRequirements"],
        }
        if p.get("postingRequirementsLabels"):
            data["postingRequirementsLabels"] = p["postingRequirementsLabels"]
        return data

    def clicks(self, p: dict, now: datetime) -> int:
        accrued = self._accrued(p, now) if p["status"] == "online" else p["accruedClicks"]
        return p["clicks"] + accrued

    def to_json(self, c: dict, lang: str) -> dict:
        now = self.now()
        return {
            "campaignId": c["campaignId"],
            "campaignName": c["campaignName"],
            "companyId": c["companyId"],
            "customerId": c["customerId"],
            "orderReference": c["orderReference"],
            "labels": c["labels"],
            "currency": c["currency"],
            "paymentMethod": "ats_managed",
            "walletId": None,
            "totalPrice": {"amount": 0, "currency": c["currency"] or "EUR"},
            "status": c["status"],
            "createdOn": c["createdOn"],
            "modifiedOn": c["modifiedOn"],
            "isEditable": False,
            "recruiterInfo": c["recruiterInfo"],
            "postingDetails": c["postingDetails"],
            "targetGroup": c["targetGroup"],
            "orderedProducts": c["orderedProducts"],
            "orderedProductsSpecs": [self.product_json(p, lang) for p in c["products"]],
            "postings": [
                {
                    "productId": p["productId"],
                    "name": p["name"],
                    "clicks": self.clicks(p, now),
                }
                for p in c["products"]
            ],
        }

    def status_json(self, c: dict, lang: str) -> dict:
        return {
            "data": {
                "campaignId": c["campaignId"],
                "status": c["status"],
                "orderedProductsStatuses": [
                    {
                        k: v
                        for k, v in self.product_json(p, lang).items()
                        if k
                        in (
                            "productId",
                            "status",
                            "statusDescription",
                            "statusSolution",
                            "statusRawError",
                        )
                    }
                    for p in c["products"]
                ],
            }
        }

    def list(self, customer_id: str | None, query: dict, lang: str, filters) -> dict:
        """``filters`` is the profile whose date filter spelling is honoured (the other
        spelling, like any unknown parameter, is ignored), or None to ignore them all.
        ``customer_id`` None: every customer's campaigns (the partner level)."""
        limit = int_param(query, "limit", 50, minimum=1, maximum=100)
        offset = int_param(query, "offset", 0)
        sort = query.get("sortBy") or "createdOn.desc"
        if sort not in SORTS:
            raise ApiError(400, {"sortBy": [f'"{sort}" is not a valid choice.']})
        bounds = []
        spellings = (
            []
            if filters is None
            else [
                (filters.modified_gte, "modifiedOn", True),
                (filters.modified_lte, "modifiedOn", False),
                (filters.created_gte, "createdOn", True),
                (filters.created_lte, "createdOn", False),
            ]
        )
        for name, field, lower in spellings:
            raw = query.get(name)
            if raw:
                try:
                    bounds.append((field, lower, parse_iso(raw)))
                except ValueError:
                    raise ApiError(400, {name: ["Enter a valid date/time."]}) from None
        labels = {
            k[6:-1]: v for k, v in query.items() if k.startswith("label[") and k.endswith("]")
        }
        with self.store.lock:
            items = [
                c
                for c in self.store.campaigns.values()
                if customer_id is None or c["customerId"] == customer_id
            ]
            if query.get("companyId"):
                items = [c for c in items if c["companyId"] == query["companyId"]]
            for key, value in labels.items():
                items = [c for c in items if c["labels"].get(key) == value]
            for field, lower, moment in bounds:
                items = [
                    c
                    for c in items
                    if (parse_iso(c[field]) >= moment) == lower or parse_iso(c[field]) == moment
                ]
            field, reverse = SORTS[sort]
            items.sort(key=lambda c: (c[field], c["campaignId"]), reverse=reverse)
            total = len(items)
            page = [self.to_json(c, lang) for c in items[offset : offset + limit]]

        def link(o):
            return f"/campaigns?limit={limit}&offset={o}"

        last = max(0, (total - 1) // limit * limit)
        return {
            "total": total,
            "limit": limit,
            "offset": offset,
            "meta": {
                "first": link(0),
                "last": link(last),
                "next": link(offset + limit) if offset + limit < total else "",
                "previous": link(max(0, offset - limit)) if offset > 0 else "",
            },
            "data": page,
        }

    # --- transitions -------------------------------------------------------------------

    def _click_rate(self, p: dict) -> int:
        """Clicks per sandbox day while online, fixed per product."""
        return 2 + hashlib.sha256(p["productId"].encode()).digest()[0] % 19

    def _accrued(self, p: dict, now: datetime) -> int:
        """Synthetic clicks since the posting went online (computed when read)."""
        try:
            since = parse_iso(p["deliveredOn"]) if p["deliveredOn"] else None
        except ValueError:  # an edit may have stored a free-form deliveredOn
            since = None
        if since is None:
            return p["accruedClicks"]
        if p.get("offlineAt"):
            # Not one click after the ad's end, even read before the tick that takes it down.
            now = min(now, parse_iso(p["offlineAt"]))
        elapsed = max(0.0, (now - since).total_seconds())
        days = elapsed / max(p.get("daySeconds", self.settings.day_seconds), 0.001)
        return max(p["accruedClicks"], int(days * self._click_rate(p)))
