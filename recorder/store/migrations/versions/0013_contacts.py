"""Contacts about a child, police domestic-abuse notifications among them (issue 13 items 1-2;
DOMAIN.md "Contacts, referrals and the chronology").

``contact``: received (local time), the CIN census source code and the referrer, the concern,
what was checked, the household it belongs to (one police notification naming three children
is three contacts, linked), a domestic-abuse notification's incident date, risk level and the
children present, who recorded it, and the manager's decision: exactly one outcome, the reason,
who decided, when, their signature, and the day the referrer was told.

A decided contact never changes (triggers on both backends): the only change allowed is setting
``referrer_told_on`` once; contacts are never deleted. ``contact_addendum`` (corrections to a
decided contact, signed by their author) is append-only. The visit ``addendum`` table is not
reused: its rows name a visit (NOT NULL), its signatures sign the visit's sign-off and its
acknowledgement queue is of visits.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# every column of a decided contact but referrer_told_on
_FIXED = (
    "id",
    "child_id",
    "team_id",
    "kind",
    "received_at",
    "source_code",
    "referrer",
    "concern",
    "checked",
    "household_id",
    "incident_date",
    "risk_level",
    "children_present",
    "recorded_by_id",
    "created_at",
    "outcome",
    "reason",
    "decided_by_id",
    "decided_at",
    "signature_id",
)


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("source_code", sa.String(length=4), nullable=False),
        sa.Column("referrer", sa.String(length=200), nullable=False),
        sa.Column("concern", sa.Text(), nullable=False),
        sa.Column("checked", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("incident_date", sa.Date(), nullable=True),
        sa.Column("risk_level", sa.String(length=20), nullable=False),
        sa.Column("children_present", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signature_id", sa.Integer(), nullable=True),
        sa.Column("referrer_told_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["worker.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["worker.id"]),
        sa.ForeignKeyConstraint(["signature_id"], ["signature.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        for c in ("child_id", "team_id", "household_id"):
            batch_op.create_index(batch_op.f(f"ix_contact_{c}"), [c], unique=False)
    op.create_table(
        "contact_addendum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["worker.id"]),
        sa.ForeignKeyConstraint(["signature_id"], ["signature.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact_addendum", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_addendum_contact_id"), ["contact_id"], unique=False
        )
    for sql in _pg() if op.get_bind().dialect.name == "postgresql" else _sqlite():
        op.execute(sql)


def _sqlite() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FIXED)
    return [
        "CREATE TRIGGER contact_no_delete BEFORE DELETE ON contact FOR EACH ROW "
        "BEGIN SELECT RAISE(ABORT, 'recorder: contact rows cannot be deleted'); END",
        "CREATE TRIGGER contact_decided_no_update BEFORE UPDATE ON contact FOR EACH ROW "
        f"WHEN OLD.decided_at IS NOT NULL AND (OLD.referrer_told_on IS NOT NULL OR {changed}) "
        "BEGIN SELECT RAISE(ABORT, 'recorder: a decided contact cannot be changed (only the "
        "day the referrer was told is set, once)'); END",
        "CREATE TRIGGER contact_addendum_no_update BEFORE UPDATE ON contact_addendum "
        "FOR EACH ROW "
        "BEGIN SELECT RAISE(ABORT, 'recorder: contact_addendum rows cannot be changed'); END",
        "CREATE TRIGGER contact_addendum_no_delete BEFORE DELETE ON contact_addendum "
        "FOR EACH ROW "
        "BEGIN SELECT RAISE(ABORT, 'recorder: contact_addendum rows cannot be deleted'); END",
    ]


def _pg() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _FIXED)
    return [
        f"""CREATE FUNCTION recorder_guard_contact() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF TG_OP = 'DELETE' THEN
               RAISE EXCEPTION 'recorder: contact rows cannot be deleted'
                 USING ERRCODE = 'integrity_constraint_violation';
             END IF;
             IF OLD.decided_at IS NOT NULL AND (OLD.referrer_told_on IS NOT NULL OR {changed})
             THEN
               RAISE EXCEPTION 'recorder: a decided contact cannot be changed (only the day the referrer was told is set, once)'
                 USING ERRCODE = 'integrity_constraint_violation';
             END IF;
             RETURN NEW;
           END $$""",
        """CREATE FUNCTION recorder_refuse_contact_addendum_change() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN
             RAISE EXCEPTION 'recorder: % rows cannot be changed or deleted (%)',
               TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
           END $$""",
        """CREATE TRIGGER contact_guard BEFORE UPDATE OR DELETE ON contact
           FOR EACH ROW EXECUTE FUNCTION recorder_guard_contact()""",
        """CREATE TRIGGER contact_no_truncate BEFORE TRUNCATE ON contact
           FOR EACH STATEMENT EXECUTE FUNCTION recorder_refuse_contact_addendum_change()""",
        """CREATE TRIGGER contact_addendum_append_only BEFORE UPDATE OR DELETE ON contact_addendum
           FOR EACH ROW EXECUTE FUNCTION recorder_refuse_contact_addendum_change()""",
        """CREATE TRIGGER contact_addendum_no_truncate BEFORE TRUNCATE ON contact_addendum
           FOR EACH STATEMENT EXECUTE FUNCTION recorder_refuse_contact_addendum_change()""",
    ]


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS contact_guard ON contact")
        op.execute("DROP TRIGGER IF EXISTS contact_no_truncate ON contact")
        op.execute("DROP TRIGGER IF EXISTS contact_addendum_append_only ON contact_addendum")
        op.execute("DROP TRIGGER IF EXISTS contact_addendum_no_truncate ON contact_addendum")
        op.execute("DROP FUNCTION IF EXISTS recorder_guard_contact()")
        op.execute("DROP FUNCTION IF EXISTS recorder_refuse_contact_addendum_change()")
    else:
        for name in (
            "contact_no_delete",
            "contact_decided_no_update",
            "contact_addendum_no_update",
            "contact_addendum_no_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("contact_addendum")
    op.drop_table("contact")
