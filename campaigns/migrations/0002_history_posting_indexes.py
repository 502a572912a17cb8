"""Indexes of the admin History screen (campaigns/history/selectors.py).

Every sort of the list is ``ORDER BY <column>, created_at, id`` in one direction inside one
organisation, so each index below starts with ``organization_id`` and ends with the
tie-breakers: ``... ORDER BY ... LIMIT 25`` walks an index (forwards or backwards) instead of
sorting the organisation's 100,000 postings. Published/offline dates sort NULL ("not yet") as
the smallest value both ways, which ``DESC NULLS LAST`` serves read forwards and backwards.
The (organization_id, channel_id, ...) index also serves the job-board choices (a loose index
scan). They are created with SQL, not in the models' Meta, to leave the campaigns models to
their owner; SQLite gets the same indexes without the NULLS clause (NULL is already the
smallest value there).
"""

from django.db import migrations

POSTING = "campaigns_posting"
CAMPAIGN = "campaigns_campaign"
INDEXES = {
    "campaigns_hist_posting_created": (POSTING, "organization_id, created_at, id"),
    "campaigns_hist_posting_status": (POSTING, "organization_id, status, created_at, id"),
    "campaigns_hist_posting_channel": (POSTING, "organization_id, channel_id, created_at, id"),
    "campaigns_hist_posting_board": (POSTING, "organization_id, board_name, created_at, id"),
    "campaigns_hist_posting_clicks": (POSTING, "organization_id, clicks, created_at, id"),
    "campaigns_hist_posting_published": (
        POSTING,
        "organization_id, published_at DESC NULLS LAST, created_at DESC, id DESC",
    ),
    "campaigns_hist_posting_offline": (
        POSTING,
        "organization_id, offline_at DESC NULLS LAST, created_at DESC, id DESC",
    ),
    "campaigns_hist_campaign_name": (CAMPAIGN, "organization_id, name, id"),
}


def create_indexes(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, (table, columns) in INDEXES.items():
        if not postgres:
            columns = columns.replace(" NULLS LAST", "")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
