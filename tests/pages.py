"""What the browser sweeps share: every page a person reaches, built from the URL patterns
and the showcase organisation (so a new route is covered, or fails loudly), and browser
contexts logged in as the right person, in a language, at a width."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from tests.showcase import Showcase
from tests.test_url_sweep import all_routes
from tests.url_sweep_registry import EMAILED_KEY_ROUTES, NOT_PAGES, SHOWCASE_VALUES

PHONE_WIDTH = 390
DESKTOP_WIDTH = 1280
# Django's own admin (support staff's back office) is Django's design, not ours.
SKIPPED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Page:
    visitor: str  # "anonymous", "admin" or "staff"
    name: str  # the route, or a description for pages in a given state
    url: str


def _visitors(route) -> list[str]:
    if route.namespace == "supportdesk":
        return ["staff"]
    if route.name.startswith("account_"):
        return ["anonymous", "admin"]  # log-in pages, and the logged-in account pages
    return ["anonymous"] if route.public else ["admin"]


def _url(route, showcase: Showcase) -> str:
    kwargs = {}
    for keyword in route.keywords:
        value = SHOWCASE_VALUES.get(keyword)
        if value is None:
            pytest.fail(
                f"{route.name}: add the showcase value for URL keyword '{keyword}' to "
                "SHOWCASE_VALUES in tests/url_sweep_registry.py"
            )
        kwargs[keyword] = value(showcase)
    return reverse(route.name, kwargs=kwargs)


def route_pages(showcase: Showcase) -> tuple[list[Page], list[Page]]:
    """(pages to open in the browser, routes listed in NOT_PAGES) for every URL pattern that
    answers GET."""
    pages, not_pages = [], []
    for route in all_routes():
        if route.namespace in SKIPPED_NAMESPACES or route.name in EMAILED_KEY_ROUTES:
            continue
        if not route.accepts_get():
            continue
        url = _url(route, showcase)
        for visitor in _visitors(route):
            page = Page(visitor, route.name, url)
            (not_pages if route.name in NOT_PAGES else pages).append(page)
    return pages, not_pages


def state_pages(showcase: Showcase) -> list[Page]:
    """Pages in states the route sweep does not reach on its own."""
    add = reverse("contract_add")
    return [
        Page("admin", "job list, page 2", reverse("job_list") + "?page=2"),
        Page("admin", "add contract: search results", f"{add}?q=a"),
        Page("admin", "add contract: LinkedIn (OAuth)", f"{add}?channel={showcase.linkedin.pk}"),
        Page("admin", "add contract: Naukri", f"{add}?channel={showcase.contract.channel.pk}"),
        Page("admin", "sourcing: closed job, ads still live", _sourcing(showcase.closed_job)),
        Page("admin", "campaign refused", _campaign(showcase.failed_campaign)),
        Page("admin", "history: refused campaign", _history(showcase.failed_campaign)),
        Page("admin", "history, page 2", reverse("campaign_history") + "?page=2"),
        Page("anonymous", "career page: closed job", _career_job(showcase, showcase.closed_job)),
    ]


def _sourcing(job):
    return reverse("job_sourcing_boards", kwargs={"job_id": job.pk})


def _campaign(campaign):
    return reverse("campaign_detail", kwargs={"campaign_id": campaign.pk})


def _history(campaign):
    return reverse("campaign_history_detail", kwargs={"campaign_id": campaign.pk})


def _career_job(showcase, job):
    kwargs = {"slug": showcase.career_page.slug, "job_id": job.pk}
    return reverse("careers:job", kwargs=kwargs)


def visitor_user(showcase: Showcase, visitor: str):
    return {"anonymous": None, "admin": showcase.admin, "staff": showcase.staff}[visitor]


def new_context(browser, live_server, *, user=None, language="en", width=PHONE_WIDTH):
    """A browser context logged in as ``user`` (anonymous when None), speaking ``language``."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        cookies.append({"name": "sessionid", "value": session, "url": live_server.url})
    context.add_cookies(cookies)
    return context


def watch_console(tab, problems: list[str]) -> None:
    """Collect what goes wrong in a tab besides the page itself: Content-Security-Policy
    violations, script errors and sub-resources (scripts, styles, images, htmx calls) that
    fail. The document's own status is the caller's business (error pages are pages)."""

    def on_console(message):
        if "Failed to load resource" in message.text:
            return  # reported with its URL by on_response, or the document itself
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"{tab.url}: {message.text}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{tab.url}: {response.status} for {response.url}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: problems.append(f"{tab.url}: {error}"))
    tab.on("response", on_response)
