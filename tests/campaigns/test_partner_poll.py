"""The status poll at the partner level, against a real sandbox: one paged list brings every
organisation's changes (the guides), and where the provider refuses it (the OpenAPI
document's reading, or a list that does not show our campaigns) the poll goes organisation
by organisation and asks again a day later. Also how the list is paged: changes sharing one
instant, changes during the paging, a read cut short."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import (
    Campaign,
    PartnerPollCursor,
    PostingStatus,
    StatusPollCursor,
)
from campaigns.services import list_poll
from campaigns.services.poll_schedule import PARTNER, status_poll_run
from campaigns.services.take_down import campaign_take_down
from distribution.client import ProviderClient
from tests.campaigns.sandbox_setup import delivered_campaign, go_online, take_each_offline
from tests.fixtures.sandbox import both_profiles

# Also in CI's SQLite pass: the partner-level lock is a cache lease there.
pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def list_calls(provider) -> list[str]:
    """The query strings of the campaign list calls sent."""
    return [query for method, path, query in provider.queries if path == "/campaigns"]


def verified_and_caught_up() -> None:
    """A first run: the partner-level list is verified (one call) and the cursor stands
    after the orders."""
    run = status_poll_run(budget=10)
    assert run.partner_level and PartnerPollCursor.objects.get().verified_at is not None


def statuses(campaigns) -> set[str]:
    return {posting.status for campaign in campaigns for posting in campaign.postings.all()}


def test_one_list_call_brings_every_organisations_changes(provider):
    campaigns = [delivered_campaign() for _ in range(4)]
    go_online(provider)
    run = status_poll_run(budget=10)
    assert run.partner_level
    # Four organisations: one call to check that the list shows our campaigns, one list call.
    assert run.calls == {PARTNER: 2}
    assert statuses(campaigns) == {PostingStatus.ONLINE}
    cursor = PartnerPollCursor.objects.get()
    assert cursor.refused_at is None and cursor.polled_at is not None
    # Nothing changed since: one call, nothing applied.
    again = status_poll_run(budget=10)
    assert (again.calls, again.changed) == ({PARTNER: 1}, 0)


def test_the_cost_grows_with_the_changes_not_with_the_organisations(provider, settings):
    settings.CAMPAIGNS_POLL_PAGE_SIZE = 4
    campaigns = [delivered_campaign() for _ in range(6)]
    verified_and_caught_up()
    take_each_offline(provider, campaigns[:5])  # five changes (and the boundary): two pages
    run = status_poll_run(budget=10)
    assert run.calls == {PARTNER: 2}
    assert statuses(campaigns[:5]) == {PostingStatus.OFFLINE}
    take_each_offline(provider, campaigns[5:])  # one change (and the boundary): one page
    run = status_poll_run(budget=10)
    assert run.calls == {PARTNER: 1}
    assert statuses(campaigns) == {PostingStatus.OFFLINE}


def test_a_run_out_of_budget_goes_on_from_where_it_stopped(provider, settings):
    settings.CAMPAIGNS_POLL_PAGE_SIZE = 2
    campaigns = [delivered_campaign() for _ in range(5)]
    verified_and_caught_up()
    take_each_offline(provider, campaigns)
    first = status_poll_run(budget=2)
    assert first.calls == {PARTNER: 2}
    done = [c for c in campaigns if statuses([c]) == {PostingStatus.OFFLINE}]
    assert done == campaigns[: len(done)] and 2 <= len(done) < 5  # the oldest changes first
    status_poll_run(budget=2)
    assert statuses(campaigns) == {PostingStatus.OFFLINE}


def test_changes_sharing_one_instant_beyond_a_runs_pages_are_read_through(provider, settings):
    """One provider tick moves five campaigns at the same instant; two pages of two per run:
    the read skips those it has read at that instant instead of reading them forever."""
    settings.CAMPAIGNS_POLL_PAGE_SIZE = 2
    campaigns = [delivered_campaign() for _ in range(5)]
    verified_and_caught_up()
    go_online(provider)  # one tick: five campaigns, one modifiedOn
    for _run in range(4):
        status_poll_run(budget=2)
    assert statuses(campaigns) == {PostingStatus.ONLINE}


def test_a_campaign_changing_while_the_list_is_paged_makes_none_skipped(
    provider, settings, monkeypatch
):
    """A campaign of the first page changes before the second page is read: it moves to the
    end of the list, and every campaign after it is still read."""
    settings.CAMPAIGNS_POLL_PAGE_SIZE = 2
    campaigns = [delivered_campaign() for _ in range(5)]
    verified_and_caught_up()
    take_each_offline(provider, campaigns)
    original = ProviderClient.list_campaigns_modified_since
    reads = []

    def change_the_first_between_two_pages(self, since, **kwargs):
        # Not a stand-in for the provider: the real call, with a real change at the sandbox
        # slipped in between two pages, which no test could time otherwise.
        page = original(self, since, **kwargs)
        reads.append(kwargs.get("offset"))
        if len(reads) == 1:
            first = campaigns[0]
            provider.edit_campaign(
                first.provider_campaign_id,
                str(first.organization.provider_customer_id),
                products=[
                    {"productId": first.postings.first().product_id, "statusDescription": "x"}
                ],
            )
        return page

    monkeypatch.setattr(
        ProviderClient, "list_campaigns_modified_since", change_the_first_between_two_pages
    )
    status_poll_run(budget=10)
    assert statuses(campaigns) == {PostingStatus.OFFLINE}


def test_a_read_cut_short_keeps_what_it_applied(provider, settings, monkeypatch):
    """The provider fails on the second page: the first page's campaigns stay applied and
    the cursor keeps them, so the next run goes on from there."""
    settings.CAMPAIGNS_POLL_PAGE_SIZE = 2
    campaigns = [delivered_campaign() for _ in range(5)]
    verified_and_caught_up()
    before = PartnerPollCursor.objects.get().modified_since
    take_each_offline(provider, campaigns)
    original = ProviderClient.list_campaigns_modified_since
    reads = []

    def fail_the_second_page(self, since, **kwargs):
        # The real call; a real 503 of the sandbox is armed for the second page only.
        reads.append(kwargs.get("offset"))
        if len(reads) == 2:
            provider.add_fault(kind="error", path="/campaigns", method="GET", status=503, times=1)
        return original(self, since, **kwargs)

    monkeypatch.setattr(ProviderClient, "list_campaigns_modified_since", fail_the_second_page)
    status_poll_run(budget=10)
    assert statuses(campaigns[:1]) == {PostingStatus.OFFLINE}
    assert PartnerPollCursor.objects.get().modified_since > before
    status_poll_run(budget=10)
    assert statuses(campaigns) == {PostingStatus.OFFLINE}


def test_a_campaign_the_provider_says_another_customer_ordered_is_not_applied(provider):
    ours, theirs = delivered_campaign(), delivered_campaign()
    verified_and_caught_up()
    # Our record points at the other organisation's campaign at the provider (an id
    # mix-up): its changes must not move our postings.
    Campaign.objects.filter(pk=theirs.pk).update(provider_campaign_id="moved-away")
    Campaign.objects.filter(pk=ours.pk).update(provider_campaign_id=theirs.provider_campaign_id)
    go_online(provider)
    status_poll_run(budget=10)
    assert PostingStatus.ONLINE not in statuses([ours])


@both_profiles
def test_where_the_partner_level_is_refused_each_organisation_is_polled(provider):
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
        later = timezone.now() + list_poll.PARTNER_POLL_ASK_AGAIN + timedelta(minutes=1)
        assert status_poll_run(budget=10, now=later).calls[PARTNER] == 1
    else:
        assert run.calls == {PARTNER: 2}


def test_a_partner_list_that_does_not_show_our_campaigns_is_not_relied_on(provider):
    """A 200 with an empty list (a service that accepts the partner level and shows it
    nothing) would stop every status silently: the poll goes organisation by organisation."""
    campaigns = [delivered_campaign() for _ in range(2)]
    provider.partner_campaign_list("empty")
    go_online(provider)
    run = status_poll_run(budget=10)
    assert not run.partner_level
    assert PartnerPollCursor.objects.get().refused_at is not None
    assert statuses(campaigns) == {PostingStatus.ONLINE}


def test_a_partner_level_enabled_later_is_used_after_the_day(provider):
    campaigns = [delivered_campaign() for _ in range(2)]
    provider.partner_campaign_list(False)
    status_poll_run(budget=10)
    assert PartnerPollCursor.objects.get().refused_at is not None
    provider.partner_campaign_list(True)
    go_online(provider)
    later = timezone.now() + list_poll.PARTNER_POLL_ASK_AGAIN + timedelta(minutes=1)
    run = status_poll_run(budget=10, now=later)
    assert run.partner_level and run.calls == {PARTNER: 2}  # verified again, then read
    assert statuses(campaigns) == {PostingStatus.ONLINE}
    assert PartnerPollCursor.objects.get().refused_at is None


def test_the_partner_cursor_starts_where_the_organisations_polls_stand(provider):
    """Not at the oldest live campaign of all (weeks back at an installation that polled
    customer by customer): where every organisation has read from."""
    first, second = delivered_campaign(), delivered_campaign()
    Campaign.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=20))
    now = timezone.now()
    for campaign, ago in ((first, 5), (second, 9)):
        StatusPollCursor.objects.create(
            organization=campaign.organization, modified_since=now - timedelta(minutes=ago)
        )
    verified_and_caught_up()
    [read] = [query for query in list_calls(provider) if "modifiedOn_gte" in query]
    nine_minutes_ago = (now - timedelta(minutes=9)).strftime("%Y-%m-%dT%H%%3A%M%%3A%S")
    assert f"modifiedOn_gte={nine_minutes_ago}" in read
    # Refused later, each organisation's own poll starts where the partner level stood.
    list_poll.partner_poll_refused()
    stood = PartnerPollCursor.objects.get().modified_since
    assert set(StatusPollCursor.objects.values_list("modified_since", flat=True)) == {stood}


def test_a_change_before_the_delivery_recorded_the_id_does_not_hold_the_others(provider, settings):
    """Our campaign changed at the provider before our delivery recorded its id: the others'
    changes still go through at once, and ours is left to a fetch of its own (the refresh
    task waits for the id; see test_sync's in-flight test with a real worker)."""
    settings.CAMPAIGNS_POLL_PAGE_SIZE = 2
    ours = delivered_campaign()
    others = [delivered_campaign() for _ in range(5)]
    verified_and_caught_up()
    Campaign.objects.filter(pk=ours.pk).update(provider_campaign_id="")  # in flight
    take_each_offline(provider, [ours, *others])
    for _run in range(3):
        status_poll_run(budget=2)
    assert statuses(others) == {PostingStatus.OFFLINE}


def test_a_take_down_the_provider_could_not_be_reached_for_is_sent_by_the_poll(provider, recruiter):
    campaign = delivered_campaign()
    verified_and_caught_up()
    go_online(provider)
    status_poll_run(budget=10)
    provider.add_fault(kind="error", status=503, path="/campaigns/", method="PUT", times=2)
    by = campaign.ordered_by
    assert campaign_take_down(org=campaign.organization, campaign_id=campaign.pk, by=by).waiting
    later = timezone.now() + timedelta(minutes=2)
    run = status_poll_run(budget=10, now=later)  # nothing changed at the provider
    assert run.calls.get("take_down") == 1
    assert statuses([campaign]) == {PostingStatus.OFFLINE}


def test_a_partner_list_read_before_any_delivery_is_verified_later(provider):
    """A brand-new installation: the first read (a webhook's sweep) comes before any
    delivery, so there is nothing of ours to look for yet. The list is not trusted for that:
    once campaigns are delivered, an empty list is found out."""
    provider.partner_campaign_list("empty")
    list_poll.status_poll_partner(max_pages=10)
    assert PartnerPollCursor.objects.get().verified_at is None
    campaigns = [delivered_campaign() for _ in range(2)]
    go_online(provider)
    run = status_poll_run(budget=10)
    assert not run.partner_level and PartnerPollCursor.objects.get().refused_at is not None
    assert statuses(campaigns) == {PostingStatus.ONLINE}


def test_a_partner_list_answered_in_a_shape_we_cannot_read_is_a_refusal(provider):
    campaigns = [delivered_campaign() for _ in range(2)]
    # The partner-level read answers a shape we cannot read (once: the per-organisation
    # reads after it go through the same path).
    provider.add_fault(kind="answer", path="^/campaigns$", method="GET", body={"what": 1}, times=1)
    go_online(provider)
    run = status_poll_run(budget=10)
    assert not run.partner_level and PartnerPollCursor.objects.get().refused_at is not None
    assert statuses(campaigns) == {PostingStatus.ONLINE}  # read organisation by organisation
