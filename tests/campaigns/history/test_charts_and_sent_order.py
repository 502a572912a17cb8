import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from campaigns.history.charts import daily_chart
from campaigns.history.performance import DailyPoint
from campaigns.history.sent_order import sent_order, text_paragraphs
from campaigns.models import Posting

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(\.\d+)?")
GEOMETRY = ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "stroke-width")


def points(*values: tuple[int, int]) -> list[DailyPoint]:
    start = date(2026, 5, 1)
    return [DailyPoint(start + timedelta(days=i), v, a) for i, (v, a) in enumerate(values)]


def test_chart_scales_to_a_round_maximum():
    series = points((0, 0), (7, 1), (3, 2))
    chart = daily_chart(series)
    assert [t.value for t in chart.ticks] == [0, 5, 10]
    first, middle, last = chart.views_line.split()
    assert first.startswith(f"{chart.left}.0,") or first.startswith(f"{chart.left},")
    assert float(first.split(",")[1]) == chart.baseline  # 0 sits on the baseline
    assert float(last.split(",")[0]) == chart.right_edge
    assert float(middle.split(",")[1]) < float(last.split(",")[1])  # 7 above 3
    assert (chart.total_views, chart.total_applications) == (10, 3)
    assert [label.day for label in chart.labels] == [day.day for day in series]


def test_chart_of_one_day_and_of_none():
    assert daily_chart([]) is None
    chart = daily_chart(points((0, 0)))
    assert len(chart.views_line.split()) == 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_charts_numbers_are_svg_numbers_in_every_language(language, settings):
    """French writes 136,0 for 136.0: markup numbers must never be localised."""
    settings.USE_THOUSAND_SEPARATOR = True  # the harshest locale formatting
    chart = daily_chart(points(*[(1234 + 7 * i, i % 3) for i in range(12)]))
    with translation.override(language):
        html = render_to_string("campaigns/history/_chart.html", {"chart": chart, "id": 7})
    markup = html.split("<figure")[1].split(">", 1)[1].split("<figcaption")[0]
    svg = ET.fromstring(markup)  # noqa: S314 -- our own template's output, not untrusted
    checked = 0
    for element in svg.iter():
        for name in GEOMETRY:
            if name in element.attrib and element.attrib[name] != "100%":
                assert NUMBER.fullmatch(element.attrib[name]), (element.tag, name, element.attrib)
                checked += 1
        if element.tag == f"{SVG}polyline":
            for pair in element.attrib["points"].split():
                x, y = pair.split(",")
                assert NUMBER.fullmatch(x) and NUMBER.fullmatch(y), pair
                checked += 1
    assert all(NUMBER.fullmatch(n) for n in svg.attrib["viewBox"].split())
    assert checked > 12 * 4
    # The same coordinates whatever the language.
    assert [e.attrib.get("cy") for e in svg.iter(f"{SVG}circle")] == [
        str(marker.views_y) if i % 2 == 0 else str(marker.applications_y)
        for marker in chart.markers
        for i in range(2)
    ]


def test_description_paragraphs():
    assert text_paragraphs(
        "<p>We hire every week.</p><p>Meaningful work &amp; more<br>line two</p>"
        "<ul><li>One</li><li>Two <b>bold</b></li></ul><h3>Perks</h3>Free   coffee"
    ) == [
        "We hire every week.",
        "Meaningful work & more\nline two",
        "• One",
        "• Two bold",
        "Perks",
        "Free coffee",
    ]
    assert text_paragraphs("Plain text.\n\nSecond paragraph\non two lines.") == [
        "Plain text.",
        "Second paragraph on two lines.",
    ]
    assert text_paragraphs("") == [] and text_paragraphs("<p> </p>") == []


@pytest.mark.django_db
def test_sent_order_reads_the_real_order_document(ordered_campaign, recruiter, contracts):
    zoo, plain = contracts
    postings = list(ordered_campaign.postings.all())
    sent = sent_order(ordered_campaign.payload, postings=postings)
    assert sent.campaign_name == "Data engineer campaign"
    assert ("Email", recruiter.email) in sent.recruiter
    assert sent.description[:2] == [
        "We hire every week.",
        "Meaningful work & fair pay.\nLyon or remote.",
    ]
    assert ("Location", "1 Rue de la République, 69001 Lyon, FR") in sent.job
    assert {label for label, _ in sent.audience} == {
        "Education level",
        "Industry",
        "Seniority",
        "Job function",
    }
    by_contract = {p.contract_id: sent.boards[p.pk] for p in postings}
    assert by_contract[zoo.pk].board == "Zoo Board"
    # Labels and option labels, never the provider's keys.
    assert ("Headline", "Join our team") in by_contract[zoo.pk].requirements
    assert ("Contract type", "Full time") in by_contract[zoo.pk].requirements
    assert by_contract[plain.pk].requirements == []


@pytest.mark.django_db
def test_a_board_whose_contract_is_gone_is_found_by_its_name(ordered_campaign, contracts):
    zoo_posting = ordered_campaign.postings.get(contract=contracts[0])
    gone = Posting(pk=zoo_posting.pk, contract_id=None, board_name="Zoo Board")
    sent = sent_order(ordered_campaign.payload, postings=[gone])
    assert sent.boards[gone.pk].board == "Zoo Board"


def test_sent_order_of_garbage_is_empty():
    assert sent_order(None, postings=[]).is_empty
    assert sent_order({"posting": "x", "products": "y"}, postings=[]).is_empty
