"""Significant events added by hand to a child's chronology (issue 13, item 4), and an index
on the audit trail by record.

``significant_event``: the child, the day it happened, what happened, where the information
came from and the impact on the child (required), signed by its author. Append-only:
triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), as for every signed record.
``ix_audit_event_entity`` (entity, entity_id) lets the chronology read a child's allocation
changes without scanning the whole trail.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLE = "significant_event"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["worker.id"]),
        sa.ForeignKeyConstraint(["signature_id"], ["signature.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_significant_event_child_id"), ["child_id"])
        batch_op.create_index(batch_op.f("ix_significant_event_team_id"), ["team_id"])
    op.create_index("ix_audit_event_entity", "audit_event", ["entity", "entity_id"])
    if op.get_bind().dialect.name == "postgresql":
        # recorder_refuse_change() is migration 0003's
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION recorder_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION recorder_refuse_change()"
        )
    else:
        for what, verb in (("UPDATE", "changed"), ("DELETE", "deleted")):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{what.lower()} BEFORE {what} ON {TABLE} "
                f"FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'recorder: {TABLE} rows cannot be "
                f"{verb}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")
    op.drop_index("ix_audit_event_entity", table_name="audit_event")
    op.drop_table(TABLE)
