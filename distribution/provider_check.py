"""A conversation with the configured provider that says how its answers fit the documentation.

The first thing to run with a real token (``manage.py provider_check``): each call is one
``CheckLine`` with the answer's status, which documented variant it matched (the guides' or
the OpenAPI document's shape) and any deviation. Read-only by default: authentication, a
catalogue page, one channel's details, the taxonomies, the contract groups and the campaign
list (including whether its date filter is honoured). ``write=True`` adds a throw-away
contract group and contract, both deleted again. Answers are read with the same decoders as
the client (``distribution.wire``), so an answer the product could not read is a deviation
here first.
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from . import wire
from .client import transport_settings
from .errors import ProviderError
from .messages import ChannelDetail, ContractRequest, CredentialKind, DisplayOperator
from .ratelimit import Priority
from .transport import Transport
from .wire.campaigns import MODIFIED_SINCE_PARAMS
from .wire.decoding import iso

CHECK_CUSTOMER = "jobcast-provider-check"
FAR_FUTURE = datetime(2999, 1, 1, tzinfo=UTC)
CANDIDATE_BOARDS = 10  # boards looked at to find one a placeholder contract can be made for
SPELLINGS = {"modifiedOn_gte": "the guides", "modifiedOn.gte": "the OpenAPI document"}


@dataclass(frozen=True)
class CheckLine:
    call: str
    status: int | None = None
    variant: str = ""
    deviation: str = ""
    failure: str = ""

    @property
    def ok(self) -> bool:
        return not (self.deviation or self.failure)

    def __str__(self) -> str:
        state = "FAILED" if self.failure else "DEVIATION" if self.deviation else "ok"
        status = str(self.status) if self.status is not None else "-"
        detail = " — ".join(filter(None, [self.variant, self.deviation, self.failure]))
        return f"{state:<9} {self.call:<48} {status:>3}  {detail}"


class ProviderCheck:
    """One run; ``lines()`` yields a CheckLine per call as it goes."""

    def __init__(self, *, customer_id: str = CHECK_CUSTOMER, channel_id: int | None = None):
        options = transport_settings(priority=Priority.INTERACTIVE)
        self.catalogue = Transport(**options)
        self.customer = Transport(customer_id=customer_id, **options)
        self.channel_id = channel_id
        self.channels: list[int] = []

    @staticmethod
    def base_url() -> str:
        return settings.PROVIDER_BASE_URL

    def lines(self, *, write: bool = False) -> Iterator[CheckLine]:
        first = self._call(
            self.catalogue,
            "GET",
            "/products/channels/mocs/",
            _authentication,
            call="authentication",
            params=wire.channel_list_params(limit=1),
        )
        yield first
        if first.failure:
            return  # nothing else can work without the token
        yield self._call(
            self.catalogue,
            "GET",
            "/products/channels/mocs/",
            self._catalogue,
            params=wire.channel_list_params(limit=5),
        )
        channel = self.channel_id or next(iter(self.channels), None)
        if channel is not None:
            yield self._call(
                self.catalogue,
                "GET",
                f"/products/channels/mocs/{int(channel)}/",
                _channel_detail,
                call="GET /products/channels/mocs/{id}/",
            )
        yield self._call(
            self.catalogue,
            "GET",
            "/products/industries/",
            _industries,
            params={"limit": 100, "offset": 0},
        )
        yield self._call(self.catalogue, "GET", "/products/job-functions/", _job_functions)
        for path in ("/taxonomy/education-levels", "/taxonomy/seniority"):
            yield self._call(self.catalogue, "GET", path, _multilingual)
        yield self._call(self.customer, "GET", "/igb/contracts/groups/", _groups)
        yield from self._date_filter()
        if write:
            yield from self._write()

    def _catalogue(self, data) -> tuple[str, str]:
        """Judge a catalogue page, and remember its boards for the calls that follow."""
        page = wire.decode_channel_page(data)
        self.channels = [channel.provider_id for channel in page.channels]
        shape = "a bare list" if isinstance(data, list) else "a page {count, next, results}"
        logos = ", ".join(sorted({_logo_shape(item) for item in _items(data)}))
        return f"{shape} of {page.count} boards; logo_url {logos}", ""

    # --- the campaign list's date filter ------------------------------------------------------

    def _date_filter(self) -> Iterator[CheckLine]:
        """Which spelling of ``modifiedOn >= …`` the service honours: asked for campaigns
        modified after a far future date, a service that honours it answers none."""
        everything, total = self._campaigns({})
        yield everything
        if total is None:
            return
        if total == 0:
            yield CheckLine(
                "date filter",
                variant="not verifiable: this customer has no campaign (see --customer)",
            )
            return
        honoured = []
        for name in MODIFIED_SINCE_PARAMS:
            line, found = self._campaigns({name: iso(FAR_FUTURE)})
            yield line
            if found is None:
                return
            if found == 0:
                honoured.append(name)
        if honoured:
            spelled = " and ".join(f"{name} ({SPELLINGS[name]})" for name in honoured)
            yield CheckLine("date filter", variant=f"honoured: {spelled}")
        else:
            yield CheckLine(
                "date filter",
                deviation="neither modifiedOn_gte nor modifiedOn.gte is honoured: each status "
                "poll reads newest first instead (more calls)",
            )

    def _campaigns(self, filters: dict) -> tuple[CheckLine, int | None]:
        """One list call (one campaign asked for) and the total it reports."""
        totals = []

        def judge(data):
            page = wire.decode_campaign_page(data)
            totals.append(page.total)
            if not filters:
                return f"{{total, data}}: {page.total} campaigns", ""
            answer = "none: honoured" if page.total == 0 else f"{page.total}: ignored"
            return f"campaigns modified after 2999 → {answer}", ""

        name = next(iter(filters), "")
        line = self._call(
            self.customer,
            "GET",
            "/campaigns",
            judge,
            call=f"GET /campaigns?{name}=" if name else "GET /campaigns",
            params={"sortBy": wire.SORT_MODIFIED_ASC, "limit": 1, "offset": 0, **filters},
        )
        return line, next(iter(totals), None)

    # --- writes ------------------------------------------------------------------------------

    def _write(self) -> Iterator[CheckLine]:
        """A throw-away group and a contract in it, read back, then deleted."""
        created: dict = {}
        yield self._call(
            self.customer,
            "POST",
            "/igb/contracts/groups/",
            lambda data: _remember_group(created, data),
            body=wire.group_body(f"jobcast-check-{uuid.uuid4().hex[:8]}"),
        )
        if "group" not in created:
            return
        try:
            yield from self._contract(created)
        finally:
            yield from self._clean_up(created)

    def _contract(self, created: dict) -> Iterator[CheckLine]:
        detail = self._board_for_a_contract()
        if detail is None:
            yield CheckLine(
                "POST /contracts/",
                failure="no board without OAuth or manual setup among the first ones; "
                "choose one with --channel",
            )
            return
        yield self._call(
            self.customer,
            "POST",
            "/contracts/",
            lambda data: _judge_contract(created, data),
            body=wire.contract_body(_placeholder_contract(detail, created["group"].id)),
        )
        if "contract" not in created:
            return
        contract_id = created["contract"].contract_id
        yield self._call(
            self.customer,
            "GET",
            f"/contracts/single/{contract_id}/",
            lambda data: _judge_contract({}, data),
            call="GET /contracts/single/{contract_id}/",
        )
        yield self._call(
            self.customer,
            "GET",
            "/contracts/",
            lambda data: _judge_listed(data, contract_id),
            params=wire.contract_list_params(group_id=created["group"].id),
        )

    def _board_for_a_contract(self) -> ChannelDetail | None:
        """A board whose credentials are all typed in (no OAuth consent, no manual setup)."""
        candidates = [self.channel_id] if self.channel_id else self.channels[:CANDIDATE_BOARDS]
        for channel in candidates:
            try:
                detail = wire.decode_channel_detail(
                    self.catalogue.send(
                        "GET",
                        f"/products/channels/mocs/{int(channel)}/",
                        endpoint="GET /products/channels/mocs/{id}/",
                    )
                )
            except (ProviderError, wire.ShapeError):
                continue
            oauth = any(c.kind == CredentialKind.OAUTH for c in detail.credentials)
            if not oauth and not detail.manual_setup_required:
                return detail
        return None

    def _clean_up(self, created: dict) -> Iterator[CheckLine]:
        if "contract" in created:
            yield self._call(
                self.customer,
                "DELETE",
                f"/contracts/{created['contract'].contract_id}/",
                _deleted,
                call="DELETE /contracts/{contract_id}/",
            )
        yield self._call(
            self.customer,
            "DELETE",
            f"/igb/contracts/groups/{created['group'].idx}/",
            _deleted,
            call="DELETE /igb/contracts/groups/{group_idx}/",
        )

    # --- one call ----------------------------------------------------------------------------

    def _call(
        self,
        transport: Transport,
        method: str,
        path: str,
        judge: Callable,
        *,
        call: str | None = None,
        params: dict | None = None,
        body=None,
    ) -> CheckLine:
        """Send one request and judge its answer: ``judge(data)`` gives (variant,
        deviation); a decoder's ShapeError is a deviation, a ProviderError a failure."""
        call = call or f"{method} {path}"
        try:
            status, data = transport.exchange(method, path, endpoint=call, params=params, body=body)
        except ProviderError as error:
            return CheckLine(call, getattr(error, "status", None), failure=error.message)
        try:
            variant, deviation = judge(data)
        except (wire.ShapeError, KeyError, TypeError, ValueError) as error:
            expected = getattr(error, "expected", "")
            problem = f"{error}" + (f" (expected {expected})" if expected else "")
            return CheckLine(call, status, deviation=f"fits no documented shape: {problem}")
        return CheckLine(call, status, variant=variant, deviation=deviation)


# --- judges: what a decoded answer matched -----------------------------------------------------


def _authentication(data) -> tuple[str, str]:
    return "the partner token is accepted", ""


def _channel_detail(data) -> tuple[str, str]:
    detail: ChannelDetail = wire.decode_channel_detail(data)
    kinds = sorted({c.kind.value for c in detail.credentials})
    facets = detail.posting_requirements
    undocumented = sorted({str(f.type) for f in facets if not f.is_documented_type})
    operators = sorted(
        {c.op for f in facets for c in f.display_rules if c.op not in set(DisplayOperator)}
    )
    variant = (
        f"{detail.name}: {len(detail.credentials)} credentials ({', '.join(kinds) or 'none'}), "
        f"{len(facets)} facets" + (", a per-customer feed" if detail.needs_customer_feed else "")
    )
    deviations = []
    if undocumented:
        deviations.append(f"undocumented facet types {', '.join(undocumented)}")
    if operators:
        deviations.append(f"undocumented display-rule operators {', '.join(operators)}")
    if detail.product is None:
        deviations.append("no product to order")
    return variant, "; ".join(deviations)


def _industries(data) -> tuple[str, str]:
    entries, has_next = wire.decode_industry_page(data)
    shape = "a bare list" if isinstance(data, list) else "a page {count, next, results}"
    more = "more pages follow" if has_next or len(entries) == 100 else "one page"
    return f"{shape} of {len(entries)} ({more})", ""


def _job_functions(data) -> tuple[str, str]:
    tree = wire.decode_bilingual_tree(data, data)
    return f"a tree of {len(tree)} top-level functions", ""


def _multilingual(data) -> tuple[str, str]:
    entries = wire.decode_multilingual_list(data)
    first = _items(data)[0]["name"] if _items(data) else []
    spelled = (
        "plain names"
        if isinstance(first, str)
        else "names per locale (" + ", ".join(str(n.get("languageCode")) for n in first) + ")"
    )
    missing = [entry.id for entry in entries if not entry.name_fr]
    return f"{len(entries)} entries, {spelled}", (
        f"no French name for ids {missing}" if missing else ""
    )


def _groups(data) -> tuple[str, str]:
    groups = wire.decode_groups(data)
    default = [g for g in groups if g.idx == 0]
    return f"groups: {len(groups)}", "" if default else "no default group (idx 0)"


def _judge_contract(created: dict, data) -> tuple[str, str]:
    contract = wire.decode_contract(data)
    created["contract"] = contract
    shape = data.get("posting_requirements")
    if isinstance(shape, list):
        variant = "posting_requirements: a list of facets (the guides)"
    elif isinstance(shape, dict):
        variant = "posting_requirements: an object of labels (the OpenAPI document)"
    else:
        variant = "no posting_requirements"
    errors = "; ".join(contract.errors)
    return variant, f"the contract has errors: {errors}" if errors else ""


def _judge_listed(data, contract_id: str) -> tuple[str, str]:
    page = wire.decode_contract_page(data)
    found = any(c.contract_id == contract_id for c in page.contracts)
    return f"contracts: {page.count}", "" if found else "the new contract is not listed"


def _deleted(data) -> tuple[str, str]:
    return "deleted", ""


def _remember_group(created: dict, data) -> tuple[str, str]:
    group = wire.decode_group(data)
    created["group"] = group
    return f"{group.name!r} (idx {group.idx})", ""


def _placeholder_contract(detail: ChannelDetail, group_id: str):
    """A contract request with placeholder credentials: without ``credentials_validation``
    the provider stores them unchecked (and the contract is deleted at once)."""
    credentials = {
        c.name: (c.options[0].key if c.options else "jobcast-check") for c in detail.credentials
    }
    return ContractRequest(
        channel_id=detail.provider_id,
        credentials=credentials,
        alias="Jobcast provider check",
        group_id=group_id,
        validate_credentials=False,
    )


def _items(data) -> list:
    if isinstance(data, list):
        return data
    return data.get("results", []) if isinstance(data, dict) else []


def _logo_shape(item) -> str:
    logo = item.get("logo_url") if isinstance(item, dict) else None
    if isinstance(logo, list):
        return "as a list of images (the OpenAPI document)"
    if isinstance(logo, str):
        return "as an address (the guides)"
    return "absent"
