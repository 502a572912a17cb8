"""Boards ticked in two contract groups, in a real browser: one Add to campaign carries
both into a campaign draft per group (the provider does not mix groups), none dropped."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaigns.models import CampaignDraft
from tests.campaigns.sandbox_setup import BAYT, INDEED, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory
from tests.factories import MembershipFactory, OrganizationFactory
from tests.jobs.factories import CareerPageFactory

pytestmark = [pytest.mark.browser]


def test_boards_ticked_in_two_groups_each_reach_their_groups_draft(
    transactional_db, live_server, provider, page, client
):
    org = OrganizationFactory(name="Groups Org", my_own_contracts_enabled=True)
    CareerPageFactory(organization=org, slug="groups")
    recruiter = MembershipFactory(organization=org).user
    job = sandbox_job(org, recruiter, title="Data engineer")
    north = ContractGroupFactory(organization=org, name="North group")
    south = ContractGroupFactory(organization=org, name="South group")
    indeed = sandbox_contract(org, north, INDEED)
    bayt = sandbox_contract(org, south, BAYT)
    client.force_login(recruiter)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(live_server.url + reverse("job_sourcing_boards", kwargs={"job_id": job.pk}))
    page.get_by_label(re.compile("^Indeed")).check()
    page.get_by_label(re.compile("^Bayt")).check()
    page.get_by_role("button", name="Add to campaign").click()

    drafts = page.get_by_test_id("campaign-draft")
    expect(drafts).to_have_count(2)
    expect(drafts.filter(has_text="North group")).to_contain_text("Indeed")
    expect(drafts.filter(has_text="South group")).to_contain_text("Bayt")
    by_group = {
        d.contracts.get().group_id: d.contracts.get().pk
        for d in CampaignDraft.objects.filter(job=job)
    }
    assert by_group == {north.pk: indeed.pk, south.pk: bayt.pk}
