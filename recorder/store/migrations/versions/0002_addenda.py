"""Addenda to signed-off visits, and managers' signed acknowledgements of them.

Both tables are append-only: triggers refuse UPDATE and DELETE on SQLite and PostgreSQL
(an addendum is evidence just as the visit it corrects is).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:22:21.157758
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "addendum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["worker.id"],
        ),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["child.id"],
        ),
        sa.ForeignKeyConstraint(
            ["signature_id"],
            ["signature.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("addendum", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_addendum_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_addendum_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_addendum_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "addendum_ack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("addendum_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["addendum_id"],
            ["addendum.id"],
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["worker.id"],
        ),
        sa.ForeignKeyConstraint(
            ["signature_id"],
            ["signature.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("addendum_id"),
    )
    _append_only(_TABLES)


_TABLES = ("addendum", "addendum_ack")


def _append_only(tables) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for t in tables:
            for what, verb in (("UPDATE", "changed"), ("DELETE", "deleted")):
                op.execute(
                    f"CREATE TRIGGER {t}_no_{what.lower()} BEFORE {what} ON {t} FOR EACH ROW "
                    f"BEGIN SELECT RAISE(ABORT, 'recorder: {t} rows cannot be {verb}'); END"
                )
        return
    op.execute("""CREATE FUNCTION recorder_refuse_addendum_change() RETURNS trigger
                  LANGUAGE plpgsql AS $$
                  BEGIN
                    RAISE EXCEPTION 'recorder: % rows cannot be changed or deleted (%)',
                      TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
                  END $$""")
    for t in tables:
        op.execute(
            f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
            "FOR EACH ROW EXECUTE FUNCTION recorder_refuse_addendum_change()"
        )


def _drop_append_only(tables) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for t in tables:
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_delete")
        return
    for t in tables:
        op.execute(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}")
    op.execute("DROP FUNCTION IF EXISTS recorder_refuse_addendum_change()")


def downgrade() -> None:
    _drop_append_only(_TABLES)
    op.drop_table("addendum_ack")
    with op.batch_alter_table("addendum", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_addendum_visit_id"))
        batch_op.drop_index(batch_op.f("ix_addendum_team_id"))
        batch_op.drop_index(batch_op.f("ix_addendum_child_id"))

    op.drop_table("addendum")
