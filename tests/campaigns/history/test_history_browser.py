"""One real journey in Chromium: an admin opens History, filters to the Online postings of one
job board, opens a campaign (its timeline and chart), and exports the filtered rows as CSV."""

import csv
import io

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from campaigns.models import PostingStatus
from tests.campaigns.history.factories import (
    OnlinePostingFactory,
    PostingEventFactory,
    PostingFactory,
)
from tests.contracts.factories import ChannelFactory
from tests.factories import AdminMembershipFactory, OrganizationFactory
from tests.jobs.factories import JobFactory, JobViewCounterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_context(browser, live_server):
    org = OrganizationFactory(name="Acme History", my_own_contracts_enabled=True)
    admin = AdminMembershipFactory(organization=org).user
    client = Client()
    client.force_login(admin)
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    yield org, context
    context.close()


def test_filter_open_a_campaign_and_export_the_filtered_rows(admin_context, tmp_path):
    org, context = admin_context
    naukri, bayt = ChannelFactory(name="Naukri"), ChannelFactory(name="Bayt")
    job = JobFactory(organization=org, title="Data engineer")
    wanted = []
    for index in range(3):
        posting = OnlinePostingFactory(
            campaign__job=job, campaign__name=f"Naukri online {index}", channel=naukri, clicks=2
        )
        JobViewCounterFactory(job=job, utm_content=posting.utm_content, count=index + 1)
        wanted.append(posting)
    PostingEventFactory(
        posting=wanted[0],
        from_status=PostingStatus.IN_PROGRESS,
        to_status=PostingStatus.ONLINE,
        description="Published by the board",
    )
    PostingFactory(campaign__job=job, campaign__name="Naukri waiting", channel=naukri)
    OnlinePostingFactory(campaign__job=job, campaign__name="Bayt online", channel=bayt)
    violations: list[str] = []
    page = context.new_page()
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )

    page.goto("/administration/job-boards/")
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="My Own Contracts history")).to_be_visible()
    expect(page.get_by_test_id("history-rows").locator("tr")).to_have_count(5)

    page.get_by_label("Status").select_option(label="Online")
    page.get_by_label("Job board").select_option(label="Naukri")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_test_id("history-rows").locator("tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("history-rows")).not_to_contain_text("Bayt online")
    expect(page.get_by_test_id("history-rows")).not_to_contain_text("Naukri waiting")
    assert "status=online" in page.url and f"board={naukri.pk}" in page.url

    # Export the filtered rows.
    with page.expect_download() as download_info:
        page.get_by_test_id("history-csv").click()
    path = tmp_path / "history.csv"
    download_info.value.save_as(path)
    header, *lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert header[:5] == ["Campaign", "Job", "Recruiter", "Job board", "Status"]
    assert sorted(line[0] for line in lines) == [f"Naukri online {i}" for i in range(3)]
    assert {(line[3], line[4]) for line in lines} == {("Naukri", "Online")}

    # Open one campaign: its timeline and its chart.
    page.get_by_role("link", name="Naukri online 0").click()
    expect(page.get_by_test_id("campaign-name")).to_have_text("Naukri online 0")
    expect(page.get_by_test_id("posting-timeline")).to_contain_text("Published by the board")
    expect(page.get_by_test_id("posting-chart").locator("svg polyline")).to_have_count(2)
    expect(page.get_by_test_id("posting-metrics")).to_contain_text("Views: 1")
    assert violations == []
