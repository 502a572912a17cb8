"""Issue 15: the Sourcing tab does not let a recruiter select an expired, out-of-credits or
broken contract, says why and who can fix it; a forged post is refused with the reason."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CampaignDraft
from contracts.models import ContractStatus
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


def _item(html: str, contract) -> str:
    start = html.index(f'id="contract-{contract.pk}"')
    start = html.rindex("<li", 0, start)
    return html[start : html.index("</li>", start)]


def test_unusable_contracts_cannot_be_selected_and_say_why(recruiter_client, job, group, contracts):
    today = timezone.localdate()
    expired = ContractFactory(
        group=group, channel__name="Old Board", expiry_date=today - datetime.timedelta(days=2)
    )
    spent = ContractFactory(group=group, channel__name="Spent Board", credits=0)
    broken = ContractFactory(
        group=group,
        channel__name="Broken Board",
        status=ContractStatus.NEEDS_ATTENTION,
        provider_errors=["Invalid credentials"],
    )
    soon = ContractFactory(
        group=group, channel__name="Soon Board", expiry_date=today + datetime.timedelta(days=3)
    )
    html = recruiter_client.get(
        reverse("job_sourcing_boards", kwargs={"job_id": job.pk})
    ).content.decode()

    for contract, state, words in (
        (expired, "expired", "expired on"),
        (spent, "out_of_credits", "no credits left"),
        (broken, "needs_attention", "Invalid credentials"),
    ):
        item = _item(html, contract)
        assert " disabled" in item, item
        assert f'data-state="{state}"' in item
        assert words in item and "An admin can" in item
        assert f'aria-describedby="contract-{contract.pk}-health"' in item
    item = _item(html, soon)
    assert " disabled" not in item and "Expires in 3 days" in item
    assert " disabled" not in _item(html, contracts[0])

    response = recruiter_client.post(
        reverse("campaign_draft_add", kwargs={"job_id": job.pk}),
        {"contracts": [contracts[0].pk, expired.pk]},
        follow=True,
    )
    assert not CampaignDraft.objects.filter(data__contract_ids__contains=[expired.pk]).exists()
    assert "expired on" in response.content.decode()
