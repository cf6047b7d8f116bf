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


def fresh_pg_schema(server_url) -> str:
    """A new schema-free database per test: drop and recreate the public schema."""
    from sqlalchemy import create_engine, text

    eng = create_engine(server_url)
    with eng.begin() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    eng.dispose()
    return server_url.render_as_string(hide_password=False)
