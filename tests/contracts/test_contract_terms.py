"""Issue 15: a contract's terms (expiry date, credits, purchase price), sent at creation in
the guides' spelling and shown read-only afterwards, against the sandbox provider."""

import datetime
import json
import re
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from distribution.client import provider_client
from tests.contracts.conftest import naukri_contract

pytestmark = pytest.mark.django_db


def test_terms_are_sent_at_creation_and_kept(provider, enabled_org, admin, boards):
    expiry = timezone.localdate() + datetime.timedelta(days=40)
    contract = naukri_contract(
        enabled_org,
        admin,
        boards,
        credits=12,
        expiry_date=expiry,
        purchase_price_amount=Decimal("350.50"),
        purchase_price_currency="eur",
    )

    [body] = provider.sent_to("POST", "/contracts/")
    assert body["credits"] == 12
    assert body["expiry_date"] == f"{expiry.isoformat()}T00:00:00Z"
    assert body["purchase_price"] == {"amount": 350.5, "currency": "EUR"}
    contract.refresh_from_db()
    assert (contract.credits, contract.expiry_date) == (12, expiry)
    assert (contract.purchase_price_amount, contract.purchase_price_currency) == (
        Decimal("350.50"),
        "EUR",
    )
    remote = provider_client(org=enabled_org).get_contract(contract.provider_contract_id)
    assert (remote.credits, remote.expiry_date, remote.purchase_price_currency) == (
        12,
        expiry,
        "EUR",
    )


def test_no_terms_send_nothing(provider, enabled_org, admin, boards):
    contract = naukri_contract(enabled_org, admin, boards)
    [body] = provider.sent_to("POST", "/contracts/")
    assert not {"credits", "expiry_date", "purchase_price"} & set(body)
    assert contract.credits is None and contract.expiry_date is None
    assert contract.purchase_price_amount is None and contract.purchase_price_currency == ""


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"credits": -1}, "credits"),
        ({"expiry_date": datetime.date(2000, 1, 1)}, "expiry_date"),
        (
            {"purchase_price_amount": Decimal("10"), "purchase_price_currency": "E1"},
            "purchase_price_currency",
        ),
        ({"purchase_price_currency": "EUR"}, "purchase_price_amount"),
    ],
)
def test_bad_terms_are_refused_before_the_provider(
    provider, enabled_org, admin, boards, terms, field
):
    with pytest.raises(ValidationError) as caught:
        naukri_contract(enabled_org, admin, boards, **terms)
    assert field in caught.value.message_dict
    assert not provider.sent_to("POST", "/contracts/")


def _raw(provider, org, method: str, path: str, body: dict) -> tuple[int, dict]:
    """A request the client would never send (urllib: the provider fixture checks every
    request sent through ``requests`` against the schema)."""
    request = urllib.request.Request(
        f"{provider.url}{path}",
        data=json.dumps(body).encode(),
        method=method,
        headers={
            "X-Auth-Token": provider.token,
            "X-Customer-Id": str(org.provider_customer_id),
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (sandbox URL)
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_sandbox_refuses_changing_terms_and_bad_ones(provider, enabled_org, admin, boards):
    contract = naukri_contract(enabled_org, admin, boards, credits=5)
    status, answer = _raw(
        provider,
        enabled_org,
        "PATCH",
        f"/contracts/single/{contract.provider_contract_id}/",
        {"credits": 9},
    )
    assert status == 400 and "credits" in answer
    status, answer = _raw(
        provider,
        enabled_org,
        "POST",
        "/contracts/",
        {
            "channel_id": boards["bayt"].provider_id,
            "credentials": {"api_key": "key-1234"},
            "purchase_price": {"amount": "lots", "currency": "euro"},
        },
    )
    assert status == 400
    assert set(answer["purchase_price"]) == {"amount", "currency"}


def _add_form(client, channel):
    page = client.get(reverse("contract_add"), {"channel": channel.pk})
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.content.decode()).group(1)
    return page, {"channel": channel.pk, "nonce": nonce}


def test_the_add_form_takes_terms_and_the_page_shows_them_read_only(
    provider, admin_client, enabled_org, boards
):
    page, data = _add_form(admin_client, boards["naukri"])
    html = page.content.decode()
    assert 'name="expiry_date"' in html and 'type="date"' in html
    assert 'name="purchase_price_currency"' in html
    expiry = timezone.localdate() + datetime.timedelta(days=90)
    data.update(
        group="new",
        new_group_name="India",
        cred_username="acme",
        cred_password="pw-1234",
        expiry_date=expiry.isoformat(),
        credits="25",
        purchase_price_amount="1200",
        purchase_price_currency="EUR",
    )
    response = admin_client.post(reverse("contract_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    contract = Contract.objects.get()
    assert contract.credits == 25 and contract.expiry_date == expiry

    detail = admin_client.get(reverse("contract_detail", args=[contract.pk])).content.decode()
    terms = detail[detail.index('data-testid="contract-terms"') :]
    assert expiry.isoformat() in terms and "25" in terms and "EUR" in terms
    assert "add a new contract" in terms
    assert 'name="credits"' not in detail  # read-only


def test_a_price_without_currency_is_refused_at_its_field(
    provider, admin_client, enabled_org, boards
):
    _, data = _add_form(admin_client, boards["naukri"])
    data.update(
        group="new",
        new_group_name="India",
        cred_username="acme",
        cred_password="pw-1234",
        purchase_price_amount="100",
    )
    response = admin_client.post(reverse("contract_add"), data)
    assert response.status_code == 400
    assert 'id="id_purchase_price_currency_error"' in response.content.decode()
    assert not Contract.objects.exists()
