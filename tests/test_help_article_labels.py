"""The help article's words (locale/help-article-labels.csv, copied from the French help
article that describes My Own Contracts) are the labels people see: each English label is on
its page in English, and the article's exact French label is on the same page in French.

The file has one row per label and page: ``french`` as the article writes it, ``english`` as
our interface says it, ``page`` one of the keys of ``_pages`` below. The only liberty taken
is the apostrophe: the article types ' where our French uses the typographic ’.
"""

import csv
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import AdminMembershipFactory, OrganizationFactory
from tests.showcase import build_showcase

LABELS = Path(settings.BASE_DIR) / "locale" / "help-article-labels.csv"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _ElementTexts(HTMLParser):
    """Each element's own text (its text nodes, not its children's), spaces collapsed: a
    label, button, heading or table header reads exactly this."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, list[str]]] = []
        self.texts: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, []))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, parts = self.stack.pop()
            text = _normal("".join(parts))
            if text:
                self.texts.add(text)
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1].append(data)


def _normal(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _rows() -> list[dict]:
    with LABELS.open(encoding="utf-8", newline="") as labels:
        return list(csv.DictReader(labels))


def _pages(showcase, newcomer) -> dict:
    """page key → (who opens it, its address)."""
    admin = showcase.admin
    job = {"job_id": showcase.job.pk}
    draft = {"draft_id": showcase.draft.pk}
    return {
        "dashboard": (admin, reverse("dashboard")),
        "administration": (admin, reverse("administration")),
        "job_boards": (admin, reverse("job_boards")),
        "job_boards_not_enabled": (newcomer, reverse("job_boards")),
        "contract_list": (admin, reverse("contract_list")),
        "contract_add": (admin, f"{reverse('contract_add')}?channel={showcase.linkedin.pk}"),
        "job_summary": (admin, reverse("job_detail", kwargs=job)),
        "job_sourcing": (admin, reverse("job_sourcing_boards", kwargs=job)),
        "target_group": (admin, reverse("campaign_draft_target_group", kwargs=draft)),
        "order_review": (admin, reverse("campaign_draft_review", kwargs=draft)),
        "history": (admin, reverse("campaign_history")),
        "history_campaign": (
            admin,
            reverse("campaign_history_detail", kwargs={"campaign_id": showcase.campaign.pk}),
        ),
    }


def _texts(user, url: str, language: str) -> set[str]:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, f"{url} in {language}: {response.status_code}"
    parser = _ElementTexts()
    parser.feed(response.content.decode())
    return parser.texts


def test_the_file_lists_the_article_labels():
    rows = _rows()
    french = {row["french"] for row in rows}
    # The labels the issue named, among the others the article names.
    assert {
        "Nous contacter pour accéder",
        "Suivant : Groupe cible",
        "Suivant : Revue de la commande",
        "Soumis",
        "Mes Propres Contrats",
        "Ajouter à Mes Contrats",
        "Commander la campagne",
    } <= french
    assert all(row["french"] and row["english"] and row["page"] for row in rows)


@pytest.mark.django_db
def test_each_label_is_on_its_page_in_english_and_in_the_article_s_french(provider):
    showcase = build_showcase()
    newcomer = AdminMembershipFactory(organization=OrganizationFactory()).user  # not enabled
    pages = _pages(showcase, newcomer)
    rows = _rows()
    unknown = {row["page"] for row in rows} - set(pages)
    assert unknown == set(), f"add these pages to _pages: {unknown}"

    missing = []
    for key, (user, url) in pages.items():
        wanted = [row for row in rows if row["page"] == key]
        if not wanted:
            continue
        texts = {language: _texts(user, url, language) for language in ("en", "fr")}
        for row in wanted:
            for language, label in (("en", row["english"]), ("fr", row["french"])):
                if _normal(label) not in texts[language]:
                    missing.append(f"{key} ({language}): “{label}”")
    assert missing == []
