"""Supervision records with their case discussions, tracked actions (directions), and the
ASYE flag on accounts.

``supervision`` and ``supervision_case`` are append-only: triggers refuse UPDATE and DELETE
on SQLite and PostgreSQL, as for every signed record. A ``tracked_action`` is never deleted;
only its done columns change, once (an open action is marked done; a done one never changes).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

APPEND_ONLY = ("supervision", "supervision_case")
# the columns of a tracked action that never change once written
_FIXED = (
    "source_kind",
    "source_id",
    "child_id",
    "visit_id",
    "team_id",
    "assignee_id",
    "assignee_text",
    "what",
    "due_text",
    "due_on",
    "created_by_id",
    "created_at",
)


def upgrade() -> None:
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("asye", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("asye_start", sa.Date(), nullable=True))

    op.create_table(
        "supervision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attended", sa.Text(), nullable=False),
        sa.Column("wellbeing", sa.Text(), nullable=False),
        sa.Column("workload", sa.Text(), nullable=False),
        sa.Column("learning", sa.Text(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["manager_id"], ["worker.id"]),
        sa.ForeignKeyConstraint(["signature_id"], ["signature.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "supervision_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supervision_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("child_voice", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.ForeignKeyConstraint(["supervision_id"], ["supervision.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supervision_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervision_case_child_id"), ["child_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supervision_case_supervision_id"), ["supervision_id"], unique=False
        )

    op.create_table(
        "tracked_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_kind", sa.String(length=30), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assignee_text", sa.String(length=200), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due_text", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["worker.id"]),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["worker.id"]),
        sa.ForeignKeyConstraint(["done_by_id"], ["worker.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tracked_action", schema=None) as batch_op:
        for c in ("assignee_id", "child_id", "team_id", "visit_id"):
            batch_op.create_index(batch_op.f(f"ix_tracked_action_{c}"), [c], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        for sql in _sqlite():
            op.execute(sql)
    else:
        for sql in _pg():
            op.execute(sql)


def _sqlite() -> list[str]:
    out = []
    for t in APPEND_ONLY:
        for what, verb in (("UPDATE", "changed"), ("DELETE", "deleted")):
            out.append(
                f"CREATE TRIGGER {t}_no_{what.lower()} BEFORE {what} ON {t} FOR EACH ROW "
                f"BEGIN SELECT RAISE(ABORT, 'recorder: {t} rows cannot be {verb}'); END"
            )
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FIXED)
    out += [
        "CREATE TRIGGER tracked_action_no_delete BEFORE DELETE ON tracked_action FOR EACH ROW "
        "BEGIN SELECT RAISE(ABORT, 'recorder: tracked_action rows cannot be deleted'); END",
        "CREATE TRIGGER tracked_action_no_update BEFORE UPDATE ON tracked_action FOR EACH ROW "
        f"WHEN OLD.done_at IS NOT NULL OR {changed} "
        "BEGIN SELECT RAISE(ABORT, 'recorder: a tracked action changes only when it is marked "
        "done, once'); END",
    ]
    return out


def _pg() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _FIXED)
    out = [
        """CREATE FUNCTION recorder_refuse_supervision_change() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN
             RAISE EXCEPTION 'recorder: % rows cannot be changed or deleted (%)',
               TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
           END $$""",
        f"""CREATE FUNCTION recorder_guard_tracked_action() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN
             IF TG_OP = 'DELETE' OR OLD.done_at IS NOT NULL OR {changed} THEN
               RAISE EXCEPTION 'recorder: a tracked action changes only when it is marked done, once (%)',
                 TG_OP USING ERRCODE = 'integrity_constraint_violation';
             END IF;
             RETURN NEW;
           END $$""",
        """CREATE TRIGGER tracked_action_guard BEFORE UPDATE OR DELETE ON tracked_action
           FOR EACH ROW EXECUTE FUNCTION recorder_guard_tracked_action()""",
        """CREATE TRIGGER tracked_action_no_truncate BEFORE TRUNCATE ON tracked_action
           FOR EACH STATEMENT EXECUTE FUNCTION recorder_refuse_supervision_change()""",
    ]
    for t in APPEND_ONLY:
        out += [
            f"""CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t}
                FOR EACH ROW EXECUTE FUNCTION recorder_refuse_supervision_change()""",
            f"""CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t}
                FOR EACH STATEMENT EXECUTE FUNCTION recorder_refuse_supervision_change()""",
        ]
    return out


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for t in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}")
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}")
        op.execute("DROP TRIGGER IF EXISTS tracked_action_guard ON tracked_action")
        op.execute("DROP TRIGGER IF EXISTS tracked_action_no_truncate ON tracked_action")
        op.execute("DROP FUNCTION IF EXISTS recorder_guard_tracked_action()")
        op.execute("DROP FUNCTION IF EXISTS recorder_refuse_supervision_change()")
    else:
        for t in (*APPEND_ONLY, "tracked_action"):
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_delete")
    op.drop_table("tracked_action")
    op.drop_table("supervision_case")
    op.drop_table("supervision")
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.drop_column("asye_start")
        batch_op.drop_column("asye")
