"""The kill drill's machinery on a few kills (``python -m bench kill_drill --kills 100`` runs
it at scale): a real worker SIGKILLed at random points of submitting, a real broker and the
sandbox; every order ends delivered exactly once."""

import pytest

from bench.kill_drill import drill
from tests.campaigns.sandbox_setup import INDEED, place_order, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory

pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(600)]


def test_the_kill_drill_delivers_every_order_once(
    provider, enabled_org, recruiter, settings, celery_worker, sandbox
):
    settings.CAMPAIGNS_OUTBOX_GRACE_SECONDS = 0
    group = ContractGroupFactory(organization=enabled_org, name="Drill")
    job = sandbox_job(enabled_org, recruiter)
    indeed = sandbox_contract(enabled_org, group, INDEED)
    result = drill(
        sandbox=sandbox,
        worker=celery_worker,
        place_order=lambda name: place_order(job, recruiter, [indeed], campaign_name=name),
        kills=3,
        log=lambda _line: None,
    )
    assert result["campaigns"] == 9
    assert result["duplicates"] == 0, result
    assert result["lost"] == 0, result
    assert result["provider_orders"] == 9
    assert all(goal["met"] for goal in result["goals"].values())
