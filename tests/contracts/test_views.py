import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.fernet import Fernet
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import OrganizationChange, Plan
from contracts import urls
from contracts.models import AccessRequest, Contract, ContractEvent
from contracts.services import contracts as contracts_service
from distribution.client import provider_client
from tests.campaigns.sandbox_setup import JOOBLE
from tests.contracts.conftest import LINKEDIN, sandbox_consent
from tests.contracts.factories import (
    AccessRequestFactory,
    ChannelFactory,
    ContractCredentialFactory,
    ContractFactory,
    ContractGroupFactory,
)
from tests.factories import AdminMembershipFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

# Every page of this issue, with how to build its URL for an organisation.
ISSUE_PAGES = {
    "job_boards": lambda org: {},
    "access_request": lambda org: {},
    "access_request_messages": lambda org: {},
    "contract_list": lambda org: {},
    "contract_group_create": lambda org: {},
    "contract_group_rename": lambda org: {"group_id": ContractGroupFactory(organization=org).pk},
    "contract_group_delete": lambda org: {"group_id": ContractGroupFactory(organization=org).pk},
    "contract_add": lambda org: {},
    "contract_channel_search": lambda org: {},
    "contract_oauth_start": lambda org: {},
    "contract_oauth_callback": lambda org: {"oauth_state": "x"},
    "contract_detail": lambda org: {"contract_id": ContractFactory(group__organization=org).pk},
    "contract_delete": lambda org: {"contract_id": ContractFactory(group__organization=org).pk},
    "contract_check": lambda org: {"contract_id": ContractFactory(group__organization=org).pk},
}


@pytest.mark.parametrize("name", sorted(ISSUE_PAGES))
def test_recruiters_get_403_on_every_page_of_this_issue(recruiter_client, org, name):
    org.my_own_contracts_enabled = True
    org.save()
    url = reverse(name, kwargs=ISSUE_PAGES[name](org))
    assert recruiter_client.get(url).status_code == 403
    assert recruiter_client.post(url, {"name": "x", "body": "x"}).status_code == 403
    assert not AccessRequest.objects.exists()


def test_the_page_list_covers_every_contracts_route():
    names = {p.name for p in urls.urlpatterns if getattr(p, "name", None)}
    assert names == set(ISSUE_PAGES)


@pytest.mark.parametrize(
    "changes, expected, absent",
    [
        ({"plan": Plan.TRIAL}, "for subscribers only", "Contact us for access"),
        ({"verified_at": None}, "must be verified first", "Contact us for access"),
        ({"career_page_enabled": False}, "career page must be enabled", "Contact us"),
        ({}, "Contact us for access", "Manage existing contracts"),
        ({"my_own_contracts_enabled": True}, "Manage existing contracts", "Contact us"),
    ],
)
def test_the_card_follows_the_organisations_state(admin_client, org, changes, expected, absent):
    for field, value in changes.items():
        setattr(org, field, value)
    org.save()
    html = admin_client.get(reverse("job_boards")).content.decode()
    assert "Beta" in html
    assert expected in html
    assert absent not in html


def test_a_trial_admin_cannot_write_to_support(admin_client, org):
    org.plan = Plan.TRIAL
    org.save()
    response = admin_client.post(reverse("access_request"), {"body": "Let me in"})
    assert response.status_code == 400
    assert "cannot request" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_the_access_conversation_with_support(
    client, admin_client, admin, org, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_EMAIL = "desk@jobcast.test"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("access_request"), {"body": "We have Naukri and LinkedIn."}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["desk@jobcast.test"]

    staff = StaffUserFactory()
    support = Client()
    support.force_login(staff)
    listing = support.get(reverse("supportdesk:request_list")).content.decode()
    assert org.name in listing
    access_request = AccessRequest.objects.get()
    detail_url = reverse("supportdesk:request_detail", args=[access_request.pk])
    assert "We have Naukri and LinkedIn." in support.get(detail_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        support.post(detail_url, {"body": "Welcome! Enabling it now."})
    assert mail.outbox[-1].to == [admin.email]

    fragment = admin_client.get(reverse("access_request_messages")).content.decode()
    assert "Welcome! Enabling it now." in fragment
    assert 'hx-trigger="every 5s"' in fragment
    page = admin_client.get(reverse("access_request")).content.decode()
    assert 'hx-trigger="every 5s"' in page and reverse("access_request_messages") in page

    support.post(reverse("supportdesk:request_enable", args=[access_request.pk]))
    org.refresh_from_db()
    access_request.refresh_from_db()
    assert org.my_own_contracts_enabled
    assert access_request.enabled_by == staff and access_request.enabled_at
    change = OrganizationChange.objects.get(organization=org, field="my_own_contracts_enabled")
    assert change.changed_by == staff and change.new_value == "True"
    assert "Manage existing contracts" in admin_client.get(reverse("job_boards")).content.decode()
    # The conversation stays readable afterwards.
    assert (
        "Welcome! Enabling it now." in admin_client.get(reverse("access_request")).content.decode()
    )


def test_the_support_desk_is_for_staff_only(client, admin_client, org):
    access_request = AccessRequestFactory(organization=org)
    urls = [
        reverse("supportdesk:request_list"),
        reverse("supportdesk:request_detail", args=[access_request.pk]),
        reverse("supportdesk:request_messages", args=[access_request.pk]),
        reverse("supportdesk:request_enable", args=[access_request.pk]),
    ]
    for url in urls:
        assert Client().get(url).status_code == 302  # anonymous: log in
        assert admin_client.get(url).status_code == 403
        assert admin_client.post(url, {"body": "hi"}).status_code == 403
    org.refresh_from_db()
    assert not org.my_own_contracts_enabled


def test_the_contract_list_runs_a_constant_number_of_queries(
    admin_client, org, django_assert_max_num_queries
):
    org.my_own_contracts_enabled = True
    org.save()
    url = reverse("contract_list")
    admin_client.get(url)
    group = ContractGroupFactory(organization=org)
    for _ in range(3):
        ContractFactory(group=group)
    with django_assert_max_num_queries(12) as few:
        admin_client.get(url)
    for _ in range(20):
        ContractFactory(group=ContractGroupFactory(organization=org))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = admin_client.get(url).content.decode()
    assert html.count('data-testid="contract-row"') == 23


def test_the_contract_list_has_an_empty_state(admin_client, org):
    org.my_own_contracts_enabled = True
    org.save()
    html = admin_client.get(reverse("contract_list")).content.decode()
    assert 'data-testid="empty-state"' in html and "Default" in html


def test_contract_pages_send_an_org_without_the_feature_to_the_card(admin_client, org):
    response = admin_client.get(reverse("contract_list"))
    assert response.status_code == 302 and response["Location"] == reverse("job_boards")


@pytest.fixture
def enabled_admin_client(admin_client, enabled_org):
    return admin_client


def test_searching_boards_gives_a_listbox(enabled_admin_client, boards):
    response = enabled_admin_client.get(reverse("contract_channel_search"), {"q": "nauk"})
    html = response.content.decode()
    assert 'role="listbox"' in html and 'role="option"' in html
    assert f"?channel={boards['naukri'].pk}" in html and "Bayt" not in html
    page = enabled_admin_client.get(reverse("contract_add")).content.decode()
    assert 'hx-trigger="input changed delay:200ms' in page
    assert f'hx-get="{reverse("contract_channel_search")}"' in page


def _first_group(html: str) -> str:
    """The add form's first group choice: the default group (or the one to create)."""
    return re.search(r'<select name="group"[^>]*>\s*<option value="([^"]+)"', html).group(1)


def _add_form(client, channel, **fields):
    page = client.get(reverse("contract_add"), {"channel": channel.pk})
    assert page.status_code == 200, page.content.decode()[:500]
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.content.decode()).group(1)
    data = {"channel": channel.pk, "nonce": nonce, **fields}
    return page, data


def test_adding_a_contract_through_the_form(provider, enabled_admin_client, enabled_org, boards):
    page, data = _add_form(enabled_admin_client, boards["naukri"])
    html = page.content.decode()
    assert 'type="password" name="cred_password"' in html
    assert 'name="cred_username"' in html
    data.update(group="new", new_group_name="India", cred_username="acme", cred_password="pw-1234")

    response = enabled_admin_client.post(reverse("contract_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    contract = Contract.objects.get()
    assert contract.group.name == "India"

    # A double-clicked submit (same nonce) does not create a second contract.
    again = enabled_admin_client.post(reverse("contract_add"), data)
    assert again.status_code == 302
    assert Contract.objects.count() == 1


def test_a_feed_board_shows_the_organisations_feed_address_and_wants_it_confirmed(
    provider, enabled_admin_client, enabled_org
):
    """notes.md: a feed board's ads end "not processed", with no error, unless the customer's
    own feed address is registered on the board first; so Add contract shows that address
    (asked with the organisation's customer id) and sends followed_instructions."""
    jooble = ChannelFactory(provider_id=JOOBLE, name="Jooble", search_name="jooble")
    page, data = _add_form(enabled_admin_client, jooble)
    html = page.content.decode()
    feed = f"/_sandbox/feeds/{enabled_org.provider_customer_id}/{JOOBLE}.xml"
    assert re.search(rf'id="feed-url" value="[^"]*{re.escape(feed)}"', html)
    assert 'name="followed_instructions"' in html
    data.update(group="new", new_group_name="Feeds", cred_api_key="k-12345")

    unconfirmed = enabled_admin_client.post(reverse("contract_add"), data)
    assert unconfirmed.status_code == 400
    assert 'id="id_followed_instructions_error"' in unconfirmed.content.decode()
    assert not Contract.objects.exists()

    confirmed = enabled_admin_client.post(
        reverse("contract_add"), {**data, "followed_instructions": "on"}
    )
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
    contract = Contract.objects.get()
    remote = provider_client(org=enabled_org).get_contract(contract.provider_contract_id)
    assert remote.channel_id == JOOBLE


def test_a_board_without_a_feed_shows_no_feed_address(provider, enabled_admin_client, boards):
    page, _ = _add_form(enabled_admin_client, boards["naukri"])
    assert 'data-testid="feed-address"' not in page.content.decode()


def test_a_rejected_credential_is_shown_at_its_field(provider, enabled_admin_client, boards):
    _, data = _add_form(enabled_admin_client, boards["naukri"])
    data.update(group="new", new_group_name="India", cred_username="acme", cred_password="wrong")
    response = enabled_admin_client.post(reverse("contract_add"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_cred_password_error"' in html
    assert "wrong" not in html  # the typed secret is not sent back
    assert not Contract.objects.exists()


def test_a_duplicate_board_in_a_group_is_refused_with_a_message(
    provider, enabled_admin_client, enabled_org, boards
):
    _, data = _add_form(enabled_admin_client, boards["bayt"])
    group_id = _first_group(_add_form(enabled_admin_client, boards["bayt"])[0].content.decode())
    data.update(group=group_id, cred_api_key="key-one", alias="First")
    assert enabled_admin_client.post(reverse("contract_add"), data).status_code == 302

    _, data = _add_form(enabled_admin_client, boards["bayt"])
    data.update(group=group_id, cred_api_key="key-two")
    response = enabled_admin_client.post(reverse("contract_add"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "First" in html and "another group" in html
    assert Contract.objects.count() == 1


def test_the_group_list_says_which_groups_already_hold_the_board(
    enabled_admin_client, enabled_org, boards, provider
):
    gulf = ContractGroupFactory(organization=enabled_org, name="Gulf")
    held = ContractFactory(channel=boards["bayt"], group=gulf)
    free = ContractGroupFactory(organization=enabled_org, name="Europe")
    ContractFactory(channel=boards["naukri"], group=free)
    ContractFactory(channel=boards["naukri"], group__name="Elsewhere")  # another organisation
    html = _add_form(enabled_admin_client, boards["bayt"])[0].content.decode()
    held_option = rf'<option value="{held.group.pk}"[^>]*>Gulf \(already holds a Bayt contract\)<'
    assert re.search(held_option, html), html
    assert re.search(rf'<option value="{free.pk}"[^>]*>Europe</option>', html)
    assert "choose a group that does not hold a Bayt contract yet" in html
    # Only this organisation's groups, each for the board chosen.
    other = _add_form(enabled_admin_client, boards["naukri"])[0].content.decode()
    assert "Europe (already holds a Naukri contract)" in other
    assert "Gulf (already" not in other and "Elsewhere" not in other


def test_provider_down_while_adding_says_so_and_keeps_the_form(
    provider, enabled_admin_client, boards
):
    _, data = _add_form(enabled_admin_client, boards["naukri"])
    data.update(group="new", new_group_name="India", cred_username="acme", cred_password="pw-1234")
    provider.add_fault(kind="error", method="POST", path="/igb/contracts/groups/", times=1)
    response = enabled_admin_client.post(reverse("contract_add"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "did not answer" in html and 'value="India"' in html
    assert not Contract.objects.exists()
    assert enabled_admin_client.post(reverse("contract_add"), data).status_code == 302


def test_the_edit_form_never_shows_stored_values(
    enabled_admin_client, enabled_org, provider, boards
):
    contract = ContractFactory(group__organization=enabled_org, channel=boards["naukri"])
    ContractCredentialFactory(
        contract=contract, name="username", kind="text", value="recruiter-ab12", last4="ab12"
    )
    ContractCredentialFactory(
        contract=contract, name="password", kind="secret", value="topsecret-9"
    )
    html = enabled_admin_client.get(reverse("contract_detail", args=[contract.pk])).content.decode()
    assert "ab12" in html and "recruiter-ab12" not in html
    assert "topsecret-9" not in html
    assert "A value is set" in html
    assert 'data-testid="audit-trail"' in html


def test_the_edit_page_says_whether_an_oauth_account_is_connected(
    enabled_admin_client, enabled_org, provider, boards
):
    contract = ContractFactory(group__organization=enabled_org, channel=boards["linkedin"])
    url = reverse("contract_detail", args=[contract.pk])
    assert 'text-bg-secondary">Not connected' in enabled_admin_client.get(url).content.decode()
    ContractCredentialFactory(contract=contract, name="access_token", kind="oauth", value="t")
    assert 'text-bg-success">Connected' in enabled_admin_client.get(url).content.decode()


def test_deleting_a_contract_in_use_names_the_campaigns(
    enabled_admin_client, enabled_org, monkeypatch
):
    contract = ContractFactory(group__organization=enabled_org)
    monkeypatch.setattr(
        contracts_service, "LIVE_USE_CHECKS", [lambda c: ["Live campaign “Data lead”."]]
    )
    html = enabled_admin_client.get(reverse("contract_delete", args=[contract.pk])).content.decode()
    assert "Data lead" in html
    response = enabled_admin_client.post(
        reverse("contract_delete", args=[contract.pk]), follow=True
    )
    assert "Data lead" in response.content.decode()
    assert Contract.objects.filter(pk=contract.pk).exists()


# --- OAuth connect ---------------------------------------------------------------------------


def _start_oauth(client, boards):
    _, data = _add_form(client, boards["linkedin"])
    data.update(group=data.get("group", ""), alias="LinkedIn main", connect="access_token")
    response = client.post(reverse("contract_oauth_start"), data)
    assert response.status_code == 302
    consent = response["Location"]
    callback = parse_qs(urlsplit(consent).query)["callbackUrl"][0]
    return consent, callback


def test_oauth_connect_stores_the_token_and_adds_the_contract(
    provider, enabled_admin_client, enabled_org, boards
):
    consent, callback = _start_oauth(enabled_admin_client, boards)
    assert consent.startswith(provider.url + "/_sandbox/oauth/consent?channel_id=1004")
    # The admin allows access on the board's consent page, which sends them back.
    back = sandbox_consent(provider, LINKEDIN, callback)
    token = parse_qs(back.query)["hash"][0]
    response = enabled_admin_client.get(f"{back.path}?{back.query}")
    assert response.status_code == 302
    form_page = enabled_admin_client.get(response["Location"])
    html = form_page.content.decode()
    assert 'data-testid="oauth-connected"' in html and 'value="LinkedIn main"' in html
    assert token not in html

    nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
    draft = re.search(r'name="draft" value="([^"]+)"', html).group(1)
    group = _first_group(html)
    response = enabled_admin_client.post(
        reverse("contract_add"),
        {
            "channel": boards["linkedin"].pk,
            "nonce": nonce,
            "draft": draft,
            "group": group,
            "alias": "LinkedIn main",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contract = Contract.objects.get()
    assert contract.channel == boards["linkedin"]
    # The state is single-use.
    reused = enabled_admin_client.get(f"{back.path}?{back.query}")
    assert reused.status_code == 400 and "not valid" in reused.content.decode()


def test_oauth_callback_refuses_unknown_and_foreign_states(
    provider, enabled_admin_client, enabled_org, boards, org
):
    _, callback = _start_oauth(enabled_admin_client, boards)
    path = urlsplit(callback).path
    # Another admin's session (same organisation) presents the state: refused.
    other = Client()
    other.force_login(AdminMembershipFactory(organization=org).user)
    foreign = other.get(path, {"hash": "sbx-token"})
    assert foreign.status_code == 400 and "not valid" in foreign.content.decode()

    unknown = enabled_admin_client.get(
        reverse("contract_oauth_callback", args=["made-up-state"]), {"hash": "t"}
    )
    assert unknown.status_code == 400
    # No answer in the query: the page that reads the fragment, with the state not spent.
    page = enabled_admin_client.get(path)
    assert page.status_code == 200 and 'data-testid="oauth-return"' in page.content.decode()
    assert "js/oauth_return.js" in page.content.decode() and "<script>" not in page.content.decode()
    # It posts nothing (no fragment either): not connected, and the form is kept.
    empty = enabled_admin_client.post(path, {"hash": ""})
    assert empty.status_code == 302 and "draft=" in empty["Location"]
    kept = enabled_admin_client.get(empty["Location"]).content.decode()
    assert "did not confirm" in kept and 'value="LinkedIn main"' in kept
    assert 'data-testid="oauth-connected"' not in kept
    assert enabled_admin_client.post(path, {"hash": "t"}).status_code == 400  # spent
    assert not ContractEvent.objects.exists()


def test_oauth_token_from_the_fragment_is_posted_once(
    provider, enabled_admin_client, enabled_org, boards
):
    provider.oauth_fragment()
    _, callback = _start_oauth(enabled_admin_client, boards)
    back = sandbox_consent(provider, LINKEDIN, callback)
    token = parse_qs(back.fragment)["hash"][0]
    assert not back.query  # nothing reaches the server but the path
    assert enabled_admin_client.get(back.path).status_code == 200  # the fragment reader
    # What js/oauth_return.js posts (the browser test runs the script itself).
    response = enabled_admin_client.post(back.path, {"hash": token})
    assert response.status_code == 302
    html = enabled_admin_client.get(response["Location"]).content.decode()
    assert 'data-testid="oauth-connected"' in html and token not in html
    again = enabled_admin_client.post(back.path, {"hash": token})
    assert again.status_code == 400 and "not valid" in again.content.decode()


def test_denying_consent_keeps_the_add_contract_form(
    provider, enabled_admin_client, enabled_org, boards
):
    _, callback = _start_oauth(enabled_admin_client, boards)
    denied = requests.post(
        f"{provider.url}/_sandbox/oauth/consent",
        data={"channel_id": LINKEDIN, "callbackUrl": callback, "decision": "deny"},
        allow_redirects=False,
        timeout=10,
    )
    back = urlsplit(denied.headers["Location"])
    assert parse_qs(back.query) == {"error": ["access_denied"]}
    response = enabled_admin_client.get(f"{back.path}?{back.query}")
    assert response.status_code == 302 and "draft=" in response["Location"]
    html = enabled_admin_client.get(response["Location"]).content.decode()
    assert 'value="LinkedIn main"' in html and "did not confirm" in html
    assert 'data-testid="oauth-connected"' not in html
    assert not Contract.objects.exists()


def test_a_connection_sealed_with_a_removed_key_asks_to_connect_again(
    provider, enabled_admin_client, enabled_org, boards, settings
):
    settings.CREDENTIAL_KEYS = f"old:{Fernet.generate_key().decode()}"
    _, callback = _start_oauth(enabled_admin_client, boards)
    back = enabled_admin_client.get(urlsplit(callback).path, {"hash": "sbx-oauth-token"})
    html = enabled_admin_client.get(back["Location"]).content.decode()
    settings.CREDENTIAL_KEYS = f"new:{Fernet.generate_key().decode()}"  # "old" was dropped
    response = enabled_admin_client.post(
        reverse("contract_add"),
        {
            "channel": boards["linkedin"].pk,
            "nonce": re.search(r'name="nonce" value="([^"]+)"', html).group(1),
            "draft": re.search(r'name="draft" value="([^"]+)"', html).group(1),
            "group": _first_group(html),
        },
    )
    assert response.status_code == 400
    assert "Connect your account again" in response.content.decode()
    assert not Contract.objects.exists()
