"""The provider unreachable for longer than the retry schedule: a real worker reaches the
sandbox through a TCP proxy that refuses every connection for a while.

Orders placed meanwhile stay queued (never Failed, whatever the attempts), go out once the
provider is back, each once, and their statuses converge. People are told: the Job boards
card (Administration), the Sourcing tab's card and the campaign page say since when the
provider cannot be reached, from the health the transport recorded, and stop saying it once
it answers again.
"""

import pytest
from django.urls import reverse

from campaigns.models import (
    AttemptOutcome,
    CampaignStatus,
    OrderOutbox,
    OutboxState,
    PostingStatus,
    SubmitAttempt,
)
from campaigns.services.list_poll import status_poll
from distribution.client import provider_client
from distribution.errors import ProviderUnavailable
from distribution.models import ProviderHealth
from tests.campaigns.sandbox_setup import INDEED, place_order, sandbox_contract, sandbox_job
from tests.campaigns.test_pipeline import orders_at_sandbox, settled, wait_for
from tests.contracts.factories import ContractGroupFactory
from tests.fixtures.celery_worker import (
    CeleryWorker,
    purge_broker,
    require_pipeline_services,
    worker_env,
)
from tests.fixtures.tcp_proxy import TcpProxy, through

pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(300)]

MAX_ATTEMPTS = 3
OUTAGE_EN = "The job board provider cannot be reached since {since}"
ORDER_KEPT_EN = "your order is kept and will be sent when it answers."
OUTAGE_FR = "Le fournisseur des sites d’emploi est injoignable depuis {since}"


@pytest.fixture
def provider_proxy(sandbox):
    with TcpProxy.towards(sandbox.url) as proxy:
        yield proxy


@pytest.fixture
def worker_via_proxy(transactional_db, sandbox, provider_proxy):
    """A real worker that reaches the provider through the proxy, and gives up on an
    unknown outcome after three attempts (a short retry schedule)."""
    require_pipeline_services()
    purge_broker()
    env = worker_env(
        sandbox,
        PROVIDER_BASE_URL=through(sandbox.url, provider_proxy),
        CAMPAIGNS_SUBMIT_MAX_ATTEMPTS=str(MAX_ATTEMPTS),
    )
    worker = CeleryWorker(env).start()
    yield worker
    worker.stop()
    purge_broker()


@pytest.fixture
def setup(provider, enabled_org, recruiter, settings):
    settings.PROVIDER_OUTAGE_NOTICE_SECONDS = 0  # tell people at the first failure
    group = ContractGroupFactory(organization=enabled_org, name="Sandbox")
    job = sandbox_job(enabled_org, recruiter)
    return job, recruiter, sandbox_contract(enabled_org, group, INDEED)


def attempts(campaign) -> int:
    return SubmitAttempt.objects.filter(campaign=campaign).count()


def test_a_long_provider_outage_keeps_the_orders_shows_it_and_sends_each_once_after(
    setup, worker_via_proxy, provider_proxy, sandbox, client, admin
):
    job, recruiter, indeed = setup
    worker = worker_via_proxy
    provider_proxy.cut()
    orders = [
        place_order(job, recruiter, [indeed], campaign_name=f"During the outage {n}")
        for n in range(2)
    ]
    # Longer than the retry schedule: every order was tried more often than it would be
    # for an outcome that is unknown.
    for campaign in orders:
        wait_for(
            lambda c=campaign: attempts(c) > MAX_ATTEMPTS + 1,
            what="attempts past the retry schedule",
            worker=worker,
        )
    for campaign in orders:
        campaign.refresh_from_db()
        assert OrderOutbox.objects.get(campaign=campaign).state == OutboxState.PENDING
        assert campaign.status != CampaignStatus.FAILED
        assert PostingStatus.FAILED not in {p.status for p in campaign.postings.all()}
        assert orders_at_sandbox(sandbox, campaign) == 0

    # The outage is shown, from the health the worker's transport recorded.
    health = ProviderHealth.objects.get()
    since = health.failing_since.strftime("%H:%M")
    client.force_login(admin)
    cards = [
        client.get(reverse("job_boards")).text,
        client.get(reverse("job_sourcing_boards", kwargs={"job_id": job.pk})).text,
    ]
    for html in cards:
        assert OUTAGE_EN.format(since=since) in html
        assert "Orders placed meanwhile are kept and sent when it answers" in html
    campaign_url = reverse("campaign_detail", kwargs={"campaign_id": orders[0].pk})
    page = client.get(campaign_url).text
    assert OUTAGE_EN.format(since=since) + "; " + ORDER_KEPT_EN in page
    french = client.get(campaign_url, HTTP_ACCEPT_LANGUAGE="fr").text
    assert OUTAGE_FR.format(since=since) in french

    provider_proxy.restore()
    for campaign in orders:
        wait_for(lambda c=campaign: settled(c), timeout=90, what="delivery", worker=worker)
    for campaign in orders:
        campaign.refresh_from_db()
        assert OrderOutbox.objects.get(campaign=campaign).state == OutboxState.DONE
        assert orders_at_sandbox(sandbox, campaign) == 1
        outcomes = SubmitAttempt.objects.filter(campaign=campaign).values_list("outcome", flat=True)
        assert list(outcomes).count(AttemptOutcome.ORDERED) == 1
    assert sandbox.stats()["orders_total"] == len(orders)

    # The provider answers again: nobody is told of an outage any more.
    assert ProviderHealth.objects.get().failing_since is None
    assert 'data-testid="provider-outage"' not in client.get(reverse("job_boards")).text
    assert 'data-testid="provider-outage"' not in client.get(campaign_url).text

    # Statuses converge.
    sandbox.advance_to_online()
    status_poll(org=job.organization)
    for campaign in orders:
        assert {p.status for p in campaign.postings.all()} == {PostingStatus.ONLINE}


def test_orders_placed_while_the_provider_answers_only_5xx_wait_and_go_out_once_after(
    setup, worker_via_proxy, sandbox
):
    """The provider's front answers, its service does not: every call gets a 503, which
    alone leaves an order's outcome unknown. The outage had begun before the order was first
    tried, so the order waits instead of giving up, then is looked up and sent once."""
    job, recruiter, indeed = setup
    worker = worker_via_proxy
    sandbox.add_fault(kind="error", status=503)  # every call, until cleared
    with pytest.raises(ProviderUnavailable):
        provider_client().list_channels(limit=1)  # the outage is recorded before the order
    campaign = place_order(job, recruiter, [indeed], campaign_name="During the 503s")
    wait_for(
        lambda: attempts(campaign) > MAX_ATTEMPTS + 1,
        what="attempts past the retry schedule",
        worker=worker,
    )
    campaign.refresh_from_db()
    assert OrderOutbox.objects.get(campaign=campaign).state == OutboxState.PENDING
    assert campaign.status not in (CampaignStatus.FAILED, CampaignStatus.CHECKING)
    assert orders_at_sandbox(sandbox, campaign) == 0

    sandbox.clear_faults()
    wait_for(lambda: settled(campaign), timeout=90, what="delivery", worker=worker)
    assert OrderOutbox.objects.get(campaign=campaign).state == OutboxState.DONE
    assert orders_at_sandbox(sandbox, campaign) == 1
    outcomes = list(
        SubmitAttempt.objects.filter(campaign=campaign)
        .order_by("number")
        .values_list("outcome", flat=True)
    )
    assert outcomes[-1] == AttemptOutcome.ORDERED and outcomes.count(AttemptOutcome.ORDERED) == 1
