"""Plans and placements as records: ``child_plan`` (type, start, end, private fostering's
notification date), ``plan_frequency`` (what a conference or review set: visit every N working
days, seen alone every N, who set it and when) and ``placement`` (a looked-after child's
placements: type, start, end, first review).

Every existing child on a plan gets one open plan row from its ``plan_type`` and
``plan_start`` (a private fostering arrangement is taken to have been notified on its start
date), and a looked-after child one open placement from the same start: ``long_term`` when
``placement_long_term`` was set, else ``foster_care``. So due dates stay as they were, except
where the old ones were wrong (issue 12): a long-term placement after its first year is now
visited every three calendar months instead of 13 weeks, and a private fostering
arrangement's first visit is due 7 working days after notification instead of 7 days.

Revision ID: 0009
Revises: 0008
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "child_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("plan_type", sa.String(length=30), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["worker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("child_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_plan_child_id"), ["child_id"], unique=False)

    op.create_table(
        "plan_frequency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("set_on", sa.Date(), nullable=False),
        sa.Column("visit_every_working_days", sa.Integer(), nullable=True),
        sa.Column("seen_alone_every_working_days", sa.Integer(), nullable=True),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["child_plan.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["worker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_frequency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_frequency_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("placement_type", sa.String(length=40), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("first_review_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.ForeignKeyConstraint(["plan_id"], ["child_plan.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["worker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placement_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placement_plan_id"), ["plan_id"], unique=False)

    # every child on a plan: its plan, and a looked-after child's placement, as records
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    bind.execute(
        sa.text(
            "INSERT INTO child_plan (child_id, plan_type, start_on, notified_on, created_at) "
            "SELECT id, plan_type, plan_start, "
            "CASE WHEN plan_type = 'private_fostering' THEN plan_start END, :now "
            "FROM child WHERE plan_type <> 'none' AND plan_start IS NOT NULL ORDER BY id"
        ),
        {"now": now},
    )
    bind.execute(
        sa.text(
            "INSERT INTO placement (child_id, plan_id, placement_type, start_on, created_at) "
            "SELECT p.child_id, p.id, "
            "CASE WHEN c.placement_long_term THEN 'long_term' ELSE 'foster_care' END, "
            "p.start_on, :now "
            "FROM child_plan p JOIN child c ON c.id = p.child_id "
            "WHERE p.plan_type = 'looked_after' ORDER BY p.id"
        ),
        {"now": now},
    )


def downgrade() -> None:
    op.drop_table("placement")
    op.drop_table("plan_frequency")
    op.drop_table("child_plan")
