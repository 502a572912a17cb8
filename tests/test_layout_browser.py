"""The frame of every page, in Chromium: on a phone the side menu is an off-canvas panel
opened from the top bar; on a desktop it is a column. The language switch is one click in
the top bar (and on public pages) and keeps the page, its query string included."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AdminMembershipFactory, OrganizationFactory
from tests.jobs.factories import CareerPageFactory, JobFactory
from tests.pages import DESKTOP_WIDTH, PHONE_WIDTH, new_context, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_and_job(db):
    org = OrganizationFactory(name="Layout Org")
    admin = AdminMembershipFactory(organization=org, user__full_name="Lea Layout").user
    CareerPageFactory(organization=org, slug="layout-org")
    return admin, JobFactory(organization=org, recruiter=admin, title="Data engineer")


def _open(browser, live_server, contexts, *, user=None, width, language="en"):
    context = new_context(browser, live_server, user=user, language=language, width=width)
    contexts.append(context)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return tab


def test_on_a_phone_the_menu_opens_from_the_top_bar_and_closes_with_escape(
    browser, live_server, browser_contexts, admin_and_job
):
    admin, _job = admin_and_job
    problems: list[str] = []
    tab = _open(browser, live_server, browser_contexts, user=admin, width=PHONE_WIDTH)
    watch_console(tab, problems)
    tab.goto("/jobs/")
    menu = tab.get_by_role("navigation", name="Main menu")
    toggle = tab.get_by_role("button", name="Menu")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    panel = tab.get_by_role("dialog", name="Jobcast")
    expect(panel).to_be_visible()
    expect(menu.get_by_role("link", name="Jobs")).to_be_visible()
    expect(panel).to_be_focused()  # the panel takes the focus, so Tab walks its links

    tab.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()  # and gives it back to the button that opened it

    toggle.click()
    menu.get_by_role("link", name="Dashboard").click()
    expect(tab).to_have_url(f"{live_server.url}/")
    expect(tab.get_by_role("heading", name="Welcome, Lea")).to_be_visible()
    assert problems == []


def test_on_a_desktop_the_menu_is_a_column_without_a_toggle(
    browser, live_server, browser_contexts, admin_and_job
):
    admin, _job = admin_and_job
    tab = _open(browser, live_server, browser_contexts, user=admin, width=DESKTOP_WIDTH)
    tab.goto("/jobs/")
    menu = tab.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Jobs")).to_be_visible()
    expect(tab.get_by_role("link", name="Administration")).to_be_visible()
    expect(tab.get_by_role("button", name="Menu")).to_be_hidden()


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
def test_the_language_switch_is_one_click_and_keeps_the_page(
    browser, live_server, browser_contexts, admin_and_job, width
):
    admin, _job = admin_and_job
    tab = _open(browser, live_server, browser_contexts, user=admin, width=width)
    tab.goto("/jobs/?q=Data&status=open")
    expect(tab.get_by_role("heading", name="Jobs", exact=True)).to_be_visible()

    tab.get_by_role("button", name="Change language: Français").click()
    expect(tab).to_have_url(f"{live_server.url}/jobs/?q=Data&status=open")
    expect(tab.locator("html")).to_have_attribute("lang", "fr")
    expect(tab.get_by_role("heading", name="Offres", exact=True)).to_be_visible()
    expect(tab.get_by_role("link", name="Data engineer")).to_be_visible()  # filters kept

    tab.get_by_role("button", name="Changer de langue : English").click()
    expect(tab).to_have_url(f"{live_server.url}/jobs/?q=Data&status=open")
    expect(tab.locator("html")).to_have_attribute("lang", "en")


def test_public_pages_switch_language_in_one_click_too(
    browser, live_server, browser_contexts, admin_and_job
):
    _admin, job = admin_and_job
    tab = _open(browser, live_server, browser_contexts, width=PHONE_WIDTH)
    job_page = f"/careers/layout-org/jobs/{job.pk}/?utm_source=linkedin&utm_content=p1"
    tab.goto(job_page)
    expect(tab.get_by_role("heading", name="Apply for this job")).to_be_visible()
    tab.get_by_role("button", name="Change language: Français").click()
    expect(tab).to_have_url(live_server.url + job_page)  # the ad's UTM tags stay
    expect(tab.get_by_role("heading", name="Postuler à cette offre")).to_be_visible()

    tab.goto("/accounts/login/")
    tab.get_by_role("button", name=re.compile("English")).click()
    expect(tab.get_by_role("heading", name="Log in to Jobcast")).to_be_visible()
