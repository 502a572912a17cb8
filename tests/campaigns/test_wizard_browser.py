"""The campaign wizard in Chromium at 390 px, in English and French, with the keyboard only,
against the real sandbox: the error summary takes the focus and its links lead to the
fields; a suggestion must be picked (typing is not enough) and shows its label on the
review; fields revealed by a picked option (``selected_option_show_contains``) and by a
value (``notempty``) appear; Back keeps what was typed."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.services.ordering import draft_add_contracts, draft_save
from tests.campaigns.sandbox_setup import ZOO, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory
from tests.factories import MembershipFactory, OrganizationFactory
from tests.jobs.factories import CareerPageFactory
from tests.pages import PHONE_WIDTH, new_context, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "next": "Next: Order review",
        "back": "Back",
        "pick": "Pick one of the suggestions",
        "dubai": "Dubai",
        "branded": "Branded",
        "review": "Order review",
        "kept": "Your answers are kept in the campaign draft.",
    },
    "fr": {
        "next": "Suivant : Revue de la commande",
        "back": "Retour",
        "pick": "Choisissez l’une des suggestions",
        "dubai": "Dubaï",
        "branded": "Avec marque",
        "review": "Revue de la commande",
        "kept": "Vos réponses sont gardées dans le brouillon de campagne.",
    },
}


@pytest.fixture
def zoo_draft(provider):
    org = OrganizationFactory(name="Wizard Org", my_own_contracts_enabled=True)
    CareerPageFactory(organization=org, slug="wizard-org")
    recruiter = MembershipFactory(organization=org, user__full_name="Rita Recruiter").user
    job = sandbox_job(org, recruiter)
    zoo = sandbox_contract(org, ContractGroupFactory(organization=org), ZOO)
    draft = draft_add_contracts(org=org, by=recruiter, job_id=job.pk, contract_ids=[zoo.pk])
    draft = draft_save(
        draft=draft,
        values=draft.data["values"],
        requirements={
            str(zoo.pk): {
                "headline": "Join our data team",
                "contract_type": "full_time",
                "region": "fr-idf",
                "apply_method": ["EMAIL"],
                "apply_email": "jobs@example.com",
                "salary_visible": "0",
                # Typed earlier, never picked.
                "location": {"key": "", "label": "Dubai", "show": []},
            }
        },
        complete=False,
    )
    return recruiter, draft, zoo


def _no_sideways_scroll(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _pick(tab, field, typed: str, option: str):
    """Type into a suggestion box and pick with the arrow keys and Enter."""
    field.press("Control+a")
    field.press("Backspace")
    tab.keyboard.type(typed)
    expect(tab.get_by_role("option", name=option)).to_be_visible()
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    expect(field).to_have_value(option)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_wizard_with_the_keyboard_only_on_a_phone(
    browser, live_server, browser_contexts, zoo_draft, language
):
    recruiter, draft, zoo = zoo_draft
    words = WORDS[language]
    context = new_context(
        browser, live_server, user=recruiter, language=language, width=PHONE_WIDTH
    )
    browser_contexts.append(context)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems: list[str] = []
    watch_console(tab, problems)
    p = f"req{zoo.pk}-"
    location = tab.locator(f"[name='{p}location__label']")
    headline = tab.locator(f"[name='{p}headline']")

    tab.goto(f"/campaigns/drafts/{draft.pk}/target-group/")
    expect(location).to_have_value("Dubai")  # what was typed before is still there
    assert _no_sideways_scroll(tab)

    # Leaving a suggestion box without picking says so at once, at the field.
    location.focus()
    tab.keyboard.press("Tab")
    expect(tab.locator(f"#id_{p}location_unpicked")).to_have_text(re.compile(words["pick"]))

    # Enter in a field submits with Next: the typed, unpicked city is refused at its field,
    # and the summary at the top takes the focus.
    headline.focus()
    tab.keyboard.press("Enter")
    summary = tab.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(words["pick"])
    tab.keyboard.press("Tab")
    link = summary.get_by_role("link").first
    expect(link).to_be_focused()
    tab.keyboard.press("Enter")
    expect(location).to_be_focused()  # the link leads to the field
    assert _no_sideways_scroll(tab)

    _pick(tab, location, "Dub", words["dubai"])

    # A value reveals a field (notempty), and a picked option reveals the one it lists.
    rate_unit = tab.locator(f"[name='{p}rate_unit']")
    expect(rate_unit).to_be_hidden()
    tab.locator(f"[name='{p}hourly_rate']").focus()
    tab.keyboard.type("25")
    expect(rate_unit).to_be_visible()
    tab.locator(f"[name='{p}hourly_rate']").press("Control+a")
    tab.keyboard.press("Backspace")
    expect(rate_unit).to_be_hidden()

    brand = tab.locator(f"[name='{p}brand_id']")
    expect(brand).to_be_hidden()
    tier = tab.locator(f"[name='{p}ad_tier__label']")
    tier.focus()  # its options depend on the headline and the location: they come on focus
    expect(tab.get_by_role("option", name=words["branded"])).to_be_visible()
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    expect(tier).to_have_value(words["branded"])
    expect(brand).to_be_visible()
    brand.focus()
    tab.keyboard.type("ACME blue")

    brand.press("Enter")
    expect(tab.get_by_role("heading", name=words["review"], exact=True)).to_be_visible()
    expect(tab.get_by_test_id("provider-errors")).to_have_count(0)
    board = tab.get_by_test_id("review-board")
    expect(board).to_contain_text(words["dubai"])
    expect(board).to_contain_text(words["branded"])
    assert "ae-dubai" not in board.inner_text() and "branded\n" not in board.inner_text()
    assert _no_sideways_scroll(tab)

    # Back to Target group, change the headline, and Back again: nothing typed is lost.
    tab.get_by_role("link", name=words["back"], exact=True).focus()
    tab.keyboard.press("Enter")
    expect(location).to_have_value(words["dubai"])
    expect(brand).to_have_value("ACME blue")
    headline.focus()
    headline.press("Control+a")
    tab.keyboard.type("Join our night team")
    tab.get_by_role("button", name=words["back"], exact=True).focus()
    tab.keyboard.press("Enter")
    expect(tab.get_by_text(words["kept"])).to_be_visible()
    expect(tab).to_have_url(re.compile(r"/sourcing/"))
    tab.goto(f"/campaigns/drafts/{draft.pk}/target-group/")
    expect(headline).to_have_value("Join our night team")
    expect(location).to_have_value(words["dubai"])
    assert problems == []
