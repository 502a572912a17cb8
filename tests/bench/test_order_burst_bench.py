"""The order burst benchmark's machinery on a small burst (``python -m bench order_burst``
runs 500 orders from 50 organisations): two real workers, the shared limiter tightened to the
accelerated limit, the sandbox. It must deliver every order once and report every figure and
goal; its timings are not judged here."""

import pytest

from bench.order_burst import GOALS, LIMIT, burst, orders_per_organisation
from campaigns.models import OrderOutbox, OutboxState
from tests.fixtures.celery_worker import require_pipeline_services

pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(600)]


def test_the_order_burst_benchmark_delivers_every_order_once_and_reports_every_goal(
    provider, transactional_db, sandbox, settings
):
    require_pipeline_services()
    counts = orders_per_organisation(organisations=3, big=6, orders=8)
    assert counts == [6, 1, 1]

    result = burst(sandbox=sandbox, counts=counts, log=lambda _line: None)

    assert result["orders"] == 8
    assert result["duplicates"] == 0, result
    assert result["lost"] == 0, result
    assert sandbox.stats()["orders_total"] == 8
    assert not OrderOutbox.objects.exclude(state=OutboxState.DONE).exists()
    assert result["provider_calls_by_route"]["POST /campaigns/order"] == 8
    assert result["limit"] == LIMIT
    assert result["others_orders"] == 2
    assert set(result["goals"]) == set(GOALS)
    assert all(isinstance(goal["met"], bool) for goal in result["goals"].values())
