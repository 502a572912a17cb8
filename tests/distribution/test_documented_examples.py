"""Every example the provider documents for a call we make, run through our wire format.

The examples are kept in ``tests/provider_docs/examples`` (one file each, saying where it
came from: a guide's file, section and line, or a pointer into the OpenAPI document). Each
gets one test: a response through our decoder, a request compared with what our encoder
sends for the same content, an error through our error mapping (sentences, never raw
envelope keys). A new release of the documentation is checked by refreshing those files
(``tests/provider_docs/README.md``) and running this module.
"""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from distribution import wire
from distribution.errors import (
    ProviderAuthenticationError,
    ProviderNotFound,
    ProviderRejected,
)
from distribution.messages import (
    Autocomplete,
    ContractRequest,
    CredentialKind,
    DisplayCondition,
    DisplayOperator,
    Facet,
    FacetOption,
    FacetRule,
    FacetType,
    ProductStatus,
    facets_from_list,
    visible_facet_names,
)
from distribution.transport import error_from_response
from distribution.wire.decoding import iso
from tests.distribution.doc_examples import (
    SPEC_NOT_SENT,
    example,
    example_paths,
    order_as_we_send_it,
    order_from_document,
    without,
    without_added_defaults,
)

CONTRACT_NOT_SENT = {
    "posting_requirements_defaults",
    "credits",
    "expiry_date",
    "purchase_price",
    "labels",
    "facets",
}


@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.stem)
def test_documented_example(path):
    documented = json.loads(path.read_text(encoding="utf-8"))
    assert documented["source"]["document"] in ("hapi-guides", "hapi-openapi.json")
    check = _checker(documented)
    check(documented, documented["body"])


def test_every_call_we_make_has_documented_examples():
    endpoints = {json.loads(p.read_text())["endpoint"] for p in example_paths()}
    for call in (
        "GET /products/channels/mocs/",
        "GET /products/channels/mocs/{id}/",
        "GET /products/industries/",
        "GET /products/job-functions/",
        "GET /taxonomy/education-levels",
        "GET /taxonomy/seniority",
        "GET /igb/contracts/groups/",
        "POST /igb/contracts/groups/",
        "POST /contracts/",
        "GET /contracts/",
        "PATCH /contracts/single/{contract_id}/",
        "POST /campaigns/order",
        "POST /campaigns/validate-campaign/",
        "GET /campaigns",
        "GET /campaigns/{campaignId}",
        "GET /campaigns/{campaignId}/status",
        "PUT /campaigns/{campaignId}/cancellation",
        "PUT /campaigns/{campaignId}/product_cancellation",
    ):
        assert call in endpoints, call


def _checker(documented: dict):
    kind, endpoint, part = documented["kind"], documented["endpoint"], documented.get("part")
    if kind == "response" and documented["status"] >= 400:
        return check_error
    if kind == "fragment":
        return FRAGMENTS[part]
    if kind == "query":
        return QUERIES[endpoint]
    table = RESPONSES if kind == "response" else REQUESTS
    key = (endpoint, part) if (endpoint, part) in table else endpoint
    assert key in table, f"no check for a {kind} of {endpoint} ({part}): add one"
    return table[key]


# --- errors ----------------------------------------------------------------------------------


def _response(status: int, body) -> requests.Response:
    """A response as the provider would send it (status and JSON body from the example)."""
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


def _leaves(body) -> list[str]:
    if isinstance(body, dict):
        return [text for value in body.values() for text in _leaves(value)]
    if isinstance(body, list):
        return [text for item in body for text in _leaves(item)]
    return [str(body)]


def check_error(documented, body):
    wrapped = {
        "postingDetails": lambda b: {"postingDetails": b},
        "recruiterInfo": lambda b: {"recruiterInfo": b},
        "orderedProductsSpecs[]": lambda b: {"orderedProductsSpecs": [b]},
    }.get(documented.get("part"), lambda b: b)(body)
    error = error_from_response(
        _response(documented["status"], wrapped), endpoint=documented["endpoint"]
    )
    if documented["status"] == 401:
        assert isinstance(error, ProviderAuthenticationError)
        assert "PROVIDER_TOKEN" in error.message
        return
    assert isinstance(error, ProviderRejected)
    if documented["status"] == 404:
        assert isinstance(error, ProviderNotFound)
    flat = error.flat_errors()
    messages = [m for ms in flat.values() for m in ms]
    documented_messages = [
        text
        for text in _leaves(without(wrapped, {"errorDetails", "has_errors", "params", "code"}))
        if text not in ("True", "False", "invalid")
    ]
    assert set(documented_messages) <= set(messages)
    # What a person reads: sentences at their fields, never the envelope's own keys.
    for raw in ("errorDetails", "has_errors", "status_code", "errors."):
        assert raw not in error.message and not any(raw in path for path in flat)


# --- responses -------------------------------------------------------------------------------


def check_channel_page(documented, body):
    page = wire.decode_channel_page(body)
    assert page.count == body["count"] and page.has_next == bool(body["next"])
    assert [c.provider_id for c in page.channels] == [c["id"] for c in body["results"]]
    assert all(c.url.startswith("https://") for c in page.channels)


def check_channel_detail(documented, body):
    detail = wire.decode_channel_detail(body)
    assert detail.provider_id == body["id"] and detail.name == body["name"]
    assert detail.manual_setup_required is body["manual_setup_required"]
    kinds = {c.name: c.kind for c in detail.credentials}
    for credential in body["contract_credentials"]:
        expected = (
            CredentialKind.OAUTH
            if credential.get("url")
            else CredentialKind.SELECT
            if credential.get("options")
            else kinds[credential["name"]]
        )
        assert kinds[credential["name"]] == expected
    assert [c.name for c in detail.credentials] == ["agency_or_company", "organization_id"]
    assert [f.name for f in detail.posting_requirements] == ["location", "JobCategory"]
    assert all(f.type == FacetType.AUTOCOMPLETE for f in detail.posting_requirements)
    assert detail.product.product_id == body["product"]["product_id"]
    assert detail.feed_url == "" and not detail.needs_customer_feed  # "feed_url": null


def check_contract_page(documented, body):
    page = wire.decode_contract_page(body)
    assert page.count == body["count"]
    [contract] = page.contracts
    [item] = body["results"]
    assert contract.contract_id == item["contract_id"] and contract.channel_id == 1234
    assert contract.group.idx == 0 and contract.product.product_id == item["product"]["product_id"]
    assert contract.credentials == {} and contract.posting_requirements == {}


def check_contract(documented, body):
    contract = wire.decode_contract(body)
    assert contract.contract_id == body["contract_id"]
    assert contract.alias == body["alias"] and contract.posting_duration_days == 30
    assert contract.credentials == body["credentials"]
    assert contract.is_ready and contract.group.name == "Default"
    # The guides' list of facets (the OpenAPI document says an object of labels).
    assert contract.posting_requirements == {"location": "Location"}
    assert contract.facets[0].autocomplete is not None


def check_contract_facets(documented, body):
    facets = facets_from_list(body["posting_requirements"])
    assert [f.name for f in facets] == ["location", "AdType"]  # sorted by "sort" (0, 1)
    ad_type = facets[1]
    assert {o.key: o.show for o in ad_type.options} == {
        "classic": ["location"],
        "premium": ["location", "standOut"],
    }
    assert facets[0].options_on_demand  # a lazy-loaded HIER
    _check_visible(documented, facets)


def check_groups(documented, body):
    groups = wire.decode_groups(body)
    assert [(g.idx, g.name) for g in groups] == [(0, "Default"), (1, "Premium Channels")]


def check_group(documented, body):
    group = wire.decode_group(body)
    assert (group.id, group.idx, group.name) == (body["id"], 2, "APAC Channels")


def check_options(documented, body):
    options = wire.decode_options(body)
    assert [o.key for o in options] == [item["key"] for item in body]
    assert [o.label for o in options] == [item["label"] for item in body]
    described = {o.key: o.description for o in options if o.description}
    shows = {o.key: o.show for o in options}
    if "data" in body[0]:  # the ad tiers of the display rules guide
        assert described["premium"].startswith("Top performing job ad")
        assert shows["basic"] == [] and shows["premium"] == ["brandingId", "usp1", "usp2", "usp3"]
    # The OpenAPI document's shape (one option object) reads the same.
    assert wire.decode_options(body[0])[0].key == body[0]["key"]


def check_industries(documented, body):
    entries, has_next = wire.decode_industry_page(body)
    assert [(e.id, e.name_en) for e in entries] == [(i["id"], i["name"]) for i in body]
    assert not has_next


def check_job_functions(documented, body):
    tree = wire.decode_bilingual_tree(body, body)
    assert [(e.id, [c.id for c in e.children]) for e in tree] == [(8, [5]), (7, [11])]


def check_multilingual(documented, body):
    entries = wire.decode_multilingual_list(body)
    assert [e.id for e in entries] == [item["id"] for item in body]
    # Locale codes such as en_GB and fr_FR pick the English and French names.
    assert entries[0].name_en == body[0]["name"][0]["value"]
    if documented["endpoint"] == "GET /taxonomy/education-levels":
        assert entries[0].name_fr == "Master / Postgraduate / Doctorat"


def check_order_answer(documented, body):
    assert wire.decode_order_answer(body) == body["campaignId"]


def check_validation(documented, body):
    assert wire.decode_validation(body) == {}  # {"orderedProductsSpecs": [{}]}: no error


def check_validation_invalid(documented, body):
    errors = wire.decode_validation(body)  # the OpenAPI document's 200 with has_errors
    assert "has_errors" not in errors and "errors" not in errors
    assert errors["currency"] == ["This field is required."]
    check_error(documented, body)  # and the guides' 422


def check_status(documented, body):
    status = wire.decode_campaign_status(body)
    assert status.campaign_id == body["data"]["campaignId"]
    assert status.status.value == body["data"]["status"]
    expected = [(p["productId"], p["status"]) for p in body["data"]["orderedProductsStatuses"]]
    assert [(p.product_id, p.status.value) for p in status.products] == expected
    for product, item in zip(status.products, body["data"]["orderedProductsStatuses"], strict=True):
        assert product.status_solution == (item["statusSolution"] or "")  # kept as text


def check_campaign(documented, body):
    campaign = wire.decode_campaign_answer(body)
    data = body["data"]
    assert campaign.campaign_id == data["campaignId"] and campaign.status.value == "online"
    assert campaign.modified_on == datetime(2025, 1, 15, 10, 35, tzinfo=UTC)
    online, in_progress = campaign.products
    assert online.status == ProductStatus.ONLINE and online.clicks == 42
    assert online.contract_id is None  # a Job Marketing product: contractId null
    assert online.job_board_link == "https://www.linkedin.com/jobs/view/123456"
    assert online.delivered_on == datetime(2025, 1, 15, 10, 30, tzinfo=UTC)
    assert in_progress.status == ProductStatus.IN_PROGRESS and in_progress.delivered_on is None
    assert in_progress.contract_id == "c4d5e6f7-a8b9-0123-def0-234567890123"


def check_cancellation_answer(documented, body):
    wire.decode_cancellation_answer(body, body["campaignId"])
    with pytest.raises(wire.ShapeError):
        wire.decode_cancellation_answer(body, "another-campaign")


RESPONSES = {
    "GET /products/channels/mocs/": check_channel_page,
    "GET /products/channels/mocs/{id}/": check_channel_detail,
    "GET /contracts/": check_contract_page,
    "POST /contracts/": check_contract,
    ("GET /contracts/single/{contract_id}/", "posting_requirements"): check_contract_facets,
    "GET /igb/contracts/groups/": check_groups,
    "POST /igb/contracts/groups/": check_group,
    (
        "POST /contracts/posting-requirements/{channel_id_or_contract_id}"
        "/{posting-requirement-name}/"
    ): check_options,
    "GET /products/industries/": check_industries,
    "GET /products/job-functions/": check_job_functions,
    "GET /taxonomy/education-levels": check_multilingual,
    "GET /taxonomy/seniority": check_multilingual,
    "POST /campaigns/order": check_order_answer,
    "POST /campaigns/validate-campaign/": check_validation,
    "GET /campaigns/{campaignId}/status": check_status,
    "GET /campaigns/{campaignId}": check_campaign,
    "PUT /campaigns/{campaignId}/cancellation": check_cancellation_answer,
    "PUT /campaigns/{campaignId}/product_cancellation": check_cancellation_answer,
}


# --- requests --------------------------------------------------------------------------------


def check_contract_request(documented, body):
    request = ContractRequest(
        channel_id=body["channel_id"],
        credentials=body["credentials"],
        alias=body.get("alias", ""),
        group_id=body.get("group_id"),
        followed_instructions=body.get("followed_instructions"),
        posting_duration_days=body.get("posting_duration_days"),
        validate_credentials=body.get("credentials_validation") == "if_supported",
    )
    assert wire.contract_body(request) == without(body, CONTRACT_NOT_SENT)


def check_contract_update_request(documented, body):
    ours = wire.contract_update_body(
        alias=body.get("alias"),
        credentials=body.get("credentials"),
        validate_credentials=body.get("credentials_validation") == "if_supported",
    )
    assert ours == body


def check_group_request(documented, body):
    assert wire.group_body(body["name"]) == body


def check_autocomplete_request(documented, body):
    ours = wire.autocomplete_body(
        body.get("term"), campaign_id=body.get("campaignId"), credentials=body.get("credentials")
    )
    assert ours == body


def check_order_request(documented, body):
    ignored = set(documented.get("ignore", []))  # documented placeholders, named per file
    documented_body = without(body, ignored)
    if documented.get("placeholders"):
        # "{ ... }" parts: the shape only, against a complete documented order.
        complete = example("campaigns-order.request-mixed.guides-ordering")["body"]
        ours = wire.order_body(order_from_document(complete))
        assert set(order_as_we_send_it(documented_body)) <= set(ours)
        return
    ours = without(wire.order_body(order_from_document(documented_body)), ignored)
    expected = order_as_we_send_it(documented_body)
    assert without_added_defaults(ours, expected) == expected


def check_order_part(documented, body):
    """A fragment of an order: its products (with their specs), target group, labels."""
    part = documented["part"]
    order = order_from_document(
        {
            "orderedProducts": ["p-1"],
            "orderedProductsSpecs": [{"productId": "p-1", "contractId": "c-1"}],
            **body,
        }
    )
    ours = wire.order_body(order)
    if part == "orderedProducts":
        assert ours["orderedProducts"] == body["orderedProducts"]
        expected = without(body.get("orderedProductsSpecs", []), SPEC_NOT_SENT)
        assert ours.get("orderedProductsSpecs", []) == expected
    elif part == "targetGroup":
        assert ours["targetGroup"] == body["targetGroup"]
    elif part == "labels":
        assert ours["labels"] == body["labels"]
    else:
        raise AssertionError(f"no check for the order part {part}")


def check_posting_requirements(documented, body):
    """Values go verbatim, whatever characters they hold (§, #, ||)."""
    order = order_from_document(
        {
            "orderedProducts": ["p-1"],
            "orderedProductsSpecs": [
                {"productId": "p-1", "contractId": "c-1", "postingRequirements": body}
            ],
        }
    )
    [sent] = wire.order_body(order)["orderedProductsSpecs"]
    assert sent["postingRequirements"] == body
    assert json.loads(json.dumps(sent, ensure_ascii=False)) == sent


def check_validation_request(documented, body):
    """The order wrapped in ``campaign``, as ``validate-campaign`` takes it."""
    check_order_request(documented, body["campaign"])


def check_cancellation_request(documented, body):
    assert wire.cancellation_body(body["campaignId"]) == body


def check_product_cancellation_request(documented, body):
    campaign_id = body.get("campaignId", "e1f2a3b4-c5d6-7890-abcd-ef1234567890")
    ours = wire.product_cancellation_body(campaign_id, body["productId"])
    # The guides require the campaignId (the OpenAPI example leaves it out): always sent.
    assert ours == {**body, "campaignId": campaign_id}


def check_notification(documented, body):
    notification = wire.decode_notification(body)
    assert notification.request_id == body["request_id"]
    assert notification.campaign_id == body["campaign_id"]
    assert notification.modified_on == body["modified_on"]


REQUESTS = {
    "POST /contracts/": check_contract_request,
    "PATCH /contracts/single/{contract_id}/": check_contract_update_request,
    "POST /igb/contracts/groups/": check_group_request,
    (
        "POST /contracts/posting-requirements/{channel_id_or_contract_id}"
        "/{posting-requirement-name}/"
    ): check_autocomplete_request,
    "POST /campaigns/order": check_order_request,
    ("POST /campaigns/order", "orderedProducts"): check_order_part,
    ("POST /campaigns/order", "targetGroup"): check_order_part,
    ("POST /campaigns/order", "labels"): check_order_part,
    ("POST /campaigns/order", "postingRequirements"): check_posting_requirements,
    "POST /campaigns/validate-campaign/": check_validation_request,
    "PUT /campaigns/{campaignId}/cancellation": check_cancellation_request,
    "PUT /campaigns/{campaignId}/product_cancellation": check_product_cancellation_request,
    "POST <callback url> (webhook)": check_notification,
}


# --- query strings ---------------------------------------------------------------------------


def _query(documented) -> dict:
    text = documented["body"]
    return dict(parse_qsl(urlsplit(text).query if "?" in text else text))


def check_campaign_list_query(documented, body):
    if documented.get("part") == "modifiedOn.gte":
        # "2021-12-31 or 2021-12-31T00:00:00.000Z": we send the second form.
        assert iso(datetime(2021, 12, 31, tzinfo=UTC)) in body
        return
    query = _query(documented)
    labels = {k[6:-1]: v for k, v in query.items() if k.startswith("label[")}
    since = query.get("modifiedOn_gte")
    ours = wire.campaign_list_params(
        since=datetime.fromisoformat(since) if since else None,
        sort=query.get("sortBy", wire.SORT_MODIFIED_ASC),
        limit=int(query.get("limit", 50)),
        offset=int(query.get("offset", 0)),
        labels=labels,
    )
    for name, value in query.items():
        if name == "modifiedOn_gte":  # the same instant; both spellings sent
            assert datetime.fromisoformat(ours[name]) == datetime.fromisoformat(value)
            assert ours["modifiedOn.gte"] == ours[name]
        else:
            assert str(ours[name]) == value


def check_channel_query(documented, body):
    query = _query(documented)
    ours = wire.channel_list_params(search=query["search"])
    assert ours["search"] == query["search"]


def check_contract_query(documented, body):
    query = _query(documented)
    labels = {k[6:-1]: v for k, v in query.items() if k.startswith("label[")}
    ours = wire.contract_list_params(labels=labels, limit=int(query.get("limit", 50)))
    for name, value in query.items():
        assert str(ours[name]) == value


QUERIES = {
    "GET /campaigns": check_campaign_list_query,
    "GET /products/channels/mocs/": check_channel_query,
    "GET /contracts/": check_contract_query,
}


# --- facets ----------------------------------------------------------------------------------


def check_facet(documented, body):
    facet = Facet.from_dict(body)
    assert facet.name == body["name"] and facet.is_documented_type
    assert Facet.from_dict(facet.to_dict()) == facet  # what a contract stores reads back
    assert [o.key for o in facet.options] == [o["key"] for o in body.get("options", [])]
    assert (facet.autocomplete is not None) == (body.get("autocomplete") is not None)
    for condition in facet.display_rules:
        assert condition.op in set(DisplayOperator)
    if facet.type == FacetType.HIER:
        assert [o.key for o in facet.leaves()] == ["3", "5"]  # Rome and Milan
    if facet.type == FacetType.STATISCH:
        assert not facet.takes_value
    for option in body.get("options", []):
        for required in option.get("requires") or []:
            parsed = next(o for o in facet.options if o.key == option["key"])
            assert required["field"]["name"] in parsed.requires
    _check_visible(documented, [facet])


def _check_visible(documented, facets):
    for outcome in documented.get("expect", {}).get("visible", []):
        together = list(facets) + [
            Facet.from_dict(example(name)["body"]) for name in outcome.get("with_facets", [])
        ]
        loaded = {
            name: [FacetOption.from_dict(o) for o in example(source)["body"]]
            for name, source in outcome.get("options_from", {}).items()
        }
        shown = visible_facet_names(together, outcome["values"], loaded_options=loaded)
        if isinstance(outcome["shown"], list):
            assert sorted(shown) == sorted(outcome["shown"]), outcome
        else:
            assert (facets[0].name in shown) is outcome["shown"], outcome


def check_facets(documented, body):
    facets = [Facet.from_dict(item) for item in body]
    assert [Facet.from_dict(f.to_dict()) for f in facets] == facets
    _check_visible(documented, facets)


def check_autocomplete_config(documented, body):
    config = Autocomplete.from_value(body["autocomplete"])
    expect = documented["expect"]
    assert config.depends_on == expect["depends_on"]
    assert config.typed is expect["typed"] and config.term_is_list is expect["term_is_list"]
    assert Autocomplete.from_value(config.to_dict()) == config
    if "term" in expect:
        term = config.term(values=expect.get("values"), vacancy=expect.get("vacancy"))
        assert term == expect["term"]
    if not config.typed:  # a dependency without a value yet: nothing to ask
        assert config.term(values={}, vacancy={}) is None


def check_option(documented, body):
    option = FacetOption.from_dict(body)
    assert option.key == body["key"] and option.label == body["label"]
    assert option.show == body.get("show", [])
    assert option.requires == [r["field"]["name"] for r in body.get("requires", [])]
    if "data" in body:
        assert option.image_url == "https://cdn.example.com/flags/usa.png"
    assert FacetOption.from_dict(option.to_dict()) == option


def check_display_rules(documented, body):
    conditions = [DisplayCondition.from_dict(c) for c in body["display_rules"]["show"]]
    assert [c.facet for c in conditions] == [c["facet"] for c in body["display_rules"]["show"]]
    facet = Facet.from_dict({"name": "shown", "type": "TEXT", **body})
    assert facet.display_rules == conditions


def check_rule(documented, body):
    rule = FacetRule.from_dict(body)
    assert (rule.rule, rule.data) == ("regex", "/^[a-zA-Z0-9 ]+$/")


FRAGMENTS = {
    "facet": check_facet,
    "facets": check_facets,
    "autocomplete": check_autocomplete_config,
    "option": check_option,
    "display_rules": check_display_rules,
    "rule": check_rule,
}
