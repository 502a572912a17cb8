"""A contract's default values for its board's requirements, against the real sandbox: the
admin's form (the wizard's own fields, every facet type), the provider's refusals at the
fields, an outage that keeps what was typed, the audit trail, who may open the page, and the
wizard that pre-fills a board's fields from them without ever replacing a recruiter's value."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns import demo
from campaigns.models import CampaignDraft, PostingStatus
from campaigns.services.batches import batch_save
from campaigns.services.ordering import draft_add_contracts, draft_save, drafts_add_contracts
from campaigns.services.requirement_defaults import contract_requirement_defaults_set
from contracts.models import ContractAction, ContractEvent
from distribution.client import provider_client
from tests.campaigns.conftest import target_group_values
from tests.campaigns.factories import CampaignFactory, PostingFactory
from tests.campaigns.sandbox_setup import NAUKRI, ZOO, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractFactory, ContractGroupFactory

pytestmark = pytest.mark.django_db

PUNE = {"key": "in-pune", "label": "Pune", "show": []}


@pytest.fixture
def naukri(provider, enabled_org):
    return sandbox_contract(enabled_org, ContractGroupFactory(organization=enabled_org), NAUKRI)


def _remote_defaults(contract) -> dict:
    org = contract.organization
    return (
        provider_client(org=org)
        .get_contract(contract.provider_contract_id)
        .posting_requirements_defaults
    )


def _url(contract) -> str:
    return reverse("contract_requirement_defaults", kwargs={"contract_id": contract.pk})


# --- the service -----------------------------------------------------------------------------


def test_defaults_are_sent_to_the_provider_and_kept_as_it_accepted_them(naukri, admin):
    contract_requirement_defaults_set(
        contract=naukri,
        by=admin,
        values={"industry-naukri": "it-software", "location": PUNE},
    )
    # The provider holds its own values (a pick's key); we keep the label too, for forms.
    assert _remote_defaults(naukri) == {"industry-naukri": "it-software", "location": "in-pune"}
    naukri.refresh_from_db()
    assert naukri.requirement_defaults == {"industry-naukri": "it-software", "location": PUNE}
    event = ContractEvent.objects.get(contract=naukri, action=ContractAction.DEFAULTS)
    assert event.detail == "industry-naukri, location" and event.by == admin

    # Blank means no default: the provider's object is replaced without it.
    contract_requirement_defaults_set(
        contract=naukri, by=admin, values={"industry-naukri": "", "location": PUNE}
    )
    assert _remote_defaults(naukri) == {"location": "in-pune"}
    naukri.refresh_from_db()
    assert naukri.requirement_defaults == {"location": PUNE}


def test_a_refusal_is_placed_at_its_field_once_and_nothing_is_kept(naukri, admin):
    stale = {"key": "in-atlantis", "label": "Atlantis", "show": []}  # not an option any more
    with pytest.raises(ValidationError) as refused:
        contract_requirement_defaults_set(contract=naukri, by=admin, values={"location": stale})
    errors = refused.value.message_dict
    assert list(errors) == ["location"] and len(errors["location"]) == 1
    assert "in-atlantis" in errors["location"][0]
    naukri.refresh_from_db()
    assert naukri.requirement_defaults == {}
    assert not ContractEvent.objects.filter(action=ContractAction.DEFAULTS).exists()


def test_an_outage_says_nothing_was_changed(naukri, admin, provider):
    provider.add_fault(kind="error", method="PATCH", path="/contracts/single/", status=503)
    with pytest.raises(ValidationError) as failed:
        contract_requirement_defaults_set(
            contract=naukri, by=admin, values={"industry-naukri": "it-software"}
        )
    assert failed.value.code == "unavailable"
    assert "Nothing was changed" in failed.value.messages[0]
    naukri.refresh_from_db()
    assert naukri.requirement_defaults == {}


# --- the admin's page ------------------------------------------------------------------------


def test_the_contract_page_shows_the_defaults_and_links_to_the_form(admin_client, naukri, admin):
    contract_requirement_defaults_set(
        contract=naukri, by=admin, values={"industry-naukri": "it-software"}
    )
    page = admin_client.get(reverse("contract_detail", kwargs={"contract_id": naukri.pk}))
    html = page.content.decode()
    assert "Default values for this board's requirements" in html
    assert "IT - Software" in html  # the option's label, never its key
    assert _url(naukri) in html
    # The audit trail names the requirement by its label.
    assert "Requirement defaults changed" in html


def test_the_form_has_a_field_of_every_type_and_none_is_required(
    provider, admin_client, enabled_org
):
    zoo = sandbox_contract(enabled_org, ContractGroupFactory(organization=enabled_org), ZOO)
    html = admin_client.get(_url(zoo)).content.decode()
    assert 'type="number" name="default-openings_area"' in html  # AREACOUNT
    assert '<textarea name="default-screening"' in html  # QUESTIONNAIRE
    assert 'type="date" name="default-start_date"' in html  # DATE
    assert 'type="checkbox" name="default-benefits"' in html  # MULTIPLE
    assert 'type="hidden" name="default-location"' in html  # a pick's key travels hidden
    assert "requirement-defaults/suggestions/" in html  # suggestions for this contract
    assert 'aria-hidden="true">*</span>' not in html  # no default is ever required
    saved = admin_client.post(_url(zoo), {"default-headline": "Join our data team"})
    assert saved.status_code == 302
    assert _remote_defaults(zoo) == {"headline": "Join our data team"}


def test_saving_through_the_page(admin_client, naukri):
    response = admin_client.post(
        _url(naukri),
        {
            "default-industry-naukri": "it-software",
            "default-location": "in-pune",
            "default-location__label": "Pune",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("contract_detail", kwargs={"contract_id": naukri.pk})
    naukri.refresh_from_db()
    assert naukri.requirement_defaults == {"industry-naukri": "it-software", "location": PUNE}


def test_typed_text_never_picked_is_refused_before_the_provider(admin_client, naukri, provider):
    response = admin_client.post(_url(naukri), {"default-location__label": "Pune"})
    assert response.status_code == 400
    assert "Pick one of the suggestions" in response.content.decode()
    assert not provider.sent_to("PATCH", "/contracts/single/{contract_id}/")


def test_a_provider_refusal_shows_at_the_field_once(admin_client, naukri):
    response = admin_client.post(
        _url(naukri),
        {"default-location": "in-atlantis", "default-location__label": "Atlantis"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('id="id_default-location_error"') == 1
    assert 'data-testid="error-summary"' in html and 'href="#id_default-location"' in html
    assert 'value="Atlantis"' in html  # what was picked stays


def test_an_outage_keeps_what_was_typed(admin_client, naukri, provider):
    provider.add_fault(kind="error", method="PATCH", path="/contracts/single/", status=503)
    response = admin_client.post(_url(naukri), {"default-industry-naukri": "it-software"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "did not answer. Nothing was changed" in html
    assert '<option value="it-software" selected>' in html


def test_a_recruiter_is_refused_and_another_organisations_contract_is_a_404(
    recruiter_client, admin, enabled_org, other_org
):
    mine = ContractFactory(group__organization=enabled_org)
    assert recruiter_client.get(_url(mine)).status_code == 403
    assert recruiter_client.post(_url(mine), {}).status_code == 403
    recruiter_client.force_login(admin)  # the same browser, now as the organisation's admin
    theirs = ContractFactory(group__organization=other_org)
    assert recruiter_client.get(_url(theirs)).status_code == 404
    assert recruiter_client.post(_url(theirs), {}).status_code == 404


# --- the wizard ------------------------------------------------------------------------------


@pytest.fixture
def job(provider, enabled_org, recruiter):
    return sandbox_job(enabled_org, recruiter)


def _target_group(client, draft) -> str:
    url = reverse("campaign_draft_target_group", kwargs={"draft_id": draft.pk})
    return client.get(url).content.decode()


def _with_defaults(naukri, admin):
    contract_requirement_defaults_set(
        contract=naukri, by=admin, values={"industry-naukri": "it-software", "location": PUNE}
    )


def test_the_wizard_prefills_a_boards_fields_from_its_contracts_defaults(
    recruiter_client, recruiter, admin, naukri, job
):
    _with_defaults(naukri, admin)
    draft = draft_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[naukri.pk]
    )
    html = _target_group(recruiter_client, draft)
    p = f"req{naukri.pk}-"
    assert '<option value="it-software" selected>' in html
    assert f'type="hidden" name="{p}location" value="in-pune"' in html
    assert html.count('data-testid="default-from-admin"') == 2
    assert "Default from your admin" in html


def test_a_batch_across_groups_prefills_the_board_of_its_second_group(
    recruiter_client, recruiter, admin, naukri, job, enabled_org
):
    """Boards ticked across groups share one Target group step; a board whose contract sits
    in another group's draft still starts from its own contract's defaults."""
    _with_defaults(naukri, admin)
    other = sandbox_contract(enabled_org, ContractGroupFactory(organization=enabled_org), ZOO)
    first, second = drafts_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[other.pk, naukri.pk]
    )
    assert naukri.pk in second.data["contract_ids"]
    html = _target_group(recruiter_client, first)
    assert '<option value="it-software" selected>' in html
    assert f'type="hidden" name="req{naukri.pk}-location" value="in-pune"' in html

    # Saved once for the batch (the location cleared): the default is not put back, though
    # the step is opened from the other group's draft.
    batch_save(
        drafts=[first, second],
        values=target_group_values(job, recruiter),
        requirements={str(naukri.pk): {"industry-naukri": "bfsi"}},
        complete=False,
    )
    html = _target_group(recruiter_client, CampaignDraft.objects.get(pk=first.pk))
    assert '<option value="bfsi" selected>' in html
    assert 'value="in-pune"' not in html


def test_the_recruiter_can_change_a_default_and_it_is_never_put_back(
    recruiter_client, recruiter, admin, naukri, job
):
    _with_defaults(naukri, admin)
    draft = draft_add_contracts(
        org=job.organization, by=recruiter, job_id=job.pk, contract_ids=[naukri.pk]
    )
    # The recruiter picks another industry and clears the location, then saves the step.
    draft_save(
        draft=draft,
        values=target_group_values(job, recruiter),
        requirements={str(naukri.pk): {"industry-naukri": "bfsi"}},
        complete=False,
    )
    html = _target_group(recruiter_client, CampaignDraft.objects.get(pk=draft.pk))
    assert '<option value="bfsi" selected>' in html
    assert '<option value="it-software" selected>' not in html
    assert 'value="in-pune"' not in html  # a cleared default stays cleared
    assert 'data-testid="default-from-admin"' not in html


def test_order_again_keeps_the_values_it_restored(recruiter_client, recruiter, admin, naukri, job):
    _with_defaults(naukri, admin)
    campaign = CampaignFactory(job=job, ordered_by=recruiter, provider_campaign_id="c-again")
    PostingFactory(
        campaign=campaign,
        contract=naukri,
        board_name="Naukri",
        status=PostingStatus.OFFLINE,
        posting_requirements={"industry-naukri": "bfsi"},
    )
    response = recruiter_client.post(
        reverse("campaign_order_again", kwargs={"campaign_id": campaign.pk})
    )
    html = recruiter_client.get(response.url).content.decode()
    assert '<option value="bfsi" selected>' in html  # restored, not replaced
    # A field the earlier order left empty starts from the default.
    assert 'value="in-pune"' in html
    assert html.count('data-testid="default-from-admin"') == 1


def test_the_audit_trail_never_holds_values(naukri, admin):
    contract_requirement_defaults_set(
        contract=naukri, by=admin, values={"industry-naukri": "it-software"}
    )
    event = ContractEvent.objects.get(action=ContractAction.DEFAULTS)
    assert event.detail == "industry-naukri"


def test_the_demo_sets_defaults_once(naukri, enabled_org, provider):
    messages = []
    demo.seed_requirement_defaults(enabled_org, messages.append)
    naukri.refresh_from_db()
    assert naukri.requirement_defaults == demo.DEMO_REQUIREMENT_DEFAULTS[NAUKRI]
    assert _remote_defaults(naukri) == {
        "industry-naukri": "it-software",
        "location": "in-bengaluru",
    }
    patches = len(provider.sent_to("PATCH", "/contracts/single/{contract_id}/"))
    demo.seed_requirement_defaults(enabled_org, messages.append)
    assert len(provider.sent_to("PATCH", "/contracts/single/{contract_id}/")) == patches
    assert len(messages) == 1
