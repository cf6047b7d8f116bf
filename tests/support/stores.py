"""Stores for tests: migrated, with cheap password hashing, on SQLite or PostgreSQL."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
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
# tables are emptied and its sequences set back to their start (the triggers that refuse a
# DELETE switched off for that one transaction: the tests connect as the server's superuser).
# A test that changed the schema itself (dropped a trigger, altered a table, added a
# sequence) leaves another fingerprint, and the next test gets the schema dropped and
# migrated again.

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
  (SELECT string_agg(sequencename || ':' || start_value, ',' ORDER BY sequencename)
     FROM pg_sequences WHERE schemaname = 'public'),
  (SELECT string_agg(version_num, ',' ORDER BY version_num) FROM alembic_version)
))
"""


@dataclass(frozen=True)
class _Migrated:
    """A database's freshly migrated schema: its fingerprint, and the one statement that
    empties its tables and sets its sequences back (the schema is the same while the
    fingerprint is, so they are looked up once)."""

    fingerprint: str
    emptying: str


_migrated: dict[str, _Migrated] = {}  # database URL -> its freshly migrated schema
_admin_engines: dict[str, object] = {}  # database URL -> the engine that empties it


def _admin_engine(server_url):
    """One engine per test database for emptying it, kept for the test run: a new one per
    test cost a connection (about 15 ms) each time. Pinged on checkout, since a test may have
    ended every connection to the database (tests/support/outage.py)."""
    from sqlalchemy import create_engine

    url = server_url.render_as_string(hide_password=False)
    eng = _admin_engines.get(url)
    if eng is None:
        eng = create_engine(server_url, pool_size=1, max_overflow=0, pool_pre_ping=True)
        _admin_engines[url] = eng
    return eng


def _fingerprint(conn) -> str | None:
    """A digest of the schema (columns, triggers, functions, indexes, constraints, sequences
    and the alembic revision); None when the database holds no migrated store."""
    from sqlalchemy import text

    if conn.execute(text("SELECT to_regclass('public.alembic_version')")).scalar() is None:
        return None
    return conn.execute(text(_FINGERPRINT)).scalar_one()


def _emptying(conn) -> str:
    """One statement (a single round trip) that deletes every row but the alembic revision
    and sets every sequence back to its start. DELETE, not TRUNCATE: on a few rows it is many
    times quicker (TRUNCATE makes new files for every table); replica mode skips the triggers
    and foreign keys. setval(start, false), not ALTER SEQUENCE ... RESTART, which makes a new
    file for each sequence (about 40 ms for the store's 26); both make the next value the
    start value."""
    from sqlalchemy import text

    tables = (
        conn.execute(
            text(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = "
                "'public' AND tablename <> 'alembic_version' ORDER BY tablename"
            )
        )
        .scalars()
        .all()
    )
    sequences = conn.execute(
        text(
            "SELECT quote_literal(quote_ident(sequencename)), start_value FROM pg_sequences "
            "WHERE schemaname = 'public' ORDER BY sequencename"
        )
    ).all()
    sql = "SET LOCAL session_replication_role = replica;"
    sql += "".join(f"DELETE FROM {table};" for table in tables)
    if sequences:
        sql += "SELECT " + ", ".join(f"setval({name}, {start}, false)" for name, start in sequences)
    return sql


def emptied_pg_store(server_url) -> str:
    """The URL of a migrated PostgreSQL store with every table empty and every sequence
    restarted, as a newly migrated store is."""
    from sqlalchemy import text

    url = server_url.render_as_string(hide_password=False)
    with _admin_engine(server_url).connect() as c:
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
        if known is not None and _fingerprint(c) == known.fingerprint:
            c.exec_driver_sql(known.emptying)
            c.commit()
            return url
        c.rollback()
    fresh_pg_schema(server_url)
    make_services(url).engine.dispose()
    with _admin_engine(server_url).connect() as c:
        _migrated[url] = _Migrated(_fingerprint(c) or "", _emptying(c))
        c.rollback()
    return url


def migrated_sqlite_template(folder: Path) -> Path:
    """A migrated, empty SQLite store at ``folder / "template.sqlite3"``, made once."""
    path = folder / "template.sqlite3"
    if not path.exists():
        svc = make_services(f"sqlite:///{path}")
        checkpoint(svc)
        svc.engine.dispose()
    return path
