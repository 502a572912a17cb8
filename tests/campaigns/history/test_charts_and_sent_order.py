from datetime import date, timedelta

from campaigns.history.charts import daily_chart
from campaigns.history.performance import DailyPoint
from campaigns.history.sent_order import sent_order
from campaigns.models import Posting


def test_chart_scales_to_a_round_maximum():
    start = date(2026, 5, 1)
    points = [
        DailyPoint(start + timedelta(days=i), v, a)
        for i, (v, a) in enumerate([(0, 0), (7, 1), (3, 2)])
    ]
    chart = daily_chart(points)
    assert [t.value for t in chart.ticks] == [0, 5, 10]
    first, middle, last = chart.views_line.split()
    assert first.startswith(f"{chart.left}.0,") or first.startswith(f"{chart.left},")
    assert float(first.split(",")[1]) == chart.baseline  # 0 sits on the baseline
    assert float(last.split(",")[0]) == chart.right_edge
    assert float(middle.split(",")[1]) < float(last.split(",")[1])  # 7 above 3
    assert (chart.total_views, chart.total_applications) == (10, 3)
    assert [label.day for label in chart.labels] == [points[0].day, points[1].day, points[2].day]


def test_chart_of_one_day_and_of_none():
    assert daily_chart([]) is None
    chart = daily_chart([DailyPoint(date(2026, 5, 1), 0, 0)])
    assert len(chart.views_line.split()) == 1


def test_sent_order_reads_the_frozen_document():
    posting = Posting(pk=1, contract_id=11, board_name="Naukri")
    other = Posting(pk=2, contract_id=None, board_name="Bayt")
    payload = {
        "campaign_name": "Spring",
        "recruiter": {"name": "Rita", "email": "rita@example.test"},
        "posting": {
            "title": "Engineer",
            "description": "<p>A &amp; B</p>",
            "location": {"city": "Lyon"},
        },
        "target_group": {"seniority": {"vonq_id": 2, "description": "Senior"}},
        "products": [
            {
                "contract": 11,
                "board": "Naukri",
                "posting_requirements": {"headline": "Hi", "tags": ["a", "b"]},
                "utm": "utm_source=naukri",
            },
            {"contract": 12, "board": "Bayt", "posting_requirements": {}},
        ],
    }
    sent = sent_order(payload, postings=[posting, other])
    assert sent.campaign_name == "Spring" and ("Email", "rita@example.test") in sent.recruiter
    assert sent.description == "A & B"
    assert ("Seniority", "Senior") in sent.audience
    assert sent.boards[1].requirements == [("headline", "Hi"), ("tags", "a, b")]
    assert sent.boards[2].board == "Bayt"  # matched by board name when the contract is gone
    assert ("Location", "Lyon") in sent.job


def test_sent_order_of_garbage_is_empty():
    assert sent_order(None, postings=[]).is_empty
    assert sent_order({"posting": "x", "products": "y"}, postings=[]).is_empty
