"""The status poll's schedule over real database rows: its share of the budget, its
priorities (take-downs, due online, webhook missing, due offline), the round-robin over the
rest, and that no organisation starves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import CampaignStatus, PostingStatus, StatusPollCursor
from campaigns.services.poll_schedule import (
    MAX_SHARE,
    PollReason,
    poll_budget,
    poll_plan,
)
from tests.campaigns.factories import PostingFactory
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def live_posting(*, delivered_ago=timedelta(days=3), status=PostingStatus.ONLINE, **extra):
    now = timezone.now()
    posting = PostingFactory(
        campaign__status=CampaignStatus.ONLINE
        if status == PostingStatus.ONLINE
        else CampaignStatus.IN_PROGRESS,
        campaign__delivered_at=now - delivered_ago,
        status=status,
        **extra,
    )
    posting.campaign.provider_campaign_id = f"remote-{posting.pk}"
    posting.campaign.save(update_fields=["provider_campaign_id"])
    return posting


def polled(org_id, ago: timedelta):
    StatusPollCursor.objects.update_or_create(
        organization_id=org_id,
        defaults={"modified_since": timezone.now(), "polled_at": timezone.now() - ago},
    )


def test_the_budget_is_a_fixed_share_of_the_limit_never_more_than_a_third(settings):
    settings.PROVIDER_RATE_LIMIT = 60
    settings.PROVIDER_RATE_WINDOW = 60
    settings.CAMPAIGNS_POLL_BUDGET_SHARE = 0.3
    assert poll_budget(every_seconds=60) == 18
    settings.CAMPAIGNS_POLL_BUDGET_SHARE = 0.9  # a misconfiguration is capped
    assert poll_budget(every_seconds=60) == int(60 * MAX_SHARE)


def test_priorities_come_first_in_their_order_then_the_round_robin():
    now = timezone.now()
    quiet = [live_posting() for _ in range(6)]
    for posting in quiet:
        polled(posting.organization_id, timedelta(minutes=30))
    take_down = live_posting(take_down_requested_at=now)
    due_online = live_posting(status=PostingStatus.IN_PROGRESS, delivered_ago=timedelta(minutes=2))
    missing = live_posting(status=PostingStatus.IN_PROGRESS, delivered_ago=timedelta(hours=2))
    due_offline = live_posting(due_offline_at=now - timedelta(minutes=5))
    for posting in (take_down, due_online, missing, due_offline):
        polled(posting.organization_id, timedelta(minutes=5))  # past every min interval

    plan = poll_plan(budget=6, now=now)
    assert plan.orgs[:4] == [
        (take_down.organization_id, PollReason.TAKE_DOWN),
        (due_online.organization_id, PollReason.DUE_ONLINE),
        (missing.organization_id, PollReason.WEBHOOK_MISSING),
        (due_offline.organization_id, PollReason.DUE_OFFLINE),
    ]
    assert [reason for _org, reason in plan.orgs[4:]] == [PollReason.ROUND_ROBIN] * 2
    assert len(plan.orgs) == 6


def test_the_round_robin_keeps_its_share_however_many_are_due():
    now = timezone.now()
    for _ in range(12):
        busy = live_posting(take_down_requested_at=now)
        polled(busy.organization_id, timedelta(minutes=10))
    quiet = live_posting()
    polled(quiet.organization_id, timedelta(hours=1))
    plan = poll_plan(budget=8, now=now)
    assert (quiet.organization_id, PollReason.ROUND_ROBIN) in plan.orgs
    reasons = [reason for _org, reason in plan.orgs]
    assert reasons.count(PollReason.ROUND_ROBIN) == 2  # a quarter of 8 calls
    assert len(plan.orgs) == 8


def test_a_priority_organisation_polled_a_moment_ago_waits_its_turn():
    now = timezone.now()
    posting = live_posting(take_down_requested_at=now)
    polled(posting.organization_id, timedelta(seconds=5))
    other = live_posting()
    polled(other.organization_id, timedelta(hours=1))
    plan = poll_plan(budget=1, now=now)
    assert plan.orgs == [(other.organization_id, PollReason.ROUND_ROBIN)]


def test_no_organisation_starves_every_one_is_polled_within_its_round():
    postings = [live_posting() for _ in range(10)]
    OrganizationFactory()  # no live campaign: never polled
    order: list[int] = []
    for _round in range(4):  # ceil(10 / 3) runs reach every organisation
        for org_id in poll_plan(budget=3).org_ids():
            order.append(org_id)
            polled(org_id, timedelta(0))
    # The first ten polls are ten different organisations: every one, none twice.
    assert sorted(order[:10]) == sorted(p.organization_id for p in postings)


def test_organisations_without_delivered_live_campaigns_are_not_polled():
    finished = live_posting(status=PostingStatus.OFFLINE)
    finished.campaign.status = CampaignStatus.OFFLINE
    finished.campaign.save(update_fields=["status"])
    undelivered = PostingFactory(status=PostingStatus.SUBMITTED)
    plan = poll_plan(budget=10)
    assert finished.organization_id not in plan.org_ids()
    assert undelivered.organization_id not in plan.org_ids()
