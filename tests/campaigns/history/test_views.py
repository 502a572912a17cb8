import csv
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from campaigns.models import PostingStatus
from tests.campaigns.history.factories import (
    CampaignFactory,
    OnlinePostingFactory,
    PostingEventFactory,
    PostingFactory,
)
from tests.jobs.factories import ApplicationFactory, JobFactory, JobViewCounterFactory

pytestmark = pytest.mark.django_db

HISTORY = reverse("campaign_history")
CSV = reverse("campaign_history_csv")


def make_postings(org, count, **kwargs):
    job = JobFactory(organization=org)
    postings = []
    for index in range(count):
        campaign = CampaignFactory(job=job, name=f"Campaign {index}")
        factory = OnlinePostingFactory if index % 2 else PostingFactory
        posting = factory(campaign=campaign, **kwargs)
        JobViewCounterFactory(job=job, utm_content=posting.utm_content, count=index + 1)
        postings.append(posting)
    return postings


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_recruiters_get_403(recruiter_client, org):
    PostingFactory(campaign__job__organization=org)
    assert recruiter_client.get(HISTORY).status_code == 403
    assert recruiter_client.get(CSV).status_code == 403


def test_empty_state_explains_how_campaigns_get_there(admin_client, other_org):
    PostingFactory(campaign__job__organization=other_org)
    response = admin_client.get(HISTORY)
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in response.text
    assert "Sourcing tab" in response.text
    assert "history-table" not in response.text


def test_rows_show_badges_links_and_metrics_never_a_fake_zero(admin_client, org):
    online = OnlinePostingFactory(
        campaign__job__organization=org, campaign__name="Spring hiring", clicks=7
    )
    JobViewCounterFactory(job=online.campaign.job, utm_content=online.utm_content, count=12)
    ApplicationFactory(job=online.campaign.job, utm_content=online.utm_content)
    submitted = PostingFactory(campaign__job__organization=org, campaign__name="Not yet live")
    response = admin_client.get(HISTORY)
    assert response.status_code == 200
    text = response.text
    assert "Spring hiring" in text and "Not yet live" in text
    assert f'href="{online.job_board_link}" target="_blank" rel="noopener noreferrer"' in text
    online_row = text[text.index(f'data-posting="{online.pk}"') :].split("</tr>")[0]
    assert ">Online</span>" in online_row
    assert [cell.split(">")[-1] for cell in online_row.split("</td>")[-4:-1]] == ["12", "7", "1"]
    submitted_row = text[text.index(f'data-posting="{submitted.pk}"') :].split("</tr>")[0]
    assert ">Submitted</span>" in submitted_row
    assert [cell.split(">")[-1] for cell in submitted_row.split("</td>")[-4:-1]] == ["—"] * 3


def test_a_javascript_job_ad_url_is_never_a_link(admin_client, org):
    OnlinePostingFactory(campaign__job__organization=org, job_board_link="javascript:alert(1)")
    assert "javascript:alert" not in admin_client.get(HISTORY).text


def test_filters_are_kept_in_the_url_and_applied(admin_client, org, other_org):
    online = OnlinePostingFactory(campaign__job__organization=org, campaign__name="Keep me")
    PostingFactory(campaign__job__organization=org, campaign__name="Drop me")
    OnlinePostingFactory(campaign__job__organization=other_org, campaign__name="Foreign")
    url = f"{HISTORY}?status=online&board={online.channel_id}&sort=-published"
    text = admin_client.get(url).text
    assert "Keep me" in text and "Drop me" not in text and "Foreign" not in text
    # Sorting and paging links keep the filters.
    assert "status=online" in text.split("history-table")[1].split("</thead>")[0]
    csv_link = text.split('data-testid="history-csv"')[0].rsplit("href=", 1)[1]
    assert "status=online" in csv_link and f"board={online.channel_id}" in csv_link


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "board=abc",
        "board=999999",
        "job=-1",
        "recruiter=x",
        "date_from=2026-13-45",
        "date_from=2026-05-10&date_to=2026-05-01",
        "page=abc",
        "page=-4",
        "page=999999999999999999999",
        "sort=;drop table",
        "q=" + "x" * 500,
    ],
)
def test_bad_filter_values_show_errors_never_a_500(admin_client, org, query):
    PostingFactory(campaign__job__organization=org, campaign__name="Still listed")
    response = admin_client.get(f"{HISTORY}?{query}")
    assert response.status_code == 200
    assert "Still listed" in response.text
    assert (
        "invalid-feedback" in response.text
        or "alert-warning" in response.text
        or ("sort=" in query)
    )
    assert admin_client.get(f"{CSV}?{query}").status_code == 200


def test_reversed_date_range_is_an_error_at_the_field(admin_client, org):
    PostingFactory(campaign__job__organization=org)
    text = admin_client.get(f"{HISTORY}?date_from=2026-05-10&date_to=2026-05-01").text
    assert "The end date must be on or after the start date." in text
    assert 'id="id_date_to_error"' in text


def test_a_page_past_the_end_shows_the_last_page(admin_client, org):
    make_postings(org, 30)
    response = admin_client.get(f"{HISTORY}?page=9")
    assert response.status_code == 200
    assert 'data-testid="history-out-of-range"' in response.text
    assert "Page 2 of 2" in response.text
    assert response.text.count("<tr data-posting=") == 5


@pytest.mark.parametrize("count", [5, 50])
def test_history_page_runs_a_constant_number_of_queries(
    admin_client, org, count, django_assert_max_num_queries
):
    make_postings(org, count)
    # session, user, membership, org, 4 for the filter choices (2 cached after the first
    # request), bounded count, rows, 2 grouped attribution queries
    with django_assert_max_num_queries(12):
        response = admin_client.get(f"{HISTORY}?sort=-views&page=2")
    assert response.status_code == 200
    with django_assert_max_num_queries(9):  # the filter choices come from the process cache
        response = admin_client.get(HISTORY)
    assert response.text.count("<tr data-posting=") == min(count, 25)


def test_csv_runs_a_constant_number_of_queries(admin_client, org, django_assert_max_num_queries):
    make_postings(org, 5)
    # session, user, membership, org, 4 for the filter choices (cached afterwards), the rows
    # (+ the transaction's savepoint and its release, and on PostgreSQL "SET LOCAL jit")
    with django_assert_max_num_queries(12) as few:
        assert len(csv_rows(admin_client.get(CSV))) == 5 + 1
    make_postings(org, 45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(csv_rows(admin_client.get(CSV))) == 50 + 1


def test_csv_is_streamed_and_holds_the_filtered_rows(admin_client, org):
    online = OnlinePostingFactory(
        campaign__job__organization=org, campaign__name="=HYPERLINK(1)", clicks=3
    )
    JobViewCounterFactory(job=online.campaign.job, utm_content=online.utm_content, count=4)
    PostingFactory(campaign__job__organization=org, campaign__name="Submitted one")
    response = admin_client.get(f"{CSV}?status=online")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[0] == "Campaign" and header[-3:] == ["Views", "Clicks", "Applications"]
    assert len(rows) == 1
    assert rows[0][0] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert rows[0][3] == online.board_name and rows[0][4] == "Online"
    assert rows[0][-3:] == ["4", "3", "0"]
    response = admin_client.get(f"{CSV}?status=submitted")
    assert csv_rows(response)[1][-3:] == ["", "", ""]


def test_live_rows_poll_the_table_body_and_stop_when_none_is_live(admin_client, org):
    posting = PostingFactory(campaign__job__organization=org, status=PostingStatus.IN_PROGRESS)
    text = admin_client.get(HISTORY).text
    assert 'hx-trigger="every 10s"' in text and 'data-live="true"' in text
    fragment = admin_client.get(HISTORY, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith("<tbody") and "<html" not in fragment.text
    assert 'hx-trigger="every 10s"' in fragment.text
    posting.status = PostingStatus.FAILED
    posting.save()
    fragment = admin_client.get(HISTORY, headers={"HX-Request": "true"})
    assert 'data-live="false"' in fragment.text and "hx-trigger" not in fragment.text
    assert ">Failed</span>" in fragment.text


def test_live_fragment_query_count_is_constant(admin_client, org, django_assert_max_num_queries):
    make_postings(org, 5)
    with django_assert_max_num_queries(11) as few:  # as the page, without the count
        admin_client.get(HISTORY, headers={"HX-Request": "true"})
    make_postings(org, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(HISTORY, headers={"HX-Request": "true"})


# --- campaign details --------------------------------------------------------------------


def detail_url(campaign):
    return reverse("campaign_history_detail", kwargs={"campaign_id": campaign.pk})


def test_details_of_another_organisation_are_a_404(admin_client, other_org):
    campaign = CampaignFactory(job__organization=other_org)
    assert admin_client.get(detail_url(campaign)).status_code == 404
    assert admin_client.post(detail_url(campaign)).status_code == 404
    assert (
        admin_client.get("/administration/job-boards/history/campaigns/999999/").status_code == 404
    )


def test_details_show_what_was_sent_timeline_and_chart(admin_client, org):
    posting = OnlinePostingFactory(campaign__job__organization=org, clicks=9)
    failed = PostingFactory(
        campaign=posting.campaign,
        status=PostingStatus.FAILED,
        status_description="Title too long",
        status_solution="<script>alert(1)</script> Shorten the <b>title</b>",
    )
    PostingEventFactory(
        posting=failed,
        to_status=PostingStatus.FAILED,
        description="Title too long",
        solution="<script>alert(1)</script> Shorten the <b>title</b>",
    )
    job = posting.campaign.job
    yesterday = timezone.localdate() - timedelta(days=1)
    JobViewCounterFactory(job=job, utm_content=posting.utm_content, count=5, day=yesterday)
    JobViewCounterFactory(job=job, utm_content=posting.utm_content, count=2)
    ApplicationFactory(job=job, utm_content=posting.utm_content)
    response = admin_client.get(detail_url(posting.campaign))
    assert response.status_code == 200
    text = response.text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Shorten the &lt;b&gt;title&lt;/b&gt;" in text
    assert "Rita Recruiter" in text and "Carl Contact" in text and "Senior" in text
    assert "Build things &amp; ship them." in text  # the description's text, escaped
    assert text.count('data-testid="posting-chart"') == 2
    assert "<polyline" in text and "style=" not in text.split("<svg")[1].split("</svg>")[0]
    assert "Views: 7" in " ".join(text.split())
    assert "Clicks: 9" in " ".join(text.split())


def test_details_survive_an_empty_payload(admin_client, org):
    campaign = CampaignFactory(job__organization=org, payload={"posting": "garbage"})
    PostingFactory(campaign=campaign)
    response = admin_client.get(detail_url(campaign))
    assert response.status_code == 200


def test_details_query_count_is_constant(admin_client, org, django_assert_max_num_queries):
    campaign = CampaignFactory(job__organization=org)
    for _ in range(2):
        PostingEventFactory(posting=OnlinePostingFactory(campaign=campaign))
    with django_assert_max_num_queries(12) as few:
        admin_client.get(detail_url(campaign))
    for _ in range(8):
        PostingEventFactory(posting=OnlinePostingFactory(campaign=campaign))
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(detail_url(campaign))


def test_details_offer_take_down_of_live_postings(admin_client, org):
    posting = OnlinePostingFactory(campaign__job__organization=org)
    text = admin_client.get(detail_url(posting.campaign)).text
    campaign_url = reverse("campaign_take_down", kwargs={"campaign_id": posting.campaign_id})
    posting_url = reverse("posting_take_down", kwargs={"posting_id": posting.pk})
    assert f'action="{campaign_url}"' in text and f'action="{posting_url}"' in text
    assert "data-confirm=" in text
