"""Alerts on a child (issue 13): ``child_alert``, raised once per child, kind and key, for a
team manager or a service manager to answer in a case-level oversight note.

An alert is never deleted and never changes, but for its answer: ``answered_by_note_id`` and
``answered_at`` are set once, together (triggers on SQLite and PostgreSQL).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# the columns of an alert that never change once written
_FIXED = ("child_id", "kind", "key", "raised_on", "raised_at", "for_role", "details")
_MESSAGE = "recorder: an alert changes only when it is answered, once"


def upgrade() -> None:
    op.create_table(
        "child_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("for_role", sa.String(length=30), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("answered_by_note_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.ForeignKeyConstraint(["answered_by_note_id"], ["oversight_note.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("child_id", "kind", "key"),
    )
    with op.batch_alter_table("child_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_alert_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_child_alert_answered_by_note_id"), ["answered_by_note_id"], unique=False
        )
    if op.get_bind().dialect.name == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FIXED)
        op.execute(
            "CREATE TRIGGER child_alert_no_delete BEFORE DELETE ON child_alert FOR EACH ROW "
            "BEGIN SELECT RAISE(ABORT, 'recorder: child_alert rows cannot be deleted'); END"
        )
        op.execute(
            "CREATE TRIGGER child_alert_no_update BEFORE UPDATE ON child_alert FOR EACH ROW "
            f"WHEN OLD.answered_by_note_id IS NOT NULL OR OLD.answered_at IS NOT NULL "
            f"OR NEW.answered_by_note_id IS NULL OR NEW.answered_at IS NULL OR {changed} "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
    else:
        changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _FIXED)
        op.execute(
            f"""CREATE FUNCTION recorder_guard_child_alert() RETURNS trigger
               LANGUAGE plpgsql AS $$
               BEGIN
                 IF TG_OP <> 'UPDATE' THEN
                   RAISE EXCEPTION 'recorder: child_alert rows cannot be deleted (%)', TG_OP
                     USING ERRCODE = 'integrity_constraint_violation';
                 END IF;
                 IF OLD.answered_by_note_id IS NOT NULL
                    OR OLD.answered_at IS NOT NULL OR NEW.answered_by_note_id IS NULL
                    OR NEW.answered_at IS NULL OR {changed} THEN
                   RAISE EXCEPTION '{_MESSAGE} (%)', TG_OP
                     USING ERRCODE = 'integrity_constraint_violation';
                 END IF;
                 RETURN NEW;
               END $$"""
        )
        op.execute(
            """CREATE TRIGGER child_alert_guard BEFORE UPDATE OR DELETE ON child_alert
               FOR EACH ROW EXECUTE FUNCTION recorder_guard_child_alert()"""
        )
        op.execute(
            """CREATE TRIGGER child_alert_no_truncate BEFORE TRUNCATE ON child_alert
               FOR EACH STATEMENT EXECUTE FUNCTION recorder_guard_child_alert()"""
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS child_alert_guard ON child_alert")
        op.execute("DROP TRIGGER IF EXISTS child_alert_no_truncate ON child_alert")
        op.execute("DROP FUNCTION IF EXISTS recorder_guard_child_alert()")
    else:
        op.execute("DROP TRIGGER IF EXISTS child_alert_no_update")
        op.execute("DROP TRIGGER IF EXISTS child_alert_no_delete")
    op.drop_table("child_alert")
