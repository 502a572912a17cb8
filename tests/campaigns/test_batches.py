"""Boards ticked in several contract groups: one draft per group, linked in a batch, filled in
once, reviewed together and ordered with one button (campaigns/services/batches.py and the
wizard's views), against the real sandbox."""

import re
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from campaigns.models import Campaign, CampaignDraft, OrderOutbox, OutboxState
from campaigns.services.batches import batch_order, batch_save
from campaigns.services.order_document import OrderRefused
from campaigns.services.ordering import draft_add_contracts, drafts_add_contracts
from tests.campaigns.conftest import target_group_values
from tests.campaigns.factories import CampaignDraftFactory, CampaignFactory
from tests.campaigns.sandbox_setup import BAYT, INDEED, sandbox_contract, sandbox_job
from tests.campaigns.test_pipeline import orders_at_sandbox, settled, wait_for
from tests.contracts.factories import ContractGroupFactory

ORDER_BUTTON = re.compile(r"<button[^>]*>Order campaign</button>")
DUBAI = {"location": {"key": "ae-dubai", "label": "Dubai", "show": []}}


@pytest.fixture
def two_groups(provider, enabled_org, recruiter):
    """A job and one sandbox contract in each of two groups (Bayt asks for a location)."""
    north = ContractGroupFactory(organization=enabled_org, name="North group")
    south = ContractGroupFactory(organization=enabled_org, name="South group")
    job = sandbox_job(enabled_org, recruiter, title="Data engineer")
    indeed = sandbox_contract(enabled_org, north, INDEED)
    bayt = sandbox_contract(enabled_org, south, BAYT)
    return job, indeed, bayt


def _submitted(callbacks) -> list[int]:
    """The campaigns whose delivery the committed transaction enqueued."""
    return [
        c.args[1]
        for c in callbacks
        if getattr(c, "args", ())[:1] == ("campaigns.tasks.campaign_submit_task",)
    ]


def _batch(job, recruiter, indeed, bayt, *, complete=True):
    drafts = drafts_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[indeed.pk, bayt.pk]
    )
    return batch_save(
        drafts=drafts,
        values=target_group_values(job, recruiter),
        requirements={str(bayt.pk): DUBAI},
        complete=complete,
    )


def test_one_add_across_groups_links_its_drafts_and_one_group_stays_alone(two_groups, recruiter):
    job, indeed, bayt = two_groups
    drafts = _batch(job, recruiter, indeed, bayt)
    assert len(drafts) == 2
    assert drafts[0].batch_key is not None
    assert {d.batch_key for d in CampaignDraft.objects.all()} == {drafts[0].batch_key}
    # The target group is filled once for both; each board's answers stay with its draft.
    assert drafts[0].data["values"] == drafts[1].data["values"]
    assert {d.pk: list(d.data["requirements"]) for d in drafts} == {
        drafts[0].pk: [],
        drafts[1].pk: [str(bayt.pk)],
    }
    CampaignDraft.objects.all().delete()
    alone = draft_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[indeed.pk]
    )
    assert alone.batch_key is None


def test_batch_order_places_each_groups_campaign_exactly_once(
    two_groups, recruiter, django_capture_on_commit_callbacks
):
    job, indeed, bayt = two_groups
    drafts = _batch(job, recruiter, indeed, bayt)
    with django_capture_on_commit_callbacks() as delivered:
        placed = batch_order(org=job.organization, by=recruiter, batch_key=drafts[0].batch_key)
    # One delivery per campaign, enqueued once committed.
    assert sorted(_submitted(delivered)) == sorted(c.pk for c in placed)
    assert sorted(c.contract_group_id for c in placed) == sorted([indeed.group_id, bayt.group_id])
    assert [c.postings.get().contract_id for c in placed] == [indeed.pk, bayt.pk]
    assert placed[1].postings.get().wizard_requirements == DUBAI  # for Order again
    assert placed[1].postings.get().posting_requirements == {"location": "ae-dubai"}
    assert not CampaignDraft.objects.exists()
    # Sent again (a double submit, a retry after a timeout): the same campaigns, nothing new.
    with django_capture_on_commit_callbacks() as again:
        replaced = batch_order(org=job.organization, by=recruiter, batch_key=drafts[0].batch_key)
    assert replaced == placed and _submitted(again) == []
    assert Campaign.objects.count() == 2 and OrderOutbox.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_orders_of_a_batch_place_each_campaign_once(two_groups, recruiter):
    job, indeed, bayt = two_groups
    drafts = _batch(job, recruiter, indeed, bayt)
    start = threading.Barrier(2)
    answers: list[list[int]] = []

    def order():
        try:
            start.wait()
            placed = batch_order(org=job.organization, by=recruiter, batch_key=drafts[0].batch_key)
            answers.append([c.pk for c in placed])
        finally:
            connection.close()

    threads = [threading.Thread(target=order) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 2 and answers[0] == answers[1]
    assert Campaign.objects.count() == 2 and OrderOutbox.objects.count() == 2


def test_one_refused_draft_orders_nothing_and_says_which_group(two_groups, recruiter):
    job, indeed, bayt = two_groups
    drafts = _batch(job, recruiter, indeed, bayt)
    bayt.credits = 0  # South group's only board ran out of credits meanwhile
    bayt.save(update_fields=["credits"])
    with pytest.raises(OrderRefused) as refused:
        batch_order(org=job.organization, by=recruiter, batch_key=drafts[0].batch_key)
    assert refused.value.message.startswith("South group:")
    assert "Bayt" in refused.value.message
    assert refused.value.draft_id == drafts[1].pk
    assert not Campaign.objects.exists() and not OrderOutbox.objects.exists()
    assert CampaignDraft.objects.count() == 2  # nothing typed is lost


def _form_data(draft, requirements):
    values = {k: v for k, v in draft.data["values"].items() if v not in (None, False)}
    for contract_id, native in requirements.items():
        for name, value in native.items():
            values[f"req{contract_id}-{name}__label"] = value["label"]
            values[f"req{contract_id}-{name}"] = value["key"]
    return values


def test_one_target_group_one_review_and_one_order_for_two_groups(
    two_groups, client, recruiter, django_capture_on_commit_callbacks
):
    job, indeed, bayt = two_groups
    drafts = drafts_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[indeed.pk, bayt.pk]
    )
    client.force_login(recruiter)
    sourcing = client.get(reverse("job_sourcing_boards", kwargs={"job_id": job.pk}))
    assert sourcing.content.decode().count('data-testid="draft-batched"') == 2
    target = reverse("campaign_draft_target_group", kwargs={"draft_id": drafts[0].pk})
    step = client.get(target)
    assert {form.contract for form in step.context["boards"]} == {indeed, bayt}
    assert step.content.decode().count('data-testid="board-group"') == 2

    # Bayt's location left empty: the step refuses, and keeps everything on both drafts.
    data = _form_data(drafts[0], {})
    data["campaign_name"] = "Data engineer, both groups"
    assert client.post(target, data).status_code == 400
    assert all(
        d.data["values"]["campaign_name"] == "Data engineer, both groups"
        for d in CampaignDraft.objects.all()
    )
    data = _form_data(drafts[0], {str(bayt.pk): DUBAI})
    data["campaign_name"] = "Data engineer, both groups"
    assert client.post(target, data).status_code == 302

    review = client.get(reverse("campaign_draft_review", kwargs={"draft_id": drafts[0].pk}))
    html = review.content.decode()
    assert review.context["batch"] and not review.context["has_provider_errors"]
    assert 'data-testid="batch-explained"' in html
    assert html.count('data-testid="review-campaign"') == 2
    assert len(ORDER_BUTTON.findall(html)) == 1  # one button for both
    assert "disabled" not in ORDER_BUTTON.search(html).group(0)

    order = reverse("campaign_draft_order", kwargs={"draft_id": drafts[0].pk})
    with django_capture_on_commit_callbacks():
        first = client.post(order)
        second = client.post(order)  # a double click
    placed = list(Campaign.objects.order_by("pk"))
    assert len(placed) == 2
    assert {c.name for c in placed} == {"Data engineer, both groups"}
    confirmation = reverse("campaign_order_placed", kwargs={"campaign_id": placed[0].pk})
    assert first["Location"] == second["Location"] == confirmation
    page = client.get(confirmation).content.decode()
    assert page.count('data-testid="placed-campaign"') == 2
    for campaign in placed:
        assert reverse("campaign_detail", kwargs={"campaign_id": campaign.pk}) in page


def test_the_review_shows_which_board_the_provider_would_refuse_and_orders_nothing(
    two_groups, client, recruiter
):
    job, indeed, bayt = two_groups
    drafts = _batch(job, recruiter, indeed, bayt)
    nowhere = {"location": {"key": "nowhere-town", "label": "Nowhere", "show": []}}
    batch_save(
        drafts=drafts,
        values=target_group_values(job, recruiter),
        requirements={str(bayt.pk): nowhere},
        complete=True,
    )
    client.force_login(recruiter)
    review = client.get(reverse("campaign_draft_review", kwargs={"draft_id": drafts[0].pk}))
    html = review.content.decode()
    assert review.context["has_provider_errors"]
    assert "would refuse the campaign of South group" in html
    assert html.count('data-testid="board-errors"') == 1
    assert "disabled" in ORDER_BUTTON.search(html).group(0)
    # Back at Target group, the error sits at Bayt's location field.
    step = client.get(reverse("campaign_draft_target_group", kwargs={"draft_id": drafts[0].pk}))
    bayt_form = next(f for f in step.context["boards"] if f.contract == bayt)
    assert "location" in bayt_form.errors
    assert not Campaign.objects.exists()


def test_an_order_refused_at_a_field_orders_nothing_and_shows_the_field(
    two_groups, client, recruiter
):
    job, indeed, bayt = two_groups
    drafts = _batch(job, recruiter, indeed, bayt)
    job.industry.is_active = False  # retired by the provider after the review
    job.industry.save()
    client.force_login(recruiter)
    response = client.post(reverse("campaign_draft_order", kwargs={"draft_id": drafts[1].pk}))
    target = reverse("campaign_draft_target_group", kwargs={"draft_id": drafts[1].pk})
    assert response["Location"] == target
    assert not Campaign.objects.exists() and CampaignDraft.objects.count() == 2
    step = client.get(target)
    assert any("retired" in e for e in step.context["form"].errors["industry"])
    assert "North group: Some target audience values" in step.content.decode()


def test_another_organisation_gets_404_for_a_batch_and_a_recruiter_sees_its_campaigns(
    client, recruiter, other_admin, enabled_org
):
    drafts = CampaignDraftFactory.create_batch(2, job__organization=enabled_org)
    CampaignDraft.objects.filter(pk__in=[d.pk for d in drafts]).update(batch_key=uuid.uuid4())
    campaign = CampaignFactory(job__organization=enabled_org, batch_key=uuid.uuid4())
    sibling = CampaignFactory(
        job=campaign.job, organization=enabled_org, batch_key=campaign.batch_key
    )
    draft = drafts[0]
    client.force_login(other_admin)
    for name, kwargs in [
        ("campaign_draft_target_group", {"draft_id": draft.pk}),
        ("campaign_draft_review", {"draft_id": draft.pk}),
        ("campaign_order_placed", {"campaign_id": campaign.pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    order = reverse("campaign_draft_order", kwargs={"draft_id": draft.pk})
    assert client.post(order).status_code == 404
    assert client.get(order).status_code == 405
    assert CampaignDraft.objects.count() == 2
    client.force_login(recruiter)
    placed = client.get(reverse("campaign_order_placed", kwargs={"campaign_id": campaign.pk}))
    assert placed.status_code == 200
    for each in (campaign, sibling):
        assert (
            reverse("campaign_detail", kwargs={"campaign_id": each.pk}) in placed.content.decode()
        )


@pytest.mark.pipeline
@pytest.mark.timeout(300)
def test_a_batch_ordered_once_is_delivered_once_per_campaign_by_the_worker(
    two_groups, recruiter, celery_worker, sandbox, settings
):
    settings.CAMPAIGNS_OUTBOX_GRACE_SECONDS = 0
    job, indeed, bayt = two_groups
    drafts = _batch(job, recruiter, indeed, bayt)
    placed = batch_order(org=job.organization, by=recruiter, batch_key=drafts[0].batch_key)
    again = batch_order(org=job.organization, by=recruiter, batch_key=drafts[0].batch_key)
    assert again == placed
    for campaign in placed:
        wait_for(lambda c=campaign: settled(c), what="delivery", worker=celery_worker)
        assert OrderOutbox.objects.get(campaign=campaign).state == OutboxState.DONE
        assert orders_at_sandbox(sandbox, campaign) == 1
