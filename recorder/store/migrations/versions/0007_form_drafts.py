"""Drafts of the forms that are not visit records: what a manager or countersigner has typed
into an oversight note, a countersign comment, return comments or an addendum, saved as they
type and removed when the form is signed.

Not a signed record: no append-only trigger, and ``recorder check`` does not hash it.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("writer_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"]),
        sa.ForeignKeyConstraint(["writer_id"], ["worker.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "writer_id", "subject"),
    )
    with op.batch_alter_table("form_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_draft_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_form_draft_visit_id"), ["visit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_form_draft_writer_id"), ["writer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("form_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_draft_writer_id"))
        batch_op.drop_index(batch_op.f("ix_form_draft_visit_id"))
        batch_op.drop_index(batch_op.f("ix_form_draft_child_id"))
    op.drop_table("form_draft")
