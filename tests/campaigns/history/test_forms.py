from datetime import date

import pytest

from campaigns.history.forms import HistoryFilterForm
from campaigns.history.selectors import DEFAULT_SORT
from tests.campaigns.factories import CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer(org):
    return CampaignFactory(job__organization=org, job__title="Engineer").job


def form(org, data):
    f = HistoryFilterForm(data, org=org, boards=[(7, "Naukri")], recruiters=[(5, "Rita")])
    f.is_valid()
    return f


def test_valid_filters(org, engineer):
    f = form(
        org,
        {
            "q": "  spring ",
            "status": "online",
            "board": "7",
            "job": str(engineer.pk),
            "job_title": "Engineer",
            "recruiter": "5",
            "date_from": "2026-05-01",
            "date_to": "2026-05-31",
            "sort": "-clicks",
            "page": "2",
        },
    )
    assert not f.errors
    filters = f.filters()
    assert (filters.search, filters.status, filters.channel_id, filters.job_id) == (
        "spring",
        "online",
        7,
        engineer.pk,
    )
    assert (filters.recruiter_id, filters.date_from, filters.date_to) == (
        5,
        date(2026, 5, 1),
        date(2026, 5, 31),
    )
    assert filters.sort == "-clicks" and f.page_number() == 2 and filters.is_filtered


def test_invalid_values_are_errors_and_left_out(org, engineer):
    f = form(org, {"status": "gone", "board": "8", "job": "x", "recruiter": "5", "page": "0"})
    assert set(f.errors) == {"status", "board", "job", "page"}
    filters = f.filters()
    assert (filters.status, filters.channel_id, filters.job_id) == ("", None, None)
    assert filters.recruiter_id == 5  # the valid part still applies
    assert f.page_number() == 1


def test_a_job_of_another_organisation_is_not_a_choice(org, other_org, engineer):
    foreign = CampaignFactory(job__organization=other_org).job
    f = form(org, {"job": str(foreign.pk)})
    assert set(f.errors) == {"job"} and f.filters().job_id is None


def test_a_typed_title_resolves_to_the_one_job_it_matches(org, engineer):
    CampaignFactory(job__organization=org, job__title="Nurse")
    f = form(org, {"job_title": "engin"})
    assert not f.errors and f.selected_job == engineer and f.filters().job_id == engineer.pk
    f = form(org, {"job_title": "e"})  # both jobs
    assert "Several jobs match" in f.errors["job_title"][0] and f.filters().job_id is None
    f = form(org, {"job_title": "chef"})
    assert "No job with a campaign matches" in f.errors["job_title"][0]


def test_a_picked_job_wins_over_the_typed_title(org, engineer):
    nurse = CampaignFactory(job__organization=org, job__title="Nurse").job
    f = form(org, {"job": str(nurse.pk), "job_title": "Engineer"})
    assert not f.errors and f.filters().job_id == nurse.pk


def test_a_reversed_date_range_is_an_error_at_the_end_date(org):
    f = form(org, {"date_from": "2026-05-10", "date_to": "2026-05-01"})
    assert f.errors == {"date_to": ["The end date must be on or after the start date."]}
    assert (f.filters().date_from, f.filters().date_to) == (None, None)


def test_an_unknown_sort_is_the_default(org):
    assert form(org, {"sort": "password"}).filters().sort == DEFAULT_SORT
    assert form(org, {}).filters().sort == DEFAULT_SORT
    assert not form(org, {}).filters().is_filtered
