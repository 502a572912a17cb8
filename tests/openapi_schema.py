"""Validate JSON bodies against the provider's OpenAPI 3.0.3 document with ``jsonschema``.

The document is the project's own copy, ``tests/provider_docs/hapi-openapi.json`` (or
``$HAPI_OPENAPI_PATH`` to try another release). OpenAPI 3.0 is not quite JSON Schema, so it
is converted once: ``nullable: true`` becomes a ``null`` alternative, ``example``/``x-*``
keys are dropped and ``discriminator`` is ignored (``oneOf``/``anyOf`` still decide). ``$ref``
to ``#/components/...`` resolve through a ``referencing`` registry holding the converted
document.

Two readings of the document (``variant``):

- ``"openapi"``: the document exactly as published;
- ``"guides"`` (the default): the document plus the variants the provider's written guides
  document where the two disagree (``GUIDES_VARIANTS``, each with its source) — what the
  client must accept, and the only forms it may send where the document alone is wrong.

    validate_response("GET", "/campaigns/{campaignId}", 200, body)
    validate_request("POST", "/campaigns/order", body)

Both raise ``jsonschema.ValidationError`` naming the operation and the failing location.
``find_template("/campaigns/3f0e.../status")`` gives ``/campaigns/{campaignId}/status``.
"""

import copy
import json
import os
import re
from functools import cache
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:hapi-openapi"
DROPPED_KEYS = {"example", "examples", "discriminator", "xml", "externalDocs"}
DOCS_DIR = Path(__file__).resolve().parent / "provider_docs"

# Where the published document describes one element although the provider answers with a
# list of them (its own guides show ``[{key, label}, ...]`` for autocomplete).
LIST_RESPONSES = {
    (
        "GET",
        "/contracts/posting-requirements/{channel_id_or_contract_id}/{posting-requirement-name}/",
    ),
    (
        "POST",
        "/contracts/posting-requirements/{channel_id_or_contract_id}/{posting-requirement-name}/",
    ),
}

VALIDATION_ANSWER = {
    "type": "object",
    "properties": {"errors": {"type": "object"}, "has_errors": {"type": "boolean"}},
    "required": ["errors", "has_errors"],
}

# (JSON pointer into the converted document, function giving the new node, source).
GUIDES_VARIANTS = [
    *(
        (
            f"/components/schemas/AtsContract/properties/{name}",
            lambda node: {"anyOf": [node, {"type": "null"}]},
            "06-contracts/managing-contracts.endpoints.md: expiry_date, credits and "
            "purchase_price are null when not given",
        )
        for name in ("expiry_date", "credits", "purchase_price")
    ),
    *(
        (
            f"/components/schemas/{schema}/properties/amount",
            lambda node: {"type": "number", "minimum": 0},
            "06-contracts/managing-contracts.endpoints.md: purchase_price amount is a number "
            "(350.00)",
        )
        for schema in ("AtsPurchasePrice", "AtsPurchasePriceRequest")
    ),
    (
        "/components/schemas/AtsCredentialsValidationEnum",
        lambda node: {**node, "enum": [*node["enum"], "if_supported"]},
        "06-contracts/notes.md: credentials_validation is 'if_supported' or left out",
    ),
    (
        "/components/schemas/AtsContract/properties/posting_requirements",
        lambda node: {"anyOf": [node, {"type": "array", "items": {"type": "object"}}]},
        "06-contracts/managing-contracts.endpoints.md: posting_requirements is a facet list",
    ),
    (
        "/components/schemas/AtsContract/required",
        lambda node: [name for name in node if name != "posting_requirements"],
        "managing-contracts.endpoints.md: list summaries carry no posting_requirements",
    ),
    (
        "/paths/~1campaigns~1validate-campaign~1/post/responses/422",
        lambda node: {
            "description": "invalid campaign (guides)",
            "content": {"application/json": {"schema": VALIDATION_ANSWER}},
        },
        "08-campaigns/validation.endpoints.md: 422 {errors, has_errors} when invalid",
    ),
    (
        "/components/schemas/CampaignValidation/required",
        lambda node: ["errors", "has_errors"],
        "08-campaigns/validation.endpoints.md: {errors, has_errors} without the rest",
    ),
]


def document_path() -> Path:
    configured = os.environ.get("HAPI_OPENAPI_PATH")
    return Path(configured) if configured else DOCS_DIR / "hapi-openapi.json"


def _convert(node):
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in DROPPED_KEYS or key.startswith("x-"):
            continue
        if key in ("properties", "patternProperties", "schemas") and isinstance(value, dict):
            # A map of names to schemas: names are data here, not keywords.
            out[key] = {name: _convert(schema) for name, schema in value.items()}
        else:
            out[key] = _convert(value)
    if out.pop("nullable", False):
        if (
            "type" in out
            and "$ref" not in out
            and not any(k in out for k in ("allOf", "oneOf", "anyOf"))
        ):
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@cache
def _document() -> dict:
    return json.loads(document_path().read_text(encoding="utf-8"))


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.strip("/").split("/")]


@cache
def _converted(variant: str) -> dict:
    converted = _convert(_document())
    if variant == "guides":
        converted = copy.deepcopy(converted)
        for pointer, change, _source in GUIDES_VARIANTS:
            *parents, last = _parts(pointer)
            node = converted
            for part in parents:
                node = node[part]
            node[last] = change(node.get(last))
    return converted


@cache
def _registry(variant: str) -> Registry:
    return Registry().with_resource(
        DOCUMENT_URI,
        Resource.from_contents(_converted(variant), default_specification=DRAFT202012),
    )


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _operation(method: str, path_template: str, variant: str) -> tuple[str, dict]:
    paths = _converted(variant)["paths"]
    if path_template not in paths:
        raise jsonschema.ValidationError(f"{path_template} is not in the OpenAPI document")
    operation = paths[path_template].get(method.lower())
    if operation is None:
        raise jsonschema.ValidationError(f"{method.upper()} {path_template} is not documented")
    return path_template, operation


def _json_media(content: dict) -> str | None:
    for media in content:
        if media == "application/json" or media.endswith("+json"):
            return media
    return None


def _validate(pointer: str, body, label: str, variant: str, as_list: bool = False) -> None:
    schema = {"$ref": f"{DOCUMENT_URI}#/{pointer}"}
    if as_list:
        schema = {"type": "array", "items": schema}
    validator = jsonschema.Draft202012Validator(
        schema,
        registry=_registry(variant),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise jsonschema.ValidationError(f"{label}: at {where}: {error.message}")


def validate_response(
    method: str, path_template: str, status: int, body, *, variant: str = "guides"
) -> None:
    """Check ``body`` against the documented JSON response for this status.

    An undocumented status is an error; a documented status without a JSON schema (e.g. a
    204) accepts any body.
    """
    template, operation = _operation(method, path_template, variant)
    responses = operation.get("responses", {})
    key = str(status) if str(status) in responses else "default"
    if key not in responses:
        raise jsonschema.ValidationError(
            f"{method.upper()} {template}: status {status} is not documented "
            f"(documented: {', '.join(sorted(responses))})"
        )
    content = responses[key].get("content") or {}
    media = _json_media(content)
    if media is None or "schema" not in content[media]:
        return
    pointer = _pointer(
        "paths", template, method.lower(), "responses", key, "content", media, "schema"
    )
    as_list = (method.upper(), template) in LIST_RESPONSES and isinstance(body, list)
    _validate(pointer, body, f"{method.upper()} {template} -> {status}", variant, as_list)


def validate_request(method: str, path_template: str, body, *, variant: str = "guides") -> None:
    """Check a JSON request body against the operation's documented request schema."""
    template, operation = _operation(method, path_template, variant)
    content = (operation.get("requestBody") or {}).get("content") or {}
    media = _json_media(content)
    if media is None:
        raise jsonschema.ValidationError(
            f"{method.upper()} {template} documents no JSON request body"
        )
    pointer = _pointer("paths", template, method.lower(), "requestBody", "content", media, "schema")
    _validate(pointer, body, f"{method.upper()} {template} request", variant)


@cache
def _templates() -> list[tuple[re.Pattern, str]]:
    compiled = []
    for template in _document()["paths"]:
        # Exactly as documented: a trailing slash where the template has one, only there.
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        compiled.append((re.compile(f"^{regex}$"), template))
    # Literal segments win over parameters: /campaigns/order before /campaigns/{campaignId}.
    compiled.sort(key=lambda item: item[1].count("{"))
    return compiled


def find_template(path: str) -> str:
    """The documented path template matching a concrete path (query string ignored)."""
    path = path.split("?", 1)[0]
    for pattern, template in _templates():
        if pattern.match(path):
            return template
    raise KeyError(path)
