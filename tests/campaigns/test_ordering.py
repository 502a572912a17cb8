"""Placing an order: one transaction, one order per draft, clear refusals."""

from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Plan
from campaigns.history.page_cache import is_history_refresh
from campaigns.models import (
    Campaign,
    CampaignDraft,
    EventSource,
    OrderOutbox,
    Posting,
    PostingEvent,
    PostingStatus,
)
from campaigns.services.order_document import ORDER_LABEL_KEY, OrderRefused, order_request
from campaigns.services.ordering import (
    campaign_order,
    draft_add_contracts,
    draft_save,
    drafts_purge_expired,
)
from campaigns.services.status import posting_apply_status
from contracts.models import ContractStatus
from contracts.services.contracts import contract_delete_blockers
from distribution.messages import OrderRequest
from jobs.models import JobStatus
from tests.campaigns.conftest import target_group_values
from tests.contracts.factories import ContractFactory, ContractGroupFactory

pytestmark = pytest.mark.django_db


def order(draft, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        campaign = campaign_order(org=draft.organization, by=by, draft_id=draft.pk)
    return campaign, callbacks


def test_ordering_writes_campaign_postings_outbox_and_enqueues_on_commit(
    ready_draft, recruiter, contracts, django_capture_on_commit_callbacks, settings
):
    campaign, callbacks = order(ready_draft, recruiter, django_capture_on_commit_callbacks)

    # The submit task, handed to the broker after commit (besides the History's refresh).
    assert len([c for c in callbacks if not is_history_refresh(c)]) == 1
    assert not CampaignDraft.objects.filter(pk=ready_draft.pk).exists()  # consumed
    assert campaign.order_key == ready_draft.key and campaign.ordered_by == recruiter
    outbox = OrderOutbox.objects.get(campaign=campaign)
    assert outbox.state == "pending" and not outbox.outcome_unknown
    postings = list(campaign.postings.order_by("id"))
    assert [p.contract for p in postings] == contracts
    assert all(p.status == PostingStatus.SUBMITTED for p in postings)
    assert (
        PostingEvent.objects.filter(posting__campaign=campaign, source=EventSource.ORDER).count()
        == 2
    )

    document = campaign.payload
    assert document["order_reference"] == campaign.order_reference
    assert document["labels"] == {ORDER_LABEL_KEY: campaign.order_reference}
    page_url = document["posting"]["job_page_url"]
    assert page_url.startswith(settings.SITE_URL + "/careers/acme-test/jobs/")
    assert document["posting"]["application_url"].startswith(page_url)
    for posting, product in zip(postings, document["products"], strict=True):
        utm = parse_qs(product["utm"])
        assert utm == {
            "utm_source": [posting.board_name.lower().replace(" ", "-")],
            "utm_medium": ["job_board"],
            "utm_campaign": [campaign.order_reference],
            "utm_content": [posting.utm_content],
        }
    assert len({p.utm_content for p in postings}) == 2
    # Hidden (rate_unit) and display-only (notice) facets are not sent.
    assert document["products"][0]["posting_requirements"] == {
        "headline": "Join our team",
        "contract_type": "full_time",
    }
    assert isinstance(order_request(document), OrderRequest)


def test_ordering_the_same_draft_twice_places_one_order(
    ready_draft, recruiter, django_capture_on_commit_callbacks
):
    first, _ = order(ready_draft, recruiter, django_capture_on_commit_callbacks)
    second, callbacks = order(ready_draft, recruiter, django_capture_on_commit_callbacks)
    assert first == second
    assert not callbacks
    assert Campaign.objects.count() == 1 and Posting.objects.count() == 2


def test_a_contract_deleted_after_selection_refuses_and_keeps_the_draft(
    ready_draft, recruiter, contracts
):
    contracts[1].delete()
    with pytest.raises(OrderRefused, match="deleted meanwhile"):
        campaign_order(org=ready_draft.organization, by=recruiter, draft_id=ready_draft.pk)
    assert CampaignDraft.objects.filter(pk=ready_draft.pk).exists()
    assert not Campaign.objects.exists()


def test_a_contract_turned_invalid_refuses(ready_draft, recruiter, contracts):
    contracts[0].status = ContractStatus.NEEDS_ATTENTION
    contracts[0].save()
    with pytest.raises(OrderRefused, match="cannot be used right now"):
        campaign_order(org=ready_draft.organization, by=recruiter, draft_id=ready_draft.pk)
    assert not Campaign.objects.exists()


def test_a_retired_taxonomy_term_refuses_with_the_field(ready_draft, recruiter, job):
    job.industry.is_active = False
    job.industry.save()
    with pytest.raises(OrderRefused) as refusal:
        campaign_order(org=ready_draft.organization, by=recruiter, draft_id=ready_draft.pk)
    assert "retired" in refusal.value.field_errors["industry"][0]
    assert not Campaign.objects.exists()


def test_contracts_of_two_groups_cannot_share_a_campaign(job, recruiter, contracts):
    other = ContractFactory(group=ContractGroupFactory(organization=job.organization))
    with pytest.raises(OrderRefused, match="same contract group"):
        draft_add_contracts(
            org=job.organization,
            by=recruiter,
            job_id=job.pk,
            contract_ids=[contracts[0].pk, other.pk],
        )
    draft = draft_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[contracts[0].pk]
    )
    # Another group's board gets its own draft: the first one is left alone.
    second = draft_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[other.pk]
    )
    assert second.pk != draft.pk and second.data["contract_ids"] == [other.pk]
    # Adding more of the same group extends the same draft.
    again = draft_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[contracts[1].pk]
    )
    assert again.pk == draft.pk
    assert again.data["contract_ids"] == [contracts[0].pk, contracts[1].pk]


def test_boards_ticked_in_two_groups_all_reach_a_draft_per_group(
    recruiter_client, job, recruiter, contracts
):
    other = ContractFactory(group=ContractGroupFactory(organization=job.organization))
    response = recruiter_client.post(
        reverse("campaign_draft_add", args=[job.pk]),
        {"contracts": [contracts[0].pk, other.pk, contracts[1].pk]},
    )
    assert response.status_code == 302
    drafts = CampaignDraft.objects.filter(job=job, user=recruiter)
    by_group = {d.contracts.first().group_id: sorted(d.data["contract_ids"]) for d in drafts}
    assert by_group == {
        contracts[0].group_id: sorted([contracts[0].pk, contracts[1].pk]),
        other.group_id: [other.pk],
    }
    html = recruiter_client.get(reverse("job_sourcing_boards", args=[job.pk])).content.decode()
    assert html.count('data-testid="campaign-draft"') == 2
    assert other.group.display_name in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"plan": Plan.TRIAL}, "trial plan"),
        ({"verified_at": None}, "not been verified"),
        ({"career_page_enabled": False}, "career page is disabled"),
        ({"my_own_contracts_enabled": False}, "not enabled"),
    ],
)
def test_an_organisation_that_may_not_publish_cannot_order(ready_draft, recruiter, change, message):
    org = ready_draft.organization
    for field, value in change.items():
        setattr(org, field, value)
    org.save()
    with pytest.raises(OrderRefused, match=message):
        campaign_order(org=org, by=recruiter, draft_id=ready_draft.pk)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("status", JobStatus.CLOSED, "job is closed"), ("show_on_career_page", False, "not shown")],
)
def test_a_closed_or_hidden_job_cannot_be_ordered(
    ready_draft, recruiter, job, field, value, message
):
    setattr(job, field, value)
    job.save()
    with pytest.raises(OrderRefused, match=message):
        campaign_order(org=job.organization, by=recruiter, draft_id=ready_draft.pk)


def test_an_incomplete_draft_cannot_be_ordered(ready_draft, recruiter):
    draft_save(
        draft=ready_draft, values=ready_draft.data["values"], requirements={}, complete=False
    )
    with pytest.raises(OrderRefused, match="Target group"):
        campaign_order(org=ready_draft.organization, by=recruiter, draft_id=ready_draft.pk)


def test_another_organisations_draft_cannot_be_ordered(ready_draft, other_org, other_admin):
    with pytest.raises(OrderRefused):
        campaign_order(org=other_org, by=other_admin, draft_id=ready_draft.pk)
    assert CampaignDraft.objects.filter(pk=ready_draft.pk).exists()


def test_values_can_be_saved_back_to_the_job(
    job, recruiter, contracts, django_capture_on_commit_callbacks
):
    job.years_of_experience = None
    job.save()
    draft = draft_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[contracts[1].pk]
    )
    draft = draft_save(
        draft=draft,
        values=target_group_values(job, recruiter, years_of_experience=7, save_to_job=True),
        requirements={},
        complete=True,
    )
    order(draft, recruiter, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.years_of_experience == 7


def test_a_contract_used_by_a_live_campaign_cannot_be_deleted(
    ready_draft, recruiter, contracts, django_capture_on_commit_callbacks
):
    campaign, _ = order(ready_draft, recruiter, django_capture_on_commit_callbacks)
    blockers = contract_delete_blockers(contract=contracts[0])
    assert blockers and campaign.name in blockers[0]
    for posting in campaign.postings.all():
        posting_apply_status(posting=posting, status=PostingStatus.FAILED, source=EventSource.POLL)
    assert contract_delete_blockers(contract=contracts[0]) == []


def test_expired_drafts_are_unreachable_then_purged(ready_draft, recruiter_client):
    CampaignDraft.objects.filter(pk=ready_draft.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    url = reverse("campaign_draft_target_group", kwargs={"draft_id": ready_draft.pk})
    assert recruiter_client.get(url).status_code == 404
    assert drafts_purge_expired() == 1
    assert not CampaignDraft.objects.exists()
