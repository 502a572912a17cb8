"""The Sourcing tab and the wizard through HTTP: refusals, the flow, one order per draft."""

import pytest
from django.urls import reverse

from accounts.models import Plan
from campaigns.models import Campaign, CampaignDraft
from campaigns.services.ordering import draft_add_contracts
from tests.campaigns.factories import CampaignFactory, PostingFactory
from tests.campaigns.sandbox_setup import BAYT, INDEED, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory
from tests.factories import AdminMembershipFactory

pytestmark = pytest.mark.django_db


def boards_url(job):
    return reverse("job_sourcing_boards", kwargs={"job_id": job.pk})


def test_the_tab_lists_contracts_by_group(recruiter_client, job, contracts):
    html = recruiter_client.get(boards_url(job)).content.decode()
    assert "My Own Contracts" in html and "Main" in html
    assert "Zoo Board" in html and "Plain Jobs" in html
    assert "Add to campaign" in html


def test_a_trial_organisation_is_told_why_and_a_direct_post_orders_nothing(
    recruiter_client, job, contracts
):
    org = job.organization
    org.plan = Plan.TRIAL
    org.save()
    html = recruiter_client.get(boards_url(job)).content.decode()
    assert "trial plan" in html and "Add to campaign</button>" not in html
    response = recruiter_client.post(
        reverse("campaign_draft_add", kwargs={"job_id": job.pk}),
        {"contracts": [c.pk for c in contracts]},
    )
    assert response.status_code == 302
    assert not CampaignDraft.objects.exists()


def test_a_direct_order_post_for_a_closed_job_is_refused(recruiter_client, ready_draft, job):
    job.status = "closed"
    job.save()
    response = recruiter_client.post(
        reverse("campaign_draft_order", kwargs={"draft_id": ready_draft.pk})
    )
    assert response.status_code == 302
    assert not Campaign.objects.exists()
    assert CampaignDraft.objects.filter(pk=ready_draft.pk).exists()


def test_another_organisations_user_gets_404_on_a_draft(client, ready_draft, other_admin):
    client.force_login(other_admin)
    for name in ("campaign_draft_target_group", "campaign_draft_review"):
        assert client.get(reverse(name, kwargs={"draft_id": ready_draft.pk})).status_code == 404
    order = reverse("campaign_draft_order", kwargs={"draft_id": ready_draft.pk})
    assert client.post(order).status_code == 404
    assert not Campaign.objects.exists()


def test_the_target_group_step_validates_facets_and_keeps_what_was_typed(
    recruiter_client, ready_draft, contracts
):
    zoo = contracts[0]
    url = reverse("campaign_draft_target_group", kwargs={"draft_id": ready_draft.pk})
    page = recruiter_client.get(url).content.decode()
    assert "Reviewed by a human." in page  # STATISCH shown as text
    data = {
        **_form_data(ready_draft),
        f"req{zoo.pk}-headline": "Hey",
        f"req{zoo.pk}-hourly_rate": "abc",
    }
    response = recruiter_client.post(url, data)
    assert response.status_code == 400
    errors = response.context["boards"][0].errors
    assert "headline" in errors and "hourly_rate" in errors
    assert "rate_unit" in errors  # shown (hourly rate given) and required
    ready_draft.refresh_from_db()
    assert ready_draft.data["requirements"][str(zoo.pk)]["headline"] == "Hey"
    assert not ready_draft.data["complete"]

    data.update({f"req{zoo.pk}-headline": "Join us today", f"req{zoo.pk}-hourly_rate": ""})
    response = recruiter_client.post(url, data)
    assert response.status_code == 302
    ready_draft.refresh_from_db()
    assert ready_draft.data["complete"]
    assert "rate_unit" not in ready_draft.data["requirements"][str(zoo.pk)]  # hidden: not kept


def _label(html: str, name: str) -> str:
    """The label of the field named ``name`` (its input's name) on the page."""
    wrapper = html.index(f'data-field-wrapper="{name}"')
    return html[wrapper : html.index("</label>", wrapper)]


def test_the_target_group_marks_what_is_required_and_what_the_job_lacks(
    recruiter_client, ready_draft, contracts, job
):
    job.postcode = ""
    job.save()
    zoo = contracts[0]
    url = reverse("campaign_draft_target_group", kwargs={"draft_id": ready_draft.pk})
    html = recruiter_client.get(url).content.decode()
    required_mark = '<span class="text-danger" aria-hidden="true">*</span>'
    missing_badge = 'data-testid="missing-on-job"'
    assert missing_badge in _label(html, "postcode") and required_mark in _label(html, "postcode")
    assert missing_badge not in _label(html, "city")
    assert required_mark not in _label(html, "contact_name")
    # A board's requirement is marked although its check depends on the display rules.
    assert required_mark in _label(html, f"req{zoo.pk}-headline")
    assert required_mark not in _label(html, f"req{zoo.pk}-hourly_rate")


def _form_data(draft):
    values = {k: v for k, v in draft.data["values"].items() if v not in (None, False)}
    for contract_id, native in draft.data["requirements"].items():
        for name, value in native.items():
            if isinstance(value, dict):  # a picked suggestion: its key and its label
                values[f"req{contract_id}-{name}__label"] = value["label"]
                value = value["key"]
            values[f"req{contract_id}-{name}"] = value
    return values


def test_review_validates_with_the_provider_and_ordering_twice_places_one_order(
    provider, client, enabled_org, recruiter, django_capture_on_commit_callbacks
):
    group = ContractGroupFactory(organization=enabled_org)
    job = sandbox_job(enabled_org, recruiter)
    indeed = sandbox_contract(enabled_org, group, INDEED)
    bayt = sandbox_contract(enabled_org, group, BAYT)
    client.force_login(recruiter)
    draft = draft_add_contracts(
        org=enabled_org, by=recruiter, job_id=job.pk, contract_ids=[indeed.pk, bayt.pk]
    )
    target = reverse("campaign_draft_target_group", kwargs={"draft_id": draft.pk})
    data = _form_data(draft)
    data[f"req{bayt.pk}-location"] = "nowhere-town"  # the provider will refuse it
    assert client.post(target, data).status_code == 302

    review = client.get(reverse("campaign_draft_review", kwargs={"draft_id": draft.pk}))
    assert review.context["has_provider_errors"]
    assert review.context["provider_errors"]["requirements"][str(bayt.pk)]["location"]
    # Back at Target group, the provider's error sits at the field it concerns.
    back = client.get(target)
    bayt_form = next(f for f in back.context["boards"] if f.contract == bayt)
    assert "location" in bayt_form.errors

    data[f"req{bayt.pk}-location"] = "ae-dubai"
    assert client.post(target, data).status_code == 302
    review = client.get(reverse("campaign_draft_review", kwargs={"draft_id": draft.pk}))
    assert not review.context["has_provider_errors"]
    assert "Order campaign" in review.content.decode()

    order = reverse("campaign_draft_order", kwargs={"draft_id": draft.pk})
    with django_capture_on_commit_callbacks():
        first = client.post(order)
        second = client.post(order)  # a double click, or the form sent again
    campaign = Campaign.objects.get()
    detail = reverse("campaign_detail", kwargs={"campaign_id": campaign.pk})
    assert first["Location"] == second["Location"] == detail
    assert campaign.postings.count() == 2


def test_autocomplete_suggests_and_says_when_it_fails(provider, client, enabled_org, recruiter):
    group = ContractGroupFactory(organization=enabled_org)
    job = sandbox_job(enabled_org, recruiter)
    bayt = sandbox_contract(enabled_org, group, BAYT)
    draft = draft_add_contracts(
        org=enabled_org, by=recruiter, job_id=job.pk, contract_ids=[bayt.pk]
    )
    client.force_login(recruiter)
    url = reverse("campaign_draft_autocomplete", kwargs={"draft_id": draft.pk})
    params = {"contract": bayt.pk, "facet": "location", "term": "dub", "list": "ac-x"}
    html = client.get(url, params).content.decode()
    assert 'data-value="ae-dubai"' in html and ">Dubai</li>" in html  # the label is shown
    provider.add_fault(kind="error", status=500, path="/contracts/posting-requirements/")
    html = client.get(url, params).content.decode()
    assert "Suggestions are unavailable right now" in html


def test_campaign_page_lists_boards_and_hides_take_down_from_other_recruiters(
    client, org, recruiter
):
    campaign = CampaignFactory(job__organization=org, ordered_by=recruiter)
    PostingFactory(campaign=campaign, status="online", job_board_link="https://b.test/1")
    client.force_login(recruiter)
    html = client.get(reverse("campaign_detail", kwargs={"campaign_id": campaign.pk})).content
    assert b"Take down campaign" in html and b"https://b.test/1" in html
    client.force_login(AdminMembershipFactory(organization=org).user)
    assert (
        b"Take down campaign"
        in client.get(reverse("campaign_detail", kwargs={"campaign_id": campaign.pk})).content
    )


def test_the_tab_runs_a_constant_number_of_queries(
    recruiter_client, job, contracts, django_assert_max_num_queries
):
    for _ in range(8):
        campaign = CampaignFactory(job=job, organization=job.organization)
        PostingFactory(campaign=campaign, contract=contracts[0])
        PostingFactory(campaign=campaign, contract=contracts[1])
    with django_assert_max_num_queries(25):
        assert recruiter_client.get(boards_url(job)).status_code == 200


def test_a_board_where_the_job_is_already_live_is_flagged_on_sourcing_and_review(
    recruiter_client, job, contracts, ready_draft
):
    live = contracts[0]
    PostingFactory(
        campaign=CampaignFactory(job=job),
        contract=live,
        channel=live.channel,
        status="in_progress",
    )
    PostingFactory(  # offline elsewhere: not flagged
        campaign=CampaignFactory(job=job),
        contract=contracts[1],
        channel=contracts[1].channel,
        status="offline",
    )
    sentence = "This job is already live or in progress on this board"
    html = recruiter_client.get(reverse("job_sourcing_boards", args=[job.pk])).content.decode()
    assert html.count(sentence) == 1
    review = recruiter_client.get(
        reverse("campaign_draft_review", kwargs={"draft_id": ready_draft.pk})
    )
    assert review.status_code == 200
    assert review.content.decode().count(sentence) == 1
