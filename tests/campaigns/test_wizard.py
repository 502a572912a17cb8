"""The wizard's Target group and review steps against the real sandbox: every facet type and
display-rule operator, dependent suggestions, picked (never typed) suggestions, Back that
keeps what was typed, the error summary, the provider's French labels and feed boards."""

import json

import pytest
from django.urls import reverse

from campaigns.models import CampaignDraft
from campaigns.services.batches import batch_save
from campaigns.services.ordering import draft_add_contracts
from campaigns.services.provider_errors import wizard_field_errors
from tests.campaigns.conftest import target_group_values
from tests.campaigns.sandbox_setup import (
    BAYT,
    JOOBLE,
    LINKEDIN,
    ZOO,
    sandbox_contract,
    sandbox_job,
)
from tests.contracts.conftest import sandbox_oauth_token
from tests.contracts.factories import ContractGroupFactory
from tests.fixtures.sandbox import both_profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoo_draft(provider, enabled_org, recruiter):
    group = ContractGroupFactory(organization=enabled_org)
    job = sandbox_job(enabled_org, recruiter)
    zoo = sandbox_contract(enabled_org, group, ZOO)
    draft = draft_add_contracts(org=enabled_org, by=recruiter, job_id=job.pk, contract_ids=[zoo.pk])
    return draft, zoo


def _urls(draft):
    return {
        name: reverse(f"campaign_draft_{name}", kwargs={"draft_id": draft.pk})
        for name in ("target_group", "review", "autocomplete")
    }


def _autocomplete_bodies(provider) -> list:
    return [
        body
        for method, path, body in provider.sent
        if method == "POST" and path.startswith("/contracts/posting-requirements/")
    ]


def _job_data(draft) -> dict:
    return {k: v for k, v in draft.data["values"].items() if v not in (None, False)}


def _zoo_data(zoo, **overrides) -> dict:
    """Valid answers for every field of the Sandbox Facet Zoo, as the browser posts them."""
    p = f"req{zoo.pk}-"
    data = {
        p + "headline": "Join our data team",
        p + "contract_type": "full_time",
        p + "benefits": ["car", "gym"],
        p + "region": "fr-idf",
        p + "location": "fr-paris",
        p + "location__label": "Paris",
        p + "apply_method": ["EMAIL"],
        p + "apply_email": "jobs@example.com",
        p + "salary_visible": "0",
        p + "extra_cities": "Lyon\nLille",
        p + "openings_area": "3",
        p + "screening": "Do you hold a work permit?\nWhen could you start?",
        p + "district": "fr-paris-11",
        p + "district__label": "Paris 11th arrondissement",
        p + "ad_tier": "branded",
        p + "ad_tier__label": "Branded",
        p + "ad_tier__show": json.dumps(["brand_id"]),
        p + "brand_id": "ACME blue",
    }
    data.update({p + name: value for name, value in overrides.items()})
    return data


def test_every_facet_type_gets_its_own_field(recruiter_client, zoo_draft):
    draft, zoo = zoo_draft
    html = recruiter_client.get(_urls(draft)["target_group"]).content.decode()
    p = f"req{zoo.pk}-"
    assert f'type="number" name="{p}openings_area"' in html  # AREACOUNT: a whole number
    assert f'<textarea name="{p}screening"' in html  # QUESTIONNAIRE: one question a line
    assert f'name="{p}location__label"' in html and 'role="combobox"' in html
    assert f'type="hidden" name="{p}location"' in html  # the picked key travels hidden
    assert 'data-depends-on="location"' in html  # district's options depend on location
    assert 'data-depends-on="headline location"' in html  # ad tier's on both, in order
    assert "selected_option_show_contains" in html  # brand_id's display rule, for the JS


@both_profiles
def test_a_dependent_field_sends_the_values_it_depends_on(provider, recruiter_client, zoo_draft):
    draft, zoo = zoo_draft
    url, p = _urls(draft)["autocomplete"], f"req{zoo.pk}-"
    params = {"contract": zoo.pk, "facet": "district"}
    html = recruiter_client.get(url, params).content.decode()
    assert "Fill in Location first" in html  # nothing asked of the provider yet
    assert not _autocomplete_bodies(provider)

    html = recruiter_client.get(url, {**params, p + "location": "fr-paris"}).content.decode()
    assert 'data-value="fr-paris-11"' in html or 'data-value="fr-paris-01"' in html
    sent = _autocomplete_bodies(provider)
    assert sent[-1]["term"] == "fr-paris"

    tier = {
        "contract": zoo.pk,
        "facet": "ad_tier",
        p + "headline": "Data",
        p + "location": "fr-paris",
    }
    html = recruiter_client.get(url, tier).content.decode()
    assert 'data-value="basic"' in html or 'data-value="branded"' in html
    sent = _autocomplete_bodies(provider)
    assert sent[-1]["term"] == ["Data", "fr-paris"]


def test_typed_text_that_was_never_picked_is_refused_at_the_field(recruiter_client, zoo_draft):
    draft, zoo = zoo_draft
    url = _urls(draft)["target_group"]
    data = {**_job_data(draft), **_zoo_data(zoo, location="", location__label="Dubai")}
    response = recruiter_client.post(url, data)
    assert response.status_code == 400
    board = response.context["boards"][0]
    assert "Pick one of the suggestions" in board.errors["location"][0]
    # The summary at the top lists it, linked to the field, and takes the focus.
    html = response.content.decode()
    assert "data-error-summary" in html and 'tabindex="-1"' in html
    assert f'href="#id_req{zoo.pk}-location"' in html
    summary = response.context["error_summary"]
    assert [entry["target"] for entry in summary] == [f"id_req{zoo.pk}-location"]
    draft.refresh_from_db()
    assert draft.data["requirements"][str(zoo.pk)]["location"]["label"] == "Dubai"  # kept


def test_the_summary_lists_every_error_with_a_link_to_its_field(recruiter_client, zoo_draft):
    draft, zoo = zoo_draft
    data = {**_job_data(draft), **_zoo_data(zoo, headline="Hey", openings_area="many")}
    data["title"] = ""
    response = recruiter_client.post(_urls(draft)["target_group"], data)
    assert response.status_code == 400
    targets = [entry["target"] for entry in response.context["error_summary"]]
    assert targets == ["id_title", f"id_req{zoo.pk}-headline", f"id_req{zoo.pk}-openings_area"]
    html = response.content.decode()
    for target in targets:
        assert f'href="#{target}"' in html and f'id="{target}"' in html


def test_back_keeps_what_was_typed_even_when_it_is_not_valid_yet(recruiter_client, zoo_draft):
    draft, zoo = zoo_draft
    url = _urls(draft)["target_group"]
    data = {**_job_data(draft), **_zoo_data(zoo, headline="Hey")}
    data.update({"title": "Data engineer (night shift)", "step": "back"})
    response = recruiter_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("job_sourcing_boards", kwargs={"job_id": draft.job_id})
    draft = CampaignDraft.objects.get(pk=draft.pk)
    assert draft.data["values"]["title"] == "Data engineer (night shift)"
    assert draft.data["requirements"][str(zoo.pk)]["headline"] == "Hey"
    html = recruiter_client.get(url).content.decode()
    assert 'value="Data engineer (night shift)"' in html and 'value="Hey"' in html
    assert 'value="Paris"' in html  # the picked suggestion's label, not its key


@both_profiles
def test_every_type_and_operator_passes_the_providers_validation(recruiter_client, zoo_draft):
    draft, zoo = zoo_draft
    urls = _urls(draft)
    response = recruiter_client.post(urls["target_group"], {**_job_data(draft), **_zoo_data(zoo)})
    assert response.status_code == 302, response.context and response.context["error_summary"]
    review = recruiter_client.get(urls["review"])
    assert not review.context["has_provider_errors"], review.context["provider_errors"]
    sent = review.context["document"]["products"][0]["posting_requirements"]
    assert sent["openings_area"] == "3"
    assert json.loads(sent["screening"])[0]["question"] == "Do you hold a work permit?"
    assert sent["district"] == "fr-paris-11" and sent["location"] == "fr-paris"
    assert sent["brand_id"] == "ACME blue"  # shown by the picked tier's "show" list
    rows = dict(review.context["boards"][0]["rows"])
    assert rows["Location"] == "Paris" and rows["Ad tier"] == "Branded"  # labels, never keys
    assert rows["Benefits"] == "Company car, Gym membership" or "car" not in rows["Benefits"]


def test_a_tier_that_reveals_nothing_hides_and_drops_the_brand(recruiter_client, zoo_draft):
    draft, zoo = zoo_draft
    data = {**_job_data(draft), **_zoo_data(zoo, ad_tier="basic", ad_tier__label="Basic")}
    data[f"req{zoo.pk}-ad_tier__show"] = "[]"
    data[f"req{zoo.pk}-brand_id"] = ""  # required only while shown
    assert recruiter_client.post(_urls(draft)["target_group"], data).status_code == 302
    draft.refresh_from_db()
    assert "brand_id" not in draft.data["requirements"][str(zoo.pk)]


def test_french_pages_show_the_providers_french_labels(provider, client, zoo_draft, recruiter):
    draft, zoo = zoo_draft
    client.force_login(recruiter)
    client.cookies["django_language"] = "fr"
    html = client.get(_urls(draft)["target_group"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Arrondissement" in html and "Formule d&#x27;annonce" in html
    params = {"contract": zoo.pk, "facet": "location", f"req{zoo.pk}-location__label": "dub"}
    html = client.get(_urls(draft)["autocomplete"], params, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Dubaï" in html.content.decode()


def test_a_board_that_needs_a_job_feed_says_so_when_chosen(
    provider, recruiter_client, enabled_org, recruiter
):
    group = ContractGroupFactory(organization=enabled_org)
    job = sandbox_job(enabled_org, recruiter)
    jooble = sandbox_contract(enabled_org, group, JOOBLE)
    bayt = sandbox_contract(enabled_org, group, BAYT)
    draft = draft_add_contracts(
        org=enabled_org, by=recruiter, job_id=job.pk, contract_ids=[jooble.pk, bayt.pk]
    )
    html = recruiter_client.get(_urls(draft)["target_group"]).content.decode()
    assert html.count('data-testid="feed-notice"') == 1
    assert "Jooble publishes your ads from a job feed" in html
    # The organisation's own feed address (the provider makes one per customer).
    assert f"/_sandbox/feeds/{enabled_org.provider_customer_id}/1030.xml" in html


def test_each_provider_error_appears_once_and_in_words():
    document = {"products": [{"contract": 7}]}
    errors = {
        "postingDetails": {"title": ["Too long.", "Too long."]},
        "orderedProductsSpecs": [
            {
                "posting_requirements": {"location": ["Not a valid choice."]},
                "postingRequirements": ["location: Not a valid choice."],
            }
        ],
        "": ["Something else is wrong.", "Too long."],  # the same, also said in general
        "companyInfo": {"internalCode": ["Check the company."]},  # a path we cannot place
    }
    mapped = wizard_field_errors(errors, document)
    assert mapped["fields"] == {"title": ["Too long."]}
    assert mapped["requirements"] == {"7": {"location": ["Not a valid choice."]}}
    # No internal path or code in front of a sentence, and nothing said twice.
    assert mapped["general"] == ["Something else is wrong.", "Check the company."]


def test_a_refusal_on_the_french_review_names_the_field_as_the_board_does_in_french(
    provider, client, zoo_draft, recruiter
):
    draft, zoo = zoo_draft
    client.force_login(recruiter)
    client.cookies["django_language"] = "fr"
    data = {
        **_job_data(draft),
        **_zoo_data(zoo, location="nowhere-town", location__label="Nulle part"),
    }
    assert client.post(_urls(draft)["target_group"], data).status_code == 302
    review = client.get(_urls(draft)["review"])
    assert review.context["has_provider_errors"]
    errors = review.content.decode().split('data-testid="provider-errors"')[1].split("</ul>")[0]
    assert "Sandbox Facet Zoo · Lieu" in errors  # the board's French label, not "location"
    assert errors.count("Sandbox Facet Zoo · Lieu") == 1  # said once


def test_an_option_that_requires_a_job_field_says_so_at_that_field(
    recruiter_client, ready_draft, contracts
):
    """An option's ``requires`` (the guides' example: e-mail applications need the contact
    e-mail) is checked at the Target group, at the job field it names."""
    zoo = contracts[0]
    zoo.posting_requirements = [
        *zoo.posting_requirements,
        {"name": "apply_via", "label": "Apply via", "type": "SELECT", "options": [
            {"key": "EMAIL", "label": "E-mail",
             "requires": [{"field": {"name": "contactInfo.emailAddress"}}]},
            {"key": "URL", "label": "URL", "requires": [{"field": {"name": "applicationUrl"}}]},
        ]},
    ]  # fmt: skip
    zoo.save()
    url = _urls(ready_draft)["target_group"]
    data = {**_job_data(ready_draft), f"req{zoo.pk}-headline": "Join our team"}
    data.update({f"req{zoo.pk}-contract_type": "full_time", f"req{zoo.pk}-apply_via": "EMAIL"})
    response = recruiter_client.post(url, data)
    assert response.status_code == 400
    assert (
        "Zoo Board needs this for your choice of Apply via."
        in response.context["form"].errors["contact_email"]
    )
    data["contact_email"] = "jobs@example.com"
    assert recruiter_client.post(url, data).status_code == 302
    data.update({"contact_email": "", f"req{zoo.pk}-apply_via": "URL"})  # always sent
    assert recruiter_client.post(url, data).status_code == 302


@pytest.fixture
def linkedin_draft(provider, sandbox, enabled_org, recruiter):
    group = ContractGroupFactory(organization=enabled_org)
    job = sandbox_job(enabled_org, recruiter)
    token = sandbox_oauth_token(sandbox, LINKEDIN)
    linkedin = sandbox_contract(enabled_org, group, LINKEDIN, {"access_token": token})
    draft = draft_add_contracts(
        org=enabled_org, by=recruiter, job_id=job.pk, contract_ids=[linkedin.pk]
    )
    return draft, linkedin


def test_a_company_page_that_is_no_url_is_refused_at_its_field(recruiter_client, linkedin_draft):
    draft, linkedin = linkedin_draft
    urls = _urls(draft)
    field = f"req{linkedin.pk}-company-page-url"
    data = {**_job_data(draft), field: "+33 1 23 45 67 89"}
    response = recruiter_client.post(urls["target_group"], data)
    assert response.status_code == 400
    assert response.context["boards"][0].errors["company-page-url"] == [
        "Enter a valid URL starting with http:// or https://."
    ]
    data[field] = "https://www.linkedin.com/company/acme-talent"
    assert recruiter_client.post(urls["target_group"], data).status_code == 302
    review = recruiter_client.get(urls["review"])
    assert not review.context["has_provider_errors"], review.context["provider_errors"]
    sent = review.context["document"]["products"][0]["posting_requirements"]
    assert sent == {"company-page-url": "https://www.linkedin.com/company/acme-talent"}


def test_the_provider_refuses_a_malformed_company_page_at_its_field(
    client, linkedin_draft, recruiter
):
    draft, linkedin = linkedin_draft
    # Saved past our form, as an older draft could be: the provider must refuse it too.
    batch_save(
        drafts=[draft],
        values=target_group_values(draft.job, recruiter),
        requirements={str(linkedin.pk): {"company-page-url": "https://linkedin..com/company/acme"}},
        complete=True,
    )
    client.force_login(recruiter)
    review = client.get(_urls(draft)["review"])
    assert review.context["has_provider_errors"]
    assert review.context["boards"][0]["errors"] == {"company-page-url": ["Enter a valid URL."]}
    step = client.get(_urls(draft)["target_group"])
    assert "Enter a valid URL." in step.context["boards"][0].errors["company-page-url"]
