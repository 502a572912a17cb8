"""Contracts tests: an organisation with My Own Contracts enabled, the sandbox's famous boards
mirrored as Channel rows, a way to get a real OAuth token from the sandbox, and a Naukri
contract made through the real service."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from contracts.services.contracts import contract_create
from distribution.client import provider_client
from tests.contracts.factories import ChannelFactory

NAUKRI, BAYT, COMPUTRABAJO, LINKEDIN, VDAB = 1001, 1002, 1003, 1004, 1010
NAUKRI_CREDENTIALS = {"username": "acme-india", "password": "n4ukri-pass"}


@pytest.fixture
def enabled_org(org):
    org.my_own_contracts_enabled = True
    org.save(update_fields=["my_own_contracts_enabled"])
    return org


@pytest.fixture
def boards(db):
    return {
        "naukri": ChannelFactory(provider_id=NAUKRI, name="Naukri", search_name="naukri"),
        "bayt": ChannelFactory(provider_id=BAYT, name="Bayt", search_name="bayt"),
        "computrabajo": ChannelFactory(
            provider_id=COMPUTRABAJO, name="Computrabajo", search_name="computrabajo"
        ),
        "linkedin": ChannelFactory(provider_id=LINKEDIN, name="LinkedIn", search_name="linkedin"),
        "vdab": ChannelFactory(provider_id=VDAB, name="VDAB", search_name="vdab"),
    }


def sandbox_consent(sandbox, channel_id: int, callback_url: str = "http://callback.test/"):
    """Consent through the sandbox's page, as a person clicking Allow would; returns where
    the board sends them back (the token is in its ``hash``)."""
    response = requests.post(
        f"{sandbox.url}/_sandbox/oauth/consent",
        data={"channel_id": channel_id, "callbackUrl": callback_url, "decision": "allow"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code in (302, 303), response.text
    return urlsplit(response.headers["Location"])


def sandbox_oauth_token(sandbox, channel_id: int) -> str:
    return parse_qs(sandbox_consent(sandbox, channel_id).query)["hash"][0]


def naukri_contract(org, admin, boards, **kwargs):
    kwargs.setdefault("credentials", dict(NAUKRI_CREDENTIALS))
    if "group" not in kwargs:
        kwargs.setdefault("new_group_name", "India")
    return contract_create(org=org, by=admin, channel=boards["naukri"], **kwargs)


def remote_groups(org):
    return {g.name: g for g in provider_client(org=org).list_groups()}


def remote_contracts(org):
    return provider_client(org=org).list_contracts().contracts
