"""The Sourcing tab names every blocker at once, each with who can fix it, and does not ask
for contracts to be selected while something blocks ordering."""

from django.urls import reverse

from accounts.models import Plan
from contracts.access import AccessState, my_own_contracts_missing, my_own_contracts_state
from jobs.models import JobStatus
from tests.factories import MembershipFactory, OrganizationFactory
from tests.jobs.factories import JobFactory

SELECT_HINT = "Select contracts above"


def sourcing(client, job):
    member = MembershipFactory(organization=job.organization).user
    client.force_login(member)
    return client.get(reverse("job_sourcing_boards", kwargs={"job_id": job.pk})).text


def test_every_blocker_is_named_with_who_can_fix_it(client, db):
    org = OrganizationFactory(
        plan=Plan.TRIAL, verified_at=None, career_page_enabled=False, my_own_contracts_enabled=False
    )
    job = JobFactory(organization=org, status=JobStatus.CLOSED)
    html = sourcing(client, job)
    for code in ("trial", "unverified", "career_page_disabled", "not_enabled", "job_closed"):
        assert f'data-code="{code}"' in html, code
    assert "Ask an admin to subscribe to a paid plan." in html
    assert "Support verifies organisations" in html
    assert "Reopen the job to publish it on job boards." in html
    assert "No campaign yet." in html and SELECT_HINT not in html


def test_the_first_condition_not_met_stays_the_organisations_state(db):
    org = OrganizationFactory(verified_at=None, career_page_enabled=False)
    assert my_own_contracts_missing(org) == [
        AccessState.UNVERIFIED,
        AccessState.CAREER_PAGE_DISABLED,
        AccessState.NOT_ENABLED,
    ]
    assert my_own_contracts_state(org) == AccessState.UNVERIFIED
    org.verified_at, org.my_own_contracts_enabled = org.created_at, True
    org.career_page_enabled = True
    assert my_own_contracts_missing(org) == []
    assert my_own_contracts_state(org) == AccessState.ENABLED


def test_without_blockers_the_empty_table_says_to_select_contracts(client, db):
    org = OrganizationFactory(my_own_contracts_enabled=True)
    html = sourcing(client, JobFactory(organization=org))
    assert 'data-testid="sourcing-blockers"' not in html and SELECT_HINT in html
