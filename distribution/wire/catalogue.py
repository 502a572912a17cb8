"""Decoders of the catalogue: boards (channels), their credentials and facets, taxonomies."""

import re
from collections.abc import Mapping

from distribution.messages import (
    ChannelDetail,
    ChannelPage,
    ChannelSummary,
    CredentialDefinition,
    CredentialKind,
    CredentialOption,
    Product,
    TaxonomyEntry,
    facets_from_list,
)
from distribution.values import flag, number, text, web_url

from .decoding import ShapeError, field, page_items, require_list, require_object

_SECRET_WORDS = {"password", "passwd", "pwd", "secret", "token", "key", "apikey", "pin"}
_SECRET_JOINED = re.compile(r"password|passwd|secret|token|apikey|api_key|private")


def channel_list_params(*, search: str = "", limit: int = 100, offset: int = 0) -> dict:
    params: dict = {"limit": int(limit), "offset": int(offset)}
    if search:
        params["search"] = search
    return params


def decode_channel_page(data) -> ChannelPage:
    """``GET /products/channels/mocs/``: a page ``{count, next, results}``."""
    items, count, has_next = page_items(data, "the channel list")
    channels = [decode_channel_summary(item) for item in items]
    return ChannelPage(
        count=len(channels) if count is None else count, channels=channels, has_next=has_next
    )


def decode_channel_summary(item) -> ChannelSummary:
    item = require_object(item, "a channel")
    return ChannelSummary(
        provider_id=_channel_id(item),
        name=text(field(item, "name", "a channel")),
        url=web_url(item.get("url")),
        type=text(item.get("type")),
        logo_url=_logo(item.get("logo_url")),
        mc_enabled=flag(item.get("mc_enabled", True)),
    )


def decode_channel_detail(data) -> ChannelDetail:
    """``GET /products/channels/mocs/{id}/``: the summary plus credentials, facets, setup
    instructions, the product to order and, for some boards, a per-customer feed URL."""
    data = require_object(data, "the channel details")
    summary = decode_channel_summary(data)
    try:
        facets = facets_from_list(data.get("posting_requirements"))
    except ValueError as error:
        raise ShapeError(
            f"posting_requirements: {error}", expected="posting_requirements as facet objects"
        ) from None
    listed = require_list(data.get("contract_credentials") or [], "contract_credentials")
    credentials = [_credential(item) for item in listed]
    return ChannelDetail(
        provider_id=summary.provider_id,
        name=summary.name,
        url=summary.url,
        type=summary.type,
        logo_url=summary.logo_url,
        mc_enabled=summary.mc_enabled,
        manual_setup_required=flag(data.get("manual_setup_required")),
        setup_instructions=text(data.get("setup_instructions")),
        credentials=sorted(credentials, key=lambda c: c.sort),
        posting_requirements=facets,
        product=decode_product(data.get("product")),
        feed_url=web_url(data.get("feed_url")),
    )


def decode_product(item) -> Product | None:
    """``{product_id, title}``; absent or without an id is None (a board not orderable)."""
    if not isinstance(item, Mapping) or not item.get("product_id"):
        return None
    return Product(product_id=text(item["product_id"]), title=text(item.get("title")))


def credential_kind(name: str, *, url: str = "", options=None) -> CredentialKind:
    """The provider sends no input type: a url means OAuth, options a select, and a
    secret-looking name a masked input."""
    if url:
        return CredentialKind.OAUTH
    if options:
        return CredentialKind.SELECT
    lowered = name.lower()
    if set(re.split(r"[^a-z0-9]+", lowered)) & _SECRET_WORDS or _SECRET_JOINED.search(lowered):
        return CredentialKind.SECRET
    return CredentialKind.TEXT


def _credential(item) -> CredentialDefinition:
    item = require_object(item, "a contract credential")
    name = text(field(item, "name", "a contract credential"))
    options = [
        CredentialOption(key=text(o["key"]), label=text(o.get("label")) or text(o["key"]))
        for o in require_list(item.get("options") or [], f"credential {name!r} options")
        if isinstance(o, Mapping) and o.get("key") not in (None, "")
    ]
    url = web_url(item.get("url"))
    return CredentialDefinition(
        name=name,
        label=text(item.get("label")) or name,
        kind=credential_kind(name, url=url, options=options),
        sort=number(item.get("sort")),
        description=text(item.get("description")),
        url=url,
        options=options,
    )


def _channel_id(item: Mapping) -> int:
    value = field(item, "id", "a channel")
    if isinstance(value, bool) or number(value, default=-1) < 0:
        raise ShapeError(f"a channel id is {value!r}", expected="a channel with a numeric 'id'")
    return number(value)


def _logo(value) -> str:
    """A URL (the guides) or a list of ``{url, size}`` images (the OpenAPI document)."""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping) and web_url(item.get("url")):
                return web_url(item["url"])
        return ""
    return web_url(value)


# --- taxonomies ------------------------------------------------------------------------------


def decode_industry_page(data) -> tuple[list[TaxonomyEntry], bool]:
    """One page of ``GET /products/industries/`` (a list; a DRF page is read too) and
    whether the answer says there is more."""
    items, _count, has_next = page_items(data, "the industry list")
    return [_flat_entry(item) for item in items], has_next


def decode_bilingual_tree(english, french) -> list[TaxonomyEntry]:
    """``GET /products/job-functions/`` asked in English and in French: ``[{id, name,
    children}]`` (a tree) with the French names matched by id."""
    french_names: dict[int, str] = {}

    def collect(items):
        for item in items:
            item = require_object(item, "a taxonomy entry")
            french_names[_entry_id(item)] = text(item.get("name"))
            collect(item.get("children") or [])

    collect(page_items(french, "the taxonomy")[0])

    def entry(item) -> TaxonomyEntry:
        item = require_object(item, "a taxonomy entry")
        entry_id = _entry_id(item)
        return TaxonomyEntry(
            id=entry_id,
            name_en=text(field(item, "name", "a taxonomy entry")),
            name_fr=french_names.get(entry_id, ""),
            children=[entry(c) for c in require_list(item.get("children") or [], "children")],
        )

    return [entry(item) for item in page_items(english, "the taxonomy")[0]]


def merge_french(english: list[TaxonomyEntry], french: list[TaxonomyEntry]):
    """Flat English entries with the French names of the same ids."""
    names = {entry.id: entry.name_en for entry in french}
    return [
        TaxonomyEntry(id=entry.id, name_en=entry.name_en, name_fr=names.get(entry.id, ""))
        for entry in english
    ]


def decode_multilingual_list(data) -> list[TaxonomyEntry]:
    """``GET /taxonomy/education-levels`` and ``/taxonomy/seniority``: ``[{id, name:
    [{languageCode, value}]}]`` with locale codes such as ``en_GB``; a plain name string
    is read as English."""
    entries = []
    for item in page_items(data, "the taxonomy")[0]:
        item = require_object(item, "a taxonomy entry")
        names = field(item, "name", "a taxonomy entry")
        if isinstance(names, str):
            names = [{"languageCode": "en", "value": names}]
        by_language = {}
        for name in require_list(names, "a taxonomy entry's names"):
            name = require_object(name, "a taxonomy name")
            by_language.setdefault(text(name.get("languageCode"))[:2].lower(), text(name["value"]))
        entries.append(
            TaxonomyEntry(
                id=_entry_id(item),
                name_en=by_language.get("en") or next(iter(by_language.values()), ""),
                name_fr=by_language.get("fr", ""),
            )
        )
    return entries


def _flat_entry(item) -> TaxonomyEntry:
    item = require_object(item, "a taxonomy entry")
    return TaxonomyEntry(id=_entry_id(item), name_en=text(field(item, "name", "a taxonomy entry")))


def _entry_id(item: Mapping) -> int:
    value = field(item, "id", "a taxonomy entry")
    if isinstance(value, bool) or number(value, default=-1) < 0:
        raise ShapeError(f"a taxonomy id is {value!r}", expected="numeric taxonomy ids")
    return number(value)
