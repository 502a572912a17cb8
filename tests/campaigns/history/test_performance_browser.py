"""The Performance page in Chromium: an admin opens it from Job boards, chooses a period,
sorts by applications, sees a chart per board with its table; in French at 390 px wide the
page does not scroll sideways (the table scrolls in its own box)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Posting
from tests.campaigns.factories import PostingFactory
from tests.campaigns.history.test_history_browser import (
    admin_context,  # noqa: F401 -- a fixture
    console_errors,
    no_sideways_scroll,
    org,  # noqa: F401 -- a fixture
    screenshot,
)
from tests.campaigns.history.traffic import record_applications, record_views, rolled_up
from tests.contracts.factories import ChannelFactory
from tests.jobs.factories import JobFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.embedded,
    pytest.mark.usefixtures("empty_cache"),
]


def boards_with_traffic(org):  # noqa: F811 -- the fixture's value
    job = JobFactory(organization=org, title="Ingénieure logiciel principale")
    for index, (name, applications) in enumerate([("Indeed", 1), ("Welcome to the Jungle", 3)]):
        posting = PostingFactory(
            online=True,
            campaign__job=job,
            contract__channel=ChannelFactory(name=f"{name} — tableau d’offres très connu"),
            clicks=1234,
        )
        since = timezone.now() - timedelta(days=20)
        Posting.objects.filter(pk=posting.pk).update(created_at=since, published_at=since)
        posting.refresh_from_db()
        for back in range(0, 20, 3):
            record_views(posting, 12345 + index, day=timezone.localdate() - timedelta(days=back))
        record_applications(posting, applications)
    PostingFactory(campaign__job=job, contract__channel=ChannelFactory(name="Jamais publié"))
    rolled_up(org)


def test_admin_opens_performance_chooses_a_period_and_sorts(admin_context, org):  # noqa: F811
    boards_with_traffic(org)
    page = admin_context().new_page()
    errors = console_errors(page)
    page.goto("/administration/job-boards/")
    page.get_by_test_id("performance-link").click()
    expect(page.get_by_role("heading", name="Job board performance")).to_be_visible()
    page.get_by_label("Period").select_option("60")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Period")).to_have_value("60")
    rows = page.get_by_test_id("board-row")
    expect(rows).to_have_count(3)
    # Most applications first by default, unknown ("—") last either way.
    expect(rows.first).to_contain_text("Welcome to the Jungle")
    expect(rows.last).to_contain_text("Jamais publié")
    expect(rows.last.locator('[data-col="views"]')).to_have_text("—")
    header = page.get_by_test_id("board-figures").get_by_role(
        "columnheader", name="Applications", exact=True
    )
    expect(header).to_have_attribute("aria-sort", "descending")
    header.get_by_role("link").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_contain_text("Indeed")
    expect(rows.last).to_contain_text("Jamais publié")
    charts = page.get_by_test_id("board-chart")
    expect(charts).to_have_count(3)
    expect(charts.first.locator("svg polyline")).to_have_count(2)
    expect(charts.first.locator("table")).to_have_count(1)  # its text alternative
    charts.first.get_by_text("Numbers per day").click()
    expect(charts.first.get_by_test_id("chart-table").locator("tbody tr").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("performance-csv").click()
    assert download.value.suggested_filename.startswith("job-board-performance-60d")
    assert errors == []


def test_performance_at_390_px_in_french(admin_context, org):  # noqa: F811
    boards_with_traffic(org)
    page = admin_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    errors = console_errors(page)
    page.goto("/administration/job-boards/performance/")
    expect(page.get_by_role("heading", name="Performance des sites d’emploi")).to_be_visible()
    menu = page.evaluate("document.querySelector('main').getBoundingClientRect().left")
    page.set_viewport_size({"width": 390 + round(menu), "height": 844})
    expect(page.get_by_role("columnheader", name="Coût par candidature")).to_have_count(1)
    assert no_sideways_scroll(page), page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "performance-390-fr")
    assert errors == []
