"""The audit trail's hash chain.

Each audit event stores ``prev_sha256`` (the ``sha256`` of the event before it, or
:data:`GENESIS` for the first) and ``sha256``: the SHA-256 of a canonical JSON list of its
own fields followed by ``prev_sha256``. Changing, removing or re-ordering any event breaks
the chain from that event on, which ``recorder check`` reports.

Appends are serialised so two writers never fork the chain: SQLite write transactions
already hold the database's write lock (``BEGIN IMMEDIATE``); on PostgreSQL the appending
transaction takes an advisory transaction lock before it reads the chain's head.
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
    data = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


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
    from sqlalchemy import insert, select, text

    from recorder.store.models import AuditEvent

    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_CHAIN_LOCK})
    t = AuditEvent.__table__
    prev = conn.execute(select(t.c.sha256).order_by(t.c.id.desc()).limit(1)).scalar()
    prev = prev or GENESIS
    at = utc(at)
    detail = (detail or "")[:500]
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
