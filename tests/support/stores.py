"""Stores for tests: migrated, with cheap password hashing, on SQLite or PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.clock import FrozenClock


def fast_hasher():
    """Cheap argon2id parameters keep the suite quick; production uses argon2-cffi's
    defaults. Only for stores that live for a test and hold no real data."""
    from recorder.services.accounts import Hasher

    return Hasher(time_cost=1, memory_cost=8, parallelism=1)


def open_services(url: str, clock=None, policy=None):
    """Services on an existing store (no migration)."""
    from recorder.domain.policy import Policy
    from recorder.services.core import Services
    from recorder.store.engine import make_engine

    return Services(
        engine=make_engine(url),
        policy=policy or Policy(),
        clock=clock or FrozenClock(),
        hasher=fast_hasher(),
    )


def make_services(url: str, clock=None, policy=None):
    """Services on a store migrated to the newest schema."""
    from recorder.store.migrate import upgrade

    svc = open_services(url, clock, policy)
    upgrade(svc.engine)
    return svc


def audit_events(svc, action: str) -> list:
    """Every audit event of ``action`` in the store, oldest first."""
    from sqlmodel import select

    from recorder.store.models import AuditEvent

    with svc.reading() as s:
        return list(
            s.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).all()
        )


def checkpoint(svc) -> None:
    """Fold a SQLite store's write-ahead log into its file, so that the file alone is the
    whole store (to be copied)."""
    with svc.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def copy_store(template: Path, path: Path) -> str:
    """A private copy of a finished SQLite store at ``path``; its URL. Copying a file costs
    a millisecond where building and migrating a store costs about a second."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


_commits_unflushed: set[str] = set()  # test databases whose commits skip the WAL flush


def _no_commit_flush(c, server_url) -> None:
    """Make the test database's later sessions commit without waiting for the WAL to reach
    the disk (``synchronous_commit = off``), once per database. Commits stay atomic and are
    seen by every other session at once; only a crash of the server itself could lose the
    last few, and no test crashes the server. The flush was about a quarter of the wall
    time of the PostgreSQL permission matrix (a test database is dropped at the end)."""
    from sqlalchemy import text

    name = server_url.database
    if name in _commits_unflushed:
        return
    quoted = c.dialect.identifier_preparer.quote(name)
    c.execute(text(f"ALTER DATABASE {quoted} SET synchronous_commit = off"))
    _commits_unflushed.add(name)


def fresh_pg_schema(server_url) -> str:
    """A new schema-free database per test: drop and recreate the public schema."""
    from sqlalchemy import create_engine, text

    eng = create_engine(server_url)
    with eng.begin() as c:
        _no_commit_flush(c, server_url)
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    eng.dispose()
    return server_url.render_as_string(hide_password=False)


# -- a migrated, empty PostgreSQL store per test, without migrating per test ------------------
# Migrating costs about half a second on PostgreSQL (a second under load), and most storage
# tests want only "a migrated, empty store". The database is migrated once; between tests its
# tables are emptied and its sequences restarted (the triggers that refuse a DELETE switched off
# for that one transaction: the tests connect as the server's superuser). A test that
# changed the schema itself (dropped a trigger, altered a table) leaves another fingerprint,
# and the next test gets the schema dropped and migrated again.

_FINGERPRINT = """
SELECT md5(concat_ws('|',
  (SELECT string_agg(table_name || '.' || column_name || ':' || data_type || ':'
                     || coalesce(column_default, '') || ':' || is_nullable,
                     ',' ORDER BY table_name, column_name)
     FROM information_schema.columns WHERE table_schema = 'public'),
  (SELECT string_agg(t.tgrelid::regclass::text || '.' || t.tgname || ':' || t.tgenabled::text
                     || ':' || md5(pg_get_triggerdef(t.oid)),
                     ',' ORDER BY t.tgrelid::regclass::text, t.tgname)
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace),
  (SELECT string_agg(p.proname || ':' || md5(p.prosrc), ',' ORDER BY p.proname, md5(p.prosrc))
     FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace),
  (SELECT string_agg(indexdef, ',' ORDER BY indexdef) FROM pg_indexes
     WHERE schemaname = 'public'),
  (SELECT string_agg(conname || ':' || pg_get_constraintdef(oid), ',' ORDER BY conname,
                     pg_get_constraintdef(oid))
     FROM pg_constraint WHERE connamespace = 'public'::regnamespace),
  (SELECT string_agg(version_num, ',' ORDER BY version_num) FROM alembic_version)
))
"""

_migrated: dict[str, str] = {}  # database URL -> fingerprint of its freshly migrated schema


def _fingerprint(conn) -> str | None:
    """A digest of the schema (columns, triggers, functions, indexes, constraints and the
    alembic revision); None when the database holds no migrated store."""
    from sqlalchemy import text

    if conn.execute(text("SELECT to_regclass('public.alembic_version')")).scalar() is None:
        return None
    return conn.execute(text(_FINGERPRINT)).scalar_one()


def emptied_pg_store(server_url) -> str:
    """The URL of a migrated PostgreSQL store with every table empty and every sequence
    restarted, as a newly migrated store is."""
    from sqlalchemy import create_engine, text

    url = server_url.render_as_string(hide_password=False)
    eng = create_engine(server_url)
    try:
        with eng.connect() as c:
            c.execute(text("SET lock_timeout = '5s'"))
            # a transaction a previous test left open (a worker thread, an undisposed engine)
            # could hold locks the DELETEs wait for; idle pooled connections are harmless
            c.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND state <> 'idle'"
                )
            )
            _no_commit_flush(c, server_url)
            c.commit()
            known = _migrated.get(url)
            if known is not None and _fingerprint(c) == known:
                tables = (
                    c.execute(
                        text(
                            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = "
                            "'public' AND tablename <> 'alembic_version' ORDER BY tablename"
                        )
                    )
                    .scalars()
                    .all()
                )
                # DELETE, not TRUNCATE: on a few rows it is many times quicker (TRUNCATE makes
                # new files for every table); replica mode skips the triggers and foreign keys
                c.execute(text("SET LOCAL session_replication_role = replica"))
                for table in tables:
                    c.execute(text(f"DELETE FROM {table}"))
                for seq in c.execute(
                    text(
                        "SELECT quote_ident(sequencename) FROM pg_sequences "
                        "WHERE schemaname = 'public'"
                    )
                ).scalars():
                    c.execute(text(f"ALTER SEQUENCE {seq} RESTART"))
                c.commit()
                return url
    finally:
        eng.dispose()
    fresh_pg_schema(server_url)
    make_services(url).engine.dispose()
    eng = create_engine(server_url)
    try:
        with eng.connect() as c:
            _migrated[url] = _fingerprint(c) or ""
    finally:
        eng.dispose()
    return url


def migrated_sqlite_template(folder: Path) -> Path:
    """A migrated, empty SQLite store at ``folder / "template.sqlite3"``, made once."""
    path = folder / "template.sqlite3"
    if not path.exists():
        svc = make_services(f"sqlite:///{path}")
        checkpoint(svc)
        svc.engine.dispose()
    return path
