"""Issue 15's journey in Chromium at 390 px, against the real sandbox: an admin sees the
expiring contract's warning on Manage existing contracts, sets default values for its
board's requirements (a select, and a suggestion picked from the provider's list); a
recruiter opens the wizard for that board and finds them filled in, marked as the admin's
defaults, and still changeable; the admin then opens Administration → Job boards →
Performance."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contracts.services.contracts import contract_create
from tests.campaigns.sandbox_setup import NAUKRI, sandbox_job
from tests.contracts.factories import ChannelFactory
from tests.factories import AdminMembershipFactory, MembershipFactory, OrganizationFactory
from tests.jobs.factories import CareerPageFactory
from tests.pages import PHONE_WIDTH, new_context, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _pick(tab, field, typed: str, option: str):
    """Type into a suggestion box and pick with the arrow keys and Enter."""
    field.focus()
    tab.keyboard.type(typed)
    expect(tab.get_by_role("option", name=option)).to_be_visible()
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    expect(field).to_have_value(option)


def test_admin_sets_a_default_that_the_recruiters_wizard_prefills(
    browser, live_server, browser_contexts, provider
):
    org = OrganizationFactory(name="Defaults Org", my_own_contracts_enabled=True)
    CareerPageFactory(organization=org, slug="defaults-org")
    admin = AdminMembershipFactory(organization=org, user__full_name="Ada Admin").user
    recruiter = MembershipFactory(organization=org, user__full_name="Rita Recruiter").user
    naukri = ChannelFactory(provider_id=NAUKRI, name="Naukri", search_name="naukri")
    contract = contract_create(
        org=org,
        by=admin,
        channel=naukri,
        credentials={"username": "acme-india", "password": "n4ukri-pass"},
        new_group_name="India",
        expiry_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    job = sandbox_job(org, recruiter, title="Data engineer")
    problems: list[str] = []

    # The admin: the warning, then the defaults, on a phone.
    context = new_context(browser, live_server, user=admin, width=PHONE_WIDTH)
    browser_contexts.append(context)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    watch_console(tab, problems)
    tab.goto("/administration/job-boards/contracts/")
    row = tab.locator(f"#contract-{contract.pk}")
    expect(row.get_by_test_id("contract-health")).to_have_text("Expires in 10 days")
    row.get_by_role("link", name="Edit").click()
    section = tab.get_by_test_id("requirement-defaults")
    expect(section).to_contain_text("No default values yet.")
    section.get_by_role("link", name="Set default values").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(
        "Default values for this board's requirements"
    )
    tab.wait_for_load_state("load")
    tab.get_by_label("Industry").select_option(label="IT - Software")
    _pick(tab, tab.get_by_role("combobox", name="Location"), "Pun", "Pune")
    assert _no_sideways_scroll(tab)
    tab.get_by_role("button", name="Save default values").click()
    expect(tab.get_by_text("Default values saved.")).to_be_visible()
    section = tab.get_by_test_id("requirement-defaults")
    expect(section).to_contain_text("IT - Software")
    expect(section).to_contain_text("Pune")
    expect(tab.get_by_test_id("audit-trail")).to_contain_text("Industry, Location")

    # The recruiter: the board's fields start from the defaults, and can still change.
    recruiter_context = new_context(browser, live_server, user=recruiter, width=PHONE_WIDTH)
    browser_contexts.append(recruiter_context)
    wizard = recruiter_context.new_page()
    wizard.set_default_timeout(15_000)
    watch_console(wizard, problems)
    wizard.goto(f"/jobs/{job.pk}/sourcing/boards/")
    wizard.get_by_label(re.compile("^Naukri")).check()
    wizard.get_by_role("button", name="Add to campaign").click()
    wizard.get_by_role("link", name="Next: Target group").click()
    wizard.wait_for_load_state("load")
    p = f"req{contract.pk}-"
    industry = wizard.locator(f"[name='{p}industry-naukri']")
    location = wizard.locator(f"[name='{p}location__label']")
    expect(industry).to_have_value("it-software")
    expect(location).to_have_value("Pune")
    board = wizard.locator(f"[data-board='{contract.pk}']")
    expect(board.get_by_test_id("default-from-admin")).to_have_count(2)
    expect(board.get_by_test_id("default-from-admin").first).to_have_text("Default from your admin")
    industry.select_option("healthcare")
    expect(industry).to_have_value("healthcare")
    assert _no_sideways_scroll(wizard)

    # The admin: Administration → Job boards → Performance.
    tab.goto("/administration/job-boards/")
    tab.get_by_test_id("performance-link").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Job board performance")
    assert problems == []
