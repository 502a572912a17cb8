import pytest

from accounts import demo as accounts_demo
from accounts.models import Organization
from contracts import demo
from contracts.access import AccessState, my_own_contracts_state
from contracts.health import HealthState, contract_health
from contracts.models import Contract, ContractCredential, CredentialKind
from contracts.services.credentials import contract_credentials_reveal
from contracts.tasks import sync_demo_contracts
from distribution.client import provider_client

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
