"""The service manager above a team: ``team.service_manager_id`` (a worker, or none).

A service manager stands above one or more teams: every team's queues, overdue oversight
escalated to them, and sign-off of a team manager's own records. The column is added in
place (no table copy on SQLite: ``ALTER TABLE ... ADD COLUMN ... REFERENCES``), so the rows
that point at ``team`` are never touched.

Revision ID: 0006
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE team ADD COLUMN service_manager_id INTEGER "
            "CONSTRAINT fk_team_service_manager_id REFERENCES worker (id)"
        )
    else:
        op.add_column("team", sa.Column("service_manager_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_team_service_manager_id", "team", "worker", ["service_manager_id"], ["id"]
        )
    op.create_index("ix_team_service_manager_id", "team", ["service_manager_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_team_service_manager_id", table_name="team")
    with op.batch_alter_table("team", schema=None) as batch_op:
        if op.get_bind().dialect.name != "sqlite":
            batch_op.drop_constraint("fk_team_service_manager_id", type_="foreignkey")
        batch_op.drop_column("service_manager_id")
