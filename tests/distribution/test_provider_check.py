"""manage.py provider_check against the sandbox, in both of its profiles."""

import pytest
from django.core.management import CommandError, call_command

from distribution.client import ProviderClient
from distribution.messages import ContractRequest
from distribution.provider_check import CHECK_CUSTOMER
from tests.distribution.conftest import INDEED, make_order
from tests.fixtures.sandbox import both_profiles

pytestmark = pytest.mark.django_db


def run(capsys, *args) -> tuple[list[str], str | None]:
    """The command's lines, and the error it ended with (None when it passed)."""
    error = None
    try:
        call_command("provider_check", *args)
    except CommandError as failed:
        error = str(failed)
    return capsys.readouterr().out.splitlines(), error


def line_of(lines: list[str], call: str) -> str:
    return next(line for line in lines if line.split()[1:2] == call.split()[:1] and call in line)


@both_profiles
def test_a_conversation_with_writes_reports_no_deviation(provider, capsys):
    lines, error = run(capsys, "--write")
    assert error is None, "\n".join(lines)
    assert lines[-1] == "no deviation"
    contract = line_of(lines, "POST /contracts/")
    if provider.profile == "guides":
        assert "posting_requirements: a list of facets (the guides)" in contract
    else:
        assert "posting_requirements: an object of labels (the OpenAPI document)" in contract
    assert "a bare list of 100 (more pages follow)" in line_of(lines, "GET /products/industries/")
    for call in ("DELETE /contracts/{contract_id}/", "DELETE /igb/contracts/groups/{group_idx}/"):
        assert line_of(lines, call).startswith("ok") and " 204 " in line_of(lines, call)
    # Nothing is left behind at the provider.
    check = ProviderClient(base_url=provider.url, token=provider.token, customer_id=CHECK_CUSTOMER)
    assert [g.idx for g in check.list_groups()] == [0]
    assert check.list_contracts().count == 0


def order_for_the_check_customer(provider):
    client = ProviderClient(base_url=provider.url, token=provider.token, customer_id=CHECK_CUSTOMER)
    contract = client.create_contract(
        ContractRequest(channel_id=INDEED, credentials={"api_key": "k-12345"})
    )
    client.order_campaign(make_order((contract, {})))


@both_profiles
def test_the_date_filter_is_checked_spelling_by_spelling(provider, capsys):
    order_for_the_check_customer(provider)
    lines, error = run(capsys)
    assert error is None, "\n".join(lines)
    honoured = line_of(lines, "date filter")
    if provider.profile == "guides":
        assert "honoured: modifiedOn_gte (the guides)" in honoured
        assert "→ 1: ignored" in line_of(lines, "GET /campaigns?modifiedOn.gte=")
    else:
        assert "honoured: modifiedOn.gte (the OpenAPI document)" in honoured
        assert "→ 1: ignored" in line_of(lines, "GET /campaigns?modifiedOn_gte=")


def test_a_service_that_ignores_the_date_filter_is_a_deviation(provider, capsys):
    order_for_the_check_customer(provider)
    provider.ignore_date_filters()
    lines, error = run(capsys)
    assert error == "1 call(s) deviate from the documentation or failed"
    assert line_of(lines, "date filter").startswith("DEVIATION")
    assert "neither modifiedOn_gte nor modifiedOn.gte is honoured" in line_of(lines, "date filter")


def test_a_wrong_token_stops_at_the_first_call(provider, settings, capsys):
    settings.PROVIDER_TOKEN = "not-the-token"
    lines, error = run(capsys)
    assert error is not None
    [header, authentication] = lines
    assert authentication.startswith("FAILED") and " 401 " in authentication
    assert "PROVIDER_TOKEN" in authentication and "not-the-token" not in authentication


def test_a_failing_call_is_reported_and_the_others_still_run(provider, capsys):
    provider.add_fault(kind="error", status=503, path="/igb/contracts/groups/", times=1)
    lines, error = run(capsys)
    assert error is not None
    assert line_of(lines, "GET /igb/contracts/groups/").startswith("FAILED")
    assert line_of(lines, "GET /campaigns").startswith("ok")
