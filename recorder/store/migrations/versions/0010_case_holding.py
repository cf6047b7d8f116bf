"""Case holding (issue 12, DOMAIN.md "Case holding"): ``child_co_worker`` (a named co-worker
on a child, with start and end) and ``upgrade_notice`` (what an upgrade changed, printed once).

Only a registered social worker (or a manager) holds a case. Every child held now by an
unqualified worker (a student, apprentice, trainee or worker awaiting registration, or a
qualified role with no registration number) is given to the manager of the child's team as
holder (its team manager; else the service manager above the team; else nobody), and the
worker becomes the child's co-worker from today. Each move is written to ``upgrade_notice``
so that ``recorder`` prints it once.

``child_co_worker`` rows are never deleted and change only when the co-worker is ended, once;
``upgrade_notice`` rows are never deleted and change only when shown, once (triggers on
SQLite and PostgreSQL).

Revision ID: 0010
Revises: 0009
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_KIND_WORDS = {
    "student": "student",
    "apprentice": "apprentice",
    "trainee": "trainee",
    "awaiting_registration": "awaiting registration",
}
_CO_FIXED = ("child_id", "worker_id", "start_on", "added_by_id", "created_at")
_NOTICE_FIXED = ("revision", "message", "created_at")


def upgrade() -> None:
    op.create_table(
        "child_co_worker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"]),
        sa.ForeignKeyConstraint(["added_by_id"], ["worker.id"]),
        sa.ForeignKeyConstraint(["ended_by_id"], ["worker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("child_co_worker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_co_worker_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_child_co_worker_worker_id"), ["worker_id"], unique=False
        )
    op.create_table(
        "upgrade_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    _move_unqualified_holders()
    for sql in _sqlite() if op.get_bind().dialect.name == "sqlite" else _pg():
        op.execute(sql)


def _move_unqualified_holders() -> None:
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    today = now.date()
    held = bind.execute(
        sa.text(
            "SELECT c.id, c.reference, c.team_id, w.id, w.full_name, w.role, "
            "w.unqualified_kind, w.team_id "
            "FROM child c JOIN worker w ON w.id = c.allocated_worker_id "
            "WHERE w.role = 'unqualified' OR (w.role IN "
            "('social_worker', 'team_manager', 'service_manager') AND "
            "(w.registration_number IS NULL OR w.registration_number = '')) "
            "ORDER BY c.reference, c.id"
        )
    ).all()
    for child_id, ref, child_team, worker_id, worker_name, role, kind, worker_team in held:
        team_id = child_team if child_team is not None else worker_team
        manager = _manager_of(bind, team_id)
        bind.execute(
            sa.text("UPDATE child SET allocated_worker_id = :m WHERE id = :c"),
            {"m": manager[0] if manager else None, "c": child_id},
        )
        bind.execute(
            sa.text(
                "INSERT INTO child_co_worker (child_id, worker_id, start_on, created_at) "
                "VALUES (:c, :w, :d, :now)"
            ),
            {"c": child_id, "w": worker_id, "d": today, "now": now},
        )
        what = (
            _KIND_WORDS.get(kind or "", "not registered")
            if role == "unqualified"
            else ("no registration number")
        )
        to = (
            f"{manager[1]} ({manager[2]}) now holds it"
            if manager
            else "it is now unallocated (the team has no manager)"
        )
        message = (
            f"Child {ref} was held by {worker_name} ({what}), who cannot hold a case: {to}, "
            f"and {worker_name} is its co-worker. To give it to a registered social worker: "
            f"recorder allocate {ref} USERNAME"
        )
        bind.execute(
            sa.text(
                "INSERT INTO upgrade_notice (revision, message, created_at) "
                "VALUES ('0010', :m, :now)"
            ),
            {"m": message, "now": now},
        )


def _manager_of(bind, team_id):
    """(id, name, role words) of the team's registered team manager, else its service
    manager, else None."""
    if team_id is None:
        return None
    row = bind.execute(
        sa.text(
            "SELECT id, full_name FROM worker WHERE team_id = :t AND role = 'team_manager' "
            "AND active = :yes AND registration_number IS NOT NULL "
            "AND registration_number <> '' ORDER BY id"
        ),
        {"t": team_id, "yes": True},
    ).first()
    if row is not None:
        return (row[0], row[1], "team manager")
    row = bind.execute(
        sa.text(
            "SELECT w.id, w.full_name FROM team t JOIN worker w ON w.id = t.service_manager_id "
            "WHERE t.id = :t AND w.active = :yes AND w.registration_number IS NOT NULL "
            "AND w.registration_number <> ''"
        ),
        {"t": team_id, "yes": True},
    ).first()
    return (row[0], row[1], "service manager") if row is not None else None


def _sqlite() -> list[str]:
    out = []
    for table, fixed, moment in (
        ("child_co_worker", _CO_FIXED, "end_on"),
        ("upgrade_notice", _NOTICE_FIXED, "shown_at"),
    ):
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in fixed)
        out += [
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} FOR EACH ROW "
            f"BEGIN SELECT RAISE(ABORT, 'recorder: {table} rows cannot be deleted'); END",
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN OLD.{moment} IS NOT NULL OR {changed} "
            f"BEGIN SELECT RAISE(ABORT, 'recorder: a {table} row changes only once, "
            f"when its {moment} is set'); END",
        ]
    return out


def _pg() -> list[str]:
    out = []
    for table, fixed, moment in (
        ("child_co_worker", _CO_FIXED, "end_on"),
        ("upgrade_notice", _NOTICE_FIXED, "shown_at"),
    ):
        changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in fixed)
        out += [
            f"""CREATE FUNCTION recorder_guard_{table}() RETURNS trigger
               LANGUAGE plpgsql AS $$
               BEGIN
                 IF TG_OP = 'DELETE' OR OLD.{moment} IS NOT NULL OR {changed} THEN
                   RAISE EXCEPTION 'recorder: a {table} row changes only once, when its {moment} is set (%)',
                     TG_OP USING ERRCODE = 'integrity_constraint_violation';
                 END IF;
                 RETURN NEW;
               END $$""",
            f"""CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table}
               FOR EACH ROW EXECUTE FUNCTION recorder_guard_{table}()""",
        ]
    return out


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    for table in ("child_co_worker", "upgrade_notice"):
        if pg:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_guard ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS recorder_guard_{table}()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    op.drop_table("upgrade_notice")
    op.drop_table("child_co_worker")
