"""The Performance page's roll-up (``BoardDayFigures``): views and applications per
contract, board and day, incremented where the career page counts them.

``board_day_figures_add`` is the one write path: ``jobs.services.job_view_record`` and
``application_create`` call it (through ``jobs.services.ATTRIBUTION_RECORDERS``, which this
app fills in ``AppConfig.ready()``: jobs never imports campaigns) in the same transaction as
the view counter or the application. ``board_day_figures_rebuild`` computes the same rows
again from the counters and applications, for data written around those paths (the
benchmark's and the demo's bulk seeds).
"""

import datetime

from django.db import connection, transaction

from campaigns.models import BoardDayFigures, Posting
from jobs.models import Application, JobViewCounter

# One statement: the posting carrying ``utm_content`` gives the contract and the board, and
# the day's row of that contract and board is created or incremented in place (concurrent
# views of one board wait for each other on that row only until their transaction ends).
# Nothing is written when no posting of the organisation carries that utm_content.
_ADD_SQL = """
INSERT INTO {figures} (organization_id, contract_key, board_name, day, views, applications)
SELECT p.organization_id, COALESCE(p.contract_id, 0), p.board_name, %(day)s, %(views)s,
       %(applications)s
FROM {posting} p
WHERE p.utm_content = %(utm_content)s AND p.organization_id = %(org)s
ON CONFLICT (organization_id, day, contract_key, board_name) DO UPDATE
SET views = {figures}.views + excluded.views,
    applications = {figures}.applications + excluded.applications
"""


def _tables() -> dict[str, str]:
    return {
        "figures": BoardDayFigures._meta.db_table,
        "posting": Posting._meta.db_table,
        "counter": JobViewCounter._meta.db_table,
        "application": Application._meta.db_table,
    }


def board_day_figures_add(
    *, org_id: int, utm_content: str, day: datetime.date, views: int = 0, applications: int = 0
) -> None:
    """Add ``views`` and ``applications`` on ``day`` to the board and contract of the posting
    whose ad carries ``utm_content`` (nothing when no posting does)."""
    if not utm_content:
        return
    params = {
        "org": org_id,
        "utm_content": utm_content,
        "day": day,
        "views": views,
        "applications": applications,
    }
    with connection.cursor() as cursor:
        cursor.execute(_ADD_SQL.format(**_tables()), params)


def _rebuild_sql(vendor: str) -> str:
    """All rows of one organisation, from its view counters and applications. An
    application's day is its creation's date in UTC (the project's TIME_ZONE, which the
    career page's ``timezone.localdate()`` uses too)."""
    application_day = (
        "(a.created_at AT TIME ZONE 'UTC')::date"
        if vendor == "postgresql"
        else "date(a.created_at)"
    )
    template = """
INSERT INTO {figures} (organization_id, contract_key, board_name, day, views, applications)
SELECT p.organization_id, COALESCE(p.contract_id, 0), p.board_name, x.day, SUM(x.views),
       SUM(x.applications)
FROM (
    SELECT c.utm_content, c.day, c.count AS views, 0 AS applications
    FROM {counter} c
    WHERE c.organization_id = %(org)s AND c.utm_content <> ''
    UNION ALL
    SELECT a.utm_content, {application_day}, 0, 1
    FROM {application} a
    WHERE a.organization_id = %(org)s AND a.utm_content <> ''
) x
JOIN {posting} p ON p.utm_content = x.utm_content AND p.organization_id = %(org)s
GROUP BY p.organization_id, COALESCE(p.contract_id, 0), p.board_name, x.day
"""
    return template.format(application_day=application_day, **_tables())


@transaction.atomic
def board_day_figures_rebuild(*, org_id: int) -> int:
    """Replace the organisation's roll-up by the sums of its view counters and applications;
    the number of rows written."""
    BoardDayFigures.objects.filter(organization_id=org_id).delete()
    with connection.cursor() as cursor:
        cursor.execute(_rebuild_sql(connection.vendor), {"org": org_id})
        return cursor.rowcount
