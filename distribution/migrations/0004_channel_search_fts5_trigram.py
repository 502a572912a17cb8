"""Substring search over channel names stays fast at 30,000 rows on SQLite (the embedded
default) too: an FTS5 table with the ``trigram`` tokenizer over ``search_name``, the same idea
as the pg_trgm index of 0003 (PostgreSQL gets nothing here).

It is an *external content* table (it stores only the index; the names stay in
``distribution_channel``), kept in step by triggers on that table, so that every write path
(the catalogue sync's upserts, ``save()``, ``update()``, deletes, a test's flush) updates it
without knowing it exists. ``case_sensitive 1``: names and terms are both normalised already
(``distribution.services.normalize_search``), so a match is exactly a substring, as with LIKE.

Caution for later migrations of ``Channel`` on SQLite: Django rebuilds a table to alter most
of its columns, and dropping the old table drops these triggers. Such a migration must run
``CREATE_TRIGGERS`` again and ``REBUILD``; tests/distribution/test_channel_search.py fails
on SQLite if the index stops following the table.
"""

from django.db import migrations

TABLE = "distribution_channel_search"
CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_name, content='distribution_channel', "
    "content_rowid='id', tokenize='trigram case_sensitive 1')"
)
CREATE_TRIGGERS = [
    f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON distribution_channel BEGIN
        INSERT INTO {TABLE} (rowid, search_name) VALUES (new.id, new.search_name);
    END""",
    f"""CREATE TRIGGER {TABLE}_delete AFTER DELETE ON distribution_channel BEGIN
        INSERT INTO {TABLE} ({TABLE}, rowid, search_name)
        VALUES ('delete', old.id, old.search_name);
    END""",
    f"""CREATE TRIGGER {TABLE}_update AFTER UPDATE OF id, search_name ON distribution_channel
    WHEN old.id IS NOT new.id OR old.search_name IS NOT new.search_name BEGIN
        INSERT INTO {TABLE} ({TABLE}, rowid, search_name)
        VALUES ('delete', old.id, old.search_name);
        INSERT INTO {TABLE} (rowid, search_name) VALUES (new.id, new.search_name);
    END""",
]
REBUILD = f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(CREATE_TABLE)
    for statement in CREATE_TRIGGERS:
        schema_editor.execute(statement)
    schema_editor.execute(REBUILD)  # the channels mirrored before this migration


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{trigger}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("distribution", "0003_channel_search_trigram")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
