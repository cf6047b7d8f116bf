"""Schema migrations with alembic, shipped inside the package.

``upgrade(engine)`` brings any store to the newest schema. For SQLite, the file is copied
(0600, beside it, named by the schema revision and time) before a migration that changes it.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", str(engine.url).replace("%", "%%"))
    return cfg


def head_revision(engine: Engine) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


#: pg_advisory_xact_lock key held while migrating (any constant unique to recorder's schema)
PG_MIGRATE_LOCK = 0x7265636D  # "recm"
#: how long a second ``recorder migrate`` waits for the first to finish
MIGRATE_LOCK_WAIT = "300s"


def upgrade(
    engine: Engine, revision: str = "head", found: list[str | None] | None = None
) -> Path | None:
    """Upgrade the schema; return the path of the SQLite copy taken first, if any.

    Two at once are safe: the upgrade runs in one transaction that first takes a lock
    (PostgreSQL: an advisory transaction lock; SQLite: the write lock, ``BEGIN IMMEDIATE``)
    and then reads the revision again, so the second finds the first's work done. The
    revision found under the lock is appended to ``found`` when given (nothing is appended
    when the store was already at the head before the lock)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    from recorder.store.engine import secure_sqlite_files, writer

    head = head_revision(engine)
    current = current_revision(engine)
    if current is not None and current == head and revision == "head":
        return None
    backup = _copy_sqlite_first(engine, current)
    cfg = _config(engine)
    with writer(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")  # may rewrite a big table
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{MIGRATE_LOCK_WAIT}'")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATE_LOCK})")
        now = MigrationContext.configure(conn).get_current_revision()
        if found is not None:
            found.append(now)
        if now is not None and now == head and revision == "head":
            return backup  # another recorder migrated it while this one waited
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    secure_sqlite_files(engine)
    return backup


def schema_status(engine: Engine) -> tuple[str | None, str, bool]:
    """(the store's revision, this recorder's head, whether the store's is one this recorder
    knows: False for a store migrated by a newer recorder)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_config(engine))
    current = current_revision(engine)
    known = current is None or any(s.revision == current for s in scripts.walk_revisions())
    return current, scripts.get_current_head() or "", known


def _copy_sqlite_first(engine: Engine, current: str | None) -> Path | None:
    from recorder.store.engine import sqlite_path

    path = sqlite_path(str(engine.url))
    if path is None or not path.exists() or path.stat().st_size == 0:
        return None
    if current is None and not inspect(engine).get_table_names():
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.name}.before-{current or 'unversioned'}-{stamp}")
    # a consistent copy even with a WAL: use SQLite's online backup
    import sqlite3

    src = sqlite3.connect(path)
    fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.chmod(dest, 0o600)
    return dest
