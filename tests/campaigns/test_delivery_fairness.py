"""The delivery slots' fairness rule (``delivery.order_claim_next``): round-robin across
organisations, first in first out within one. Deterministic: no worker, no clock."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign, OrderOutbox, OutboxState
from campaigns.services.delivery import order_claim_next
from tests.campaigns.factories import CampaignFactory
from tests.jobs.factories import JobFactory

pytestmark = pytest.mark.django_db


def queue_orders(count: int, job=None) -> tuple:
    """``count`` pending orders of one organisation (a new one unless ``job`` is given)."""
    job = job or JobFactory()
    campaigns = CampaignFactory.build_batch(count, job=job)
    for campaign in campaigns:  # bulk_create skips save(), which gives the reference
        campaign.order_reference = uuid.uuid4().hex
    campaigns = Campaign.objects.bulk_create(campaigns)
    OrderOutbox.objects.bulk_create(
        OrderOutbox(campaign=c, organization_id=c.organization_id) for c in campaigns
    )
    return job.organization, job


def claimed_organisations(count: int) -> list:
    claimed = [order_claim_next() for _ in range(count)]
    owners = dict(Campaign.objects.filter(pk__in=claimed).values_list("pk", "organization"))
    return [owners[campaign_id] for campaign_id in claimed]


def test_one_order_of_each_other_organisation_goes_before_the_big_burst_continues():
    a, _ = queue_orders(400)
    others = [queue_orders(1)[0] for _ in range(4)]  # B..E, placed after A's 400

    assert claimed_organisations(7) == [a.pk, *(o.pk for o in others), a.pk, a.pk]


def test_within_an_organisation_its_orders_go_first_in_first_out():
    a, job = queue_orders(3)
    first, second, third = OrderOutbox.objects.filter(organization=a).order_by("pk")

    assert [order_claim_next() for _ in range(3)] == [
        first.campaign_id,
        second.campaign_id,
        third.campaign_id,
    ]


def test_an_organisation_ordering_later_goes_before_one_already_served():
    a, _ = queue_orders(50)
    assert claimed_organisations(5) == [a.pk] * 5
    late, _ = queue_orders(2)

    assert claimed_organisations(3) == [late.pk, a.pk, late.pk]


def test_a_claimed_order_or_one_not_yet_due_goes_to_no_other_slot():
    a, job = queue_orders(1)
    claimed = order_claim_next()
    assert claimed is not None
    assert order_claim_next() is None  # claimed: hidden from other slots for the lease

    queue_orders(1, job=job)
    OrderOutbox.objects.exclude(campaign_id=claimed).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)  # backing off
    )
    assert order_claim_next() is None
    OrderOutbox.objects.filter(campaign_id=claimed).update(state=OutboxState.DONE)
    assert order_claim_next() is None


def test_a_claimed_order_goes_to_another_slot_once_its_attempt_set_a_retry_and_it_is_due():
    queue_orders(1)
    claimed = order_claim_next()
    assert order_claim_next() is None
    # Its attempt asked for a retry, due now: the claim is over.
    OrderOutbox.objects.filter(campaign_id=claimed).update(next_attempt_at=timezone.now())

    assert order_claim_next() == claimed
