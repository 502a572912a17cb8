from datetime import date

from campaigns.history.forms import HistoryFilterForm
from campaigns.history.selectors import DEFAULT_SORT


def form(data):
    f = HistoryFilterForm(
        data, boards=[(7, "Naukri")], jobs=[(3, "Engineer")], recruiters=[(5, "Rita")]
    )
    f.is_valid()
    return f


def test_valid_filters():
    f = form(
        {
            "q": "  spring ",
            "status": "online",
            "board": "7",
            "job": "3",
            "recruiter": "5",
            "date_from": "2026-05-01",
            "date_to": "2026-05-31",
            "sort": "-clicks",
            "page": "2",
        }
    )
    assert not f.errors
    filters = f.filters()
    assert (filters.search, filters.status, filters.channel_id, filters.job_id) == (
        "spring",
        "online",
        7,
        3,
    )
    assert (filters.recruiter_id, filters.date_from, filters.date_to) == (
        5,
        date(2026, 5, 1),
        date(2026, 5, 31),
    )
    assert filters.sort == "-clicks" and f.page_number() == 2 and filters.is_filtered


def test_invalid_values_are_errors_and_left_out():
    f = form({"status": "gone", "board": "8", "job": "x", "recruiter": "5", "page": "0"})
    assert set(f.errors) == {"status", "board", "job", "page"}
    filters = f.filters()
    assert (filters.status, filters.channel_id, filters.job_id) == ("", None, None)
    assert filters.recruiter_id == 5  # the valid part still applies
    assert f.page_number() == 1


def test_a_reversed_date_range_is_an_error_at_the_end_date():
    f = form({"date_from": "2026-05-10", "date_to": "2026-05-01"})
    assert f.errors == {"date_to": ["The end date must be on or after the start date."]}
    assert (f.filters().date_from, f.filters().date_to) == (None, None)


def test_an_unknown_sort_is_the_default():
    assert form({"sort": "password"}).filters().sort == DEFAULT_SORT
    assert form({}).filters().sort == DEFAULT_SORT
    assert not form({}).filters().is_filtered
