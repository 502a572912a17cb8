"""Campaigns whose contracts really exist at the sandbox, for tests that deliver orders."""

import time

from campaigns.models import AttemptOutcome
from campaigns.services import delivery
from campaigns.services.ordering import campaign_order, draft_add_contracts, draft_save
from contracts.models import Contract, ContractGroup
from distribution.client import provider_client
from distribution.messages import ContractRequest
from distribution.models import Channel, TaxonomyKind, TaxonomyTerm
from jobs.models import Job
from tests.campaigns.conftest import target_group_values
from tests.contracts.factories import ContractGroupFactory
from tests.factories import MembershipFactory, OrganizationFactory
from tests.jobs.factories import CareerPageFactory, CompleteJobFactory

INDEED, BAYT, NAUKRI, LINKEDIN = 1005, 1002, 1001, 1004
JOOBLE, ZOO = 1030, 1099  # a board that publishes from a job feed; every facet type
CREDENTIALS = {
    INDEED: {"api_key": "k-12345"},
    BAYT: {"api_key": "k-12345"},
    JOOBLE: {"api_key": "k-12345"},
    ZOO: {"api_key": "k-12345"},
    NAUKRI: {"username": "recruiter", "password": "s3cret-pass"},
}
# Ids the sandbox's taxonomy knows (the provider rejects others).
SANDBOX_TERMS = {
    TaxonomyKind.EDUCATION_LEVEL: (2, "Bachelor / Graduate"),
    TaxonomyKind.SENIORITY: (3, "Mid-Senior level"),
    TaxonomyKind.INDUSTRY: (14, "Information Technology"),
    TaxonomyKind.JOB_FUNCTION: (211, "Backend Development"),
}


def sandbox_terms() -> dict[str, TaxonomyTerm]:
    terms = {}
    for kind, (provider_id, name) in SANDBOX_TERMS.items():
        terms[kind], _ = TaxonomyTerm.objects.get_or_create(
            kind=kind, provider_id=provider_id, defaults={"name_en": name, "name_fr": name}
        )
    return terms


def sandbox_job(org, recruiter, **fields) -> Job:
    terms = sandbox_terms()
    return CompleteJobFactory(
        organization=org,
        recruiter=recruiter,
        education_level=terms[TaxonomyKind.EDUCATION_LEVEL],
        seniority=terms[TaxonomyKind.SENIORITY],
        industry=terms[TaxonomyKind.INDUSTRY],
        job_function=terms[TaxonomyKind.JOB_FUNCTION],
        **fields,
    )


def sandbox_contract(
    org, group: ContractGroup, channel_id: int, credentials: dict | None = None
) -> Contract:
    """A contract created at the sandbox (default group there) and mirrored here.
    ``credentials``: for a board whose credentials cannot be fixed, like an OAuth token."""
    client = provider_client(org=org)
    detail = client.get_channel(channel_id)
    remote = client.create_contract(
        ContractRequest(
            channel_id=channel_id,
            credentials=dict(credentials or CREDENTIALS[channel_id]),
            # a board with a manual setup (a feed board too) wants it confirmed
            followed_instructions=True if detail.manual_setup_required else None,
        )
    )
    channel, _ = Channel.objects.get_or_create(
        provider_id=channel_id,
        defaults={"name": detail.name, "search_name": detail.name.lower(), "url": detail.url},
    )
    return Contract.objects.create(
        organization=org,
        group=group,
        channel=channel,
        provider_contract_id=remote.contract_id,
        product_id=remote.product.product_id,
        posting_requirements=[facet.to_dict() for facet in detail.posting_requirements],
    )


def place_order(job, by, contracts, requirements: dict | None = None, **values):
    """Draft, Target group and order through the services, as the wizard does."""
    draft = draft_add_contracts(
        org=job.organization, by=by, job_id=job.pk, contract_ids=[c.pk for c in contracts]
    )
    draft = draft_save(
        draft=draft,
        values=target_group_values(job, by, **values),
        requirements={str(c.pk): v for c, v in (requirements or {}).items()},
        complete=True,
    )
    return campaign_order(org=job.organization, by=by, draft_id=draft.pk)


def delivered_campaign(org=None):
    """An enabled organisation's campaign on one board, delivered to the sandbox."""
    org = org or OrganizationFactory()
    org.my_own_contracts_enabled = True
    org.save()
    CareerPageFactory(organization=org, slug=f"careers-{org.pk}")
    recruiter = MembershipFactory(organization=org).user
    contract = sandbox_contract(org, ContractGroupFactory(organization=org), INDEED)
    campaign = place_order(sandbox_job(org, recruiter), recruiter, [contract])
    campaign.refresh_from_db()
    if not campaign.provider_campaign_id:  # not delivered already by a task run at commit
        assert delivery.campaign_submit(campaign_id=campaign.pk).outcome == AttemptOutcome.ORDERED
        campaign.refresh_from_db()
    return campaign


def go_online(provider):
    provider.advance(60)
    provider.tick()


def take_each_offline(provider, campaigns) -> None:
    """Each campaign changes at its own moment (the provider's ``modifiedOn`` has millisecond
    precision), as at a real service where changes do not all share one instant."""
    for campaign in campaigns:
        provider.edit_campaign(
            campaign.provider_campaign_id,
            str(campaign.organization.provider_customer_id),
            status="offline",
        )
        time.sleep(0.005)
