"""Job facts in words, in English and French: ranges read as sentences, enum keys as labels,
plain-text descriptions keep their paragraphs."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from jobs.display import employment_type_label, salary_text, weekly_hours_text
from jobs.validation import rich_text_html
from jobs.widgets import RichTextEditor
from tests.jobs.factories import CompleteJobFactory

NBSP = "\xa0"  # French groups thousands with a non-breaking space


@pytest.mark.parametrize(
    ("low", "high", "english", "french"),
    [
        (None, 40, "up to 40 hours a week", "jusqu’à 40 heures par semaine"),
        (20, None, "at least 20 hours a week", "au moins 20 heures par semaine"),
        (35, 39, "35 to 39 hours a week", "de 35 à 39 heures par semaine"),
        (1, 1, "1 hour a week", "1 heure par semaine"),
        (None, None, "", ""),
    ],
)
def test_weekly_hours_in_words(low, high, english, french):
    with translation.override("en"):
        assert weekly_hours_text(low, high) == english
    with translation.override("fr"):
        assert weekly_hours_text(low, high) == french


@pytest.mark.parametrize(
    ("low", "high", "period", "english", "french"),
    [
        (45000, 55000, "yearly", "45,000 to 55,000 EUR per year", "de 45 000 à 55 000 EUR par an"),
        (None, 3000, "monthly", "up to 3,000 EUR per month", "jusqu’à 3 000 EUR par mois"),
        (
            Decimal("20.50"),
            None,
            "hourly",
            "from 20.50 EUR per hour",
            "à partir de 20,50 EUR par heure",
        ),
        (None, None, "yearly", "", ""),
    ],
)
def test_salary_in_words(low, high, period, english, french):
    with translation.override("en"):
        assert salary_text(low, high, "EUR", period) == english
    with translation.override("fr"):
        assert salary_text(low, high, "EUR", period).replace(NBSP, " ") == french


def test_enum_keys_read_as_their_labels():
    with translation.override("fr"):
        assert employment_type_label("permanent") == "CDI"
        assert employment_type_label("not-a-type") == "not-a-type"


def test_plain_text_keeps_its_paragraphs_and_rich_text_stays_sanitised():
    assert rich_text_html("First line\nsecond line\n\nThen 3 < 5 & more") == (
        "<p>First line<br>second line</p>\n\n<p>Then 3 &lt; 5 &amp; more</p>"
    )
    assert rich_text_html('<p onclick="x()">Hi <script>bad()</script></p>') == "<p>Hi </p>"
    # The editor starts from the same HTML.
    assert RichTextEditor().format_value("One\n\nTwo") == "<p>One</p>\n\n<p>Two</p>"


@pytest.mark.django_db
def test_the_summary_tells_hours_and_salary_in_words(recruiter_client, org):
    job = CompleteJobFactory(organization=org, weekly_hours_from=None, weekly_hours_to=40)
    url = reverse("job_detail", args=[job.pk])
    text = recruiter_client.get(url).text
    assert "up to 40 hours a week" in text and "?–" not in text
    assert "45,000 to 55,000 EUR per year" in text
    text = recruiter_client.get(url, headers={"accept-language": "fr"}).text
    assert "jusqu’à 40 heures par semaine" in text
    assert "Fourchette de salaire" in text and "par an" in text
