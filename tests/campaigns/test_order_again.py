"""Order again (a campaign's boards) and Repost (one board) open the wizard pre-filled: the
same contracts, the requirements they were ordered with, the job's current data."""

from django.urls import reverse

from campaigns.models import CampaignDraft, PostingStatus
from tests.campaigns.factories import CampaignFactory, PostingFactory


def _campaign(job, contracts, recruiter):
    campaign = CampaignFactory(job=job, ordered_by=recruiter, provider_campaign_id="c-again")
    postings = [
        PostingFactory(
            campaign=campaign,
            contract=contract,
            board_name=contract.channel.name,
            status=PostingStatus.OFFLINE,
            posting_requirements={"note": f"for {contract.channel.name}"},
        )
        for contract in contracts
    ]
    return campaign, postings


def test_order_again_opens_the_wizard_with_the_boards_and_their_requirements(
    recruiter_client, recruiter, job, contracts
):
    campaign, _ = _campaign(job, contracts, recruiter)
    job.title = "Renamed since"
    job.save()
    page = recruiter_client.get(reverse("campaign_detail", kwargs={"campaign_id": campaign.pk}))
    assert 'data-testid="order-again"' in page.text and page.text.count('data-testid="repost"') == 2

    response = recruiter_client.post(
        reverse("campaign_order_again", kwargs={"campaign_id": campaign.pk})
    )
    draft = CampaignDraft.objects.get(user=recruiter, job=job)
    assert response.url == reverse("campaign_draft_target_group", kwargs={"draft_id": draft.pk})
    assert set(draft.contracts.all()) == set(contracts)
    assert draft.data["requirements"] == {
        str(c.pk): {"note": f"for {c.channel.name}"} for c in contracts
    }
    assert draft.data["values"]["campaign_name"] == "Renamed since"  # the job as it is now
    wizard = recruiter_client.get(response.url)
    assert wizard.status_code == 200


def test_repost_takes_one_board(recruiter_client, recruiter, job, contracts):
    _, postings = _campaign(job, contracts, recruiter)
    recruiter_client.post(reverse("posting_repost", kwargs={"posting_id": postings[1].pk}))
    draft = CampaignDraft.objects.get(user=recruiter, job=job)
    assert list(draft.contracts.all()) == [contracts[1]]


def test_a_deleted_contract_is_refused_with_the_reason(recruiter_client, recruiter, job, contracts):
    campaign, postings = _campaign(job, contracts, recruiter)
    postings[0].contract = None
    postings[0].save()
    response = recruiter_client.post(
        reverse("campaign_order_again", kwargs={"campaign_id": campaign.pk}), follow=True
    )
    assert "was deleted since" in response.text
    assert not CampaignDraft.objects.filter(user=recruiter).exists()


def test_another_organisations_campaign_or_posting_is_a_404(recruiter_client, other_org):
    foreign = PostingFactory(campaign__job__organization=other_org)
    url = reverse("campaign_order_again", kwargs={"campaign_id": foreign.campaign_id})
    assert recruiter_client.post(url).status_code == 404
    assert (
        recruiter_client.post(
            reverse("posting_repost", kwargs={"posting_id": foreign.pk})
        ).status_code
        == 404
    )


def test_repost_brings_back_the_wizards_answers_with_a_picked_suggestions_label(
    recruiter_client, recruiter, job, contracts
):
    _, postings = _campaign(job, contracts, recruiter)
    picked = {"location": {"key": "ae-dubai", "label": "Dubai", "show": []}}
    postings[0].posting_requirements = {"location": "ae-dubai"}  # what the provider got
    postings[0].wizard_requirements = picked
    postings[0].save()
    recruiter_client.post(reverse("posting_repost", kwargs={"posting_id": postings[0].pk}))
    draft = CampaignDraft.objects.get(user=recruiter, job=job)
    assert draft.data["requirements"] == {str(contracts[0].pk): picked}
