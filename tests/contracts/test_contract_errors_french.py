"""A contract's errors from the provider in the reader's language, against the sandbox
process: the provider words them per Accept-Language, we read them in English and, when
they are new to us, once more in French, and show each reader theirs."""

import pytest
from django.urls import reverse
from django.utils import translation

from contracts.services.contracts import contract_update
from contracts.services.notices import contract_health_observe
from contracts.services.refresh import contract_check, contracts_refresh_org
from notifications.models import Notification
from tests.contracts.conftest import naukri_contract

pytestmark = pytest.mark.django_db

REFUSED = {
    "en": "Invalid credentials: the board refused the login.",
    "fr": "Identifiants invalides : le site a refusé la connexion.",
}
CLOSED = {"en": "The board closed this account.", "fr": "Le site a fermé ce compte."}


def _single_reads(provider) -> int:
    return len(
        [q for q in provider.queries if q[0] == "GET" and q[1].startswith("/contracts/single/")]
    )


def _lists(provider) -> int:
    return len([q for q in provider.queries if q[0] == "GET" and q[1] == "/contracts/"])


def test_a_refused_contract_shows_its_error_in_the_readers_language(
    provider, admin_client, enabled_org, admin, boards
):
    contract = naukri_contract(enabled_org, admin, boards)
    provider.set_contract_errors(contract.provider_contract_id, [REFUSED])
    # follow: the Check now message is read here, in English, not on the French page
    admin_client.post(reverse("contract_check", args=[contract.pk]), follow=True)

    contract.refresh_from_db()
    assert contract.provider_errors == [REFUSED["en"]]
    assert contract.provider_errors_fr == [REFUSED["fr"]]
    for url in (reverse("contract_detail", args=[contract.pk]), reverse("contract_list")):
        french = admin_client.get(url, headers={"accept-language": "fr"}).text
        english = admin_client.get(url, headers={"accept-language": "en"}).text
        assert REFUSED["fr"] in french and REFUSED["en"] not in french, url
        assert REFUSED["en"] in english and REFUSED["fr"] not in english, url


def test_a_healthy_contract_costs_no_extra_call(provider, admin_client, enabled_org, admin, boards):
    contract = naukri_contract(enabled_org, admin, boards)
    assert _single_reads(provider) == 0  # created without errors: nothing read again
    lists = _lists(provider)

    admin_client.post(reverse("contract_check", args=[contract.pk]))
    contracts_refresh_org(org=enabled_org)

    assert _single_reads(provider) == 1  # Check now: one read
    assert _lists(provider) - lists == 1  # the daily refresh: one list page
    contract.refresh_from_db()
    assert contract.provider_errors == [] and contract.provider_errors_fr == []


def test_errors_that_change_get_their_french_read_again(provider, enabled_org, admin, boards):
    contract = naukri_contract(enabled_org, admin, boards)
    provider.set_contract_errors(contract.provider_contract_id, [REFUSED])
    contract_check(contract=contract)
    assert _single_reads(provider) == 2  # in English, then once more in French
    contract_check(contract=contract)
    assert _single_reads(provider) == 3  # the same errors: their French is held already

    provider.set_contract_errors(contract.provider_contract_id, [CLOSED])
    contract_check(contract=contract)
    assert _single_reads(provider) == 5
    contract.refresh_from_db()
    assert contract.provider_errors_fr == [CLOSED["fr"]]

    # The daily refresh: one list page, and one more in French only for errors new to us.
    lists = _lists(provider)
    contracts_refresh_org(org=enabled_org)
    assert _lists(provider) - lists == 1
    provider.set_contract_errors(contract.provider_contract_id, [REFUSED, CLOSED])
    contracts_refresh_org(org=enabled_org)
    assert _lists(provider) - lists == 3
    contract.refresh_from_db()
    assert contract.provider_errors == [REFUSED["en"], CLOSED["en"]]
    assert contract.provider_errors_fr == [REFUSED["fr"], CLOSED["fr"]]

    provider.set_contract_errors(contract.provider_contract_id, [])
    contracts_refresh_org(org=enabled_org)
    assert _lists(provider) - lists == 4  # ready again: no French to ask for
    contract.refresh_from_db()
    assert contract.provider_errors == [] and contract.provider_errors_fr == []
    assert _single_reads(provider) == 5


def test_an_update_that_brings_errors_reads_their_french(provider, enabled_org, admin, boards):
    contract = naukri_contract(enabled_org, admin, boards)
    provider.set_contract_errors(contract.provider_contract_id, [CLOSED])
    contract_update(contract=contract, by=admin, alias="Naukri – Bangalore")
    contract.refresh_from_db()
    assert contract.provider_errors == [CLOSED["en"]]
    assert contract.provider_errors_fr == [CLOSED["fr"]]


def test_the_email_words_the_errors_in_its_own_language(
    provider, enabled_org, admin, boards, settings
):
    contract = naukri_contract(enabled_org, admin, boards)
    provider.set_contract_errors(contract.provider_contract_id, [REFUSED])
    settings.LANGUAGE_CODE = "fr"  # the language emails are written in
    with translation.override("en"):  # the check itself runs in English
        contract_check(contract=contract)

    body = Notification.objects.get(key__contains=":needs-attention:").body
    assert REFUSED["fr"] in body and REFUSED["en"] not in body
    with translation.override("fr"):  # the same errors seen in French are no new notice
        assert not contract_health_observe(contract=contract)
