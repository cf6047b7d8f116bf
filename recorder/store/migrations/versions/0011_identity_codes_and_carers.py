"""A child's identity as the CIN census codes, and parents and carers on the child's record
(issue 12, defect 9; DOMAIN.md "Identity").

``child.ethnicity`` now holds one DfE ethnicity code and ``child.disability`` the CIN census
disability codes separated by commas (``recorder.domain.identity``). Free text already there
is converted where it is a code or a name ("White British" -> WBRI, "None known" -> NONE,
"Autism" -> AUT); anything else moves, unchanged, to ``ethnicity_note`` / ``disability_note``
and is shown "not yet coded", so no data is lost and a worker can code it later. New columns:
``sex`` (M, F, U), ``gender_identity`` (the child's own words, optional) and
``communication_needs``. New table ``carer``: name, relationship, first language, interpreter
needed.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from recorder.domain import identity

    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ethnicity_note", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("disability_note", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("sex", sa.String(length=1), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("gender_identity", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("communication_needs", sa.Text(), nullable=False, server_default="")
        )

    op.create_table(
        "carer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("relationship", sa.String(length=100), nullable=False),
        sa.Column("first_language", sa.String(length=200), nullable=False),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["worker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("carer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carer_child_id"), ["child_id"], unique=False)

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, ethnicity, disability FROM child ORDER BY id")).all()
    for child_id, ethnicity, disability in rows:
        ethnicity, disability = ethnicity or "", disability or ""
        code = identity.best_ethnicity(ethnicity)
        codes = identity.best_disability(disability)
        values = {
            "id": child_id,
            "ethnicity": code or "",
            "ethnicity_note": "" if code or not ethnicity.strip() else ethnicity,
            "disability": identity.join_codes(codes) if codes else "",
            "disability_note": "" if codes or not disability.strip() else disability,
        }
        bind.execute(
            sa.text(
                "UPDATE child SET ethnicity = :ethnicity, ethnicity_note = :ethnicity_note, "
                "disability = :disability, disability_note = :disability_note WHERE id = :id"
            ),
            values,
        )


def downgrade() -> None:
    bind = op.get_bind()
    # put the free text back where the codes cannot say it (nothing coded is lost either)
    bind.execute(
        sa.text(
            "UPDATE child SET ethnicity = ethnicity_note WHERE ethnicity = '' "
            "AND ethnicity_note <> ''"
        )
    )
    bind.execute(
        sa.text(
            "UPDATE child SET disability = disability_note WHERE disability = '' "
            "AND disability_note <> ''"
        )
    )
    op.drop_table("carer")
    with op.batch_alter_table("child", schema=None) as batch_op:
        for column in (
            "communication_needs",
            "gender_identity",
            "sex",
            "disability_note",
            "ethnicity_note",
        ):
            batch_op.drop_column(column)
