"""Seeing another terminal's change: a cheap store-level signal that the screens poll.

Every read of case data is audited, so a read commits too (its audit event). A watcher that
woke on every commit would make each screen's read wake every other screen, and them it, for
ever. So the services' write path says when a transaction changed something other than the
audit trail (or a private draft), and only that wakes the screens:

- the engine notes, per connection, an INSERT, UPDATE or DELETE on any table but the quiet
  ones (:func:`track_writes`, a SQLAlchemy ``before_cursor_execute`` listener, so new tables
  and new use cases are covered without being listed);
- :func:`announce`, run by ``Services.writing()`` just before its commit, then bumps the
  signal in the same transaction: on SQLite ``PRAGMA user_version`` (a header integer SQLite
  keeps for applications; it is written with the transaction and rolled back with it), on
  PostgreSQL ``pg_notify('recorder_changes', '')`` (delivered to listeners at commit, never
  for a rolled-back transaction);
- :class:`ChangeWatcher` holds one long-lived connection of its own and answers "has anything
  changed since you last asked?" in microseconds: on SQLite it reads ``PRAGMA data_version``
  (which moves when any other connection commits) and, only when that moved,
  ``PRAGMA user_version``; on PostgreSQL it has run ``LISTEN recorder_changes`` and a
  ``SELECT 1`` collects what was sent meanwhile.

Writes made outside the services (psql by hand, a migration) are not announced; a screen
shows them at its next read.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

CHANNEL = "recorder_changes"
#: Tables whose writes other people's screens never show: the audit trail (every read writes
#: one) and drafts, which are private to their writer until signed.
QUIET_TABLES = frozenset({"audit_event"})
_WROTE = "recorder.changes.wrote"
_WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+[\"`]?(\w+)",
    re.IGNORECASE,
)
_MAX_COUNTER = 2**31 - 1  # user_version is a signed 32-bit integer


def is_quiet(table: str) -> bool:
    name = table.lower()
    return name in QUIET_TABLES or "draft" in name


def wrote(statement: str) -> bool:
    """Does ``statement`` change a table that someone else's screen may show?"""
    m = _WRITE.match(statement)
    return m is not None and not is_quiet(m.group(1))


def track_writes(engine: Engine) -> None:
    """Note on each connection whether its transaction changed a shown table (idempotent)."""
    if getattr(engine, "_recorder_tracks_writes", False):
        return
    engine._recorder_tracks_writes = True  # type: ignore[attr-defined]

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.info.pop(_WROTE, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(conn: Connection, _cursor, statement: str, *_args: Any) -> None:
        if wrote(statement):
            conn.info[_WROTE] = True


def announce(conn: Connection) -> bool:
    """In the write transaction on ``conn``, before it commits: if it changed a shown table,
    tell the watchers (they see it once the commit lands). True when it announced."""
    if not conn.info.pop(_WROTE, False):
        return False
    if conn.dialect.name == "sqlite":
        n = conn.exec_driver_sql("PRAGMA user_version").scalar() or 0
        conn.exec_driver_sql(f"PRAGMA user_version = {(int(n) + 1) % _MAX_COUNTER}")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_notify('{CHANNEL}', '')")
    return True


class ChangeWatcher:
    """Answers :meth:`changed` from a connection of its own; safe to call from any one thread
    at a time (a lock keeps two polls apart).

    The first call opens the connection and answers False. When the connection has dropped
    (a restarted server, an ended session) a new one is opened at once; when that cannot be
    done either, the call raises (the caller says so in words). The first answer on a new
    connection after a drop is True: changes may have been missed meanwhile.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._raw: Any = None  # a pool connection kept for the watcher alone
        self._last: tuple[int, int] | None = None  # SQLite: (data_version, user_version)
        self._heard = 0  # PostgreSQL: notifications received
        self._lost = False

    # -- the one question --------------------------------------------------------------
    def changed(self) -> bool:
        with self._lock:
            if self._raw is not None:
                try:
                    return self._ask()
                except Exception:  # noqa: BLE001 - a dropped connection: open a new one
                    self._drop()
                    self._lost = True
            try:
                self._open()
            except Exception:
                self._drop()
                self._lost = True
                raise
            was_lost, self._lost = self._lost, False
            return was_lost

    def _ask(self) -> bool:
        if self.engine.dialect.name == "sqlite":
            return self._sqlite_changed()
        return self._pg_changed()

    def close(self) -> None:
        """Close the connection (waiting a moment for a poll that is under way)."""
        if self._lock.acquire(timeout=2.0):
            try:
                self._drop()
            finally:
                self._lock.release()

    # -- opening and dropping ------------------------------------------------------------
    def _open(self) -> None:
        raw = self.engine.raw_connection()
        try:
            if self.engine.dialect.name == "sqlite":
                self._raw = raw
                self._last = self._sqlite_versions()
            else:
                dbapi: Any = raw.driver_connection
                dbapi.autocommit = True
                dbapi.add_notify_handler(self._heard_one)
                dbapi.execute(f"LISTEN {CHANNEL}")
                self._raw = raw
                self._heard = 0
        except Exception:
            _discard(raw)
            raise

    def _drop(self) -> None:
        raw, self._raw = self._raw, None
        if raw is not None:
            _discard(raw)

    # -- SQLite --------------------------------------------------------------------------
    def _sqlite_versions(self) -> tuple[int, int]:
        cur = self._raw.cursor()
        try:
            data = cur.execute("PRAGMA data_version").fetchone()[0]
            user = cur.execute("PRAGMA user_version").fetchone()[0]
        finally:
            cur.close()
        return int(data), int(user)

    def _sqlite_changed(self) -> bool:
        assert self._last is not None
        cur = self._raw.cursor()
        try:
            data = int(cur.execute("PRAGMA data_version").fetchone()[0])
            if data == self._last[0]:
                return False  # nobody committed anything
            user = int(cur.execute("PRAGMA user_version").fetchone()[0])
        finally:
            cur.close()
        before, self._last = self._last[1], (data, user)
        return user != before  # only an audited read committed when it is the same

    # -- PostgreSQL ----------------------------------------------------------------------
    def _heard_one(self, _notify: object) -> None:
        self._heard += 1

    def _pg_changed(self) -> bool:
        before = self._heard
        self._raw.driver_connection.execute("SELECT 1")  # collects what arrived meanwhile
        return self._heard != before


def _discard(raw: Any) -> None:
    """Close a watcher's connection for good (it is never handed back to the pool: it has
    run LISTEN, or it failed)."""
    try:
        if raw.is_valid:
            raw.invalidate()
        raw.close()
    except Exception:  # noqa: BLE001 - it is already gone
        pass
