"""An answer that fits none of the documented shapes: one clear error naming the endpoint and
what was expected, logged with the request line (never a body or credentials), shown to the
person as a sentence, and nothing half written."""

import logging

import pytest
from django.core.exceptions import ValidationError

from contracts.models import Contract, ContractGroup
from contracts.services import contracts as contract_services
from distribution.errors import ProviderNotFound, ProviderProtocolError
from distribution.services import channel_details
from tests.contracts.factories import ChannelFactory
from tests.distribution.conftest import NAUKRI, naukri_contract
from tests.factories import AdminMembershipFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_shape_names_the_endpoint_and_what_was_expected(api, provider, caplog):
    contract = naukri_contract(api)
    provider.add_fault(
        kind="answer",
        method="GET",
        path="/contracts/single/",
        body={"contract_id": contract.contract_id, "channel_id": NAUKRI, "posting_requirements": 7},
    )
    caplog.set_level(logging.INFO)
    with pytest.raises(ProviderProtocolError) as caught:
        api.get_contract(contract.contract_id)
    error = caught.value
    assert error.endpoint == "GET /contracts/single/{contract_id}/"
    assert "posting_requirements as a list of facets or an object of labels" in error.expected
    assert error.message.startswith(
        "The job distribution provider's answer to GET /contracts/single/{contract_id}/ is "
        "not in a shape we know"
    )
    assert "Traceback" not in error.message and error.retryable
    [logged] = [r for r in caplog.records if "fits no documented shape" in r.getMessage()]
    assert logged.levelno == logging.ERROR
    assert "GET /contracts/single/{contract_id}/" in logged.getMessage()
    assert api.customer_id in logged.getMessage()
    assert "s3cret" not in caplog.text and api.transport._token not in caplog.text


def test_a_list_answer_that_is_an_object_is_one_clear_error(api, provider):
    provider.add_fault(kind="answer", path="/igb/contracts/groups/", body={"groups": []})
    with pytest.raises(ProviderProtocolError) as caught:
        api.list_groups()
    assert caught.value.endpoint == "GET /igb/contracts/groups/"
    assert "a list, or a page {count, next, results}" in caught.value.message


def test_one_unreadable_board_of_a_campaign_leaves_the_others_readable(api, provider, caplog):
    """A posting without productId, or with an undocumented status, is left out (and
    logged); the campaign's other boards are read as usual."""
    provider.add_fault(
        kind="answer",
        path="^/campaigns/[^/]+$",
        body={
            "data": {
                "campaignId": "c-1",
                "status": "online",
                "orderedProductsSpecs": [
                    {"productId": "p-1", "status": "online", "jobBoardLink": "https://b.test/1"},
                    {"status": "online"},
                    {"productId": "p-3", "status": "paused"},
                ],
                "postings": [{"clicks": 4}, {"productId": "p-1", "clicks": 7}],
            }
        },
    )
    campaign = api.get_campaign("c-1")
    assert [(p.product_id, p.clicks) for p in campaign.products] == [("p-1", 7)]
    assert "a board was skipped" in caplog.text and "'paused'" in caplog.text


def test_a_contract_answer_of_an_unknown_shape_saves_nothing(provider, org):
    """The provider created something we cannot read: the person gets a sentence, Jobcast
    keeps no half-made contract or group (a retry adopts the provider's contract)."""
    org.my_own_contracts_enabled = True
    org.save(update_fields=["my_own_contracts_enabled"])
    admin = AdminMembershipFactory(organization=org).user
    naukri = ChannelFactory(provider_id=NAUKRI, name="Naukri", search_name="naukri")
    provider.add_fault(kind="answer", method="POST", path="/contracts/", status=201, body=[1])
    with pytest.raises(ValidationError) as caught:
        contract_services.contract_create(
            org=org,
            by=admin,
            channel=naukri,
            new_group_name="India",
            credentials={"username": "acme-india", "password": "n4ukri-pass"},
        )
    shown = " ".join(caught.value.messages)
    assert "try again" in shown.lower() and "Traceback" not in shown
    assert not Contract.objects.exists()
    assert not ContractGroup.objects.filter(name="India").exists()


def test_an_error_page_instead_of_the_api_is_one_clear_error_and_retires_nothing(provider, caplog):
    """A proxy's or web server's HTML 404 (e.g. a wrong PROVIDER_BASE_URL) is not the
    provider saying "no such board": the board stays active, the person reads a sentence
    naming the call, and the line logged says what came back."""
    channel = ChannelFactory(provider_id=NAUKRI, name="Naukri")
    provider.add_fault(kind="page", method="GET", path="/products/channels/mocs/")
    caplog.set_level(logging.INFO)
    with pytest.raises(ProviderProtocolError) as caught:
        channel_details(NAUKRI, refresh=True)
    error = caught.value
    assert error.endpoint == "GET /products/channels/mocs/{id}/" and error.status == 404
    assert error.message.startswith(
        "The job distribution provider answered GET /products/channels/mocs/{id}/ with an "
        "error page we cannot read (404)"
    )
    assert "PROVIDER_BASE_URL" in error.message and "<html" not in error.message
    channel.refresh_from_db()
    assert channel.is_active
    [logged] = [r for r in caplog.records if "not a documented answer" in r.getMessage()]
    assert logged.levelno == logging.ERROR and "text/html" in logged.getMessage()


def test_a_method_the_service_does_not_allow_names_the_endpoint(api, provider):
    provider.add_fault(
        kind="answer", method="POST", path="/igb/contracts/groups/", status=405, body={}
    )
    with pytest.raises(ProviderProtocolError) as caught:
        api.create_group("India")
    assert caught.value.endpoint == "POST /igb/contracts/groups/"
    assert "(405)" in caught.value.message
    assert provider.stats()["orders_total"] == 0


def test_an_empty_404_is_still_not_found(api, provider):
    """No body at all is the provider's own terse "not found", as before."""
    provider.add_fault(kind="answer", method="GET", path="/contracts/single/", status=404, body="")
    with pytest.raises(ProviderNotFound):
        api.get_contract("00000000-0000-0000-0000-000000000000")
