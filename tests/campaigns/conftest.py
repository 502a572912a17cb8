"""An organisation that may publish, a job ready for boards, two contracts of one group, and
an empty cache for tests that read cached figures."""

import pytest
from django.core.cache import cache

from campaigns.services.draft_values import values_to_json
from campaigns.services.ordering import draft_add_contracts, draft_save
from contracts.models import ContractStatus
from tests.campaigns.factories import ZOO_FACETS
from tests.contracts.factories import ContractFactory, ContractGroupFactory
from tests.jobs.factories import CareerPageFactory, CompleteJobFactory


@pytest.fixture
def empty_cache():
    """No figures or History version left by another test: the test database's ids start
    again (SQLite reuses them after each test's rollback) while the cache (the embedded
    default's files, or Redis) outlives it, so organisation 1's cached figures may be
    another test's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def enabled_org(org):
    org.my_own_contracts_enabled = True
    org.save()
    CareerPageFactory(organization=org, slug="acme-test")
    return org


@pytest.fixture
def job(enabled_org, recruiter):
    return CompleteJobFactory(organization=enabled_org, recruiter=recruiter)


@pytest.fixture
def group(enabled_org):
    return ContractGroupFactory(organization=enabled_org, name="Main")


@pytest.fixture
def contracts(group):
    zoo = ContractFactory(
        group=group,
        channel__name="Zoo Board",
        product_id="prod-zoo",
        posting_requirements=ZOO_FACETS,
        status=ContractStatus.READY,
    )
    plain = ContractFactory(group=group, channel__name="Plain Jobs", product_id="prod-plain")
    return [zoo, plain]


def target_group_values(job, user, **overrides) -> dict:
    values = {
        "campaign_name": f"{job.title} campaign",
        "recruiter_name": user.get_full_name(),
        "recruiter_email": user.email,
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "title": job.title,
        "description": job.description,
        "address_line1": job.address_line1,
        "address_line2": "",
        "postcode": job.postcode,
        "city": job.city,
        "country": job.country,
        "allows_remote_work": False,
        "employment_type": job.employment_type,
        "years_of_experience": job.years_of_experience,
        "weekly_hours_from": job.weekly_hours_from,
        "weekly_hours_to": job.weekly_hours_to,
        "salary_from": job.salary_from,
        "salary_to": job.salary_to,
        "salary_currency": job.salary_currency,
        "salary_period": job.salary_period,
        "education_level": job.education_level,
        "seniority": job.seniority,
        "industry": job.industry,
        "job_function": job.job_function,
        "save_to_job": False,
    }
    values.update(overrides)
    return values_to_json(values)


@pytest.fixture
def ready_draft(job, recruiter, contracts):
    """A draft whose Target group step is complete."""
    draft = draft_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[c.pk for c in contracts]
    )
    zoo = contracts[0]
    return draft_save(
        draft=draft,
        values=target_group_values(job, recruiter),
        requirements={str(zoo.pk): {"headline": "Join our team", "contract_type": "full_time"}},
        complete=True,
    )
