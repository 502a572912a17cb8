"""In Chromium at 390 px, with the keyboard, against the real sandbox: boards ticked in two
contract groups go through one Target group and one review, and one press of Order campaign
lands on the confirmation listing both groups' campaigns; Order again on a campaign's page
opens the wizard pre-filled with the same boards and requirements, up to the review."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaigns.models import Campaign, CampaignDraft
from tests.campaigns.sandbox_setup import BAYT, INDEED, place_order, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory
from tests.factories import MembershipFactory, OrganizationFactory
from tests.jobs.factories import CareerPageFactory
from tests.pages import PHONE_WIDTH, new_context, watch_console
from tests.test_accessibility_browser import AXE, BLOCKING, RUN_AXE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_groups(provider):
    org = OrganizationFactory(name="Batch Org", my_own_contracts_enabled=True)
    CareerPageFactory(organization=org, slug="batch-org")
    recruiter = MembershipFactory(organization=org, user__full_name="Rita Recruiter").user
    job = sandbox_job(org, recruiter, title="Data engineer")
    indeed = sandbox_contract(org, ContractGroupFactory(organization=org, name="North"), INDEED)
    bayt = sandbox_contract(org, ContractGroupFactory(organization=org, name="South"), BAYT)
    return recruiter, job, indeed, bayt


def _phone_tab(browser, live_server, browser_contexts, user):
    context = new_context(browser, live_server, user=user, width=PHONE_WIDTH)
    browser_contexts.append(context)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return tab


def _no_sideways_scroll(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _serious_violations(tab) -> list[dict]:
    """axe-core's serious and critical findings on the page shown."""
    tab.evaluate(AXE)
    return [v for v in tab.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


def _press(tab, locator, key="Enter"):
    locator.focus()
    tab.keyboard.press(key)


def test_boards_in_two_groups_are_reviewed_and_ordered_with_one_press(
    browser, live_server, browser_contexts, two_groups
):
    recruiter, job, indeed, bayt = two_groups
    tab = _phone_tab(browser, live_server, browser_contexts, recruiter)
    problems: list[str] = []
    watch_console(tab, problems)

    tab.goto(reverse("job_sourcing_boards", kwargs={"job_id": job.pk}))
    tab.wait_for_load_state("load")
    _press(tab, tab.get_by_label(re.compile("^Indeed")), "Space")
    _press(tab, tab.get_by_label(re.compile("^Bayt")), "Space")
    _press(tab, tab.get_by_role("button", name="Add to campaign"))
    expect(tab.get_by_test_id("campaign-draft")).to_have_count(2)
    _press(tab, tab.get_by_role("link", name="Next: Target group").first)

    # One Target group for both campaigns: each board once, under its group.
    expect(tab.get_by_role("heading", name="Target group", exact=True)).to_be_visible()
    tab.wait_for_load_state("load")
    expect(tab.get_by_test_id("board-group")).to_have_text(["North", "South"])
    assert _no_sideways_scroll(tab)
    assert _serious_violations(tab) == []
    location = tab.locator(f"#id_req{bayt.pk}-location")
    location.focus()
    tab.keyboard.type("Dub")
    expect(tab.get_by_role("option", name="Dubai")).to_be_visible()
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    expect(location).to_have_value("Dubai")
    _press(tab, tab.get_by_role("button", name="Next: Order review"))

    # One review shows both groups' campaigns and says why there are two.
    expect(tab.get_by_role("heading", name="Order review", exact=True)).to_be_visible()
    expect(tab.get_by_test_id("provider-errors")).to_have_count(0)
    campaigns = tab.get_by_test_id("review-campaign")
    expect(campaigns).to_have_count(2)
    expect(campaigns.nth(0)).to_contain_text("Campaign 1 of 2 · North")
    expect(campaigns.nth(0)).to_contain_text("Indeed")
    expect(campaigns.nth(1)).to_contain_text("Campaign 2 of 2 · South")
    expect(campaigns.nth(1)).to_contain_text("Dubai")
    expect(tab.get_by_test_id("batch-explained")).to_contain_text("does not mix groups")
    assert _no_sideways_scroll(tab)
    assert _serious_violations(tab) == []

    order = tab.get_by_role("button", name="Order campaign")
    expect(order).to_have_count(1)
    _press(tab, order)
    expect(tab.get_by_role("heading", name="Campaigns ordered")).to_be_visible()
    placed = tab.get_by_test_id("placed-campaign")
    expect(placed).to_have_count(2)
    expect(placed.nth(0)).to_contain_text("North")
    expect(placed.nth(1)).to_contain_text("South")
    assert _no_sideways_scroll(tab)
    assert _serious_violations(tab) == []
    assert sorted(c.postings.get().contract_id for c in Campaign.objects.all()) == sorted(
        [indeed.pk, bayt.pk]
    )
    assert not CampaignDraft.objects.exists()

    _press(tab, placed.nth(1).get_by_role("link"))
    expect(tab.get_by_role("heading", name=re.compile("Data engineer"))).to_be_visible()
    expect(tab.get_by_text("Bayt").first).to_be_visible()
    assert problems == []


def test_order_again_opens_the_wizard_with_the_same_boards_and_requirements(
    browser, live_server, browser_contexts, two_groups
):
    recruiter, job, _indeed, bayt = two_groups
    dubai = {"location": {"key": "ae-dubai", "label": "Dubai", "show": []}}
    campaign = place_order(job, recruiter, [bayt], requirements={bayt: dubai})
    tab = _phone_tab(browser, live_server, browser_contexts, recruiter)
    problems: list[str] = []
    watch_console(tab, problems)

    tab.goto(reverse("campaign_detail", kwargs={"campaign_id": campaign.pk}))
    tab.wait_for_load_state("load")
    assert _no_sideways_scroll(tab)
    _press(tab, tab.get_by_test_id("order-again"))

    expect(tab.get_by_role("heading", name="Target group", exact=True)).to_be_visible()
    tab.wait_for_load_state("load")
    expect(tab.locator("[data-board]")).to_have_count(1)
    expect(tab.locator(f"[data-board='{bayt.pk}']")).to_contain_text("Bayt")
    expect(tab.locator(f"#id_req{bayt.pk}-location")).to_have_value("Dubai")
    expect(tab.locator(f"[name='req{bayt.pk}-location']")).to_have_value("ae-dubai")
    expect(tab.get_by_label(re.compile("^Job title"))).to_have_value("Data engineer")
    assert _no_sideways_scroll(tab)
    _press(tab, tab.get_by_role("button", name="Next: Order review"))

    expect(tab.get_by_role("heading", name="Order review", exact=True)).to_be_visible()
    expect(tab.get_by_test_id("provider-errors")).to_have_count(0)
    board = tab.get_by_test_id("review-board")
    expect(board).to_have_count(1)
    expect(board).to_contain_text("Bayt")
    expect(board).to_contain_text("Dubai")
    expect(tab.get_by_role("button", name="Order campaign")).to_be_enabled()
    assert _no_sideways_scroll(tab)
    assert problems == []
