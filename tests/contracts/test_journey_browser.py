"""The admin's journey through My Own Contracts in Chromium, against the real sandbox: from
asking support for access to contracts in several groups, with OAuth through the sandbox's
consent page (which sends the browser back to our live server's callback)."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.models import Plan
from contracts.models import Contract
from tests.contracts.factories import ChannelFactory
from tests.factories import AdminMembershipFactory, OrganizationFactory, StaffUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contexts():
    """Browser contexts of the test, closed before the live server stops (no poll in flight)."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def _log_in(browser, live_server, user, contexts):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url)
    contexts.append(context)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _add_linkedin(page, *, group_label, new_group_name=""):
    page.get_by_role("link", name="Add contract").first.click()
    page.wait_for_load_state("load")  # typed once htmx listens (see below)
    search = page.get_by_role("combobox", name="Search a job board by name")
    search.fill("Linked")
    expect(page.get_by_role("option", name="LinkedIn")).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.get_by_role("heading", name="Add a LinkedIn contract")).to_be_visible()
    page.get_by_label("Contract group").select_option(label=group_label)
    if new_group_name:
        page.get_by_label("New group name").fill(new_group_name)
    page.get_by_role("button", name="Connect your LinkedIn account").click()
    # The sandbox's consent page, then back to our callback.
    expect(
        page.get_by_role("heading", name=re.compile("Allow Jobcast to post on LinkedIn"))
    ).to_be_visible()
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_test_id("oauth-connected")).to_be_visible()
    page.get_by_role("button", name="Add to My Contracts").click()


def test_admin_journey(browser, live_server, provider, contexts):
    org = OrganizationFactory(name="Journey Org")  # subscriber, verified, career page on
    admin = AdminMembershipFactory(organization=org, user__full_name="Ada Admin").user
    staff = StaffUserFactory(full_name="Sam Support")
    ChannelFactory(provider_id=1001, name="Naukri", search_name="naukri")
    ChannelFactory(provider_id=1004, name="LinkedIn", search_name="linkedin")

    # 1. The admin asks for access.
    page = _log_in(browser, live_server, admin, contexts)
    page.goto("/administration/job-boards/")
    card = page.get_by_test_id("moc-card")
    expect(card).to_contain_text("Beta")
    card.get_by_role("link", name="Contact us for access").click()
    page.get_by_label("Your message").fill("We have Naukri and LinkedIn accounts.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("conversation")).to_contain_text("We have Naukri and LinkedIn")

    # 2. Support answers and enables the feature from the support desk.
    desk = _log_in(browser, live_server, staff, contexts)
    desk.goto("/support-desk/")
    desk.get_by_role("link", name="Journey Org").click()
    expect(desk.get_by_test_id("conversation")).to_contain_text("We have Naukri")
    desk.get_by_label("Your message").fill("Welcome aboard, enabling it now.")
    desk.get_by_role("button", name="Reply").click()
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="Enable My Own Contracts").click()
    expect(desk.get_by_test_id("feature-state")).to_contain_text("enabled by")

    # The reply appears in the admin's panel without a reload (htmx polling).
    expect(page.get_by_test_id("conversation")).to_contain_text("Welcome aboard", timeout=20_000)

    # 3. A Naukri contract (username + password) in a new group "India".
    page.goto("/administration/job-boards/")
    page.get_by_role("link", name="Manage existing contracts").click()
    page.get_by_role("link", name="Add contract").first.click()
    # Typed only once htmx has taken the page over (on a loaded machine the field can be
    # filled between parsing and the load event, and that input would go unheard).
    page.wait_for_load_state("load")
    search = page.get_by_role("combobox", name="Search a job board by name")
    search.fill("Nauk")
    expect(page.get_by_role("option", name="Naukri")).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    page.get_by_label("Contract group").select_option(label="Create a new group…")
    page.get_by_label("New group name").fill("India")
    page.get_by_label("Username").fill("acme-india")
    page.get_by_label("Password").fill("n4ukri-secret")
    page.get_by_role("button", name="Add to My Contracts").click()
    expect(page.get_by_role("alert").filter(has_text="Naukri was added")).to_be_visible()
    expect(page.get_by_role("heading", name="India")).to_be_visible()

    # 4. LinkedIn through OAuth in the default group.
    _add_linkedin(page, group_label="Default group")
    expect(page.get_by_role("alert").filter(has_text="LinkedIn was added")).to_be_visible()

    # 5. The group list says the default group holds LinkedIn now; a second LinkedIn
    # contract there is refused, with the reason.
    _add_linkedin(page, group_label="Default group (already holds a LinkedIn contract)")
    expect(page.get_by_text(re.compile("already holds a contract for LinkedIn"))).to_be_visible()
    expect(page.get_by_text(re.compile("another group"))).to_be_visible()
    assert Contract.objects.filter(channel__provider_id=1004).count() == 1

    # 6. With a group "LinkedIn EMEA" it succeeds (the connection is still there).
    page.get_by_label("Contract group").select_option(label="Create a new group…")
    page.get_by_label("New group name").fill("LinkedIn EMEA")
    page.get_by_role("button", name="Add to My Contracts").click()
    expect(page.get_by_role("alert").filter(has_text="LinkedIn EMEA")).to_be_visible()
    assert Contract.objects.filter(organization=org).count() == 3
    rows = page.get_by_test_id("contract-row")
    expect(rows).to_have_count(3)

    # 7. A trial organisation's admin sees the subscribe message and no way in.
    trial = OrganizationFactory(name="Trial Org", plan=Plan.TRIAL, verified_at=None)
    trial_admin = AdminMembershipFactory(organization=trial).user
    other = _log_in(browser, live_server, trial_admin, contexts)
    other.goto("/administration/job-boards/")
    card = other.get_by_test_id("moc-card")
    expect(card).to_contain_text("for subscribers only")
    expect(card.get_by_role("link", name="Contact us for access")).to_have_count(0)
    expect(card.get_by_role("link", name="Manage existing contracts")).to_have_count(0)
    other.goto("/administration/job-boards/contracts/")
    expect(other).to_have_url(re.compile(r"/administration/job-boards/$"))
