"""The demo campaigns: one per status, ordered through a real sandbox process, honest about
their dates, ad links, clicks and failure reasons, and idempotent."""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import Organization, User
from campaigns import demo
from campaigns.history.board_performance import Period, board_performance
from campaigns.models import Campaign, EventSource, PostingStatus
from campaigns.services.sync import campaign_refresh
from contracts import demo as contracts_demo
from contracts.models import Contract, ContractStatus
from contracts.services.refresh import contract_check
from distribution import demo as distribution_demo
from jobs import demo as jobs_demo
from jobs.models import Application, JobViewCounter
from tests.fixtures.sandbox import REPO_ROOT

pytestmark = [pytest.mark.django_db, pytest.mark.embedded, pytest.mark.usefixtures("empty_cache")]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def seeding_settings(settings, tmp_path):
    """The product's provider on a free local port, the sandbox's state file in tmp_path:
    what ``make run`` has on 8100 and var/sandbox."""
    settings.PROVIDER_BASE_URL = f"http://127.0.0.1:{_free_port()}"
    settings.DEMO_SANDBOX_DATA_DIR = tmp_path / "sandbox"
    return settings


@pytest.fixture
def procfile_sandbox(seeding_settings):
    """The sandbox as the Procfile starts it after the seeding: same port, same state file,
    its own (accelerated) settings."""
    port = seeding_settings.PROVIDER_BASE_URL.rsplit(":", 1)[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sandbox",
            "--port",
            port,
            "--data-dir",
            str(seeding_settings.DEMO_SANDBOX_DATA_DIR),
            "--online-after",
            "15",
            "--day-seconds",
            "20",
        ],
        cwd=REPO_ROOT,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in process.stdout:
        if line.startswith("sandbox listening on "):
            break
    session = requests.Session()
    session.headers["X-Auth-Token"] = seeding_settings.PROVIDER_TOKEN
    session.base = seeding_settings.PROVIDER_BASE_URL
    yield session
    process.terminate()
    process.wait(timeout=10)


def _seed_everything(messages: list) -> None:
    for module in (accounts_demo, distribution_demo, jobs_demo, contracts_demo, demo):
        module.seed(log=messages.append)


@pytest.fixture
def seeded(seeding_settings):
    messages: list[str] = []
    _seed_everything(messages)
    _seed_everything(messages)  # twice: nothing more
    return messages


def test_demo_campaigns_go_through_the_sandbox_dated_in_order(seeded, seeding_settings):
    acme = Organization.objects.get(slug="acme-talent")
    campaigns = Campaign.objects.for_org(acme).filter(name__startswith=demo.DEMO_PREFIX)
    assert campaigns.count() == 4
    assert "already there" in seeded[-1]
    assert set(campaigns.values_list("status", flat=True)) == {
        "in_progress",
        "online",
        "offline",
        "failed",
    }
    now = timezone.now()
    base = seeding_settings.PROVIDER_BASE_URL
    for campaign in campaigns:
        # A provider id the sandbox handed out, not a synthetic one.
        assert campaign.provider_campaign_id and not campaign.provider_campaign_id.startswith(
            "demo-"
        )
        assert now - timedelta(days=61) < campaign.created_at <= now
        for posting in campaign.postings.all():
            ordered = posting.created_at
            if posting.published_at:
                assert ordered <= posting.published_at <= now
                assert posting.job_board_link.startswith(f"{base}/_sandbox/boards/")
            if posting.offline_at:
                assert posting.published_at <= posting.offline_at <= now
            events = list(posting.events.order_by("recorded_at", "id"))
            stamps = [event.recorded_at for event in events]
            assert stamps == sorted(stamps)
            assert [e.observed_at for e in events] == stamps
            assert stamps[0] == ordered and stamps[-1] <= now
            if posting.status == PostingStatus.ONLINE:
                online = next(e for e in events if e.to_status == PostingStatus.ONLINE)
                assert online.recorded_at >= posting.published_at
            # Views only on the days the ad was online.
            days = set(
                JobViewCounter.objects.filter(utm_content=posting.utm_content).values_list(
                    "day", flat=True
                )
            )
            applied = list(
                Application.objects.filter(utm_content=posting.utm_content).values_list(
                    "created_at", flat=True
                )
            )
            if posting.published_at is None:
                assert not days and not applied
            else:
                first = timezone.localtime(posting.published_at).date()
                last = timezone.localtime(posting.offline_at or now).date()
                assert days and min(days) >= first and max(days) <= last
                assert all(
                    posting.published_at < at <= (posting.offline_at or now) for at in applied
                )
    # The Performance page's charts are not empty: views and applications spread over weeks.
    figures = board_performance(org=acme, period=Period.last_days(60))
    assert sum(board.raw_views for board in figures.boards) > 0
    assert sum(board.raw_applications for board in figures.boards) > 0
    days_with_views = {p.day for s in figures.series for p in s.points if p.views}
    assert max(days_with_views) - min(days_with_views) >= timedelta(days=30)


def test_demo_ads_are_served_and_clicks_stop_once_offline(seeded, procfile_sandbox):
    acme = Organization.objects.get(slug="acme-talent")
    postings = {
        p.status: p
        for c in Campaign.objects.for_org(acme).filter(name__startswith=demo.DEMO_PREFIX)
        for p in c.postings.all()
    }
    online, offline = postings[PostingStatus.ONLINE], postings[PostingStatus.OFFLINE]
    page = requests.get(online.job_board_link, timeout=10)
    assert page.status_code == 200
    assert online.campaign.job.title in page.text
    career_page = online.campaign.payload["posting"]["job_page_url"]
    assert f'href="{career_page}"' in page.text
    assert requests.get(offline.job_board_link, timeout=10).status_code == 410
    assert offline.clicks > 0

    # Two days later (the demo postings keep the real days they were ordered with, whatever
    # the Procfile's sandbox says for new ones), read back as the sync does.
    procfile_sandbox.post(
        f"{procfile_sandbox.base}/_sandbox/clock/advance",
        json={"seconds": 2 * 86400},
        timeout=10,
    ).raise_for_status()
    before = {online.pk: online.clicks, offline.pk: offline.clicks}
    for posting in (online, offline):
        campaign_refresh(
            provider_campaign_id=posting.campaign.provider_campaign_id, source=EventSource.POLL
        )
        posting.refresh_from_db()
    assert online.clicks > before[online.pk]
    assert offline.clicks == before[offline.pk]


def test_the_failed_demo_board_says_why_in_french(seeded, client):
    acme = Organization.objects.get(slug="acme-talent")
    failed = Campaign.objects.for_org(acme).get(name__startswith=demo.DEMO_PREFIX, status="failed")
    client.force_login(User.objects.get(email="recruiter@acme.test"))
    url = reverse("campaign_detail", args=[failed.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "The job board rejected the posting." in english
    assert "Le site d&#x27;emploi a refusé l&#x27;annonce." in french
    assert "The job board rejected the posting." not in french


def test_no_sandbox_no_demo_campaigns_and_no_failure(seeding_settings):
    """A provider that is not local (or a port already taken): make run still goes on."""
    seeding_settings.PROVIDER_BASE_URL = "https://provider.example.com"
    messages: list[str] = []
    _seed_everything(messages)
    assert not Campaign.objects.exists()
    assert any("demo campaigns skipped" in m for m in messages)


def test_the_refused_demo_contract_stays_refused_when_read_again(seeded, procfile_sandbox):
    """The sandbox refuses it too: Check now (and the daily refresh) finds the refusal, in
    both languages, instead of clearing it."""
    acme = Organization.objects.get(slug="acme-talent")
    refused = Contract.objects.for_org(acme).exclude(provider_errors=[]).get()
    checked = contract_check(contract=refused)
    assert checked.status == ContractStatus.NEEDS_ATTENTION
    assert checked.provider_errors == [contracts_demo.DEMO_PROVIDER_ERROR]
    assert checked.provider_errors_fr == [contracts_demo.DEMO_PROVIDER_ERROR_FR]
