"""Substring search over channel names stays fast at 30,000 rows on PostgreSQL: a pg_trgm
GIN index serves ``search_name LIKE '%term%'``. Prefix search already has the
``varchar_pattern_ops`` index Django adds for ``db_index=True``. SQLite gets nothing here
(a scan of 30,000 short names is fast enough there)."""

from django.db import migrations

INDEX = "distribution_channel_search_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON distribution_channel "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("distribution", "0002_catalogue_sync_state")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
