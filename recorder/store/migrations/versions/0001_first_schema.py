"""first schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 06:06:23.031135
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_name"), ["name"], unique=True)

    op.create_table(
        "worker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("unqualified_kind", sa.String(length=30), nullable=True),
        sa.Column("registration_number", sa.String(length=20), nullable=True),
        sa.Column("registration_checked_on", sa.Date(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_signins", sa.Integer(), nullable=False),
        sa.Column("signin_blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worker_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_worker_username"), ["username"], unique=True)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["worker.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)

    op.create_table(
        "child",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=50), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("ethnicity", sa.String(length=200), nullable=False),
        sa.Column("religion", sa.String(length=200), nullable=False),
        sa.Column("first_language", sa.String(length=200), nullable=False),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("disability", sa.Text(), nullable=False),
        sa.Column("plan_type", sa.String(length=30), nullable=False),
        sa.Column("plan_start", sa.Date(), nullable=True),
        sa.Column("placement_long_term", sa.Boolean(), nullable=False),
        sa.Column("plan_risks", sa.JSON(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("allocated_worker_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["allocated_worker_id"],
            ["worker.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_child_allocated_worker_id"), ["allocated_worker_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_child_full_name"), ["full_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_child_reference"), ["reference"], unique=True)
        batch_op.create_index(batch_op.f("ix_child_team_id"), ["team_id"], unique=False)

    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("visit_type", sa.String(length=30), nullable=True),
        sa.Column("visit_at", sa.DateTime(), nullable=True),
        sa.Column("joint_worker_id", sa.Integer(), nullable=True),
        sa.Column("counts_as_statutory", sa.Boolean(), nullable=False),
        sa.Column("query_reasons", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("countersign_due", sa.Date(), nullable=True),
        sa.Column("oversight_due", sa.Date(), nullable=True),
        sa.Column("signed_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["worker.id"],
        ),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["child.id"],
        ),
        sa.ForeignKeyConstraint(
            ["joint_worker_id"],
            ["worker.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_child_id"), ["child_id"], unique=False)
        batch_op.create_index("ix_visit_child_state", ["child_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_team_id"), ["team_id"], unique=False)

    op.create_table(
        "return_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=30), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("return_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_comment_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("child_id", sa.Integer(), nullable=True),
        sa.Column("signer_id", sa.Integer(), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signer_role", sa.String(length=60), nullable=False),
        sa.Column("registration_number", sa.String(length=20), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("meaning", sa.String(length=60), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["child.id"],
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"],
            ["worker.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signature_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signature_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "visit_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=30), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("visit_id", "section"),
    )
    with op.batch_alter_table("visit_section", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_section_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "countersign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["signature_id"],
            ["signature.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("countersign", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_countersign_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "oversight_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("analysis", sa.Text(), nullable=False),
        sa.Column("risk", sa.Text(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("timeframe", sa.Text(), nullable=False),
        sa.Column("child_voice", sa.Text(), nullable=False),
        sa.Column("flag_responses", sa.JSON(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["child.id"],
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["worker.id"],
        ),
        sa.ForeignKeyConstraint(
            ["signature_id"],
            ["signature.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("oversight_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oversight_note_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_oversight_note_visit_id"), ["visit_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("oversight_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oversight_note_visit_id"))
        batch_op.drop_index(batch_op.f("ix_oversight_note_child_id"))

    op.drop_table("oversight_note")
    with op.batch_alter_table("countersign", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_countersign_visit_id"))

    op.drop_table("countersign")
    with op.batch_alter_table("visit_section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_section_visit_id"))

    op.drop_table("visit_section")
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signature_visit_id"))
        batch_op.drop_index(batch_op.f("ix_signature_child_id"))

    op.drop_table("signature")
    with op.batch_alter_table("return_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_comment_visit_id"))

    op.drop_table("return_comment")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_team_id"))
        batch_op.drop_index(batch_op.f("ix_visit_state"))
        batch_op.drop_index("ix_visit_child_state")
        batch_op.drop_index(batch_op.f("ix_visit_child_id"))
        batch_op.drop_index(batch_op.f("ix_visit_author_id"))

    op.drop_table("visit")
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_team_id"))
        batch_op.drop_index(batch_op.f("ix_child_reference"))
        batch_op.drop_index(batch_op.f("ix_child_full_name"))
        batch_op.drop_index(batch_op.f("ix_child_allocated_worker_id"))

    op.drop_table("child")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_id"))

    op.drop_table("audit_event")
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worker_username"))
        batch_op.drop_index(batch_op.f("ix_worker_team_id"))

    op.drop_table("worker")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_name"))

    op.drop_table("team")
