"""Every page a person reaches, in Chromium on a phone (390 px wide in English and French,
and 360 px in French, whose words are longer): none scrolls sideways (wide tables scroll
inside their own box), and none breaks the Content-Security-Policy or fails to load a
script, style or image.

Pages come from the URL patterns (tests/pages.py) filled in with the showcase organisation's
long names and many rows (tests/showcase.py): a new route is opened automatically, or the
sweep fails and says what to add to tests/url_sweep_registry.py.
"""

import pytest
from django.test import Client

from tests.pages import (
    PHONE_WIDTH,
    new_context,
    route_pages,
    state_pages,
    visitor_user,
    watch_console,
)
from tests.showcase import build_showcase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The elements that stick out to the right of the screen and are not clipped by a scrolling
# box (an absolutely positioned one escapes a box that is not positioned): what makes a page
# scroll sideways.
OVERFLOWING = """() => {
  const limit = document.documentElement.clientWidth;
  const clipped = (element) => {
    const escapes = ["absolute", "fixed"].includes(getComputedStyle(element).position);
    let positioned = false;
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      positioned = positioned || style.position !== "static";
      if (style.overflowX !== "visible" && (!escapes || positioned)) { return true; }
    }
    return false;
  };
  return Array.from(document.body.querySelectorAll("*"))
    .filter((el) => el.getBoundingClientRect().right > limit + 1 && !clipped(el))
    .slice(0, 5)
    .map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute("class") || ""}">`
      + ` ${(el.textContent || "").trim().slice(0, 60)}`);
}"""

SCREENS = [("en", PHONE_WIDTH), ("fr", PHONE_WIDTH), ("fr", 360)]

# Pages every run must have reached (a sanity check on the sweep itself).
MUST_SEE = {
    "account_login",
    "dashboard",
    "job_list",
    "job_detail",
    "job_applications",
    "application_detail",
    "job_sourcing_boards",
    "campaign_draft_target_group",
    "campaign_draft_review",
    "campaign_detail",
    "contract_list",
    "contract_add",
    "campaign_history",
    "campaign_history_detail",
    "careers:list",
    "careers:job",
    "supportdesk:request_detail",
}


def _client(showcase, visitor) -> Client:
    client = Client()
    user = visitor_user(showcase, visitor)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.timeout(900)
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, provider, browser_contexts):
    showcase = build_showcase()
    pages, not_pages = route_pages(showcase)
    pages += state_pages(showcase)

    # What NOT_PAGES lists must really not be a page, or a page would escape the sweep.
    for page in not_pages:
        response = _client(showcase, page.visitor).get(page.url)
        html = response.headers.get("Content-Type", "").startswith("text/html")
        assert not (html and b"<html" in response.content), (
            f"{page.name} answers a page: remove it from NOT_PAGES"
        )

    wide, broken, problems, seen = {}, [], [], set()
    for language, width in SCREENS:
        tabs = {}
        for page in pages:
            if page.visitor not in tabs:
                user = visitor_user(showcase, page.visitor)
                context = new_context(
                    browser, live_server, user=user, language=language, width=width
                )
                browser_contexts.append(context)
                tabs[page.visitor] = context.new_page()
                watch_console(tabs[page.visitor], problems)
            tab = tabs[page.visitor]
            response = tab.goto(page.url, wait_until="load")
            where = f"{language} {width}px {page.name}"
            if response.status >= 500:
                broken.append(f"{where}: {response.status}")
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                broken.append(f"{where}: not a page, add it to NOT_PAGES")
                continue
            seen.add(page.name)
            scroll_width = tab.evaluate("document.documentElement.scrollWidth")
            if scroll_width > tab.evaluate("window.innerWidth"):
                wide[f"{where} ({page.url}): {scroll_width}px"] = tab.evaluate(OVERFLOWING)

    assert broken == []
    assert seen >= MUST_SEE, MUST_SEE - seen
    report = "\n".join(f"{page}: {culprits}" for page, culprits in wide.items())
    assert wide == {}, f"pages wider than the screen:\n{report}"
    assert problems == []
