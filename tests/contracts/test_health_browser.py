"""Issue 15 in Chromium, against the real sandbox: an admin adds a contract with its terms on
a phone-sized screen, sees the expiring warning on Manage existing contracts, and uses
Check now once the board has run out of credits."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from contracts.models import Contract
from tests.contracts.factories import ChannelFactory
from tests.factories import AdminMembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contexts():
    opened = []
    yield opened
    for context in opened:
        context.close()


def test_an_admin_sees_the_expiring_contract_and_checks_it(
    browser, live_server, provider, contexts
):
    org = OrganizationFactory(name="Health Org", my_own_contracts_enabled=True)
    admin = AdminMembershipFactory(organization=org).user
    naukri = ChannelFactory(provider_id=1001, name="Naukri", search_name="naukri")
    client = Client()
    client.force_login(admin)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    contexts.append(context)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    expiry = timezone.localdate() + datetime.timedelta(days=10)
    page.goto(f"/administration/job-boards/contracts/add/?channel={naukri.pk}")
    terms = page.get_by_test_id("contract-terms")
    expect(terms).to_contain_text("cannot be changed afterwards")
    page.get_by_label("Username").fill("acme-india")
    page.get_by_label("Password").fill("n4ukri-pass")
    page.get_by_label("Expiry date").fill(expiry.isoformat())
    page.get_by_label("Credits", exact=True).fill("3")
    page.get_by_label("Purchase price").fill("450")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_role("button", name="Add to My Contracts").click()

    contract = Contract.objects.get(organization=org)
    row = page.locator(f"#contract-{contract.pk}")
    badge = row.get_by_test_id("contract-health")
    expect(badge).to_have_text("Expires in 10 days")
    expect(row.get_by_test_id("contract-health-reason")).to_contain_text("add a new contract")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # no sideways scroll

    provider.set_contract_credits(contract.provider_contract_id, 0)
    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_test_id("term-credits")).to_have_text("3")
    page.get_by_role("button", name="Check now").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert")).first).to_contain_text(
        "Out of credits"
    )
    expect(page.get_by_test_id("term-credits")).to_have_text("0")
    expect(page.get_by_test_id("contract-health")).to_have_text("Out of credits")
