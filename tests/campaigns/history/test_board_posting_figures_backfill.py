"""Migration campaigns/0007 backfills the postings' roll-up (BoardPostingFigures) with its own
frozen copy of the service's arithmetic, through the historical models of its time: on the
same postings, of every kind, it gives exactly the rows of the live service.

Should this fail after a deliberate change to ``campaigns.services.board_posting_figures``,
leave the migration as it is (databases already migrated hold what it computed): recompute
the roll-up in a new data migration, with its own copy, and make this test compare the
service with that one.
"""

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from campaigns.models import BoardPostingFigures, Posting, PostingStatus
from campaigns.services.board_posting_figures import (
    CONTRIBUTION_FIELDS,
    board_posting_figures_rebuild,
    posting_figures_rows,
)
from tests.campaigns.factories import PostingFactory
from tests.contracts.factories import ContractFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

MIGRATION = ("campaigns", "0007_board_posting_figures")
backfill_migration = importlib.import_module(f"{MIGRATION[0]}.migrations.{MIGRATION[1]}")
FIGURES = ("postings", "published", "clicks", "timed", "milliseconds")


def historical_apps():
    """The models as migration 0007 sees them (the state after it), not today's."""
    return MigrationLoader(connection).project_state(MIGRATION).apps


def all_rows() -> set[tuple]:
    return set(
        BoardPostingFigures.objects.values_list(
            "organization_id", "kind", "day", "contract_key", "board_name", *FIGURES
        )
    )


@pytest.fixture
def postings_of_every_kind(org, other_org):
    """Published, online, offline (in the past, just after a UTC midnight), never published
    (with clicks that must not count), online without a publication date, offline before
    or at its publication date, failed, without a contract (deleted), several on one board and day
    (their figures add up), two boards and two organisations."""
    now = timezone.now()
    midnight = datetime.combine(now.astimezone(UTC).date(), datetime.min.time(), tzinfo=UTC)
    indeed = ContractFactory(group__organization=org, channel__name="Indeed")
    welcome = ContractFactory(group__organization=org, channel__name="Welcome")
    elsewhere = ContractFactory(group__organization=other_org, channel__name="Indeed")
    days = timedelta(days=1)
    kinds = [  # contract, status, clicks, ordered, published, offline (before now)
        (indeed, PostingStatus.ONLINE, 7, 100 * days, 95 * days, None),
        (indeed, PostingStatus.ONLINE, 3, 100 * days, 95 * days, None),  # same buckets
        (indeed, PostingStatus.OFFLINE, 11, 80 * days, 78 * days, 50 * days),
        (indeed, PostingStatus.OFFLINE, 5, 3 * days, 2 * days, now - midnight),  # at 00:00
        (indeed, PostingStatus.OFFLINE, 2, 12 * days, 2 * days, 4 * days),  # before its start
        (indeed, PostingStatus.SUBMITTED, 9, 5 * days, None, None),  # clicks not counted
        (indeed, PostingStatus.IN_PROGRESS, 0, 1 * days, None, None),
        (welcome, PostingStatus.ONLINE, 4, 6 * days, None, None),  # online, no date
        (welcome, PostingStatus.FAILED, 1, 8 * days, None, None),
        (welcome, PostingStatus.OFFLINE, 2, 7 * days, 3 * days, 3 * days),  # online no time
        (welcome, PostingStatus.OFFLINE, 6, 30 * days, None, 10 * days),  # never published
        (None, PostingStatus.OFFLINE, 8, 40 * days, 39 * days, 20 * days),  # board deleted
        (None, PostingStatus.ONLINE, 2, 9 * days, 8 * days, None),
        (elsewhere, PostingStatus.ONLINE, 12, 20 * days, 19 * days, None),
        (elsewhere, PostingStatus.OFFLINE, 3, 20 * days, 19 * days, timedelta(seconds=1)),
    ]
    for contract, status, clicks, ordered, published, offline in kinds:
        organization = contract.group.organization if contract else org
        posting = PostingFactory(
            campaign__job__organization=organization,
            contract=contract,
            channel=contract.channel if contract else None,
            provider_contract_id=contract.provider_contract_id if contract else "deleted",
            status=status,
            clicks=clicks,
        )
        Posting.objects.filter(pk=posting.pk).update(
            created_at=now - ordered,
            published_at=None if published is None else now - published,
            offline_at=None if offline is None else now - offline,
        )
    assert Posting.objects.count() == len(kinds)


def test_the_frozen_arithmetic_gives_the_services_rows(postings_of_every_kind):
    live = posting_figures_rows(Posting.objects.only(*CONTRIBUTION_FIELDS))
    HistoricalPosting = historical_apps().get_model("campaigns", "Posting")
    frozen = backfill_migration.posting_figures_rows(
        HistoricalPosting.objects.only(*CONTRIBUTION_FIELDS)
    )
    assert {BoardPostingFigures.ENDS, BoardPostingFigures.STARTS} == {key[1] for key in live}
    assert len(live) > 15  # many buckets, several with more than one posting
    assert dict(frozen) == dict(live)


def test_the_backfill_writes_the_rows_of_a_rebuild(postings_of_every_kind, org, other_org):
    for organization in (org, other_org):
        board_posting_figures_rebuild(org_id=organization.pk)
    rebuilt = all_rows()
    BoardPostingFigures.objects.all().delete()
    # The function runs through the historical models it is given; it uses no schema editor.
    backfill_migration.backfill(historical_apps(), None)
    assert all_rows() == rebuilt
