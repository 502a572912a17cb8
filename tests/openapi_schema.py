"""Validate JSON bodies against the provider's OpenAPI 3.0.3 document with ``jsonschema``.

OpenAPI 3.0 is not quite JSON Schema, so the document is converted once: ``nullable: true``
becomes a ``null`` alternative, ``example``/``x-*`` keys are dropped and ``discriminator`` is
ignored (``oneOf``/``anyOf`` still decide). ``$ref`` to ``#/components/...`` resolve through a
``referencing`` registry holding the converted document.

The document is found at ``$HAPI_OPENAPI_PATH`` or ``<repo>/../shared/reference/
hapi-openapi.json``.

    validate_response("GET", "/campaigns/{campaignId}", 200, body)
    validate_request("POST", "/campaigns/order", body)

Both raise ``jsonschema.ValidationError`` naming the operation and the failing location.
``find_template("/campaigns/3f0e.../status")`` gives ``/campaigns/{campaignId}/status``.
"""

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


def document_path() -> Path:
    configured = os.environ.get("HAPI_OPENAPI_PATH")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1].parent / "shared/reference/hapi-openapi.json"


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


@cache
def _registry() -> Registry:
    converted = _convert(_document())
    return Registry().with_resource(
        DOCUMENT_URI, Resource.from_contents(converted, default_specification=DRAFT202012)
    )


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _operation(method: str, path_template: str) -> tuple[str, dict]:
    paths = _document()["paths"]
    template = path_template
    if template not in paths:
        alternative = template[:-1] if template.endswith("/") else template + "/"
        if alternative not in paths:
            raise jsonschema.ValidationError(f"{path_template} is not in the OpenAPI document")
        template = alternative
    operation = paths[template].get(method.lower())
    if operation is None:
        raise jsonschema.ValidationError(f"{method.upper()} {template} is not documented")
    return template, operation


def _json_media(content: dict) -> str | None:
    for media in content:
        if media == "application/json" or media.endswith("+json"):
            return media
    return None


def _validate(pointer: str, body, label: str, as_list: bool = False) -> None:
    schema = {"$ref": f"{DOCUMENT_URI}#/{pointer}"}
    if as_list:
        schema = {"type": "array", "items": schema}
    validator = jsonschema.Draft202012Validator(
        schema, registry=_registry(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise jsonschema.ValidationError(f"{label}: at {where}: {error.message}")


def validate_response(method: str, path_template: str, status: int, body) -> None:
    """Check ``body`` against the documented JSON response for this status.

    An undocumented status is an error; a documented status without a JSON schema (e.g. a
    204) accepts any body.
    """
    template, operation = _operation(method, path_template)
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
    _validate(pointer, body, f"{method.upper()} {template} -> {status}", as_list)


def validate_request(method: str, path_template: str, body) -> None:
    """Check a JSON request body against the operation's documented request schema."""
    template, operation = _operation(method, path_template)
    content = (operation.get("requestBody") or {}).get("content") or {}
    media = _json_media(content)
    if media is None:
        raise jsonschema.ValidationError(
            f"{method.upper()} {template} documents no JSON request body"
        )
    pointer = _pointer("paths", template, method.lower(), "requestBody", "content", media, "schema")
    _validate(pointer, body, f"{method.upper()} {template} request")


@cache
def _templates() -> list[tuple[re.Pattern, str]]:
    compiled = []
    for template in _document()["paths"]:
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template.rstrip("/")))
        compiled.append((re.compile(f"^{regex}/?$"), template))
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
