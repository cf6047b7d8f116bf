"""The audit trail's hash chain.

Each audit event stores ``prev_sha256`` (the ``sha256`` of the event before it, or
:data:`GENESIS` for the first) and ``sha256``: the SHA-256 of a canonical JSON list of its
own fields followed by ``prev_sha256``. Changing, removing or re-ordering any event breaks
the chain from that event on, which ``recorder check`` reports.

Appends are serialised so two writers never fork the chain: SQLite write transactions
already hold the database's write lock (``BEGIN IMMEDIATE``); on PostgreSQL the appending
transaction takes an advisory transaction lock before it reads the chain's head, and holds it
until it commits. Every audited write in the store queues for that one lock, so on PostgreSQL
the event is written while it is held in one statement (the head read, the hash and the
INSERT), the hash computed by the server with ``sha256()`` over the same canonical JSON, sent
with the lock as one query: the holder waits for one round trip and the commit, not four.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

GENESIS = "0" * 64
# pg_advisory_xact_lock key for appending to the chain (any constant unique to recorder)
PG_CHAIN_LOCK = 0x7265636F7264  # "record"


def utc(moment: datetime) -> datetime:
    """Aware UTC (naive values are UTC by the store's convention)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _canonical(fields: list[Any]) -> str:
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def event_digest(
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    outcome: str,
    detail: str,
    prev_sha256: str,
) -> str:
    """SHA-256 (hex) of one event's content and the previous event's hash."""
    fields: list[Any] = [
        utc(at).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor_id,
        action,
        entity,
        entity_id,
        outcome,
        detail,
        prev_sha256,
    ]
    return hashlib.sha256(_canonical(fields).encode("utf-8")).hexdigest()


def _digest_prefix(
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    outcome: str,
    detail: str,
) -> str:
    """The canonical JSON of an event up to its previous hash: ``prefix + '"' + prev + '"]'``
    is exactly what :func:`event_digest` hashes (a hash is hex, never escaped in JSON)."""
    fields = [utc(at).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), actor_id, action, entity, entity_id]
    return _canonical([*fields, outcome, detail])[:-1] + ","


# Sent as one query (the simple protocol runs each statement with a snapshot of its own, so the
# INSERT reads the head the last holder committed): the lock, then the head read, the server's
# own SHA-256 of the canonical JSON (event_digest's; ``recorder check`` recomputes it with that)
# and the INSERT. The values are quoted by psycopg (``sql.Literal``), never pasted in.
_PG_APPEND = """\
SELECT pg_advisory_xact_lock({key});
INSERT INTO audit_event
    (at, actor_id, action, entity, entity_id, outcome, detail, prev_sha256, sha256)
SELECT CAST({at} AS timestamptz), CAST({actor_id} AS integer), {action}, {entity},
       CAST({entity_id} AS integer), {outcome}, {detail}, head.prev,
       encode(sha256(convert_to({prefix} || '"' || head.prev || '"]', 'UTF8')), 'hex')
FROM (SELECT coalesce((SELECT sha256 FROM audit_event ORDER BY id DESC LIMIT 1), {genesis})
             AS prev) AS head
RETURNING sha256"""


def _append_pg(conn, **fields: Any) -> str:
    """One round trip while the chain's lock is held (and then the commit): the holder no
    longer reads the head, hashes and inserts in three. Every audited write on the server
    queues for this lock (tests/benchmarks/load.py shows it), so its holding time is the
    store's write throughput."""
    from psycopg import sql

    raw = conn.connection.driver_connection
    values = {k: sql.Literal(v) for k, v in fields.items()}
    query = sql.SQL(_PG_APPEND).format(
        key=sql.Literal(PG_CHAIN_LOCK),
        prefix=sql.Literal(_digest_prefix(**fields)),
        genesis=sql.Literal(GENESIS),
        **values,
    )
    # no parameters: psycopg sends it as one simple query ('%' doubled for the driver)
    result = conn.exec_driver_sql(query.as_string(raw).replace("%", "%%"))
    try:
        cursor = result.cursor
        cursor.nextset()  # past the lock's row to the INSERT's
        return cursor.fetchone()[0]
    finally:
        result.close()


def append(
    conn,
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    outcome: str,
    detail: str,
) -> str:
    """Append one event to the chain inside ``conn``'s open write transaction.

    ``conn`` is a SQLAlchemy Connection (a Session's ``connection()`` will do). Returns the
    new event's hash.
    """
    from sqlalchemy import insert, select

    from recorder.store.models import AuditEvent

    at = utc(at)
    detail = (detail or "")[:500]
    if conn.dialect.name == "postgresql":
        return _append_pg(
            conn,
            at=at,
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            outcome=outcome,
            detail=detail,
        )
    t = AuditEvent.__table__
    prev = conn.execute(select(t.c.sha256).order_by(t.c.id.desc()).limit(1)).scalar()
    prev = prev or GENESIS
    digest = event_digest(
        at=at,
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        outcome=outcome,
        detail=detail,
        prev_sha256=prev,
    )
    conn.execute(
        insert(t).values(
            at=at,
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            outcome=outcome,
            detail=detail,
            prev_sha256=prev,
            sha256=digest,
        )
    )
    return digest


def row_digest(row) -> str:
    """The hash an audit_event row should have, from its stored fields."""
    return event_digest(
        at=row.at,
        actor_id=row.actor_id,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        outcome=row.outcome,
        detail=row.detail or "",
        prev_sha256=row.prev_sha256 or "",
    )
