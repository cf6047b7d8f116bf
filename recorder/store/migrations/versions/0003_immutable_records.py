"""Immutable records: triggers refuse changes to signed-off visits and to signatures,
countersigns, oversight notes and audit events.

A visit may be updated INTO 'signed_off'; once there, its row and its sections freeze.
Signatures, countersigns, oversight notes and audit events never change and are never
deleted. The triggers live in the database, so raw SQL is refused too, not only the app.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# tables whose rows never change once written
APPEND_ONLY = ("signature", "countersign", "oversight_note", "audit_event")

_SQLITE = [
    """CREATE TRIGGER visit_signed_off_no_update BEFORE UPDATE ON visit
       FOR EACH ROW WHEN OLD.state = 'signed_off'
       BEGIN SELECT RAISE(ABORT, 'recorder: a signed-off visit cannot be changed'); END""",
    """CREATE TRIGGER visit_signed_off_no_delete BEFORE DELETE ON visit
       FOR EACH ROW WHEN OLD.state = 'signed_off'
       BEGIN SELECT RAISE(ABORT, 'recorder: a signed-off visit cannot be deleted'); END""",
    """CREATE TRIGGER visit_section_signed_off_no_update BEFORE UPDATE ON visit_section
       FOR EACH ROW WHEN (SELECT state FROM visit WHERE id = OLD.visit_id) = 'signed_off'
                      OR (SELECT state FROM visit WHERE id = NEW.visit_id) = 'signed_off'
       BEGIN SELECT RAISE(ABORT, 'recorder: a signed-off visit cannot be changed'); END""",
    """CREATE TRIGGER visit_section_signed_off_no_delete BEFORE DELETE ON visit_section
       FOR EACH ROW WHEN (SELECT state FROM visit WHERE id = OLD.visit_id) = 'signed_off'
       BEGIN SELECT RAISE(ABORT, 'recorder: a signed-off visit cannot be changed'); END""",
]
for _t in APPEND_ONLY:
    _SQLITE += [
        f"""CREATE TRIGGER {_t}_no_update BEFORE UPDATE ON {_t} FOR EACH ROW
            BEGIN SELECT RAISE(ABORT, 'recorder: {_t} rows cannot be changed'); END""",
        f"""CREATE TRIGGER {_t}_no_delete BEFORE DELETE ON {_t} FOR EACH ROW
            BEGIN SELECT RAISE(ABORT, 'recorder: {_t} rows cannot be deleted'); END""",
    ]

_PG = [
    """CREATE FUNCTION recorder_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'recorder: % rows cannot be changed or deleted (%)',
           TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
       END $$""",
    """CREATE FUNCTION recorder_refuse_signed_off_section() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM visit WHERE id = OLD.visit_id AND state = 'signed_off')
            OR (TG_OP = 'UPDATE' AND EXISTS (
                SELECT 1 FROM visit WHERE id = NEW.visit_id AND state = 'signed_off')) THEN
           RAISE EXCEPTION 'recorder: a signed-off visit cannot be changed (%)', TG_OP
             USING ERRCODE = 'integrity_constraint_violation';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER visit_signed_off_frozen BEFORE UPDATE OR DELETE ON visit
       FOR EACH ROW WHEN (OLD.state = 'signed_off') EXECUTE FUNCTION recorder_refuse_change()""",
    """CREATE TRIGGER visit_section_signed_off_frozen BEFORE UPDATE OR DELETE ON visit_section
       FOR EACH ROW EXECUTE FUNCTION recorder_refuse_signed_off_section()""",
]
for _t in APPEND_ONLY:
    _PG += [
        f"""CREATE TRIGGER {_t}_append_only BEFORE UPDATE OR DELETE ON {_t}
            FOR EACH ROW EXECUTE FUNCTION recorder_refuse_change()""",
        f"""CREATE TRIGGER {_t}_no_truncate BEFORE TRUNCATE ON {_t}
            FOR EACH STATEMENT EXECUTE FUNCTION recorder_refuse_change()""",
    ]


def upgrade() -> None:
    for sql in _PG if op.get_bind().dialect.name == "postgresql" else _SQLITE:
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for t in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}")
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}")
        op.execute("DROP TRIGGER IF EXISTS visit_signed_off_frozen ON visit")
        op.execute("DROP TRIGGER IF EXISTS visit_section_signed_off_frozen ON visit_section")
        op.execute("DROP FUNCTION IF EXISTS recorder_refuse_signed_off_section()")
        op.execute("DROP FUNCTION IF EXISTS recorder_refuse_change()")
        return
    for name in (
        "visit_signed_off_no_update",
        "visit_signed_off_no_delete",
        "visit_section_signed_off_no_update",
        "visit_section_signed_off_no_delete",
        *(f"{t}_no_{w}" for t in APPEND_ONLY for w in ("update", "delete")),
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
