import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from campaigns.models import EventSource, PostingStatus
from campaigns.services.status import posting_apply_status
from tests.campaigns.factories import CampaignFactory, PostingEventFactory, PostingFactory
from tests.campaigns.history.pages import history_rows
from tests.jobs.factories import ApplicationFactory, JobFactory, JobViewCounterFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded, pytest.mark.usefixtures("empty_cache")]

HISTORY = reverse("campaign_history")
CSV = reverse("campaign_history_csv")
JOBS = reverse("campaign_history_jobs")


def make_postings(org, count, **kwargs):
    job = JobFactory(organization=org)
    postings = []
    for index in range(count):
        campaign = CampaignFactory(job=job, name=f"Campaign {index}")
        posting = PostingFactory(campaign=campaign, online=bool(index % 2), **kwargs)
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
    assert recruiter_client.get(f"{JOBS}?job_title=a").status_code == 403


def test_empty_state_explains_how_campaigns_get_there(admin_client, other_org):
    PostingFactory(campaign__job__organization=other_org)
    response = admin_client.get(HISTORY)
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in response.text
    assert "Sourcing tab" in response.text
    assert "history-table" not in response.text


def test_rows_show_badges_links_and_metrics_never_a_fake_zero(admin_client, org):
    online = PostingFactory(
        online=True, campaign__job__organization=org, campaign__name="Spring hiring", clicks=7
    )
    JobViewCounterFactory(job=online.campaign.job, utm_content=online.utm_content, count=12)
    ApplicationFactory(job=online.campaign.job, utm_content=online.utm_content)
    submitted = PostingFactory(campaign__job__organization=org, campaign__name="Not yet live")
    response = admin_client.get(HISTORY)
    assert response.status_code == 200
    rows = history_rows(response.text)
    campaign_url = reverse("campaign_history_detail", args=[online.campaign_id])
    assert rows[online.pk].cells[0].startswith("Spring hiring")
    assert rows[online.pk].links == [campaign_url, online.job_board_link]
    assert (rows[online.pk].badge, rows[online.pk].metrics) == ("Online", ["12", "7", "1"])
    assert (rows[submitted.pk].badge, rows[submitted.pk].metrics) == ("Submitted", ["—"] * 3)
    assert f'href="{online.job_board_link}" target="_blank" rel="noopener noreferrer"' in (
        response.text
    )


def test_every_cell_is_escaped(admin_client, org):
    posting = PostingFactory(
        online=True,
        campaign__job__organization=org,
        campaign__name="<script>alert(1)</script>",
        campaign__job__title="<b>Chef</b>",
        board_name="<i>Board</i>",
    )
    text = admin_client.get(HISTORY).text
    assert "<script>alert(1)</script>" not in text and "<b>Chef</b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "&lt;i&gt;Board&lt;/i&gt;" in text
    assert history_rows(text)[posting.pk].cells[1] == "<i>Board</i>"


def test_a_javascript_job_ad_url_is_never_a_link(admin_client, org):
    PostingFactory(
        online=True, campaign__job__organization=org, job_board_link="javascript:alert(1)"
    )
    assert "javascript:alert" not in admin_client.get(HISTORY).text


def test_numeric_columns_and_only_those_are_right_aligned(admin_client, org):
    PostingFactory(campaign__job__organization=org)
    head = admin_client.get(HISTORY).text.split("<thead>")[1].split("</thead>")[0]
    aligned = [cell for cell in head.split("<th ")[1:] if 'class="text-end"' in cell]
    assert [cell.split('">')[-1].split("<")[0] for cell in aligned] == [
        "Views",
        "Clicks",
        "Applications",
    ]


def test_filters_are_kept_in_the_url_and_applied(admin_client, org, other_org):
    online = PostingFactory(online=True, campaign__job__organization=org, campaign__name="Keep me")
    PostingFactory(campaign__job__organization=org, campaign__name="Drop me")
    PostingFactory(online=True, campaign__job__organization=other_org, campaign__name="Foreign")
    url = f"{HISTORY}?status=online&board={online.channel_id}&sort=-published"
    text = admin_client.get(url).text
    assert "Keep me" in text and "Drop me" not in text and "Foreign" not in text
    # Sorting links keep the filters.
    assert "status=online" in text.split("<thead>")[1].split("</thead>")[0]
    csv_link = text.split('data-testid="history-csv"')[0].rsplit("href=", 1)[1]
    assert "status=online" in csv_link and f"board={online.channel_id}" in csv_link


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("board=abc", "board"),
        ("board=999999", "board"),
        ("job=-1", "job_title"),
        ("job=abc", "job_title"),
        ("job_title=nothing+like+it", "job_title"),
        ("recruiter=x", "recruiter"),
        ("date_from=2026-13-45", "date_from"),
        ("date_from=2026-05-10&date_to=2026-05-01", "date_to"),
        ("q=" + "x" * 500, "q"),
    ],
)
def test_bad_filter_values_are_errors_at_their_field_never_a_500(admin_client, org, query, field):
    PostingFactory(campaign__job__organization=org, campaign__name="Still listed")
    response = admin_client.get(f"{HISTORY}?{query}")
    assert response.status_code == 200
    assert "Still listed" in response.text
    assert f'id="id_{field}_error"' in response.text
    assert admin_client.get(f"{CSV}?{query}").status_code == 200


@pytest.mark.parametrize("query", ["page=abc", "page=-4", "page=999999999999999999999"])
def test_a_bad_page_number_shows_the_first_page(admin_client, org, query):
    PostingFactory(campaign__job__organization=org, campaign__name="Still listed")
    response = admin_client.get(f"{HISTORY}?{query}")
    assert response.status_code == 200
    assert "Still listed" in response.text and "That page number is not valid" in response.text


def test_an_unknown_sort_is_the_default_order(admin_client, org):
    first = PostingFactory(campaign__job__organization=org)
    second = PostingFactory(campaign__job__organization=org)
    response = admin_client.get(f"{HISTORY}?sort=;drop table")
    assert response.status_code == 200
    assert list(history_rows(response.text)) == [second.pk, first.pk]


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
    assert len(history_rows(response.text)) == 5


@pytest.mark.parametrize("count", [5, 50])
def test_history_page_runs_a_constant_number_of_queries(
    admin_client, org, count, django_assert_max_num_queries
):
    make_postings(org, count)
    # the session's user (with membership and organisation), board and recruiter choices,
    # the bounded count, the rows with their views and applications
    with django_assert_max_num_queries(5):
        response = admin_client.get(f"{HISTORY}?sort=-views&page=2")
    assert response.status_code == 200
    with django_assert_max_num_queries(3):  # the choices are kept until something changes
        response = admin_client.get(HISTORY)
    assert len(history_rows(response.text)) == min(count, 25)


def test_filtering_by_job_costs_one_query_more(admin_client, org, django_assert_max_num_queries):
    postings = make_postings(org, 5)
    job = postings[0].campaign.job
    with django_assert_max_num_queries(6):  # + the job, validated
        response = admin_client.get(f"{HISTORY}?job={job.pk}")
    assert len(history_rows(response.text)) == 5


def test_csv_runs_a_constant_number_of_queries(admin_client, org, django_assert_max_num_queries):
    make_postings(org, 5)
    # the session's user, board and recruiter choices, the rows (+ the transaction's
    # savepoint and its release, and on PostgreSQL "SET LOCAL jit")
    with django_assert_max_num_queries(7) as few:
        assert len(csv_rows(admin_client.get(CSV))) == 5 + 1
    make_postings(org, 45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(csv_rows(admin_client.get(CSV))) == 50 + 1


def test_csv_is_streamed_and_holds_the_filtered_rows(admin_client, org):
    online = PostingFactory(
        online=True, campaign__job__organization=org, campaign__name="=HYPERLINK(1)", clicks=3
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
    posting_apply_status(posting=posting, status=PostingStatus.FAILED, source=EventSource.POLL)
    fragment = admin_client.get(HISTORY, headers={"HX-Request": "true"})
    assert 'data-live="false"' in fragment.text and "hx-trigger" not in fragment.text
    assert history_rows(fragment.text)[posting.pk].badge == "Failed"


def test_live_fragment_query_count_is_constant(admin_client, org, django_assert_max_num_queries):
    make_postings(org, 5)
    with django_assert_max_num_queries(4) as few:  # as the page, without the count
        admin_client.get(HISTORY, headers={"HX-Request": "true"})
    make_postings(org, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(HISTORY, headers={"HX-Request": "true"})


# --- the job filter: a type-ahead ----------------------------------------------------------


def test_job_suggestions_are_the_organisations_jobs_with_a_campaign(
    admin_client, org, other_org, django_assert_max_num_queries
):
    wanted = CampaignFactory(job__organization=org, job__title="Data engineer").job
    CampaignFactory(job__organization=org, job__title="Nurse")
    JobFactory(organization=org, title="Data analyst")  # no campaign: nothing to filter
    CampaignFactory(job__organization=other_org, job__title="Data scientist")
    with django_assert_max_num_queries(2):  # the session's user, the jobs
        response = admin_client.get(f"{JOBS}?job_title=DATA")
    assert response.status_code == 200
    text = response.text
    assert f'data-value="{wanted.pk}"' in text and ">Data engineer</li>" in text
    assert text.count('role="option"') == 1
    assert "No job with a campaign matches “zzz”." in admin_client.get(f"{JOBS}?job_title=zzz").text
    assert 'role="option"' not in admin_client.get(JOBS).text


def test_job_suggestions_are_bounded_and_escaped(admin_client, org):
    for index in range(25):
        CampaignFactory(job__organization=org, job__title=f"<b>Chef</b> {index:02d}")
    text = admin_client.get(f"{JOBS}?job_title=chef").text
    assert text.count('role="option"') == 20
    assert "<b>Chef</b>" not in text and "&lt;b&gt;Chef&lt;/b&gt; 00" in text


def test_the_picked_job_filters_and_shows_its_title(admin_client, org):
    kept = PostingFactory(campaign__job__organization=org, campaign__job__title="Data engineer")
    PostingFactory(campaign__job__organization=org, campaign__job__title="Nurse")
    job = kept.campaign.job
    text = admin_client.get(f"{HISTORY}?job={job.pk}").text
    assert list(history_rows(text)) == [kept.pk]
    assert 'name="job_title" id="id_job_title" value="Data engineer"' in text
    assert f'name="job" value="{job.pk}"' in text
    # The page never lists every job.
    assert "Nurse" not in text.split('data-testid="history-filters"')[1].split("</form>")[0]


def test_a_typed_title_without_a_pick_filters_when_one_job_matches(admin_client, org):
    kept = PostingFactory(campaign__job__organization=org, campaign__job__title="Data engineer")
    PostingFactory(campaign__job__organization=org, campaign__job__title="Data analyst")
    text = admin_client.get(f"{HISTORY}?job=&job_title=engin").text
    assert list(history_rows(text)) == [kept.pk]
    assert 'value="Data engineer"' in text
    text = admin_client.get(f"{HISTORY}?job=&job_title=data").text
    assert "Several jobs match “data”: pick one from the suggestions." in text
    assert len(history_rows(text)) == 2  # the ambiguous filter is left out


def test_another_organisations_job_is_not_a_filter(admin_client, org, other_org):
    PostingFactory(campaign__job__organization=org, campaign__name="Ours")
    foreign = PostingFactory(campaign__job__organization=other_org).campaign.job
    text = admin_client.get(f"{HISTORY}?job={foreign.pk}").text
    assert 'id="id_job_title_error"' in text and "Ours" in text


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


def test_details_show_what_was_sent_timeline_and_chart(admin_client, ordered_campaign, recruiter):
    zoo, plain = ordered_campaign.postings.order_by("board_name")[:2]
    posting_apply_status(
        posting=plain,
        status=PostingStatus.ONLINE,
        source=EventSource.WEBHOOK,
        job_board_link="https://board.example/ads/1",
        clicks=9,
    )
    posting_apply_status(
        posting=zoo,
        status=PostingStatus.FAILED,
        source=EventSource.WEBHOOK,
        description="Title too long",
        solution="<script>alert(1)</script> Shorten the <b>title</b>",
    )
    job = ordered_campaign.job
    yesterday = timezone.localdate() - timedelta(days=1)
    JobViewCounterFactory(job=job, utm_content=plain.utm_content, count=5, day=yesterday)
    JobViewCounterFactory(job=job, utm_content=plain.utm_content, count=2)
    ApplicationFactory(job=job, utm_content=plain.utm_content)
    response = admin_client.get(detail_url(ordered_campaign))
    assert response.status_code == 200
    text = response.text
    # The provider's markup is read as plain text (tests/campaigns/test_provider_text.py).
    assert "<script>alert(1)" not in text and "&lt;script" not in text
    assert "Suggested solution:</strong> Shorten the title</div>" in " ".join(text.split())
    # What was sent: the real order document, read back.
    assert recruiter.email in text and "Data engineer" in text
    assert "Join our team" in text  # the Zoo board's requirement
    assert text.count('data-testid="posting-chart"') == 2
    assert "<polyline" in text and "style=" not in text.split("<svg")[1].split("</svg>")[0]
    assert "Views: 7" in " ".join(text.split())
    assert "Clicks: 9" in " ".join(text.split())
    assert 'data-status="failed"' in text and 'data-status="online"' in text


def test_what_was_sent_keeps_the_descriptions_paragraphs(admin_client, ordered_campaign):
    text = admin_client.get(detail_url(ordered_campaign)).text
    description = text.split('data-testid="sent-description">')[1].split("</div>")[0]
    assert description == (
        "<p>We hire every week.</p><p>Meaningful work &amp; fair pay.<br>Lyon or remote.</p>"
        "<p>• Python</p><p>• Django</p>"
    )


def test_details_survive_an_empty_payload(admin_client, org):
    campaign = CampaignFactory(job__organization=org, payload={"posting": "garbage"})
    PostingFactory(campaign=campaign)
    response = admin_client.get(detail_url(campaign))
    assert response.status_code == 200
    assert "The order document of this campaign is not available." in response.text


def test_details_query_count_is_constant(admin_client, org, django_assert_max_num_queries):
    campaign = CampaignFactory(job__organization=org)
    for _ in range(2):
        PostingEventFactory(posting=PostingFactory(online=True, campaign=campaign))
    # 8, and 2 for the figures per board (campaigns/history/board_performance.py): on
    # PostgreSQL one statement and the contracts' prices; elsewhere (the embedded SQLite
    # default) 2 more, the ORM reading postings, view counters and applications apart.
    figures = 2 if connection.vendor == "postgresql" else 4
    with django_assert_max_num_queries(8 + figures) as few:
        admin_client.get(detail_url(campaign))
    for _ in range(8):
        PostingEventFactory(posting=PostingFactory(online=True, campaign=campaign))
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(detail_url(campaign))


def test_details_offer_take_down_of_live_postings(admin_client, org):
    posting = PostingFactory(online=True, campaign__job__organization=org)
    text = admin_client.get(detail_url(posting.campaign)).text
    campaign_url = reverse("campaign_take_down", kwargs={"campaign_id": posting.campaign_id})
    posting_url = reverse("posting_take_down", kwargs={"posting_id": posting.pk})
    assert f'action="{campaign_url}"' in text and f'action="{posting_url}"' in text
    assert "data-confirm=" in text


def test_a_take_down_from_the_history_stays_in_the_history(admin_client, org):
    """The details page posts its own address as ``next``; the answer goes back there (here a
    refusal, as the board is already offline), and never to another site."""
    posting = PostingFactory(status=PostingStatus.OFFLINE, campaign__job__organization=org)
    url = reverse("posting_take_down", kwargs={"posting_id": posting.pk})
    here = detail_url(posting.campaign) + "?status=offline"
    response = admin_client.post(url, {"next": here})
    assert response.status_code == 302 and response.url == here
    page = admin_client.get(here).text
    assert "This job board is already offline." in page

    campaign_page = reverse("campaign_detail", kwargs={"campaign_id": posting.campaign_id})
    for elsewhere in ("https://evil.example/", "//evil.example/", "", "a view name", "<b>"):
        response = admin_client.post(url, {"next": elsewhere})
        assert response.url == campaign_page


def test_the_details_take_down_forms_carry_their_own_address(admin_client, org):
    posting = PostingFactory(online=True, campaign__job__organization=org)
    here = detail_url(posting.campaign)
    text = admin_client.get(here).text
    for action in (
        reverse("campaign_take_down", kwargs={"campaign_id": posting.campaign_id}),
        reverse("posting_take_down", kwargs={"posting_id": posting.pk}),
    ):
        form = re.search(f'<form[^>]*action="{re.escape(action)}".*?</form>', text, re.S)
        assert form and f'name="next" value="{here}"' in form.group(0)


def test_numbers_in_markup_are_never_localised(admin_client, org, settings):
    """Ids and data attributes stay numbers whatever the language's number format."""
    settings.USE_THOUSAND_SEPARATOR = True
    posting = PostingFactory(id=1234567, online=True, campaign__job__organization=org)
    JobViewCounterFactory(job=posting.campaign.job, utm_content=posting.utm_content, count=5)
    french = {"Accept-Language": "fr"}
    assert 'data-posting="1234567"' in admin_client.get(HISTORY, headers=french).text
    detail = admin_client.get(detail_url(posting.campaign), headers=french).text
    assert 'data-posting="1234567"' in detail and 'id="posting-1234567-title"' in detail
    assert 'id="chart-1234567-title"' in detail
