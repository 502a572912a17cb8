"""The status poll at the partner level, against a real sandbox: one paged list brings every
organisation's changes (the guides), and where the provider refuses it (the OpenAPI
document's reading) the poll goes organisation by organisation and asks again a day later."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import AttemptOutcome, Campaign, PartnerPollCursor, PostingStatus
from campaigns.services import delivery, sync
from campaigns.services.poll_schedule import PARTNER, status_poll_run
from tests.campaigns.sandbox_setup import INDEED, place_order, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory
from tests.factories import MembershipFactory, OrganizationFactory
from tests.fixtures.sandbox import both_profiles
from tests.jobs.factories import CareerPageFactory

pytestmark = pytest.mark.django_db


def delivered_campaign(org=None):
    """An enabled organisation's campaign on one board, delivered to the sandbox."""
    org = org or OrganizationFactory()
    org.my_own_contracts_enabled = True
    org.save()
    CareerPageFactory(organization=org, slug=f"careers-{org.pk}")
    recruiter = MembershipFactory(organization=org).user
    contract = sandbox_contract(org, ContractGroupFactory(organization=org), INDEED)
    campaign = place_order(sandbox_job(org, recruiter), recruiter, [contract])
    assert delivery.campaign_submit(campaign_id=campaign.pk).outcome == AttemptOutcome.ORDERED
    campaign.refresh_from_db()
    return campaign


def go_online(provider):
    provider.advance(60)
    provider.tick()


def take_each_offline(provider, campaigns) -> None:
    """Each campaign changes at its own moment (the provider's ``modifiedOn`` has millisecond
    precision), as at a real service where changes do not all share one instant."""
    for campaign in campaigns:
        provider.edit_campaign(
            campaign.provider_campaign_id,
            str(campaign.organization.provider_customer_id),
            status="offline",
        )
        time.sleep(0.005)


def list_calls(provider) -> list[str]:
    """The query strings of the campaign list calls sent."""
    return [query for method, path, query in provider.queries if path == "/campaigns"]


def statuses(campaigns) -> set[str]:
    return {posting.status for campaign in campaigns for posting in campaign.postings.all()}


def test_one_list_call_brings_every_organisations_changes(provider):
    campaigns = [delivered_campaign() for _ in range(4)]
    go_online(provider)
    run = status_poll_run(budget=10)
    assert run.partner_level
    assert run.calls == {PARTNER: 1}  # four organisations, one call
    assert statuses(campaigns) == {PostingStatus.ONLINE}
    cursor = PartnerPollCursor.objects.get()
    assert cursor.refused_at is None and cursor.polled_at is not None
    # Nothing changed since: one call again, nothing applied, and the cursor holds.
    again = status_poll_run(budget=10)
    assert (again.calls, again.changed) == ({PARTNER: 1}, 0)


def test_the_cost_grows_with_the_changes_not_with_the_organisations(provider, settings):
    settings.CAMPAIGNS_POLL_PAGE_SIZE = 2
    campaigns = [delivered_campaign() for _ in range(6)]
    status_poll_run(budget=10)  # the cursor now stands after the orders
    take_each_offline(provider, campaigns[:5])  # five campaigns change: three pages of two
    run = status_poll_run(budget=10)
    assert run.calls == {PARTNER: 3}
    assert statuses(campaigns[:5]) == {PostingStatus.OFFLINE}
    take_each_offline(provider, campaigns[5:])
    run = status_poll_run(budget=10)  # one changed (and the boundary one): one page
    assert run.calls == {PARTNER: 1}
    assert statuses(campaigns) == {PostingStatus.OFFLINE}


def test_a_run_out_of_budget_goes_on_from_where_it_stopped(provider, settings):
    settings.CAMPAIGNS_POLL_PAGE_SIZE = 2
    campaigns = [delivered_campaign() for _ in range(5)]
    status_poll_run(budget=10)
    take_each_offline(provider, campaigns)
    first = status_poll_run(budget=2)
    assert first.calls == {PARTNER: 2}  # two pages: the four oldest changes
    assert statuses(campaigns[:4]) == {PostingStatus.OFFLINE}
    assert statuses(campaigns[4:]) != {PostingStatus.OFFLINE}
    second = status_poll_run(budget=2)
    assert second.calls == {PARTNER: 1}  # from the fourth change on: one page
    assert statuses(campaigns) == {PostingStatus.OFFLINE}


def test_a_campaign_the_provider_says_another_customer_ordered_is_not_applied(provider):
    ours, theirs = delivered_campaign(), delivered_campaign()
    # Our record points at the other organisation's campaign at the provider (an id
    # mix-up): its changes must not move our postings.
    Campaign.objects.filter(pk=theirs.pk).update(provider_campaign_id="moved-away")
    Campaign.objects.filter(pk=ours.pk).update(provider_campaign_id=theirs.provider_campaign_id)
    go_online(provider)
    status_poll_run(budget=10)
    assert PostingStatus.ONLINE not in statuses([ours])


@both_profiles
def test_where_the_partner_level_is_refused_each_organisation_is_polled(provider, settings):
    campaigns = [delivered_campaign() for _ in range(3)]
    go_online(provider)
    run = status_poll_run(budget=10)
    assert statuses(campaigns) == {PostingStatus.ONLINE}
    refused = provider.profile == "openapi"
    assert run.partner_level is not refused
    if refused:
        # One refused partner-level call, then one call per organisation.
        assert run.calls[PARTNER] == 1
        assert sum(n for kind, n in run.calls.items() if kind != PARTNER) == 3
        assert PartnerPollCursor.objects.get().refused_at is not None
        # The next runs do not ask the partner level again...
        before = len(list_calls(provider))
        assert PARTNER not in status_poll_run(budget=10).calls
        assert len(list_calls(provider)) - before == 3
        # ...until a day has passed: the provider may have enabled it meanwhile.
        later = timezone.now() + sync.PARTNER_POLL_ASK_AGAIN + timedelta(minutes=1)
        assert status_poll_run(budget=10, now=later).calls[PARTNER] == 1
    else:
        assert run.calls == {PARTNER: 1}


def test_a_partner_level_enabled_later_is_used_after_the_day(provider):
    campaigns = [delivered_campaign() for _ in range(2)]
    provider.partner_campaign_list(False)
    status_poll_run(budget=10)
    assert PartnerPollCursor.objects.get().refused_at is not None
    provider.partner_campaign_list(True)
    go_online(provider)
    later = timezone.now() + sync.PARTNER_POLL_ASK_AGAIN + timedelta(minutes=1)
    run = status_poll_run(budget=10, now=later)
    assert run.partner_level and run.calls == {PARTNER: 1}
    assert statuses(campaigns) == {PostingStatus.ONLINE}
    assert PartnerPollCursor.objects.get().refused_at is None


def test_a_change_read_before_the_delivery_recorded_the_id_is_read_again(provider):
    """The provider answered an order and its campaign changed before our delivery recorded
    the provider's id: the poll recognises it by its orderReference and does not move past
    it, so the next poll applies the change once the id is ours."""
    ours, later = delivered_campaign(), delivered_campaign()
    status_poll_run(budget=10)
    provider_id = ours.provider_campaign_id
    Campaign.objects.filter(pk=ours.pk).update(provider_campaign_id="")  # not recorded yet
    take_each_offline(provider, [ours, later])  # ours changes, then a later one
    status_poll_run(budget=10)
    assert PostingStatus.OFFLINE not in statuses([ours])
    Campaign.objects.filter(pk=ours.pk).update(provider_campaign_id=provider_id)
    status_poll_run(budget=10)
    assert statuses([ours]) == {PostingStatus.OFFLINE}
