"""An accessibility scan of the main pages with axe-core (tests/vendor/axe-core, from the
npm registry), in Chromium, in English and in French, on a desktop and on a phone: no
serious or critical violation. The pages show the showcase organisation (tests/showcase.py),
so long names, tables, forms with errors and the rich-text editor are all scanned."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.pages import DESKTOP_WIDTH, PHONE_WIDTH, new_context, visitor_user, watch_console
from tests.showcase import build_showcase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = {"serious", "critical"}
# Run in the page through the DevTools protocol (not a <script> element), so the page's
# Content-Security-Policy stays as strict as in production.
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}"""


def _main_pages(showcase) -> list[tuple[str, str]]:
    """(visitor, address) of the pages people use most."""
    job = {"job_id": showcase.job.pk}
    career = {"slug": showcase.career_page.slug}
    add = reverse("contract_add")
    contract = {"contract_id": showcase.contract.pk}
    return [
        ("anonymous", reverse("account_login")),
        ("admin", reverse("dashboard")),
        ("admin", reverse("job_list")),
        ("admin", reverse("job_detail", kwargs=job)),
        ("admin", reverse("job_edit", kwargs=job)),
        ("admin", reverse("job_sourcing_boards", kwargs=job)),
        ("admin", reverse("job_applications", kwargs=job)),
        ("admin", reverse("application_detail", args=[showcase.application.pk])),
        ("admin", reverse("job_boards")),
        ("admin", reverse("contract_list")),
        ("admin", f"{add}?q=a"),
        ("admin", f"{add}?channel={showcase.contract.channel.pk}"),
        ("admin", reverse("contract_detail", kwargs=contract)),
        ("admin", reverse("contract_requirement_defaults", kwargs=contract)),
        ("admin", reverse("campaign_draft_target_group", kwargs={"draft_id": showcase.draft.pk})),
        ("admin", reverse("campaign_draft_review", kwargs={"draft_id": showcase.draft.pk})),
        ("admin", reverse("campaign_detail", kwargs={"campaign_id": showcase.campaign.pk})),
        ("admin", reverse("campaign_history")),
        ("admin", reverse("board_performance")),
        ("admin", reverse("campaign_history_detail", kwargs={"campaign_id": showcase.campaign.pk})),
        ("anonymous", reverse("careers:list", kwargs=career)),
        ("anonymous", reverse("careers:job", kwargs={**career, "job_id": showcase.job.pk})),
    ]


@pytest.mark.timeout(900)
def test_main_pages_have_no_serious_accessibility_violation(
    browser, live_server, provider, browser_contexts
):
    showcase = build_showcase()
    violations, problems = {}, []
    for language in ("en", "fr"):
        for width in (DESKTOP_WIDTH, PHONE_WIDTH):
            tabs = {}
            for visitor, url in _main_pages(showcase):
                if visitor not in tabs:
                    user = visitor_user(showcase, visitor)
                    context = new_context(
                        browser, live_server, user=user, language=language, width=width
                    )
                    browser_contexts.append(context)
                    tabs[visitor] = context.new_page()
                    watch_console(tabs[visitor], problems)
                tab = tabs[visitor]
                tab.goto(url, wait_until="load")
                tab.evaluate(AXE)
                found = [v for v in tab.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
                if found:
                    violations[f"{language} {width}px {url}"] = found
    report = "\n".join(f"{page}: {found}" for page, found in violations.items())
    assert violations == {}, report
    assert problems == []
