"""A look into a SQLite store with the standard library only, before SQLAlchemy is loaded.

Why: ``recorder`` paints its sign-in screen first and opens the store (SQLAlchemy, alembic,
migrations: most of a second) behind it. That is only right when the store already has an
account to sign in with; a new store must ask for its first administrator before the app
starts. Importing SQLAlchemy to find out would cost the very time the trick saves, so this
module answers with :mod:`sqlite3` alone, and must stay standard-library only.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["has_accounts"]


def has_accounts(db_file: Path) -> bool:
    """True when the SQLite file ``db_file`` exists and its ``worker`` table holds a row.

    The file is opened ``immutable``: no lock is taken, no ``-wal``/``-shm`` file is made and
    nothing is written, so a store in use by another recorder is not disturbed. An answer of
    False means "not sure" (no file, not a recorder store, rows still only in the WAL, any
    error): the caller then opens the store properly first, which is always correct.
    """
    try:
        if not db_file.is_file():
            return False
        con = sqlite3.connect(f"{db_file.resolve().as_uri()}?immutable=1", uri=True)
        try:
            return con.execute("SELECT 1 FROM worker LIMIT 1").fetchone() is not None
        finally:
            con.close()
    except (OSError, sqlite3.Error):
        return False
