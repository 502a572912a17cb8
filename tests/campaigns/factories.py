"""Factories for campaigns. Every object leads to one OrganizationFactory (through its job)."""

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


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    job = factory.SubFactory(JobFactory)
    organization = factory.SelfAttribute("job.organization")
    ordered_by = factory.SelfAttribute("job.recruiter")
    name = factory.Sequence(lambda n: f"Campaign {n}")


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    campaign = factory.SubFactory(CampaignFactory)
    organization = factory.SelfAttribute("campaign.organization")
    contract = factory.SubFactory(
        ContractFactory, group__organization=factory.SelfAttribute("...organization")
    )
    channel = factory.SelfAttribute("contract.channel")
    board_name = factory.SelfAttribute("contract.channel.name")
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
