"""Storage on SQLite and PostgreSQL: migrations, a round trip of every table, file modes."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, SQLModel, select

from recorder.store import models as m
from recorder.store.engine import make_engine, writer
from recorder.store.migrate import current_revision, head_revision, upgrade


def test_migrations_from_empty_to_head_match_the_models(db_url):
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    tables = set(inspect(engine).get_table_names())
    assert {t.__tablename__ for t in m.ALL_TABLES} | {"alembic_version"} <= tables
    # the migrated schema has every column the models declare
    insp = inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        cols = {c["name"] for c in insp.get_columns(table.name)}
        assert {c.name for c in table.columns} == cols, table.name
    # and alembic sees nothing left to generate
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        from recorder.store.search_key import include_name

        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
    assert upgrade(engine) is None  # already at head: nothing to do, no copy
    engine.dispose()


def test_round_trip_of_every_table(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    now = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
    names = "Zofia Wiśniewska · 李明 · محمد · [bold]x[/]"
    with Session(writer(engine)) as s, s.begin():
        team = m.Team(name="North", created_at=now)
        s.add(team)
        s.flush()
        w = m.Worker(
            username="sw",
            full_name=names,
            role="social_worker",
            registration_number="SW1",
            registration_checked_on=date(2026, 1, 2),
            team_id=team.id,
            password_hash="h",
            created_at=now,
        )
        s.add(w)
        s.flush()
        c = m.Child(
            reference="C1",
            full_name=names,
            date_of_birth=date(2015, 1, 1),
            plan_type="child_protection",
            plan_start=date(2026, 1, 1),
            plan_risks=["Neglect", "ą ę"],
            team_id=team.id,
            allocated_worker_id=w.id,
            created_at=now,
        )
        s.add(c)
        s.flush()
        v = m.Visit(
            child_id=c.id,
            author_id=w.id,
            team_id=team.id,
            visit_at=datetime(2026, 11, 1, 10, 0),
            query_reasons={"seen.x": "because"},
            created_at=now,
            updated_at=now,
        )
        s.add(v)
        s.flush()
        s.add(
            m.VisitSection(
                visit_id=v.id, section="voice", data={"said": "“hi” 你好"}, updated_at=now
            )
        )
        sig = m.Signature(
            visit_id=v.id,
            child_id=c.id,
            signer_id=w.id,
            signer_name="x",
            signer_role="Social worker",
            registration_number="SW1",
            signed_at=now,
            meaning="Qualified countersign",
            content_sha256="a" * 64,
        )
        s.add(sig)
        s.flush()
        s.add(
            m.Countersign(
                visit_id=v.id, worker_id=w.id, comment="ok", signature_id=sig.id, created_at=now
            )
        )
        s.add(
            m.OversightNote(
                child_id=c.id,
                visit_id=v.id,
                manager_id=w.id,
                decision="d",
                analysis="a",
                risk="r",
                actions=[{"what": "w"}],
                timeframe="t",
                child_voice="v",
                flag_responses={"f": "r"},
                signature_id=sig.id,
                created_at=now,
            )
        )
        s.add(
            m.ReturnComment(
                visit_id=v.id,
                worker_id=w.id,
                from_state="awaiting_oversight",
                comment="more",
                created_at=now,
            )
        )
        s.add(
            m.AuditEvent(
                at=now,
                actor_id=w.id,
                action="x",
                entity="visit",
                entity_id=v.id,
                outcome="ok",
                prev_sha256="0" * 64,
                sha256="1" * 64,
            )
        )
        add = m.Addendum(
            visit_id=v.id,
            child_id=c.id,
            author_id=w.id,
            reason="why",
            text="ą 你好",
            signature_id=sig.id,
            created_at=now,
        )
        s.add(add)
        s.flush()
        s.add(
            m.AddendumAck(addendum_id=add.id, manager_id=w.id, signature_id=sig.id, created_at=now)
        )
        s.add(
            m.FormDraft(
                kind="oversight",
                writer_id=w.id,
                subject=f"visit:{v.id}",
                visit_id=v.id,
                child_id=c.id,
                content={"decision": "“half” 你好", "actions": [{"what": "w"}]},
                updated_at=now,
            )
        )
        s.add(
            m.TrackedAction(
                source_kind="countersign",
                child_id=c.id,
                visit_id=v.id,
                assignee_id=w.id,
                what="Book the next visit jointly with me 你好",
                due_on=date(2026, 12, 10),
                created_by_id=w.id,
                created_at=now,
            )
        )
        sup = m.Supervision(
            worker_id=w.id,
            manager_id=w.id,
            team_id=team.id,
            held_on=date(2026, 11, 20),
            attended="both",
            wellbeing="well",
            workload="heavy",
            learning="ASYE portfolio",
            signature_id=sig.id,
            created_at=now,
        )
        s.add(sup)
        s.flush()
        s.add(
            m.SupervisionCase(
                supervision_id=sup.id,
                child_id=c.id,
                decision="d",
                actions=[{"what": "w", "who": "x", "by_when": "y"}],
                child_voice="v",
                created_at=now,
            )
        )
        plan = m.ChildPlan(
            child_id=c.id, plan_type="looked_after", start_on=date(2026, 1, 1), created_at=now
        )
        s.add(plan)
        s.flush()
        s.add(
            m.PlanFrequency(
                plan_id=plan.id,
                set_on=date(2026, 1, 5),
                visit_every_working_days=5,
                set_by="Looked-after review 你好",
                recorded_by_id=w.id,
                created_at=now,
            )
        )
        s.add(
            m.Placement(
                child_id=c.id,
                plan_id=plan.id,
                placement_type="connected_person_reg24",
                start_on=date(2026, 1, 1),
                first_review_on=date(2026, 1, 29),
                created_at=now,
            )
        )
        contact = m.Contact(
            child_id=c.id,
            team_id=team.id,
            kind="domestic_abuse",
            received_at=datetime(2026, 11, 1, 7, 30),
            source_code="6",
            referrer="PC Jones 你好",
            concern="ą ę 你好",
            checked="records",
            incident_date=date(2026, 10, 31),
            risk_level="standard",
            children_present="both",
            recorded_by_id=w.id,
            created_at=now,
        )
        s.add(contact)
        s.flush()
        s.add(
            m.ContactAddendum(
                contact_id=contact.id,
                author_id=w.id,
                reason="r",
                text="ą 你好",
                signature_id=sig.id,
                created_at=now,
            )
        )
        s.add(
            m.ChildCoWorker(
                child_id=c.id, worker_id=w.id, start_on=date(2026, 1, 1), created_at=now
            )
        )
        s.add(
            m.SignificantEvent(
                child_id=c.id,
                team_id=team.id,
                occurred_on=date(2026, 2, 3),
                what="Moved school 你好",
                source="School",
                impact="ą ę: settled well",
                author_id=w.id,
                signature_id=sig.id,
                created_at=now,
            )
        )
        s.add(m.UpgradeNotice(revision="0010", message=names, created_at=now))
        s.add(
            m.ChildAlert(
                child_id=c.id,
                kind="child_not_seen",
                key=f"visit:{v.id}",
                raised_on=date(2026, 12, 2),
                raised_at=now,
                for_role="team_manager",
                details="Not seen on the visit of 1 Dec 2026 你好",
            )
        )
    with Session(engine) as s:
        for table in m.ALL_TABLES:
            assert len(s.exec(select(table)).all()) == 1, table.__name__
        w = s.exec(select(m.Worker)).one()
        assert w.full_name == names and w.registration_checked_on == date(2026, 1, 2)
        assert s.exec(select(m.Child)).one().plan_risks == ["Neglect", "ą ę"]
        v = s.exec(select(m.Visit)).one()
        assert v.visit_at == datetime(2026, 11, 1, 10, 0) and v.query_reasons == {
            "seen.x": "because"
        }
        assert s.exec(select(m.VisitSection)).one().data == {"said": "“hi” 你好"}
        assert s.exec(select(m.Signature)).one().signed_at == now
        assert s.exec(select(m.OversightNote)).one().actions == [{"what": "w"}]
        assert s.exec(select(m.FormDraft)).one().content["decision"] == "“half” 你好"
    engine.dispose()


def test_foreign_keys_are_enforced(db_url):
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(db_url)
    upgrade(engine)
    now = datetime.now(timezone.utc)
    with pytest.raises(IntegrityError):
        with Session(writer(engine)) as s, s.begin():
            s.add(m.Visit(child_id=999, author_id=999, created_at=now, updated_at=now))
    engine.dispose()


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_sqlite_files_and_folder_are_private(tmp_path):
    folder = tmp_path / "store"
    db = folder / "recorder.sqlite3"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with Session(writer(engine)) as s, s.begin():
        s.add(m.Team(name="T", created_at=datetime.now(timezone.utc)))
    assert mode(folder) == 0o700
    assert mode(db) == 0o600
    for suffix in ("-wal", "-shm"):
        p = folder / f"recorder.sqlite3{suffix}"
        if p.exists():
            assert mode(p) == 0o600, suffix
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


def test_sqlite_writes_take_the_lock_at_begin(tmp_path):
    """A writer's BEGIN IMMEDIATE holds the write lock: a second writer waits, not deadlocks."""
    db = tmp_path / "d" / "recorder.sqlite3"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with writer(engine).connect() as conn:
        conn.begin()
        other = sqlite3.connect(db, timeout=0.1)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        conn.rollback()
    engine.dispose()


def test_upgrade_copies_an_existing_sqlite_store_first(tmp_path):
    db = tmp_path / "d" / "recorder.sqlite3"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, "0001")
    with writer(engine).begin() as c:  # the 0001 schema: no column of a later migration
        c.execute(
            text("INSERT INTO team (name, created_at) VALUES ('Kept', :at)"),
            {"at": datetime.now(timezone.utc)},
        )
    engine.dispose()
    # pretend an older schema: stamp back to base, then upgrade from there copies first
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM alembic_version")
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as c:
        for t in reversed(SQLModel.metadata.sorted_tables):
            c.execute(text(f'DROP TABLE IF EXISTS "{t.name}"'))
        c.execute(text("CREATE TABLE legacy (x INTEGER)"))
    copy = upgrade(engine)
    assert copy is not None and copy.exists() and mode(copy) == 0o600
    with sqlite3.connect(copy) as c:
        assert c.execute("SELECT name FROM sqlite_master WHERE name='legacy'").fetchone()
    engine.dispose()


def test_engine_is_not_built_at_import():
    import subprocess
    import sys

    code = (
        "import sys, recorder.store.models, recorder.store.engine, recorder.services.visits;"
        "import sqlalchemy.engine.base as b;"
        "print(sum(1 for o in __import__('gc').get_objects() if isinstance(o, b.Engine)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
