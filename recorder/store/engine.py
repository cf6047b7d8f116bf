"""The engine factory. Nothing here runs at import time."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

from recorder.paths import ensure_private_dir, ensure_private_file
from recorder.settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 10_000  # the default; RECORDER_DB_LOCK_TIMEOUT sets it
#: what the connections say they are in pg_stat_activity
APPLICATION_NAME = "recorder"
#: an interactive client: the screen's reads, an autosave and a sign-in or two at once
POOL_SIZE, POOL_OVERFLOW = 3, 2
#: TCP keepalives: a server that has gone away is noticed within about a minute and a half
KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT = 30, 10, 6


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def normalise_url(url: str):
    """``url`` as SQLAlchemy's URL; ``postgres://`` and ``postgresql://`` (as libpq, Heroku
    and most hosting panels write them) mean psycopg 3, the driver recorder ships with."""
    u = make_url(url)
    if u.drivername in ("postgres", "postgresql"):
        u = u.set(drivername="postgresql+psycopg")
    return u


def make_engine(url: str, *, echo: bool = False, settings: Settings | None = None) -> Engine:
    """Build an engine for ``url`` with the waits of ``settings`` (default: read now).

    SQLite: WAL, synchronous FULL, foreign keys on, a busy timeout, and write
    transactions that start with ``BEGIN IMMEDIATE`` (see :func:`writer`). The database
    file is created 0600 in a 0700 folder before the first connection so the -wal and
    -shm files SQLite creates beside it take the same private mode.

    PostgreSQL: a connect timeout, statement and lock timeouts set on each new connection,
    TCP keepalives, ``application_name=recorder``, and a small pool (an interactive client).
    """
    settings = settings if settings is not None else Settings.from_env()
    u = normalise_url(url)
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            ensure_private_dir(path.parent)
            ensure_private_file(path)
        busy_ms = round(settings.db_lock_timeout * 1000)
        engine = create_engine(
            u,
            echo=echo,
            connect_args={"timeout": busy_ms / 1000, "check_same_thread": False},
        )
        _configure_sqlite(engine, busy_ms)
        return engine
    if u.get_backend_name() != "postgresql":
        return create_engine(u, echo=echo, pool_pre_ping=True)
    engine = create_engine(
        u,
        echo=echo,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=settings.db_lock_timeout + settings.db_connect_timeout,
        pool_recycle=1800,
        connect_args={
            # libpq counts whole seconds and at least 2
            "connect_timeout": max(2, round(settings.db_connect_timeout)),
            "application_name": APPLICATION_NAME,
            "keepalives": 1,
            "keepalives_idle": KEEPALIVE_IDLE,
            "keepalives_interval": KEEPALIVE_INTERVAL,
            "keepalives_count": KEEPALIVE_COUNT,
        },
    )
    _configure_postgresql(engine, settings)
    return engine


def _configure_postgresql(engine: Engine, settings: Settings) -> None:
    """Each new connection's waits, set with SET (not the startup ``options``, which a
    connection pooler such as PgBouncer refuses)."""
    statement_ms = round(settings.db_statement_timeout * 1000)
    lock_ms = round(settings.db_lock_timeout * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every PG test
        autocommit = dbapi_conn.autocommit
        dbapi_conn.autocommit = True
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET statement_timeout = {statement_ms}")
            cur.execute(f"SET lock_timeout = {lock_ms}")
        dbapi_conn.autocommit = autocommit


def _configure_sqlite(engine: Engine, busy_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
    from recorder.store.search_key import register_sqlite

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        cur.close()
        register_sqlite(dbapi_conn)  # the child_search triggers call recorder_fold

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - exercised by every test
        if conn.get_execution_options().get("sqlite_immediate"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take SQLite's write lock at BEGIN."""
    return engine.execution_options(sqlite_immediate=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def secure_sqlite_files(engine: Engine) -> None:
    """Make the database and its -wal/-shm files 0600 (they inherit it; this makes sure)."""
    path = sqlite_path(str(engine.url))
    if path is None:
        return
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            os.chmod(p, 0o600)
