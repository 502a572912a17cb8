"""The Performance page's roll-up of the postings themselves (``BoardPostingFigures``): how
many, published, clicks and time online per contract and board, in *ends* and *starts*
buckets (see the model).

``board_posting_figures_change`` is the one write path: ``campaign_order`` calls it for each
new posting and ``posting_apply_status`` for each change of a posting's state, in their
transaction, with the posting's contribution before and after (``posting_contribution``).
``board_posting_figures_rebuild`` computes one organisation's rows again from its postings
(for seeds that write postings around those paths). Migration ``campaigns/0007`` backfilled
the roll-up with a frozen copy of this arithmetic, not with this module: a change here does
not change what it computes (tests/campaigns/history/test_board_posting_figures_backfill.py
says when the two differ; the migration's copy stays as it is).
"""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction

from campaigns.models import BoardPostingFigures, Posting, PostingStatus

# The ends bucket of a posting that is not offline.
OPEN_DAY = date(9999, 12, 31)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FIGURES = ("postings", "published", "clicks", "timed", "milliseconds")

# Bucket key: (kind, day, contract_key, board_name); figures in the order of _FIGURES.
Contribution = dict[tuple[str, date, int, str], tuple[int, int, int, int, int]]


def milliseconds_since_epoch(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def _day(moment: datetime) -> date:
    """The bucket's day: UTC, the project's TIME_ZONE, in which the page's periods begin."""
    return moment.astimezone(UTC).date()


def posting_contribution(posting: Posting) -> Contribution:
    """What ``posting`` adds to the buckets, from its state only (never from the time of the
    call: what is added once must be what is removed later).

    Published (a publication date, or online): its clicks and time online count. Its time
    online runs from ``published_at`` (else ``created_at``) to ``offline_at``, or to the
    moment the page is read while it is not offline; a posting taken offline before it
    began has none (as the page's scan of the postings clips it at 0)."""
    key = (posting.contract_id or 0, posting.board_name)
    published = posting.published_at is not None or posting.status == PostingStatus.ONLINE
    begin = posting.published_at or posting.created_at
    end = posting.offline_at
    timed = published and (end is None or begin <= end)
    ends_day = _day(end) if end else OPEN_DAY
    contribution: Contribution = {
        (BoardPostingFigures.ENDS, ends_day, *key): (
            1,
            int(published),
            posting.clicks if published else 0,
            int(timed),
            milliseconds_since_epoch(end) if timed and end else 0,
        )
    }
    if timed:
        contribution[(BoardPostingFigures.STARTS, _day(begin), *key)] = (
            0,
            0,
            0,
            1,
            milliseconds_since_epoch(begin),
        )
    return contribution


_CHANGE_SQL = """
INSERT INTO {table} (organization_id, kind, day, contract_key, board_name, postings,
                     published, clicks, timed, milliseconds)
VALUES {values}
ON CONFLICT (organization_id, kind, day, contract_key, board_name) DO UPDATE
SET postings = {table}.postings + excluded.postings,
    published = {table}.published + excluded.published,
    clicks = {table}.clicks + excluded.clicks,
    timed = {table}.timed + excluded.timed,
    milliseconds = {table}.milliseconds + excluded.milliseconds
"""


def board_posting_figures_change(*, org_id: int, before: Contribution, after: Contribution) -> None:
    """Replace a posting's contribution ``before`` by ``after``: one statement adding the
    differences (nothing when they are equal)."""
    deltas: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(_FIGURES))
    for sign, contribution in ((-1, before), (1, after)):
        for key, figures in contribution.items():
            for index, value in enumerate(figures):
                deltas[key][index] += sign * value
    changed = [(key, figures) for key, figures in deltas.items() if any(figures)]
    if not changed:
        return
    params: list = []
    for (kind, day, contract_key, board_name), figures in changed:
        params += [org_id, kind, day, contract_key, board_name, *figures]
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(changed))
    sql = _CHANGE_SQL.format(table=BoardPostingFigures._meta.db_table, values=values)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def posting_figures_rows(postings) -> dict[tuple, list[int]]:
    """The buckets of ``postings`` (an iterable of rows with the posting's fields), summed."""
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(_FIGURES))
    for posting in postings:
        for key, figures in posting_contribution(posting).items():
            row = totals[(posting.organization_id, *key)]
            for index, value in enumerate(figures):
                row[index] += value
    return totals


CONTRIBUTION_FIELDS = (
    "organization",
    "contract",
    "board_name",
    "status",
    "published_at",
    "created_at",
    "offline_at",
    "clicks",
)


@transaction.atomic
def board_posting_figures_rebuild(*, org_id: int) -> int:
    """Replace the organisation's buckets by its postings' contributions; the rows written."""
    BoardPostingFigures.objects.filter(organization_id=org_id).delete()
    postings = (
        Posting.objects.filter(organization_id=org_id)
        .only(*CONTRIBUTION_FIELDS)
        .iterator(chunk_size=5000)
    )
    rows = [
        BoardPostingFigures(
            organization_id=organization_id,
            kind=kind,
            day=day,
            contract_key=contract_key,
            board_name=board_name,
            **dict(zip(_FIGURES, figures, strict=True)),
        )
        for (organization_id, kind, day, contract_key, board_name), figures in (
            posting_figures_rows(postings).items()
        )
    ]
    BoardPostingFigures.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
