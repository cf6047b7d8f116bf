"""Audit hash chain: each audit event stores the previous event's SHA-256 and its own.

Existing events are chained in id order. The append-only triggers of 0003 are lifted for
the length of this migration (one transaction) and put back.

Revision ID: 0004
Revises: 0003
"""

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_immutable = importlib.import_module("recorder.store.migrations.versions.0003_immutable_records")


def _drop_audit_triggers(pg: bool) -> None:
    if pg:
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute("DROP TRIGGER audit_event_no_delete")


def _create_audit_triggers(pg: bool) -> None:
    for sql in _immutable._PG if pg else _immutable._SQLITE:
        if (
            "TRIGGER audit_event_no_update" in sql
            or "TRIGGER audit_event_no_delete" in sql
            or "TRIGGER audit_event_append_only" in sql
        ):
            op.execute(sql)


def upgrade() -> None:
    from recorder.store.audit_chain import GENESIS, event_digest

    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    _drop_audit_triggers(pg)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
    t = sa.table(
        "audit_event",
        *(
            sa.column(c)
            for c in (
                "id",
                "at",
                "actor_id",
                "action",
                "entity",
                "entity_id",
                "outcome",
                "detail",
                "prev_sha256",
                "sha256",
            )
        ),
    )
    at_type = sa.DateTime(timezone=True)
    t.c.at.type = at_type
    prev = GENESIS
    rows = bind.execute(sa.select(t).order_by(t.c.id)).all()
    for r in rows:
        digest = event_digest(
            at=r.at,
            actor_id=r.actor_id,
            action=r.action,
            entity=r.entity,
            entity_id=r.entity_id,
            outcome=r.outcome,
            detail=r.detail or "",
            prev_sha256=prev,
        )
        bind.execute(sa.update(t).where(t.c.id == r.id).values(prev_sha256=prev, sha256=digest))
        prev = digest
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("prev_sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_audit_event_prev_sha256", ["prev_sha256"])
    if not pg:
        # SQLite's batch mode rebuilt the table, which drops its triggers: put all back
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    _create_audit_triggers(pg)


def downgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    _drop_audit_triggers(pg)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_event_prev_sha256", type_="unique")
        batch_op.drop_column("sha256")
        batch_op.drop_column("prev_sha256")
    if not pg:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    _create_audit_triggers(pg)
