"""Channel search ranks prefix matches first; taxonomy choices come in display order."""

import pytest

from distribution.models import Channel, TaxonomyKind, TaxonomyTerm
from distribution.selectors import channel_search, taxonomy_choices
from distribution.services import normalize_search

pytestmark = pytest.mark.django_db


def channel(provider_id, name, **extra):
    return Channel.objects.create(
        provider_id=provider_id, name=name, search_name=normalize_search(name), **extra
    )


@pytest.fixture
def boards():
    channel(1, "Bindeed Careers")
    channel(2, "Indeed Flex")
    channel(3, "Indeed")
    channel(4, "Jobs Indeed Partner")
    channel(5, "Indeed Archive", is_active=False)
    channel(6, "StepStone")
    channel(7, "Arbetsförmedlingen")


def names(channels):
    return [c.name for c in channels]


def test_prefix_matches_come_first(boards):
    assert names(channel_search(term="indeed")) == [
        "Indeed",
        "Indeed Flex",
        "Bindeed Careers",
        "Jobs Indeed Partner",
    ]


def test_search_ignores_case_accents_and_spaces(boards):
    assert names(channel_search(term="  INDEED   flex ")) == ["Indeed Flex"]
    assert names(channel_search(term="arbetsform")) == ["Arbetsförmedlingen"]
    assert names(channel_search(term="förmedl")) == ["Arbetsförmedlingen"]


def test_inactive_channels_are_never_found(boards):
    assert "Indeed Archive" not in names(channel_search(term="indeed a"))
    assert channel_search(term="archive") == []


def test_limit_counts_prefix_and_substring_matches(boards):
    assert names(channel_search(term="indeed", limit=1)) == ["Indeed"]
    assert names(channel_search(term="indeed", limit=3)) == [
        "Indeed",
        "Indeed Flex",
        "Bindeed Careers",
    ]


def test_empty_term_lists_active_channels_by_name(boards):
    assert names(channel_search(term="", limit=3)) == [
        "Arbetsförmedlingen",
        "Bindeed Careers",
        "Indeed",
    ]


def test_taxonomy_choices_in_tree_order(settings):
    engineering = TaxonomyTerm.objects.create(
        kind=TaxonomyKind.JOB_FUNCTION, provider_id=2, name_en="Engineering", name_fr="Ingénierie"
    )
    TaxonomyTerm.objects.create(
        kind=TaxonomyKind.JOB_FUNCTION, provider_id=1, name_en="Administration"
    )
    TaxonomyTerm.objects.create(
        kind=TaxonomyKind.JOB_FUNCTION, provider_id=21, name_en="Software", parent=engineering
    )
    TaxonomyTerm.objects.create(
        kind=TaxonomyKind.JOB_FUNCTION, provider_id=13, name_en="Retired", is_active=False
    )
    TaxonomyTerm.objects.create(kind=TaxonomyKind.INDUSTRY, provider_id=14, name_en="IT")
    choices = taxonomy_choices(TaxonomyKind.JOB_FUNCTION)
    assert [(t.provider_id, t.depth) for t in choices] == [(1, 0), (2, 0), (21, 1)]
    assert [t.provider_id for t in taxonomy_choices("industry")] == [14]
