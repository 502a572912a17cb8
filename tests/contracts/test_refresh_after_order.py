"""After orders used credits, the organisation's contracts are read back once per period
(``CONTRACTS_REFRESH_AFTER_ORDER_SECONDS``), not once per order: a burst of orders shares the
installation's call budget with every other organisation."""

import pytest
from django.core.cache import cache

from contracts.services.refresh import contracts_refresh_after_order
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


def list_reads(provider) -> int:
    return len([q for q in provider.queries if q[0] == "GET" and q[1] == "/contracts/"])


def test_orders_delivered_within_the_period_share_one_refresh(
    provider, org, settings, tasks_run_here, django_capture_on_commit_callbacks
):
    settings.CONTRACTS_REFRESH_AFTER_ORDER_SECONDS = 60
    ContractFactory(group__organization=org)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            contracts_refresh_after_order(org_id=org.pk)
    # Tasks run here at once (their countdown is the broker's business): one refresh.
    assert list_reads(provider) == 1

    cache.delete(f"contracts:refresh-after-order:{org.pk}")  # the period is over
    with django_capture_on_commit_callbacks(execute=True):
        contracts_refresh_after_order(org_id=org.pk)
    assert list_reads(provider) == 2


def test_with_no_period_every_order_refreshes(
    provider, org, settings, tasks_run_here, django_capture_on_commit_callbacks
):
    settings.CONTRACTS_REFRESH_AFTER_ORDER_SECONDS = 0
    ContractFactory(group__organization=org)
    with django_capture_on_commit_callbacks(execute=True):
        contracts_refresh_after_order(org_id=org.pk)
        contracts_refresh_after_order(org_id=org.pk)
    assert list_reads(provider) == 2
