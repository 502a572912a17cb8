"""Factories for the History tests. Every object leads to one OrganizationFactory (through
its campaign's job)."""

import factory
from django.utils import timezone

from campaigns.models import Campaign, EventSource, Posting, PostingEvent, PostingStatus
from tests.contracts.factories import ChannelFactory
from tests.jobs.factories import JobFactory


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
        skip_postgeneration_save = True

    job = factory.SubFactory(JobFactory)
    organization = factory.SelfAttribute("job.organization")
    ordered_by = factory.SelfAttribute("job.recruiter")
    name = factory.Sequence(lambda n: f"Campaign {n}")

    @factory.post_generation
    def with_payload(obj, create, extracted, **kwargs):
        if create and not obj.payload:
            obj.payload = order_payload(obj)
            obj.save(update_fields=["payload"])


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    campaign = factory.SubFactory(CampaignFactory)
    organization = factory.SelfAttribute("campaign.organization")
    channel = factory.SubFactory(ChannelFactory)
    board_name = factory.SelfAttribute("channel.name")
    provider_contract_id = factory.Sequence(lambda n: f"contract-{n}")
    product_id = factory.Sequence(lambda n: f"product-{n}")
    status = PostingStatus.SUBMITTED


class OnlinePostingFactory(PostingFactory):
    status = PostingStatus.ONLINE
    published_at = factory.LazyFunction(timezone.now)
    job_board_link = factory.Sequence(lambda n: f"https://board.example/ads/{n}")


class PostingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostingEvent

    posting = factory.SubFactory(PostingFactory)
    organization = factory.SelfAttribute("posting.organization")
    from_status = PostingStatus.SUBMITTED
    to_status = PostingStatus.IN_PROGRESS
    source = EventSource.WEBHOOK
    observed_at = factory.LazyFunction(timezone.now)
