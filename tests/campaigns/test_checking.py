"""Unknown outcomes are never called failures: an order whose retries ran out while its
outcome was unknown shows Checking with the provider, and the status poll's look-up by its
reference label adopts it, or fails it once the provider confirms there is no order, or after
the documented deadline (against a real sandbox process, in this process)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from campaigns.models import (
    AttemptOutcome,
    CampaignStatus,
    OrderOutbox,
    OutboxState,
    PostingStatus,
    SubmitAttempt,
)
from campaigns.services import delivery
from campaigns.services.delivery import CheckOutcome, order_check
from campaigns.services.poll_schedule import status_poll_run
from campaigns.services.status import can_transition
from campaigns.templatetags.campaigns_tags import status_badge
from tests.campaigns.sandbox_setup import INDEED, place_order, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory

pytestmark = pytest.mark.django_db

ORDER_PATH = "/campaigns/order"


@pytest.fixture
def order(provider, enabled_org, recruiter, settings):
    """An order on one board whose only attempt runs out while its outcome is unknown."""
    settings.CAMPAIGNS_SUBMIT_MAX_ATTEMPTS = 1
    settings.PROVIDER_READ_TIMEOUT = 2
    group = ContractGroupFactory(organization=enabled_org, name="Sandbox")
    job = sandbox_job(enabled_org, recruiter)
    indeed = sandbox_contract(enabled_org, group, INDEED)
    return place_order(job, recruiter, [indeed])


def give_up_unknown(provider, campaign, *, created: bool):
    provider.add_fault(
        kind="error", status=503, method="POST", path=ORDER_PATH, times=1, after_processing=created
    )
    result = delivery.campaign_submit(campaign_id=campaign.pk)
    assert result.outcome == AttemptOutcome.GAVE_UP
    # The last request can no longer be in flight (instead of waiting settle_seconds()).
    SubmitAttempt.objects.filter(campaign=campaign).update(
        started_at=timezone.now() - timedelta(seconds=delivery.settle_seconds() + 1)
    )
    campaign.refresh_from_db()


def test_a_give_up_with_an_unknown_outcome_shows_checking_never_failed(order, provider, client):
    give_up_unknown(provider, order, created=True)
    assert OrderOutbox.objects.get(campaign=order).state == OutboxState.CHECKING
    assert order.status == CampaignStatus.CHECKING
    posting = order.postings.get()
    assert posting.status == PostingStatus.CHECKING
    assert posting.status_solution  # what to do meanwhile: do not order it again

    client.force_login(order.ordered_by)
    page = client.get(reverse("campaign_detail", args=[order.pk]))
    assert page.status_code == 200
    assert "Checking with the provider" in page.content.decode()
    with override("fr"):
        page = client.get(reverse("campaign_detail", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    assert "Vérification auprès du fournisseur" in page.content.decode()


def test_the_status_badge_shows_checking_in_its_own_colour():
    badge = status_badge(PostingStatus.CHECKING)
    assert str(badge["label"]) == "Checking with the provider"
    assert badge["css"] == "text-bg-warning"


def test_the_poll_finds_the_order_by_its_reference_and_adopts_it(order, provider):
    give_up_unknown(provider, order, created=True)
    run = status_poll_run(budget=5)
    assert run.checks == {CheckOutcome.ADOPTED: 1}
    order.refresh_from_db()
    assert OrderOutbox.objects.get(campaign=order).state == OutboxState.DONE
    assert order.provider_campaign_id
    posting = order.postings.get()
    assert posting.status == PostingStatus.IN_PROGRESS
    assert posting.status_description == ""  # the checking message is gone
    orders = provider.stats()["orders_by_reference"].get(order.order_reference, 0)
    assert orders == 1  # adopted, never sent twice
    outcomes = list(SubmitAttempt.objects.filter(campaign=order).values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.GAVE_UP, AttemptOutcome.ADOPTED]


def test_failed_only_when_the_provider_confirms_there_is_no_order(order, provider):
    give_up_unknown(provider, order, created=False)
    assert order.postings.get().status == PostingStatus.CHECKING
    assert order_check(campaign_id=order.pk) == CheckOutcome.ABSENT
    order.refresh_from_db()
    assert order.status == CampaignStatus.FAILED
    posting = order.postings.get()
    assert posting.status == PostingStatus.FAILED
    assert "never received" in posting.status_description
    assert order.order_error_message == ""  # not a refusal: the board says what happened
    assert provider.stats()["orders_by_reference"].get(order.order_reference, 0) == 0


def test_an_unanswered_check_waits_then_fails_after_the_deadline_saying_what_to_check(
    order, provider, settings
):
    give_up_unknown(provider, order, created=False)
    provider.add_fault(kind="error", status=503, method="GET", path="/campaigns", times=2)
    assert order_check(campaign_id=order.pk) == CheckOutcome.UNANSWERED
    assert order.postings.get().status == PostingStatus.CHECKING  # still not a failure

    OrderOutbox.objects.filter(campaign=order).update(
        checking_since=timezone.now() - timedelta(hours=settings.CAMPAIGNS_CHECKING_DEADLINE_HOURS)
    )
    assert order_check(campaign_id=order.pk) == CheckOutcome.EXPIRED
    posting = order.postings.get()
    assert posting.status == PostingStatus.FAILED
    assert order.order_reference in posting.status_solution


def test_a_delivery_run_leaves_an_order_being_checked_alone(order, provider):
    give_up_unknown(provider, order, created=True)
    result = delivery.campaign_submit(campaign_id=order.pk)
    assert result.outcome == delivery.NoAttempt.NOTHING_TO_DO
    assert provider.stats()["orders_by_reference"].get(order.order_reference, 0) == 1


def test_the_transition_table_holds_checking():
    assert can_transition(PostingStatus.SUBMITTED, PostingStatus.CHECKING)
    for status in (PostingStatus.IN_PROGRESS, PostingStatus.ONLINE, PostingStatus.FAILED):
        assert can_transition(PostingStatus.CHECKING, status)
    assert not can_transition(PostingStatus.IN_PROGRESS, PostingStatus.CHECKING)
    assert not can_transition(PostingStatus.FAILED, PostingStatus.CHECKING)


def test_waiting_for_the_call_budget_never_uses_up_the_attempts(order, provider):
    """A 429 is the budget, not a failing provider: past the last attempt the order still
    waits its turn (an order burst must not fail its tail)."""
    provider.add_fault(kind="ratelimit", seconds=1, method="POST", path=ORDER_PATH, times=1)
    result = delivery.campaign_submit(campaign_id=order.pk)
    assert result.outcome == AttemptOutcome.RETRY
    assert result.retry_in is not None and result.retry_in >= 1
    assert OrderOutbox.objects.get(campaign=order).state == OutboxState.PENDING
    assert delivery.campaign_submit(campaign_id=order.pk).outcome == AttemptOutcome.ORDERED
    assert provider.stats()["orders_by_reference"].get(order.order_reference, 0) == 1


def test_an_unreachable_provider_never_uses_up_the_attempts_and_the_order_goes_out_after(
    order, provider, settings
):
    """A long outage (nothing listens at the provider's address): every attempt fails
    before anything is sent, the order never gives up, and it goes out once, afterwards."""
    reachable = settings.PROVIDER_BASE_URL
    settings.PROVIDER_BASE_URL = "http://127.0.0.1:1"  # connection refused
    for _ in range(3):  # past CAMPAIGNS_SUBMIT_MAX_ATTEMPTS (1)
        result = delivery.campaign_submit(campaign_id=order.pk)
        assert result.outcome == AttemptOutcome.RETRY
    outbox = OrderOutbox.objects.get(campaign=order)
    assert outbox.state == OutboxState.PENDING and not outbox.outcome_unknown
    assert order.postings.get().status == PostingStatus.SUBMITTED
    settings.PROVIDER_BASE_URL = reachable
    assert delivery.campaign_submit(campaign_id=order.pk).outcome == AttemptOutcome.ORDERED
    assert provider.stats()["orders_by_reference"].get(order.order_reference, 0) == 1
