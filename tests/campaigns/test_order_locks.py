"""An order and a status change on the same board, at the same moment, never deadlock.

Both write the Performance page's roll-up row of that board (``BoardPostingFigures``) and
insert rows that reference the organisation, whose foreign-key checks PostgreSQL runs at
COMMIT (Django's constraints are deferred). The order used to lock the organisation's row
FOR UPDATE (``select_for_update`` with ``select_related``): the status change, holding the
roll-up row, then waited at COMMIT for the order, which waited for the roll-up row.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from campaigns.models import EventSource, Posting, PostingStatus
from campaigns.services.ordering import campaign_order, draft_add_contracts, draft_save
from campaigns.services.status import posting_apply_status
from tests.campaigns.conftest import target_group_values
from tests.campaigns.sandbox_setup import INDEED, place_order, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _lock_waits() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def test_an_order_waits_for_a_status_change_on_its_board_and_both_commit(
    provider, enabled_org, recruiter
):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL's row locks (DATABASE_URL)")
    group = ContractGroupFactory(organization=enabled_org)
    job = sandbox_job(enabled_org, recruiter)
    indeed = sandbox_contract(enabled_org, group, INDEED)
    first = Posting.objects.get(campaign=place_order(job, recruiter, [indeed]))
    draft = draft_add_contracts(
        org=enabled_org, by=recruiter, job_id=job.pk, contract_ids=[indeed.pk]
    )
    draft = draft_save(
        draft=draft, values=target_group_values(job, recruiter), requirements={}, complete=True
    )

    status_holds_the_row, status_may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def status_change():
        try:
            with transaction.atomic():
                posting_apply_status(
                    posting=first, status=PostingStatus.ONLINE, source=EventSource.POLL
                )
                status_holds_the_row.set()
                assert status_may_commit.wait(30)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    def order():
        try:
            campaign_order(org=enabled_org, by=recruiter, draft_id=draft.pk)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    status_thread = threading.Thread(target=status_change)
    status_thread.start()
    assert status_holds_the_row.wait(30)
    order_thread = threading.Thread(target=order)
    order_thread.start()
    # The order now waits for the status change's roll-up row; let the status change commit.
    for _ in range(300):
        if _lock_waits():
            break
        order_thread.join(0.05)
    status_may_commit.set()
    status_thread.join(60)
    order_thread.join(60)

    assert not errors, errors
    assert Posting.objects.filter(campaign__job=job).count() == 2
    first.refresh_from_db()
    assert first.status == PostingStatus.ONLINE
