"""Issue 15: an order uses a credit of its contract at the provider; once it is delivered,
the contract is read back (one list page of the organisation), with a real Celery worker."""

import time

import pytest

from contracts.health import HealthState, contract_health
from distribution.client import provider_client
from tests.campaigns.sandbox_setup import INDEED, place_order, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory

pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(300)]


def wait_for(predicate, *, timeout=60.0, what="condition", worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    log = f"\n--- worker log ---\n{worker.log()}" if worker else ""
    raise AssertionError(f"Timed out waiting for {what}{log}")


def test_the_last_credit_used_by_an_order_shows_out_of_credits(
    provider, enabled_org, recruiter, settings, celery_worker
):
    settings.CAMPAIGNS_OUTBOX_GRACE_SECONDS = 0
    group = ContractGroupFactory(organization=enabled_org, name="Sandbox")
    job = sandbox_job(enabled_org, recruiter)
    indeed = sandbox_contract(enabled_org, group, INDEED)
    provider.set_contract_credits(indeed.provider_contract_id, 1)
    indeed.credits = 1
    indeed.save(update_fields=["credits"])

    place_order(job, recruiter, [indeed])

    def spent():
        indeed.refresh_from_db()
        return indeed.credits == 0

    wait_for(spent, what="the contract read back after the order", worker=celery_worker)
    assert contract_health(indeed).state == HealthState.OUT_OF_CREDITS
    remote = provider_client(org=enabled_org).get_contract(indeed.provider_contract_id)
    assert remote.credits == 0
