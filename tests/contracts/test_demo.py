import logging

import pytest
from django.test import Client
from django.urls import reverse

from accounts import demo as accounts_demo
from accounts.models import Organization, User
from contracts import demo
from contracts.access import AccessState, my_own_contracts_state
from contracts.health import HealthState, contract_health
from contracts.models import Contract, ContractCredential, ContractStatus, CredentialKind
from contracts.services.credentials import contract_credentials_reveal
from contracts.tasks import sync_demo_contracts
from distribution.client import provider_client
from tests.fixtures.sandbox import SESSION_ARGS, SandboxProcess

pytestmark = pytest.mark.django_db


def _seed(django_capture_on_commit_callbacks, execute=False):
    with django_capture_on_commit_callbacks(execute=execute) as callbacks:
        accounts_demo.seed(log=lambda m: None)
        demo.seed(log=lambda m: None)
    return callbacks


def test_demo_data_is_idempotent_and_queues_the_registration(django_capture_on_commit_callbacks):
    callbacks = _seed(django_capture_on_commit_callbacks)
    _seed(django_capture_on_commit_callbacks)

    acme = Organization.objects.get(slug="acme-talent")
    initech = Organization.objects.get(slug="initech")
    assert my_own_contracts_state(acme) == AccessState.ENABLED
    assert my_own_contracts_state(initech) == AccessState.NOT_ENABLED
    contracts = Contract.objects.for_org(acme)
    assert contracts.count() == 6
    assert contracts.values("group").distinct().count() == 3
    kinds = set(ContractCredential.objects.for_org(acme).values_list("kind", flat=True))
    assert kinds == {
        CredentialKind.TEXT,
        CredentialKind.SECRET,
        CredentialKind.OAUTH,
        CredentialKind.SELECT,
    }
    assert all(c.is_pending_registration for c in contracts)
    assert callbacks  # sync_demo_contracts is enqueued on commit


def test_the_sync_task_registers_the_demo_contracts_with_the_sandbox(
    provider, django_capture_on_commit_callbacks
):
    _seed(django_capture_on_commit_callbacks)
    acme = Organization.objects.get(slug="acme-talent")

    sync_demo_contracts.apply()

    contracts = list(Contract.objects.for_org(acme).select_related("group"))
    assert not any(c.is_pending_registration for c in contracts)
    remote = {c.contract_id: c for c in provider_client(org=acme).list_contracts().contracts}
    assert {c.provider_contract_id for c in contracts} == set(remote)
    india = next(c for c in contracts if c.group.name == "India")
    assert remote[india.provider_contract_id].group.id == india.group.provider_group_id

    sync_demo_contracts.apply()  # idempotent
    assert len(provider_client(org=acme).list_contracts().contracts) == 6
    assert contract_credentials_reveal(contract=india)["username"] == "acme-talent-india"


# --- another provider: boards found by name, refusals set aside ------------------------------

OFFSET = 70000


@pytest.fixture
def other_provider(provider, settings):
    """A sandbox that numbers its channels differently (same boards and names, ids + 70000),
    with the client pointed at it instead of the session's sandbox."""
    with SandboxProcess(*SESSION_ARGS, "--id-offset", str(OFFSET)) as other:
        settings.PROVIDER_BASE_URL = other.url
        settings.PROVIDER_TOKEN = other.token
        yield other


def test_demo_contracts_find_their_boards_by_name_at_another_provider(
    other_provider, django_capture_on_commit_callbacks, caplog
):
    _seed(django_capture_on_commit_callbacks)
    acme = Organization.objects.get(slug="acme-talent")

    sync_demo_contracts.apply()

    contracts = list(Contract.objects.for_org(acme).select_related("channel"))
    sandbox_ids = {name: provider_id for provider_id, name, *_ in demo.ACME_CONTRACTS}
    assert {c.channel.name: c.channel.provider_id for c in contracts} == {
        name: provider_id + OFFSET for name, provider_id in sandbox_ids.items()
    }
    # Every one registered; only the demo's refused one (a seeded board error) needs attention.
    assert {c.channel.name for c in contracts if c.status != ContractStatus.READY} == {"SEEK"}
    remote = provider_client(org=acme).list_contracts().contracts
    assert {c.contract_id for c in remote} == {c.provider_contract_id for c in contracts}
    assert {c.channel_id for c in remote} == {i + OFFSET for i in sandbox_ids.values()}


def test_a_board_the_other_provider_does_not_list_is_skipped_with_a_clear_line(
    other_provider, django_capture_on_commit_callbacks, caplog
):
    _seed(django_capture_on_commit_callbacks)
    # A catalogue in which no board has a demo board's name.
    other_provider.add_fault(
        method="GET",
        path="/products/channels/mocs/",
        kind="answer",
        body={"count": 0, "next": None, "previous": None, "results": []},
    )
    with caplog.at_level(logging.WARNING, logger="contracts.demo"):
        sync_demo_contracts.apply()

    contracts = list(Contract.objects.all())
    assert all(c.status == ContractStatus.NEEDS_ATTENTION for c in contracts)
    assert all(c.is_pending_registration for c in contracts)
    bayt = next(c for c in contracts if c.alias == "Bayt – Dubai")
    assert bayt.provider_errors == ["The provider's catalogue lists no board named “Bayt”."]
    lines = [r.getMessage() for r in caplog.records]
    assert any("skipped" in line and "no board named “Bayt”" in line for line in lines), lines
    # Nothing was written at the provider.
    acme = Organization.objects.get(slug="acme-talent")
    assert provider_client(org=acme).list_contracts().contracts == []


def test_a_refused_demo_contract_needs_attention_and_is_not_retried(
    other_provider, django_capture_on_commit_callbacks
):
    _seed(django_capture_on_commit_callbacks)
    other_provider.add_fault(
        method="POST",
        path="^/contracts/?$",
        kind="answer",
        status=400,
        body={"credentials": {"api_key": ["This account is closed."]}},
    )
    sync_demo_contracts.apply()
    contracts = list(Contract.objects.all())
    assert all(c.status == ContractStatus.NEEDS_ATTENTION for c in contracts)
    assert all(c.provider_errors for c in contracts)
    tried = other_provider.faults()[0]["triggered"]
    assert tried == len(demo.ACME_CONTRACTS)  # one creation call per contract

    sync_demo_contracts.apply()  # a later start: the refused ones are not tried again
    assert other_provider.faults()[0]["triggered"] == tried

    # The admin sees them as needing attention, with the provider's reason.
    admin = Client()
    admin.force_login(User.objects.get(email="admin@acme.test"))
    html = admin.get(reverse("contract_list")).content.decode()
    assert html.count("Needs attention") >= 3 and "This account is closed." in html
    assert "Being registered with the provider" not in html


def test_the_demo_shows_every_health_state_with_prices(
    provider, django_capture_on_commit_callbacks
):
    _seed(django_capture_on_commit_callbacks)
    acme = Organization.objects.get(slug="acme-talent")
    sync_demo_contracts.apply()

    contracts = list(Contract.objects.for_org(acme).select_related("channel"))
    health = {c.channel.name: contract_health(c) for c in contracts}
    assert health["Naukri"].state == HealthState.EXPIRING and health["Naukri"].days_left == 10
    assert health["Computrabajo"].state == HealthState.EXPIRED
    assert health["Totaljobs"].state == HealthState.OUT_OF_CREDITS
    assert health["SEEK"].state == HealthState.NEEDS_ATTENTION
    assert health["LinkedIn"].state == HealthState.READY
    assert sum(c.purchase_price_amount is not None for c in contracts) >= 5
    # The terms were sent to the provider at registration.
    remote = {c.contract_id: c for c in provider_client(org=acme).list_contracts().contracts}
    naukri = next(c for c in contracts if c.channel.name == "Naukri")
    assert remote[naukri.provider_contract_id].expiry_date == naukri.expiry_date
    assert remote[naukri.provider_contract_id].purchase_price_currency == "EUR"
