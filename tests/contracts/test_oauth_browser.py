"""OAuth connect in Chromium through the sandbox's consent page, for both ways a board may
hand the token back (``?hash=`` in the query, or ``#hash=`` in the fragment, which only the
page's static script can read), and a denied consent that keeps the Add contract form."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from contracts.models import Contract
from tests.contracts.factories import ChannelFactory
from tests.factories import AdminMembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_page(browser, live_server, provider):
    org = OrganizationFactory(name="OAuth Org", my_own_contracts_enabled=True)
    admin = AdminMembershipFactory(organization=org).user
    ChannelFactory(provider_id=1004, name="LinkedIn", search_name="linkedin")
    client = Client()
    client.force_login(admin)
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def _to_consent(page, alias: str):
    page.goto("/administration/job-boards/contracts/add/")
    search = page.get_by_role("combobox", name="Search a job board by name")
    search.fill("Linked")
    expect(page.get_by_role("option", name="LinkedIn")).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.get_by_role("heading", name="Add a LinkedIn contract")).to_be_visible()
    page.get_by_label("Alias").fill(alias)
    page.get_by_role("button", name="Connect your LinkedIn account").click()
    expect(
        page.get_by_role("heading", name=re.compile("Allow Jobcast to post on LinkedIn"))
    ).to_be_visible()


@pytest.mark.parametrize("in_fragment", [False, True], ids=["query", "fragment"])
def test_oauth_token_reaches_the_server_from_query_or_fragment(admin_page, provider, in_fragment):
    page = admin_page
    provider.oauth_fragment(in_fragment)
    _to_consent(page, "LinkedIn main")
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_test_id("oauth-connected")).to_be_visible()
    assert "hash=" not in page.url  # the token is not left in the address bar
    expect(page.get_by_label("Alias")).to_have_value("LinkedIn main")
    page.get_by_role("button", name="Add to My Contracts").click()
    expect(page.get_by_role("alert").filter(has_text="LinkedIn was added")).to_be_visible()
    assert Contract.objects.filter(channel__provider_id=1004).count() == 1
    # Going back to the callback does not connect again: the state was single-use.
    page.go_back()
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_denying_consent_keeps_the_form(admin_page, provider):
    page = admin_page
    _to_consent(page, "Kept alias")
    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_text(re.compile("did not confirm the connection"))).to_be_visible()
    expect(page.get_by_label("Alias")).to_have_value("Kept alias")
    expect(page.get_by_role("button", name="Connect your LinkedIn account")).to_be_visible()
    assert not Contract.objects.exists()
