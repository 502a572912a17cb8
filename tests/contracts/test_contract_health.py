"""Issue 15: a contract's one health state (``contracts.health``) and its badge on Manage
existing contracts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.health import HealthState, contract_health
from contracts.models import ContractStatus
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def _in(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("fields", "state", "label", "orderable"),
    [
        ({}, HealthState.READY, "Ready", True),
        ({"expiry_date": _in(15), "credits": 3}, HealthState.READY, "Ready", True),
        ({"expiry_date": _in(14)}, HealthState.EXPIRING, "Expires in 14 days", True),
        ({"expiry_date": _in(1)}, HealthState.EXPIRING, "Expires in 1 day", True),
        ({"expiry_date": _in(0)}, HealthState.EXPIRING, "Expires today", True),
        ({"expiry_date": _in(-1)}, HealthState.EXPIRED, "Expired", False),
        ({"credits": 0}, HealthState.OUT_OF_CREDITS, "Out of credits", False),
        ({"credits": 0, "expiry_date": _in(-3)}, HealthState.EXPIRED, "Expired", False),
        (
            {
                "status": ContractStatus.NEEDS_ATTENTION,
                "provider_errors": ["Invalid credentials"],
                "credits": 0,
            },
            HealthState.NEEDS_ATTENTION,
            "Needs attention",
            False,
        ),
    ],
)
def test_each_state(org, fields, state, label, orderable):
    contract = ContractFactory(group__organization=org, **fields)
    health = contract_health(contract, today=TODAY)
    assert (health.state, health.label, health.orderable) == (state, label, orderable)
    assert bool(health.reason) == (state != HealthState.READY)
    assert bool(health.fix) == (state != HealthState.READY)


def test_needs_attention_says_the_providers_words_and_what_to_do(org):
    contract = ContractFactory(
        group__organization=org,
        status=ContractStatus.NEEDS_ATTENTION,
        provider_errors=["The channel is not active anymore"],
    )
    health = contract_health(contract, today=TODAY)
    assert "The channel is not active anymore" in health.reason
    assert "credentials" in health.fix and "Check now" in health.fix


def test_a_board_gone_from_the_catalogue_needs_attention(org):
    contract = ContractFactory(group__organization=org, channel__is_active=False)
    health = contract_health(contract, today=TODAY)
    assert health.state == HealthState.NEEDS_ATTENTION
    assert "no longer available" in health.reason


def test_the_list_shows_one_badge_per_contract_with_its_reason(admin_client, org):
    org.my_own_contracts_enabled = True
    org.save(update_fields=["my_own_contracts_enabled"])
    today = timezone.localdate()
    expiring = ContractFactory(
        group__organization=org, expiry_date=today + datetime.timedelta(days=10)
    )
    spent = ContractFactory(group=expiring.group, credits=0)
    broken = ContractFactory(
        group=expiring.group,
        status=ContractStatus.NEEDS_ATTENTION,
        provider_errors=["Invalid credentials"],
    )
    html = admin_client.get(reverse("contract_list")).content.decode()
    for contract, state in (
        (expiring, "expiring"),
        (spent, "out_of_credits"),
        (broken, "needs_attention"),
    ):
        row = html[html.index(f'id="contract-{contract.pk}"') :]
        row = row[: row.index("</tr>")]
        assert f'data-state="{state}"' in row
    assert "Expires in 10 days" in html and "Invalid credentials" in html
    assert "Out of credits" in html
