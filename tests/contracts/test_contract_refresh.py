"""Issue 15: Check now, the daily refresh (one list page per organisation) and the admins'
emails, once per change, against the sandbox provider."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contracts.health import HealthState, contract_health
from contracts.models import Contract, ContractStatus
from contracts.services.contracts import contract_create
from contracts.services.notices import contract_health_observe
from contracts.services.refresh import GONE_AT_PROVIDER, contracts_refresh_org
from contracts.tasks import contracts_refresh_daily_task
from distribution.client import provider_client
from notifications.models import Notification
from tests.contracts.conftest import naukri_contract
from tests.contracts.factories import ContractFactory
from tests.factories import AdminMembershipFactory

pytestmark = pytest.mark.django_db


def _lists(provider) -> int:
    return len([q for q in provider.queries if q[0] == "GET" and q[1] == "/contracts/"])


def _single_reads(provider) -> int:
    return len(
        [q for q in provider.queries if q[0] == "GET" and q[1].startswith("/contracts/single/")]
    )


def test_check_now_reads_credits_and_errors(provider, admin_client, enabled_org, admin, boards):
    contract = naukri_contract(enabled_org, admin, boards, credits=5)
    provider.set_contract_credits(contract.provider_contract_id, 0)
    url = reverse("contract_check", args=[contract.pk])
    page = admin_client.get(reverse("contract_detail", args=[contract.pk])).content.decode()
    assert f'action="{url}"' in page and "Check now" in page

    response = admin_client.post(url, follow=True)
    contract.refresh_from_db()
    assert contract.credits == 0 and contract.checked_at is not None
    assert contract_health(contract).state == HealthState.OUT_OF_CREDITS
    html = response.content.decode()
    assert "Checked with the job-distribution provider just now: Out of credits." in html

    provider.set_contract_errors(contract.provider_contract_id, ["Invalid credentials"])
    admin_client.post(url)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.NEEDS_ATTENTION
    assert contract.provider_errors == ["Invalid credentials"]


def test_check_now_says_when_the_provider_is_down(
    provider, admin_client, enabled_org, admin, boards
):
    contract = naukri_contract(enabled_org, admin, boards, credits=5)
    provider.add_fault(kind="error", path="/contracts/single/", status=503, times=10)
    response = admin_client.post(reverse("contract_check", args=[contract.pk]), follow=True)
    assert "did not answer" in response.content.decode()
    contract.refresh_from_db()
    assert contract.credits == 5 and contract.checked_at is not None  # from the creation


def test_another_organisations_contract_is_a_404(admin_client, other_org):
    other = ContractFactory(group__organization=other_org)
    assert admin_client.post(reverse("contract_check", args=[other.pk])).status_code == 404


def test_the_daily_refresh_reads_one_list_page_per_organisation(
    provider, enabled_org, admin, boards, tasks_run_here
):
    naukri = naukri_contract(enabled_org, admin, boards, credits=5)
    bayt = contract_create(
        org=enabled_org,
        by=admin,
        channel=boards["bayt"],
        credentials={"api_key": "key-1234"},
        credits=2,
    )
    provider.set_contract_credits(naukri.provider_contract_id, 1)
    provider.set_contract_errors(bayt.provider_contract_id, ["The channel is not active anymore"])
    lists, singles = _lists(provider), _single_reads(provider)

    assert contracts_refresh_daily_task() == 1

    # One call for the organisation, not one per contract, and one more for the French words
    # of Bayt's new errors (contracts/test_contract_errors_french.py).
    assert _lists(provider) - lists == 2
    assert _single_reads(provider) == singles
    naukri.refresh_from_db()
    bayt.refresh_from_db()
    assert naukri.credits == 1
    assert bayt.provider_errors == ["The channel is not active anymore"]
    assert contract_health(bayt).state == HealthState.NEEDS_ATTENTION


def test_a_contract_gone_at_the_provider_needs_attention(provider, enabled_org, admin, boards):
    contract = naukri_contract(enabled_org, admin, boards)
    provider_client(org=enabled_org).delete_contract(contract.provider_contract_id)
    contracts_refresh_org(org=enabled_org)
    contract.refresh_from_db()
    assert contract.provider_errors == [GONE_AT_PROVIDER]
    gone_in_french = "Le fournisseur de diffusion ne connaît plus ce contrat."
    assert contract.provider_errors_fr == [gone_in_french]


# --- emails ----------------------------------------------------------------------------------


@pytest.fixture
def watched(org, django_capture_on_commit_callbacks, tasks_run_here):
    """A contract expiring on 30 June, its organisation's two admins, and a way to observe
    its health on a given day with the emails sent."""
    AdminMembershipFactory(organization=org)
    AdminMembershipFactory(organization=org)
    contract = ContractFactory(group__organization=org, expiry_date=datetime.date(2026, 6, 30))

    def observe(day: datetime.date, **changes) -> bool:
        if changes:
            Contract.objects.filter(pk=contract.pk).update(**changes)
        with django_capture_on_commit_callbacks(execute=True):
            return contract_health_observe(contract=contract, today=day)

    return contract, observe


def _subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def test_expiry_emails_are_sent_once_each(watched):
    contract, observe = watched
    assert not observe(datetime.date(2026, 6, 1))  # 29 days: nothing
    assert observe(datetime.date(2026, 6, 16))  # 14 days
    assert not observe(datetime.date(2026, 6, 17))  # still the same notice
    assert len(mail.outbox) == 2  # one per admin
    assert all("Expires in 14 days" in subject for subject in _subjects())
    assert observe(datetime.date(2026, 6, 27))  # 3 days
    assert not observe(datetime.date(2026, 6, 28))
    assert observe(datetime.date(2026, 7, 1))  # expired
    assert not observe(datetime.date(2026, 7, 2))
    assert len(mail.outbox) == 6
    assert sum("Expires in 3 days" in s for s in _subjects()) == 2
    assert sum(s.endswith("Expired") for s in _subjects()) == 2
    body = mail.outbox[-1].body
    assert "expired on" in body and f"/contracts/{contract.pk}/" in body
    assert (
        Notification.objects.filter(key__startswith=f"contract-health:{contract.pk}:").count() == 6
    )


def test_out_of_credits_is_sent_once_per_change(watched):
    contract, observe = watched
    day = datetime.date(2026, 6, 1)
    assert observe(day, credits=0)
    assert not observe(day)
    assert not observe(day, credits=3)  # topped up: ready again, nothing to say
    assert observe(day, credits=0)  # out again: a new change, a new email
    assert len(mail.outbox) == 4
    assert all("Out of credits" in subject for subject in _subjects())


def test_needs_attention_is_sent_once_with_the_providers_words(watched):
    contract, observe = watched
    day = datetime.date(2026, 6, 1)
    broken = {"status": ContractStatus.NEEDS_ATTENTION, "provider_errors": ["Invalid credentials"]}
    assert observe(day, **broken)
    assert not observe(day, **broken)
    assert len(mail.outbox) == 2
    assert "Needs attention" in mail.outbox[0].subject
    assert "Invalid credentials" in mail.outbox[0].body
    assert "Check now" in mail.outbox[0].body
    assert observe(day, provider_errors=["The channel is not active anymore"])  # a new problem
    assert len(mail.outbox) == 4


def test_check_now_announces_a_change_to_the_admins(
    provider,
    admin_client,
    enabled_org,
    admin,
    boards,
    django_capture_on_commit_callbacks,
    tasks_run_here,
):
    contract = naukri_contract(enabled_org, admin, boards, credits=3)
    provider.set_contract_credits(contract.provider_contract_id, 0)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("contract_check", args=[contract.pk]))
        admin_client.post(reverse("contract_check", args=[contract.pk]))
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert "Out of credits" in mail.outbox[0].subject


def test_a_contract_added_already_expiring_is_announced_once(
    provider, enabled_org, admin, boards, django_capture_on_commit_callbacks, tasks_run_here
):
    with django_capture_on_commit_callbacks(execute=True):
        contract = naukri_contract(
            enabled_org,
            admin,
            boards,
            expiry_date=timezone.localdate() + datetime.timedelta(days=10),
        )
    with django_capture_on_commit_callbacks(execute=True):
        contracts_refresh_org(org=enabled_org)  # the daily refresh: nothing new to say
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert "Expires in 10 days" in mail.outbox[0].subject
    assert contract.health_changes == 1
