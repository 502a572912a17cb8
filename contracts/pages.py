"""Sections other apps add to a contract's page, without this app importing them.

Each entry takes the request and the contract and returns rendered HTML (a template's
output; "" for nothing). Apps append theirs in ``AppConfig.ready()``, as they do for
``contracts.services.contracts.LIVE_USE_CHECKS``: campaigns adds the requirement defaults,
whose form is built from the wizard's own field builders.
"""

from collections.abc import Callable

from django.http import HttpRequest

from contracts.models import Contract

CONTRACT_PAGE_SECTIONS: list[Callable[[HttpRequest, Contract], str]] = []


def contract_page_sections(request: HttpRequest, contract: Contract) -> list[str]:
    return [html for section in CONTRACT_PAGE_SECTIONS if (html := section(request, contract))]
