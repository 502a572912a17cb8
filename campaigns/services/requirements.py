"""A board's posting requirements in an order: from the values a draft keeps to what the
provider receives, and back to words people read.

The facets themselves are ``distribution.messages.Facet`` (the one model of them); this module
only knows how the wizard keeps their values in a draft ("native" values: TEXTEXPAND and
QUESTIONNAIRE as lines, DATE as ISO, an autocomplete pick as ``{"key", "label"}`` so that its
label is never lost) and turns them into the provider's values (``order_value``) and into
what the review and the campaign's details show (``requirement_rows``).
"""

import json
import logging
from dataclasses import dataclass, replace
from datetime import date

from distribution.errors import ProviderError
from distribution.messages.facets import (
    Facet,
    FacetOption,
    FacetType,
    facets_from_list,
    is_empty_value,
    visible_facet_names,
)
from distribution.services import channel_details, customer_feed_url

logger = logging.getLogger(__name__)

PHP_DATE_TOKENS = {"Y": "%Y", "y": "%y", "m": "%m", "d": "%d", "H": "%H", "i": "%M", "s": "%S"}


def contract_facets(contract) -> list[Facet]:
    """The board's facets as the contract stored them, in display order (a contract whose
    stored facets no longer read has none, rather than breaking the wizard)."""
    try:
        return facets_from_list(contract.posting_requirements or [])
    except ValueError:
        return []


@dataclass(frozen=True)
class BoardFacets:
    """A board's facets in the person's language, and the job feed it publishes from (the
    board's ``feed_url``: empty when it needs none)."""

    facets: list[Facet]
    feed_url: str = ""


def board_facets(contract, *, language: str) -> BoardFacets:
    """The contract's facets with the provider's labels in ``language`` where it offers them
    (the board's details, cached, asked for with that ``Accept-Language``). The stored facets
    stay the authority on names, types and rules; without the provider they are used as
    stored."""
    stored = contract_facets(contract)
    try:
        detail = channel_details(contract.channel.provider_id, language=language, retire=False)
    except ProviderError as error:
        logger.info("board details unavailable for contract %s: %s", contract.pk, error)
        return BoardFacets(stored)
    by_name = {facet.name: facet for facet in detail.posting_requirements}
    feed_url = (
        customer_feed_url(contract.organization, contract.channel.provider_id)
        if detail.needs_customer_feed
        else ""
    )
    return BoardFacets([_translated(facet, by_name.get(facet.name)) for facet in stored], feed_url)


def _translated(facet: Facet, localized: Facet | None) -> Facet:
    if localized is None:
        return facet
    labels = {option.key: option.label for option in localized.options}
    return replace(
        facet,
        label=localized.label or facet.label,
        message=localized.message or facet.message,
        options=[replace(o, label=labels.get(o.key) or o.label) for o in facet.options],
    )


def plain_value(value):
    """The value the provider knows: an autocomplete pick is its key."""
    if isinstance(value, dict) and "key" in value:
        return value.get("key") or ""
    return value


def plain_values(native: dict) -> dict:
    return {name: plain_value(value) for name, value in (native or {}).items()}


def lines(value) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def date_format(facet: Facet) -> str:
    php = facet.rule("date") or "Y-m-d"
    return "".join(PHP_DATE_TOKENS.get(char, char) for char in php)


def questionnaire(value) -> list[dict]:
    """Screening questions, one a line, as the provider's question objects."""
    return [
        {"id": f"q{index}", "question": question, "type": "text"}
        for index, question in enumerate(lines(value), start=1)
    ]


def order_value(facet: Facet, value):
    """The provider's value for a native draft value (None when nothing is to be sent)."""
    value = plain_value(value)
    if not facet.takes_value or is_empty_value(value):
        return None
    match facet.type:
        case FacetType.TEXTEXPAND:
            return json.dumps(lines(value))
        case FacetType.QUESTIONNAIRE:
            return json.dumps(questionnaire(value))
        case FacetType.DATE:
            return date.fromisoformat(str(value)).strftime(date_format(facet))
        case FacetType.MULTIPLE:
            return [str(item) for item in value] if isinstance(value, list) else [str(value)]
        case FacetType.AREACOUNT:
            return str(int(str(value).strip()))
    return str(value)


def picked_options(native: dict) -> dict[str, list[FacetOption]]:
    """Options picked from suggestions, with the facets they reveal (``show``), which the
    ``selected_option_show_contains`` display rule reads."""
    return {
        name: [
            FacetOption(
                key=str(value["key"]),
                label=str(value.get("label") or value["key"]),
                show=[str(item) for item in value.get("show") or []],
            )
        ]
        for name, value in (native or {}).items()
        if isinstance(value, dict) and value.get("key")
    }


def visible_names(facets: list[Facet], native: dict) -> set[str]:
    return visible_facet_names(facets, plain_values(native), loaded_options=picked_options(native))


def requirement_values(facets: list[Facet], native: dict) -> dict:
    """What the order sends for one board: visible, non-empty facets that take a value."""
    shown = visible_names(facets, native)
    values = {}
    for facet in facets:
        if facet.name in shown:
            value = order_value(facet, native.get(facet.name))
            if value is not None:
                values[facet.name] = value
    return values


def vacancy_fields_required(facets: list[Facet], native: dict) -> dict[str, list[str]]:
    """Vacancy fields that the chosen options make required (an option's ``requires``, by
    the provider's path, e.g. ``contactInfo.emailAddress``), each with the labels of the
    fields whose choice asks for it."""
    shown = visible_names(facets, native)
    wanted: dict[str, list[str]] = {}
    for facet in facets:
        if facet.name not in shown or not any(option.requires for option in facet.options):
            continue
        value = plain_value(native.get(facet.name))
        chosen = {str(item) for item in value} if isinstance(value, list) else {str(value)}
        for option in facet.options:
            if option.key in chosen:
                for path in option.requires:
                    wanted.setdefault(path, []).append(facet.label)
    return wanted


def hier_paths(facet: Facet) -> dict[str, str]:
    """A HIER facet's leaves, each labelled with its path ("Europe › France › Paris")."""
    by_key = {option.key: option for option in facet.options}
    paths = {}
    for option in facet.leaves():
        path, current, seen = [option.label], option, {option.key}
        while current.parent and current.parent in by_key and current.parent not in seen:
            current = by_key[current.parent]
            seen.add(current.key)
            path.append(current.label)
        paths[option.key] = " › ".join(reversed(path))
    return paths


def display_value(facet: Facet, value) -> str:
    """A native value in words: option labels, never keys."""
    if isinstance(value, dict) and "key" in value:
        return str(value.get("label") or value.get("key") or "")
    if is_empty_value(value):
        return ""
    labels = hier_paths(facet) if facet.type == FacetType.HIER else {}
    labels = {option.key: option.label for option in facet.options} | labels
    match facet.type:
        case FacetType.MULTIPLE:
            items = value if isinstance(value, list) else [value]
            return ", ".join(labels.get(str(item), str(item)) for item in items)
        case FacetType.TEXTEXPAND | FacetType.QUESTIONNAIRE:
            return " · ".join(lines(value))
        case FacetType.DATE:
            try:
                return date.fromisoformat(str(value)).strftime(date_format(facet))
            except ValueError:
                return str(value)
    return labels.get(str(value), str(value))


def requirement_rows(facets: list[Facet], native: dict) -> list[list[str]]:
    """``[label, value in words]`` for each facet the order sends (review and details)."""
    sent = requirement_values(facets, native)
    return [
        [facet.label, display_value(facet, native.get(facet.name))]
        for facet in facets
        if facet.name in sent
    ]
