"""The provider client: the only code in Jobcast that talks to the job distribution provider.

One method per call we make, in our own typed messages (``distribution.messages``). Each
method sends through the transport (``distribution.transport``: rate limit, timeouts, errors)
and reads the answer with the wire format (``distribution.wire``). An answer that fits none
of the documented variants becomes one ``ProviderProtocolError`` that names the endpoint and
what was expected; it is logged with the request line, never with a body or credentials.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext as _

from . import wire
from .errors import ProviderForbidden, ProviderProtocolError, ProviderRejected
from .messages import (
    CampaignPage,
    ChannelDetail,
    ChannelPage,
    ContractPage,
    ContractRequest,
    FacetOption,
    OrderRequest,
    ProviderCampaign,
    ProviderCampaignStatus,
    ProviderContract,
    ProviderGroup,
    TaxonomyEntry,
)
from .ratelimit import Priority
from .transport import Transport
from .wire.catalogue import merge_french

__all__ = ["Priority", "ProviderClient", "provider_client", "transport_settings"]

log = logging.getLogger(__name__)

# The industries list pages with ``limit``/``offset`` (default 50, at most 100).
INDUSTRY_PAGE = 100
INDUSTRY_DEFAULT_PAGE = 50
MAX_TAXONOMY_PAGES = 50
# Asking for an explicit answer when cancelling: without it the provider silently ignores
# the cancellation of a campaign that is not online (08-campaigns/cancellation.md).
ERROR_ON_CANCEL = {"errorOnCancelCampaign": "true"}


def provider_client(
    *, org=None, language: str = "en", priority: Priority = Priority.INTERACTIVE
) -> "ProviderClient":
    """A client configured from settings; ``org`` makes it customer-scoped (X-Customer-Id)."""
    return ProviderClient(
        customer_id=str(org.provider_customer_id) if org is not None else None,
        language=language,
        **transport_settings(priority=priority),
    )


def transport_settings(*, priority: Priority = Priority.INTERACTIVE) -> dict:
    """The installation's PROVIDER_* settings, as ``Transport`` takes them."""
    return {
        "base_url": settings.PROVIDER_BASE_URL,
        "token": settings.PROVIDER_TOKEN,
        "priority": priority,
        "connect_timeout": float(settings.PROVIDER_CONNECT_TIMEOUT),
        "read_timeout": float(settings.PROVIDER_READ_TIMEOUT),
        "rate_wait": float(
            settings.PROVIDER_RATE_WAIT_INTERACTIVE
            if priority == Priority.INTERACTIVE
            else settings.PROVIDER_RATE_WAIT_BACKGROUND
        ),
    }


class ProviderClient:
    def __init__(self, **transport_settings):
        """``transport_settings``: what ``Transport`` takes (base_url, token, customer_id,
        language, priority, timeouts, rate_wait, limiter)."""
        self.transport = Transport(**transport_settings)
        self.calls = 0  # requests sent by this client (for reports such as a sync's)

    def __repr__(self) -> str:
        return f"<ProviderClient via {self.transport!r}>"

    @property
    def customer_id(self) -> str | None:
        return self.transport.customer_id

    # --- catalogue -----------------------------------------------------------------------

    def list_channels(self, *, search: str = "", limit: int = 100, offset: int = 0) -> ChannelPage:
        return self._call(
            "GET",
            "/products/channels/mocs/",
            params=wire.channel_list_params(search=search, limit=limit, offset=offset),
            decode=wire.decode_channel_page,
            expected=_("a page of channels {count, next, results}"),
        )

    def get_channel(self, channel_id: int) -> ChannelDetail:
        return self._call(
            "GET",
            f"/products/channels/mocs/{int(channel_id)}/",
            endpoint="GET /products/channels/mocs/{id}/",
            decode=wire.decode_channel_detail,
            expected=_("a channel's details with its credentials and posting requirements"),
        )

    def list_industries(self) -> list[TaxonomyEntry]:
        """Every page of industries, in English and in French (both are paged: a single
        call would give the first 50 only, and a sync would retire the others)."""
        return merge_french(self._industries("en"), self._industries("fr"))

    def list_job_functions(self) -> list[TaxonomyEntry]:
        endpoint = "GET /products/job-functions/"
        english = self._call("GET", "/products/job-functions/", language="en")
        french = self._call("GET", "/products/job-functions/", language="fr")
        return self._decoded(
            endpoint,
            lambda: wire.decode_bilingual_tree(english, french),
            expected=_("a tree of job functions [{id, name, children}]"),
        )

    def list_education_levels(self) -> list[TaxonomyEntry]:
        return self._multilingual("/taxonomy/education-levels")

    def list_seniorities(self) -> list[TaxonomyEntry]:
        return self._multilingual("/taxonomy/seniority")

    # --- contract groups -----------------------------------------------------------------

    def list_groups(self) -> list[ProviderGroup]:
        return self._call(
            "GET",
            "/igb/contracts/groups/",
            decode=wire.decode_groups,
            expected=_("a list of contract groups [{id, idx, name}]"),
        )

    def create_group(self, name: str) -> ProviderGroup:
        return self._call(
            "POST",
            "/igb/contracts/groups/",
            body=wire.group_body(name),
            decode=wire.decode_group,
            expected=_("a contract group {id, idx, name}"),
        )

    def rename_group(self, idx: int, name: str) -> ProviderGroup:
        return self._call(
            "PATCH",
            f"/igb/contracts/groups/{int(idx)}/",
            endpoint="PATCH /igb/contracts/groups/{group_idx}/",
            body=wire.group_body(name),
            decode=wire.decode_group,
            expected=_("a contract group {id, idx, name}"),
        )

    def delete_group(self, idx: int) -> None:
        self._call(
            "DELETE",
            f"/igb/contracts/groups/{int(idx)}/",
            endpoint="DELETE /igb/contracts/groups/{group_idx}/",
        )

    # --- contracts -----------------------------------------------------------------------

    def create_contract(self, request: ContractRequest) -> ProviderContract:
        return self._call(
            "POST",
            "/contracts/",
            body=wire.contract_body(request),
            decode=wire.decode_contract,
            expected=_("a contract with its contract_id"),
        )

    def get_contract(self, contract_id: str) -> ProviderContract:
        return self._call(
            "GET",
            f"/contracts/single/{_segment(contract_id)}/",
            endpoint="GET /contracts/single/{contract_id}/",
            decode=wire.decode_contract,
            expected=_("a contract with its contract_id"),
        )

    def update_contract(
        self,
        contract_id: str,
        *,
        alias: str | None = None,
        credentials: dict[str, str] | None = None,
        posting_duration_days: int | None = None,
        validate_credentials: bool = True,
    ) -> ProviderContract:
        body = wire.contract_update_body(
            alias=alias,
            credentials=credentials,
            posting_duration_days=posting_duration_days,
            validate_credentials=validate_credentials,
        )
        return self._call(
            "PATCH",
            f"/contracts/single/{_segment(contract_id)}/",
            endpoint="PATCH /contracts/single/{contract_id}/",
            body=body,
            decode=wire.decode_contract,
            expected=_("a contract with its contract_id"),
        )

    def contract_set_requirement_defaults(
        self, contract_id: str, defaults: dict[str, object]
    ) -> ProviderContract:
        """Replace the contract's ``posting_requirements_defaults`` (the provider's values,
        by facet name; an empty dict clears them). The provider stores them for us to read
        back; it does not apply them to orders."""
        return self._call(
            "PATCH",
            f"/contracts/single/{_segment(contract_id)}/",
            endpoint="PATCH /contracts/single/{contract_id}/",
            body=wire.requirement_defaults_body(defaults),
            decode=wire.decode_contract,
            expected=_("a contract with its contract_id"),
        )

    def delete_contract(self, contract_id: str) -> None:
        self._call(
            "DELETE",
            f"/contracts/{_segment(contract_id)}/",
            endpoint="DELETE /contracts/{contract_id}/",
        )

    def list_contracts(
        self,
        *,
        channel_id: int | None = None,
        group_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ContractPage:
        return self._call(
            "GET",
            "/contracts/",
            params=wire.contract_list_params(
                channel_id=channel_id, group_id=group_id, limit=limit, offset=offset
            ),
            decode=wire.decode_contract_page,
            expected=_("a page of contracts {count, next, results}"),
        )

    def autocomplete(
        self,
        contract_id: str,
        name: str,
        term: str | list[str] | None,
        *,
        campaign_id: str | None = None,
    ) -> list[FacetOption]:
        """Options of facet ``name`` of a contract's board. ``term`` is what the person
        typed, or for a dependent facet ``facet.autocomplete.term(values=...)`` (a list
        when it depends on several facets); None or "" asks for every option. With
        ``campaign_id`` the board answers for an edit of that campaign."""
        path = f"/contracts/posting-requirements/{_segment(contract_id)}/{_segment(name)}/"
        return self._call(
            "POST",
            path,
            endpoint="POST /contracts/posting-requirements/{contract_id}/{name}/",
            body=wire.autocomplete_body(term, campaign_id=campaign_id),
            decode=wire.decode_options,
            expected=_("a list of options [{key, label}] or one option"),
        )

    # --- campaigns -----------------------------------------------------------------------

    def validate_campaign(self, order: OrderRequest) -> dict[str, object]:
        """Field errors the provider finds in ``order`` (empty when it would accept it).
        Invalid is a 200 (OpenAPI document) or a 422 (guides) with the same body."""
        try:
            return self._call(
                "POST",
                "/campaigns/validate-campaign/",
                body={"campaign": wire.order_body(order)},
                decode=wire.decode_validation,
                expected=_("a validation answer {errors, has_errors}"),
            )
        except ProviderRejected as error:
            if error.status in (400, 422) and not isinstance(error, ProviderForbidden):
                return error.field_errors or {
                    "": [_("The provider found the campaign invalid but named no field.")]
                }
            raise

    def order_campaign(self, order: OrderRequest) -> str:
        """Order the campaign; returns its campaignId. May take up to 30 s. A timeout or 5xx
        leaves the outcome unknown: look the order up by its order reference label."""
        return self._call(
            "POST",
            "/campaigns/order",
            body=wire.order_body(order),
            decode=wire.decode_order_answer,
            expected=_("an answer {campaignId}"),
        )

    def find_campaigns_by_label(self, key: str, value: str) -> list[ProviderCampaign]:
        page = self._campaign_page(
            wire.campaign_list_params(labels={key: value}, sort=wire.SORT_MODIFIED_ASC, limit=50)
        )
        return page.campaigns

    def list_newest_campaigns(self, *, limit: int = 100) -> list[ProviderCampaign]:
        """The campaigns created last (``sortBy=createdOn.desc``), one page."""
        params = wire.campaign_list_params(sort=wire.SORT_CREATED_DESC, limit=limit)
        return self._campaign_page(params).campaigns

    def get_campaign(self, campaign_id: str) -> ProviderCampaign:
        return self._call(
            "GET",
            f"/campaigns/{_segment(campaign_id)}",
            endpoint="GET /campaigns/{campaignId}",
            decode=wire.decode_campaign_answer,
            expected=_("a campaign {data: {campaignId, status, orderedProductsSpecs}}"),
        )

    def get_campaign_status(self, campaign_id: str) -> ProviderCampaignStatus:
        return self._call(
            "GET",
            f"/campaigns/{_segment(campaign_id)}/status",
            endpoint="GET /campaigns/{campaignId}/status",
            decode=wire.decode_campaign_status,
            expected=_("a status {data: {campaignId, status, orderedProductsStatuses}}"),
        )

    def list_campaigns_modified_since(
        self,
        since: datetime,
        *,
        limit: int = 100,
        offset: int = 0,
        newest_first: bool = False,
    ) -> CampaignPage:
        """Campaigns sorted by ``modifiedOn`` (oldest first, or newest first), filtered on
        ``modifiedOn >= since`` in both documented spellings. Do not rely on the filter: a
        service may ignore it (see ``campaigns.services.list_poll``)."""
        sort = wire.SORT_MODIFIED_DESC if newest_first else wire.SORT_MODIFIED_ASC
        return self._campaign_page(
            wire.campaign_list_params(since=since, sort=sort, limit=limit, offset=offset)
        )

    def cancel_campaign(self, campaign_id: str) -> None:
        """Take every board of the campaign offline. Asks for an explicit answer: a
        campaign that is not online is a 400 instead of a silently ignored 202."""
        self._call(
            "PUT",
            f"/campaigns/{_segment(campaign_id)}/cancellation",
            endpoint="PUT /campaigns/{campaignId}/cancellation",
            params=ERROR_ON_CANCEL,
            body=wire.cancellation_body(campaign_id),
            decode=lambda data: wire.decode_cancellation_answer(data, campaign_id),
            expected=_("an answer {campaignId}"),
        )

    def cancel_product(self, campaign_id: str, product_id: str) -> None:
        """Take one board offline (it must be online: otherwise a 400)."""
        self._call(
            "PUT",
            f"/campaigns/{_segment(campaign_id)}/product_cancellation",
            endpoint="PUT /campaigns/{campaignId}/product_cancellation",
            params=ERROR_ON_CANCEL,
            body=wire.product_cancellation_body(campaign_id, product_id),
            decode=lambda data: wire.decode_cancellation_answer(data, campaign_id),
            expected=_("an answer {campaignId}"),
        )

    # --- plumbing --------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        endpoint: str | None = None,
        params: dict | None = None,
        body=None,
        language: str | None = None,
        decode: Callable | None = None,
        expected: str = "",
    ):
        endpoint = endpoint or f"{method} {path}"
        self.calls += 1
        data = self.transport.send(
            method, path, endpoint=endpoint, params=params, body=body, language=language
        )
        if decode is None:
            return data
        return self._decoded(endpoint, lambda: decode(data), expected=expected, params=params)

    def _decoded(self, endpoint: str, decode: Callable, *, expected: str, params=None):
        """Run a decoder; an answer of an unknown shape becomes one ProviderProtocolError."""
        try:
            return decode()
        except wire.ShapeError as error:
            problem, expected = str(error), error.expected or expected
            raise self._unexpected(endpoint, expected, problem, params) from None
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            problem = f"{type(error).__name__}: {error}"
            raise self._unexpected(endpoint, expected, problem, params) from error

    def _unexpected(self, endpoint: str, expected: str, problem: str, params):
        problem = problem[:200]
        # The request line and its query only: bodies may carry credentials.
        log.error(
            "provider %s (customer %s, query %s): the answer fits no documented shape: "
            "%s; expected %s",
            endpoint,
            self.customer_id or "-",
            params or {},
            problem,
            expected,
        )
        return ProviderProtocolError(
            _(
                "The job distribution provider's answer to %(endpoint)s is not in a shape we "
                "know (%(problem)s; expected %(expected)s). Try again later; if it persists, "
                "contact support."
            )
            % {"endpoint": endpoint, "problem": problem, "expected": expected},
            endpoint=endpoint,
            expected=expected,
        )

    def _campaign_page(self, params: dict) -> CampaignPage:
        return self._call(
            "GET",
            "/campaigns",
            params=params,
            decode=wire.decode_campaign_page,
            expected=_("a page of campaigns {total, data: [...]}"),
        )

    def _industries(self, language: str) -> list[TaxonomyEntry]:
        entries: dict[int, TaxonomyEntry] = {}
        offset = 0
        for _page in range(MAX_TAXONOMY_PAGES):
            items, has_next = self._call(
                "GET",
                "/products/industries/",
                params={"limit": INDUSTRY_PAGE, "offset": offset},
                language=language,
                decode=wire.decode_industry_page,
                expected=_("a list of industries [{id, name}]"),
            )
            new = [item for item in items if item.id not in entries]
            entries.update((item.id, item) for item in new)
            offset += len(items)
            # A full page (of our size, or of the provider's default size should it ignore
            # ours) may have a next one; a short or repeated page is the last.
            full = len(items) in (INDUSTRY_PAGE, INDUSTRY_DEFAULT_PAGE)
            if not new or not (full or has_next):
                break
        return list(entries.values())

    def _multilingual(self, path: str) -> list[TaxonomyEntry]:
        return self._call(
            "GET",
            path,
            decode=wire.decode_multilingual_list,
            expected=_("a list [{id, name: [{languageCode, value}]}]"),
        )


def _segment(value) -> str:
    return quote(str(value), safe="")
