"""The status sync benchmark's machinery on a small installation (``python -m bench
status_sync`` runs it at 100, 1,000 and 5,000 organisations): it must keep working and report
every figure and goal; its figures are not judged here."""

import pytest

from bench.status_sync import GOALS, simulate
from campaigns.models import PostingEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("partner_level", [True, False], ids=["partner", "per-customer"])
def test_the_status_sync_benchmark_reports_every_figure_and_goal(partner_level):
    result = simulate(orgs=30, minutes=20, partner_level=partner_level)
    assert result["organisations"] == 30
    assert result["calls_per_minute"]["poll"] > 0
    assert result["poll_share_of_limit"] <= 1 / 3  # the schedule's cap, not a timing
    assert set(result["goals"]) == set(GOALS)
    assert all(isinstance(goal["met"], bool) for goal in result["goals"].values())
    for name in ("delivered", "lost", "lost_foreseen", "lost_unforeseen"):
        for label in ("p50", "p95", "p99", "max"):
            assert f"staleness_{name}_{label}_s" in result
    # Changes went through the one write path.
    changes = result["changes"]["delivered"] + result["changes"]["lost"]
    assert PostingEvent.objects.exists() == (changes > 0)
    # Every lost change was read by a poll or is reported as not yet applied.
    assert (
        result["changes"]["lost"] + result["lost_changes_not_yet_applied"]
        == (result["webhooks"]["lost"])
    )
    reasons = set(result["poll_calls_by_reason"])
    assert (reasons == {"partner_level"}) == partner_level
