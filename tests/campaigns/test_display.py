"""Campaign pages in people's words: the order review and a refused campaign name fields by
their labels (never the provider's keys), enums by their labels, target audience terms in the
reader's language; the verb "Open" and the status "Open" are translated apart."""

import pytest
from django.urls import reverse
from django.utils import translation

from campaigns.models import CampaignStatus, PostingStatus
from campaigns.templatetags.campaigns_tags import order_error_lines, target_audience_names
from distribution.models import TaxonomyKind
from tests.campaigns.factories import ZOO_FACETS, CampaignFactory, PostingFactory
from tests.contracts.factories import ContractFactory
from tests.jobs.factories import TaxonomyTermFactory

pytestmark = pytest.mark.django_db


def test_refusal_lines_name_fields_and_board_fields_by_label(enabled_org):
    zoo = ContractFactory(group__organization=enabled_org, posting_requirements=ZOO_FACETS)
    errors = {
        "fields": {"weekly_hours_to": ["Too many."]},
        "requirements": {str(zoo.pk): {"headline": ["Too short."], "": ["Contract expired."]}},
        "general": ["Try again."],
    }
    document = {"products": [{"contract": zoo.pk, "board": "Zoo Board"}]}
    with translation.override("fr"):
        lines = order_error_lines(errors, document)
    assert lines == [
        "Heures hebdomadaires (max.) : Too many.",
        "Zoo Board · Headline : Too short.",
        "Zoo Board : Contract expired.",
        "Try again.",
    ]


def test_target_audience_terms_read_in_the_current_language():
    term = TaxonomyTermFactory(
        kind=TaxonomyKind.SENIORITY, provider_id=4, name_en="Entry level", name_fr="Débutant"
    )
    target_group = {
        "seniority": {"vonq_id": term.provider_id, "description": "Entry level"},
        "industry": {"vonq_id": 999, "description": "Unknown here"},
    }
    with translation.override("fr"):
        assert target_audience_names(target_group) == ["Débutant", "Unknown here"]


def test_a_refused_campaign_page_names_fields_not_keys(recruiter_client, job, contracts):
    zoo = contracts[0]
    campaign = CampaignFactory(
        job=job,
        status=CampaignStatus.FAILED,
        order_error_message="The provider refused the order.",
        order_errors={"requirements": {str(zoo.pk): {"headline": ["Too short."]}}},
        payload={"products": [{"contract": zoo.pk, "board": "Zoo Board"}]},
    )
    html = recruiter_client.get(reverse("campaign_detail", args=[campaign.pk])).text
    assert "Zoo Board · Headline: Too short." in html
    assert "headline:" not in html


def test_open_the_verb_and_open_the_status_are_translated_apart(recruiter_client, job, contracts):
    campaign = CampaignFactory(job=job)
    PostingFactory(
        campaign=campaign,
        contract=contracts[0],
        status=PostingStatus.ONLINE,
        job_board_link="https://board.example/ad/1",
    )
    french = {"accept-language": "fr"}
    sourcing = recruiter_client.get(reverse("job_sourcing_boards", args=[job.pk]), headers=french)
    assert "Voir l’annonce" in sourcing.text and ">Ouverte<" in sourcing.text  # link, job status
    assert 'Voir l’annonce<span class="visually-hidden"> sur Zoo Board' in sourcing.text


def test_the_order_review_shows_labels_not_keys(provider, recruiter_client, ready_draft):
    url = reverse("campaign_draft_review", kwargs={"draft_id": ready_draft.pk})
    html = recruiter_client.get(url, headers={"accept-language": "fr"}).text
    assert '<dd class="col-sm-8">CDI</dd>' in html  # not "permanent"
    assert "de 35 à 39 heures par semaine" in html  # not "35–39"
    assert "par an" in html and "(yearly)" not in html
    assert "(fr)" in html  # the target audience terms' French names (factory: "Term n (fr)")
