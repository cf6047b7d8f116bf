"""Search across the authority (issue 15 item 3): any part of a child's name or reference,
case and accents folded (``recorder.store.search_key``), in milliseconds on 50,000 children.

SQLite: ``child_search``, an FTS5 table with the trigram tokenizer holding each child's
folded name and reference under the child's id (its rowid), kept in step by triggers on
``child`` that call ``recorder_fold`` (registered on every connection of recorder's engine;
a connection without it cannot add or rename a child, rather than leave the index behind).
PostgreSQL: the ``pg_trgm`` extension, ``recorder_fold(text)`` in SQL and a GIN trigram index
on the folded name and reference of ``child`` (no table of its own: the index is the
database's to keep in step).

A change to the fold itself needs a migration of its own that rebuilds both.

Revision ID: 0016
Revises: 0015
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

#: the expression the PostgreSQL index is built on; services.search matches it exactly
PG_KEY = "recorder_fold(full_name || ' ' || reference)"


def upgrade() -> None:
    from recorder.store.search_key import postgresql_function

    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE child_search USING fts5(name, ref, tokenize = 'trigram')")
        fill = "VALUES (NEW.id, recorder_fold(NEW.full_name), recorder_fold(NEW.reference))"
        op.execute(
            "CREATE TRIGGER child_search_insert AFTER INSERT ON child FOR EACH ROW BEGIN "
            f"INSERT INTO child_search (rowid, name, ref) {fill}; END"
        )
        op.execute(
            "CREATE TRIGGER child_search_update AFTER UPDATE OF id, full_name, reference "
            "ON child FOR EACH ROW BEGIN "
            "DELETE FROM child_search WHERE rowid = OLD.id; "
            f"INSERT INTO child_search (rowid, name, ref) {fill}; END"
        )
        op.execute(
            "CREATE TRIGGER child_search_delete AFTER DELETE ON child FOR EACH ROW BEGIN "
            "DELETE FROM child_search WHERE rowid = OLD.id; END"
        )
        op.execute(
            "INSERT INTO child_search (rowid, name, ref) "
            "SELECT id, recorder_fold(full_name), recorder_fold(reference) FROM child"
        )
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(postgresql_function())
        op.execute(f"CREATE INDEX ix_child_search ON child USING gin (({PG_KEY}) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS child_search_{name}")
        op.execute("DROP TABLE IF EXISTS child_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_child_search")
        op.execute("DROP FUNCTION IF EXISTS recorder_fold(text)")
