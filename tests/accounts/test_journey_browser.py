"""One real journey in Chromium: sign up → confirm the address → dashboard → invite a
recruiter → the recruiter accepts and logs in → the recruiter cannot open Administration →
the admin deactivates the recruiter (after confirming) and the recruiter's session ends at
once."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Membership, Plan, Role
from tests.accounts.helpers import invitation_link

PASSWORD = "a-long-journey-passphrase-7"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def label(text: str) -> re.Pattern:
    """A form label, whatever the required-field marker after it."""
    return re.compile(rf"^{re.escape(text)}(\s*\*)?$")


def _watch_csp(page, violations):
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )


def test_sign_up_invite_a_recruiter_who_cannot_open_administration(
    page, browser, live_server, settings
):
    settings.SITE_URL = live_server.url  # links in emails point at this test server
    violations: list[str] = []
    _watch_csp(page, violations)

    # Sign up: a new organisation in trial, with us as its admin.
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label(label("Your full name")).fill("Ada Lovelace")
    page.get_by_label(label("Organisation name")).fill("Analytical Engines")
    page.get_by_label(label("Email")).fill("ada@example.test")
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_label(label("Password (again)")).fill(PASSWORD)
    page.get_by_role("button", name="Create my organisation").click()

    # The address is confirmed first: the emailed link opens the organisation.
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    assert mail.outbox[-1].to == ["ada@example.test"]
    confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body)
    page.goto(confirm.group(0).replace(settings.SITE_URL, live_server.url))
    page.get_by_role("button", name="Confirm").click()
    mail.outbox.clear()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    expect(page.get_by_test_id("org-name")).to_have_text("Analytical Engines")
    expect(page.get_by_test_id("trial-notice")).to_be_visible()
    membership = Membership.objects.select_related("organization").get(
        user__email="ada@example.test"
    )
    assert membership.role == Role.ADMIN and membership.organization.plan == Plan.TRIAL

    # Administration → Team → invite a recruiter.
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()
    page.get_by_role("link", name="Manage team").click()
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    page.get_by_label(label("Email address")).fill("rob@example.test")
    page.get_by_label(label("Role")).select_option("recruiter")
    page.get_by_role("button", name="Send invitation").click()
    expect(
        page.get_by_role("alert").filter(has_text="Invitation sent to rob@example.test.")
    ).to_be_visible()
    expect(page.get_by_test_id("invitations")).to_contain_text("rob@example.test")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rob@example.test"]
    link = invitation_link(mail.outbox[0])
    assert link.startswith(live_server.url)

    # The recruiter opens the link in their own browser, sets a name and password.
    recruiter_context = browser.new_context()
    recruiter = recruiter_context.new_page()
    _watch_csp(recruiter, violations)
    recruiter.goto(link)
    expect(recruiter.get_by_role("heading", name="Join Analytical Engines")).to_be_visible()
    recruiter.get_by_label(label("Your full name")).fill("Rob Recruiter")
    recruiter.get_by_label(label("Password")).fill(PASSWORD)
    recruiter.get_by_label(label("Password (again)")).fill(PASSWORD)
    recruiter.get_by_role("button", name="Join the team").click()

    expect(recruiter).to_have_url(f"{live_server.url}/")
    expect(recruiter.get_by_role("heading", name="Welcome, Rob")).to_be_visible()
    recruiter_menu = recruiter.get_by_role("navigation", name="Main menu")
    expect(recruiter_menu.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(recruiter_menu.get_by_role("link", name="Administration")).to_have_count(0)

    # Administration is closed to recruiters: our 403 page.
    response = recruiter.goto(f"{live_server.url}/administration/")
    assert response.status == 403
    expect(
        recruiter.get_by_role("heading", name="You are not allowed to open this page")
    ).to_be_visible()

    # The link works once.
    response = recruiter_context.new_page().goto(link)
    assert response.status == 410

    # The admin deactivates the recruiter, confirming first; the recruiter is logged out.
    page.reload()
    row = page.get_by_test_id("members").get_by_role("row").filter(has_text="rob@example.test")
    dialogs: list[str] = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    row.get_by_role("button", name="Deactivate").click()
    expect(
        page.get_by_role("alert").filter(has_text="was deactivated and logged out")
    ).to_be_visible()
    assert dialogs and "rob@example.test" in dialogs[0]

    recruiter.goto(f"{live_server.url}/")
    expect(recruiter).to_have_url(re.compile(r"/accounts/login/"))

    recruiter_context.close()
    assert violations == []
