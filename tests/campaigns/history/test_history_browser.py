"""Real journeys in Chromium: an admin opens History, filters to the Online postings of one
job board and one job (picked in the type-ahead), opens a campaign (its timeline and chart),
and exports the filtered rows as CSV; and the History at 390 px wide, in French."""

import csv
import io
import os

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from campaigns.models import PostingStatus
from tests.campaigns.factories import CampaignFactory, PostingEventFactory, PostingFactory
from tests.contracts.factories import ChannelFactory
from tests.factories import AdminMembershipFactory, OrganizationFactory
from tests.jobs.factories import JobFactory, JobViewCounterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Set to a folder to keep a screenshot of each page the journeys look at.
SCREENSHOTS = os.environ.get("HISTORY_SCREENSHOTS")


@pytest.fixture
def org():
    return OrganizationFactory(name="Acme History", my_own_contracts_enabled=True)


@pytest.fixture
def admin_context(browser, live_server, org):
    admin = AdminMembershipFactory(organization=org).user
    client = Client()
    client.force_login(admin)

    def new_context(**options):
        context = browser.new_context(base_url=live_server.url, **options)
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
        contexts.append(context)
        return context

    contexts = []
    yield new_context
    for context in contexts:
        context.close()


def console_errors(page) -> list[str]:
    """Errors the page logs: Content-Security-Policy violations, SVG attributes that are not
    numbers ("Expected length"), scripts that fail."""
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" or "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"))


def test_filter_pick_a_job_open_a_campaign_and_export(admin_context, org, tmp_path):
    naukri, bayt = ChannelFactory(name="Naukri"), ChannelFactory(name="Bayt")
    job = JobFactory(organization=org, title="Data engineer")
    other_job = JobFactory(organization=org, title="Data analyst")
    wanted = []
    for index in range(3):
        posting = PostingFactory(
            online=True,
            campaign__job=job,
            campaign__name=f"Naukri online {index}",
            contract__channel=naukri,
            clicks=2,
        )
        JobViewCounterFactory(job=job, utm_content=posting.utm_content, count=index + 1)
        wanted.append(posting)
    PostingEventFactory(
        posting=wanted[0],
        from_status=PostingStatus.IN_PROGRESS,
        to_status=PostingStatus.ONLINE,
        description="Published by the board",
    )
    PostingFactory(campaign__job=job, campaign__name="Naukri waiting", contract__channel=naukri)
    PostingFactory(
        online=True, campaign__job=job, campaign__name="Bayt online", contract__channel=bayt
    )
    PostingFactory(
        online=True,
        campaign__job=other_job,
        campaign__name="Analyst on Naukri",
        contract__channel=naukri,
    )
    page = admin_context(accept_downloads=True).new_page()
    errors = console_errors(page)

    page.goto("/administration/job-boards/")
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="My Own Contracts history")).to_be_visible()
    expect(page.get_by_test_id("history-rows").locator("tr")).to_have_count(6)
    screenshot(page, "history-desktop")

    page.get_by_label("Status").select_option(label="Online")
    page.get_by_label("Job board").select_option(label="Naukri")
    # The job filter suggests as one types; arrow keys and Enter pick a suggestion.
    search = page.get_by_role("combobox", name="Job", exact=True)
    search.press_sequentially("data")
    options = page.get_by_role("listbox", name="Jobs").get_by_role("option")
    expect(options).to_have_count(2)
    expect(search).to_have_attribute("aria-expanded", "true")
    screenshot(page, "history-job-suggestions")
    search.press("ArrowDown")
    search.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", f"history-job-option-{job.pk}")
    search.press("Enter")
    expect(search).to_have_value("Data engineer")
    expect(options).to_have_count(0)
    page.get_by_role("button", name="Filter").click()

    rows = page.get_by_test_id("history-rows").locator("tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("history-rows")).not_to_contain_text("Bayt online")
    expect(page.get_by_test_id("history-rows")).not_to_contain_text("Naukri waiting")
    expect(page.get_by_test_id("history-rows")).not_to_contain_text("Analyst on Naukri")
    assert "status=online" in page.url and f"board={naukri.pk}" in page.url
    assert f"job={job.pk}" in page.url
    expect(page.get_by_role("combobox", name="Job", exact=True)).to_have_value("Data engineer")

    # Leaving the box closes the suggestions; typing again forgets the pick; a click picks.
    search = page.get_by_role("combobox", name="Job", exact=True)
    search.fill("")
    search.press_sequentially("data")
    expect(options).to_have_count(2)
    search.press("Tab")
    expect(options).to_have_count(0)
    expect(search).to_have_attribute("aria-expanded", "false")
    search.fill("")
    search.press_sequentially("analyst")
    page.get_by_role("listbox", name="Jobs").get_by_role("option", name="Data analyst").click()
    expect(search).to_have_value("Data analyst")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("history-rows").locator("tr")).to_have_count(1)
    expect(page.get_by_test_id("history-rows")).to_contain_text("Analyst on Naukri")
    page.go_back()
    expect(page.get_by_test_id("history-rows").locator("tr")).to_have_count(3)

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
    assert errors == []


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_history_at_390_px_in_french_scrolls_only_inside_its_table(admin_context, org):
    job = JobFactory(organization=org, title="Ingénieure logiciel principale, plateforme données")
    for index in range(30):
        posting = PostingFactory(
            online=bool(index % 2),
            campaign__job=job,
            campaign__name=f"Campagne de recrutement du printemps numéro {index}",
            contract__channel=ChannelFactory(name=f"Tableau d’offres très connu {index}"),
            clicks=1234,
        )
        JobViewCounterFactory(job=job, utm_content=posting.utm_content, count=12345)
    campaign = CampaignFactory(job=job, name="Campagne au long cours")
    for _ in range(2):
        PostingEventFactory(posting=PostingFactory(online=True, campaign=campaign))
    page = admin_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    errors = console_errors(page)
    page.goto("/administration/job-boards/history/")
    expect(page.get_by_role("heading", name="Historique", exact=False)).to_be_visible()
    # A content area 390 px wide, with or without the side menu beside it (the layout hides
    # it behind a button on phones).
    menu = page.evaluate("document.querySelector('main').getBoundingClientRect().left")
    page.set_viewport_size({"width": 390 + round(menu), "height": 844})
    box = page.get_by_test_id("history-table-box")
    # The table is wider than the phone: it scrolls in its own box, the page does not.
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    assert no_sideways_scroll(page), page.evaluate("document.documentElement.scrollWidth")
    # Scrolled to its end, the campaign column stays in view.
    first_cell = page.get_by_test_id("history-rows").locator("tr").first.locator("th")
    first_cell.scroll_into_view_if_needed()  # the filters come first on a phone
    left_before = first_cell.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    expect(first_cell).to_be_in_viewport()
    assert abs(first_cell.bounding_box()["x"] - left_before) < 1
    screenshot(page, "history-390-fr")

    page.goto(f"/administration/job-boards/history/campaigns/{campaign.pk}/")
    assert page.evaluate("document.querySelector('main').clientWidth") <= 390
    expect(page.get_by_test_id("campaign-name")).to_have_text("Campagne au long cours")
    expect(page.get_by_test_id("posting-chart").first.locator("svg polyline")).to_have_count(2)
    assert no_sideways_scroll(page), page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "history-detail-390-fr")
    assert errors == []
