"""Factories for campaigns, one per model. Every object leads to one OrganizationFactory
(through its job)."""

import factory
from django.utils import timezone

from campaigns.models import (
    Campaign,
    CampaignDraft,
    EventSource,
    OrderOutbox,
    Posting,
    PostingEvent,
    PostingStatus,
)
from tests.contracts.factories import ContractFactory
from tests.jobs.factories import JobFactory

ZOO_FACETS = [
    {"name": "headline", "label": "Headline", "type": "TEXT", "sort": "1", "required": True,
     "rules": [{"rule": "maxlength", "data": "60"}, {"rule": "minlength", "data": "5"}]},
    {"name": "contract_type", "label": "Contract type", "type": "SELECT", "sort": "5",
     "required": True, "options": [{"key": "full_time", "label": "Full time", "default": "1"},
                                   {"key": "part_time", "label": "Part time"}]},
    {"name": "notice", "label": "Reviewed by a human.", "type": "STATISCH", "sort": "10"},
    {"name": "hourly_rate", "label": "Hourly rate", "type": "TEXT", "sort": "12",
     "rules": [{"rule": "float", "data": ""}]},
    {"name": "rate_unit", "label": "Rate currency", "type": "SELECT", "sort": "13",
     "required": True, "options": [{"key": "EUR", "label": "Euro"}],
     "display_rules": {"show": [{"facet": "hourly_rate", "op": "notempty", "value": None}]}},
]  # fmt: skip


def order_payload(campaign) -> dict:
    """An order document shaped like ``campaigns.services.order_document`` builds it."""
    return {
        "campaign_name": campaign.name,
        "order_reference": "ref",
        "recruiter": {"id": "1", "name": "Rita Recruiter", "email": "rita@example.test"},
        "posting": {
            "title": campaign.job.title,
            "description": "<p>Build things &amp; ship them.</p>",
            "organization_name": "Acme",
            "location": {
                "address_line1": "1 Rue de la République",
                "postcode": "69001",
                "city": "Lyon",
                "country": "FR",
                "allows_remote_work": True,
            },
            "contact": {"name": "Carl Contact", "email": "carl@example.test", "phone": ""},
            "years_of_experience": 3,
            "employment_type": "permanent",
            "weekly_hours": {"from": 35, "to": 39},
            "salary": {"period": "yearly", "from": 45000, "to": 55000, "currency": "EUR"},
            "job_page_url": "https://careers.example/jobs/1/",
            "application_url": "https://careers.example/jobs/1/#apply",
        },
        "target_group": {
            "education_level": {"vonq_id": 1, "description": "Master"},
            "seniority": {"vonq_id": 2, "description": "Senior"},
            "industry": {"vonq_id": 3, "description": "Software"},
            "job_function": {"vonq_id": 4, "description": "Engineering"},
        },
        "products": [],
    }


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    job = factory.SubFactory(JobFactory)
    organization = factory.SelfAttribute("job.organization")
    ordered_by = factory.SelfAttribute("job.recruiter")
    name = factory.Sequence(lambda n: f"Campaign {n}")
    payload = factory.LazyAttribute(order_payload)


class PostingFactory(factory.django.DjangoModelFactory):
    """A board of a campaign, ordered through a contract of the campaign's organisation.
    ``channel=None`` with a ``board_name`` stands for a board since deleted."""

    class Meta:
        model = Posting

    campaign = factory.SubFactory(CampaignFactory)
    organization = factory.SelfAttribute("campaign.organization")
    contract = factory.SubFactory(
        ContractFactory, group__organization=factory.SelfAttribute("...organization")
    )
    channel = factory.SelfAttribute("contract.channel")
    board_name = factory.LazyAttribute(lambda o: o.channel.name if o.channel else "Deleted board")
    provider_contract_id = factory.SelfAttribute("contract.provider_contract_id")
    product_id = factory.Sequence(lambda n: f"product-{n}")
    status = PostingStatus.SUBMITTED

    class Params:
        # PostingFactory(online=True): published, with its job ad.
        online = factory.Trait(
            status=PostingStatus.ONLINE,
            published_at=factory.LazyFunction(timezone.now),
            job_board_link=factory.Sequence(lambda n: f"https://board.example/ads/{n}"),
        )


class PostingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostingEvent

    posting = factory.SubFactory(PostingFactory)
    organization = factory.SelfAttribute("posting.organization")
    from_status = PostingStatus.SUBMITTED
    to_status = PostingStatus.IN_PROGRESS
    source = EventSource.WEBHOOK
    observed_at = factory.LazyFunction(timezone.now)


class OrderOutboxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderOutbox

    campaign = factory.SubFactory(CampaignFactory)
    organization = factory.SelfAttribute("campaign.organization")


class CampaignDraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignDraft

    job = factory.SubFactory(JobFactory)
    organization = factory.SelfAttribute("job.organization")
    user = factory.SelfAttribute("job.recruiter")
    data = factory.LazyFunction(lambda: {"contract_ids": [], "values": {}, "requirements": {}})
