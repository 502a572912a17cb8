"""The job description's rich-text editor in Chromium, under the production
Content-Security-Policy: it shows formatted text (never raw HTML), writes the limited HTML job
boards accept, keeps plain-text paragraphs, is named and operable from the keyboard (Tab
leaves it), speaks French, and what it writes is what the Summary and career page show."""

import re

import pytest
from playwright.sync_api import expect

from jobs.models import Job
from tests.factories import AdminMembershipFactory, OrganizationFactory
from tests.jobs.factories import CareerPageFactory, JobFactory
from tests.pages import DESKTOP_WIDTH, new_context, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def job(db):
    org = OrganizationFactory()
    admin = AdminMembershipFactory(organization=org).user
    CareerPageFactory(organization=org, slug="editor-org")
    # Written before the editor existed: plain text with paragraphs.
    return JobFactory(
        organization=org, recruiter=admin, description="First paragraph.\n\nSecond paragraph."
    )


def _tab(browser, live_server, browser_contexts, job, language="en"):
    context = new_context(
        browser, live_server, user=job.recruiter, language=language, width=DESKTOP_WIDTH
    )
    browser_contexts.append(context)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return tab


def test_the_editor_writes_formatted_text_that_the_pages_show(
    browser, live_server, browser_contexts, job
):
    tab = _tab(browser, live_server, browser_contexts, job)
    problems: list[str] = []
    watch_console(tab, problems)
    tab.goto(f"/jobs/{job.pk}/edit/")

    editor = tab.get_by_role("textbox", name="Description")
    expect(editor).to_be_visible()
    expect(tab.locator("textarea[name=description]")).to_be_hidden()
    expect(editor.locator("p")).to_have_text(["First paragraph.", "Second paragraph."])
    expect(editor).not_to_contain_text("<p>")

    # Type: a bold word, then a bulleted list, from the keyboard and the toolbar.
    editor.click()
    tab.keyboard.press("Control+End")
    tab.keyboard.press("Enter")
    tab.keyboard.type("We offer ")
    bold = tab.get_by_role("button", name="Bold")
    bold.click()
    expect(bold).to_have_attribute("aria-pressed", "true")
    tab.keyboard.type("real ownership")
    bold.click()
    tab.keyboard.press("Enter")
    tab.get_by_role("button", name="Bulleted list").click()
    tab.keyboard.type("Remote days")
    tab.keyboard.press("Enter")
    tab.keyboard.type("Learning budget")

    # Tab leaves the editor for the next field: no keyboard trap.
    tab.keyboard.press("Tab")
    expect(tab.get_by_label(re.compile("^Recruiter"))).to_be_focused()

    tab.get_by_role("button", name="Save job").click()
    expect(tab.get_by_role("heading", name="Job details")).to_be_visible()
    job.refresh_from_db()
    assert job.description == (
        "<p>First paragraph.</p><p>Second paragraph.</p>"
        "<p>We offer <strong>real ownership</strong></p>"
        "<ul><li>Remote days</li><li>Learning budget</li></ul>"
    )
    summary = tab.get_by_test_id("job-description")
    expect(summary.locator("strong")).to_have_text("real ownership")
    expect(summary.locator("li")).to_have_text(["Remote days", "Learning budget"])

    tab.goto(f"/careers/editor-org/jobs/{job.pk}/")
    expect(tab.locator(".job-description li")).to_have_text(["Remote days", "Learning budget"])
    assert problems == []


def test_the_editor_speaks_french_and_its_label_focuses_it(
    browser, live_server, browser_contexts, job
):
    tab = _tab(browser, live_server, browser_contexts, job, language="fr")
    tab.goto(f"/jobs/{job.pk}/edit/")
    toolbar = tab.get_by_role("toolbar", name="Mise en forme du texte")
    for name in ("Gras", "Italique", "Lien", "Liste à puces", "Liste numérotée"):
        expect(toolbar.get_by_role("button", name=name)).to_be_visible()
    tab.get_by_text("Description", exact=True).click()
    expect(tab.get_by_role("textbox", name="Description")).to_be_focused()


def test_an_emptied_editor_saves_an_empty_description(browser, live_server, browser_contexts, job):
    tab = _tab(browser, live_server, browser_contexts, job)
    tab.goto(f"/jobs/{job.pk}/edit/")
    editor = tab.get_by_role("textbox", name="Description")
    editor.click()
    tab.keyboard.press("Control+A")
    tab.keyboard.press("Delete")
    tab.get_by_role("button", name="Save job").click()
    expect(tab.get_by_role("heading", name="Job details")).to_be_visible()
    assert Job.objects.get(pk=job.pk).description == ""
