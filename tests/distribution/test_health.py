"""The provider's health as the transport records it (distribution/health.py): a failure
starts an outage, any answer ends it, and people are told only after the notice delay."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction

from distribution.client import provider_client
from distribution.errors import ProviderNotFound, ProviderUnavailable
from distribution.health import provider_answered, provider_failed, provider_outage
from distribution.models import ProviderHealth
from tests.fixtures.tcp_proxy import TcpProxy, through

pytestmark = pytest.mark.django_db

CHANNELS = "/products/channels/mocs/"


def health() -> ProviderHealth | None:
    return ProviderHealth.objects.first()


def test_a_refused_connection_starts_an_outage_and_an_answer_ends_it(provider, settings):
    settings.PROVIDER_OUTAGE_NOTICE_SECONDS = 0
    with TcpProxy.towards(provider.url) as proxy:
        settings.PROVIDER_BASE_URL = through(provider.url, proxy)
        proxy.cut()
        for _ in range(2):
            with pytest.raises(ProviderUnavailable):
                provider_client().list_channels(limit=1)
        recorded = health()
        assert recorded.failing_since is not None
        assert recorded.failing_since < recorded.last_failure_at  # the first failure is kept
        assert "ConnectionError" in recorded.last_failure_reason
        assert provider_outage().since == recorded.failing_since

        proxy.restore()
        provider_client().list_channels(limit=1)
    assert health().failing_since is None and health().recovered_at is not None
    assert provider_outage() is None


def test_a_5xx_is_a_failure_and_a_refusal_is_an_answer(provider, settings):
    settings.PROVIDER_OUTAGE_NOTICE_SECONDS = 0
    provider.add_fault(kind="error", status=503, path=CHANNELS, times=1)
    with pytest.raises(ProviderUnavailable):
        provider_client().list_channels(limit=1)
    assert "HTTP 503" in health().last_failure_reason
    assert provider_outage() is not None
    with pytest.raises(ProviderNotFound):
        provider_client().get_channel(999_999)  # a 404: the provider is there
    assert provider_outage() is None


def test_people_are_told_only_once_the_notice_delay_has_passed(provider, settings):
    settings.PROVIDER_OUTAGE_NOTICE_SECONDS = 60
    provider.add_fault(kind="error", status=502, path=CHANNELS, times=1)
    with pytest.raises(ProviderUnavailable):
        provider_client().list_channels(limit=1)
    since = health().failing_since
    assert provider_outage() is None  # one failure, just now: not worth telling
    assert provider_outage(now=since + timedelta(seconds=61)).since == since


@pytest.mark.timeout(30)  # a recording that waits hangs here until this fails the test
@pytest.mark.django_db(transaction=True)
def test_recording_never_waits_for_another_transaction_holding_the_row():
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serialises writers anyway")
    provider_failed(reason="GET /campaigns: ConnectionError")
    held, release = threading.Event(), threading.Event()

    def hold_the_row():  # another process's long transaction that recorded the same news
        try:
            with transaction.atomic():
                ProviderHealth.objects.select_for_update().get()
                held.set()
                release.wait(timeout=120)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row, daemon=True)
    holder.start()
    try:
        assert held.wait(timeout=10)
        # Waiting here would block until the holder commits, which waits for us: a hang.
        provider_answered()
        provider_failed(reason="GET /campaigns: ConnectionError")
    finally:
        release.set()
        holder.join()
    provider_answered()
    assert health().failing_since is None
