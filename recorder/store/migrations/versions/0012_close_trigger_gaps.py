"""Close the gaps in the immutability triggers (issue 14, item 4).

0003 froze a signed-off visit's row and sections against UPDATE and DELETE. Raw SQL could
still add to a signed-off record, or forge one:

- INSERT a section, a countersign, an oversight note or a signature into a signed-off visit
  (then never deleted): refused now. An addendum's signature and its acknowledgement's are
  the only signatures a signed-off visit still takes (corrections are addenda).
- INSERT a visit already ``signed_off``: refused; a visit reaches signed off only by UPDATE.
- UPDATE a draft straight to ``signed_off``: the sign-off signature ("Management
  oversight", for this visit) and the oversight note it signs must be there. PostgreSQL
  checks it at COMMIT (a deferred constraint trigger) and requires the signature to be
  written in the same transaction (its ``xmin``; the app writes no savepoints). SQLite has no
  deferred triggers: the signature and the note must already exist when the state changes,
  which is the order ``services.visits.sign_off`` writes them (signature, note, then the
  state, in one ``BEGIN IMMEDIATE`` transaction).
- PostgreSQL: TRUNCATE of every protected table is refused (0003 and 0008 covered some;
  visit, visit_section, addendum, addendum_ack, child_co_worker and upgrade_notice now too).

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SIGN_OFF_MEANING = "Management oversight"  # recorder.domain.signing.OVERSIGHT_MEANING
# the signatures a signed-off visit still takes: an addendum's and its acknowledgement's
AFTER_SIGN_OFF = ("Addendum", "Addendum acknowledged")
# rows that belong to a visit and may not be added once it is signed off
CHILD_TABLES = ("visit_section", "countersign", "oversight_note")
NO_TRUNCATE = (
    "visit",
    "visit_section",
    "addendum",
    "addendum_ack",
    "child_co_worker",
    "upgrade_notice",
)
_ALLOWED = ", ".join(f"'{m}'" for m in AFTER_SIGN_OFF)
_SIGNED = "(SELECT state FROM visit WHERE id = NEW.visit_id) = 'signed_off'"
_SIGNED_OFF_WITH_NOTE = f"""EXISTS (
    SELECT 1 FROM signature s JOIN oversight_note n ON n.signature_id = s.id
    WHERE s.visit_id = NEW.id AND s.meaning = '{SIGN_OFF_MEANING}' AND n.visit_id = NEW.id"""


def _sqlite() -> list[str]:
    out = [
        """CREATE TRIGGER visit_signed_off_no_insert BEFORE INSERT ON visit
           FOR EACH ROW WHEN NEW.state = 'signed_off'
           BEGIN SELECT RAISE(ABORT, 'recorder: a visit cannot be created signed off'); END""",
        f"""CREATE TRIGGER visit_signed_off_needs_signature BEFORE UPDATE ON visit
           FOR EACH ROW WHEN NEW.state = 'signed_off' AND OLD.state <> 'signed_off'
                          AND NOT {_SIGNED_OFF_WITH_NOTE})
           BEGIN SELECT RAISE(ABORT,
             'recorder: a visit is signed off only with its sign-off signature and oversight note');
           END""",
        f"""CREATE TRIGGER signature_signed_off_no_insert BEFORE INSERT ON signature
           FOR EACH ROW WHEN {_SIGNED} AND NEW.meaning NOT IN ({_ALLOWED})
           BEGIN SELECT RAISE(ABORT, 'recorder: a signed-off visit cannot be changed'); END""",
    ]
    for t in CHILD_TABLES:
        out.append(
            f"""CREATE TRIGGER {t}_signed_off_no_insert BEFORE INSERT ON {t}
               FOR EACH ROW WHEN {_SIGNED}
               BEGIN SELECT RAISE(ABORT, 'recorder: a signed-off visit cannot be changed'); END"""
        )
    return out


def _pg() -> list[str]:
    out = [
        """CREATE FUNCTION recorder_refuse_signed_off_insert() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN
             IF TG_TABLE_NAME = 'visit' THEN
               RAISE EXCEPTION 'recorder: a visit cannot be created signed off'
                 USING ERRCODE = 'integrity_constraint_violation';
             END IF;
             IF EXISTS (SELECT 1 FROM visit WHERE id = NEW.visit_id AND state = 'signed_off')
             THEN
               RAISE EXCEPTION 'recorder: a signed-off visit cannot be changed (INSERT into %)',
                 TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
             END IF;
             RETURN NEW;
           END $$""",
        f"""CREATE FUNCTION recorder_check_sign_off() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF NOT EXISTS (
                 SELECT 1 FROM signature s JOIN oversight_note n ON n.signature_id = s.id
                 WHERE s.visit_id = NEW.id AND s.meaning = '{SIGN_OFF_MEANING}'
                   AND n.visit_id = NEW.id AND s.xmin = pg_current_xact_id()::xid) THEN
               RAISE EXCEPTION 'recorder: a visit is signed off only with its sign-off '
                 'signature and oversight note, in the same transaction'
                 USING ERRCODE = 'integrity_constraint_violation';
             END IF;
             RETURN NULL;
           END $$""",
        """CREATE TRIGGER visit_signed_off_no_insert BEFORE INSERT ON visit
           FOR EACH ROW WHEN (NEW.state = 'signed_off')
           EXECUTE FUNCTION recorder_refuse_signed_off_insert()""",
        """CREATE CONSTRAINT TRIGGER visit_signed_off_needs_signature AFTER UPDATE ON visit
           DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
           WHEN (NEW.state = 'signed_off' AND OLD.state IS DISTINCT FROM 'signed_off')
           EXECUTE FUNCTION recorder_check_sign_off()""",
        f"""CREATE TRIGGER signature_signed_off_no_insert BEFORE INSERT ON signature
           FOR EACH ROW WHEN (NEW.visit_id IS NOT NULL AND NEW.meaning NOT IN ({_ALLOWED}))
           EXECUTE FUNCTION recorder_refuse_signed_off_insert()""",
    ]
    for t in CHILD_TABLES:
        out.append(
            f"""CREATE TRIGGER {t}_signed_off_no_insert BEFORE INSERT ON {t}
               FOR EACH ROW WHEN (NEW.visit_id IS NOT NULL)
               EXECUTE FUNCTION recorder_refuse_signed_off_insert()"""
        )
    for t in NO_TRUNCATE:
        out.append(
            f"""CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t}
               FOR EACH STATEMENT EXECUTE FUNCTION recorder_refuse_change()"""
        )
    return out


def upgrade() -> None:
    for sql in _pg() if op.get_bind().dialect.name == "postgresql" else _sqlite():
        op.execute(sql)


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    names = [
        ("visit_signed_off_no_insert", "visit"),
        ("visit_signed_off_needs_signature", "visit"),
        ("signature_signed_off_no_insert", "signature"),
        *((f"{t}_signed_off_no_insert", t) for t in CHILD_TABLES),
    ]
    if pg:
        names += [(f"{t}_no_truncate", t) for t in NO_TRUNCATE]
    for name, table in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if pg else ""))
    if pg:
        op.execute("DROP FUNCTION IF EXISTS recorder_check_sign_off()")
        op.execute("DROP FUNCTION IF EXISTS recorder_refuse_signed_off_insert()")
