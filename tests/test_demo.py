"""The demo store (populate) and the benchmark store (populate_bulk), on SQLite and PostgreSQL,
and ``recorder demo`` from the command line."""

from __future__ import annotations

import io
import sqlite3
import stat
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from recorder.demo import bulk, team
from recorder.domain.content import content_digest
from recorder.domain.flags import visit_flags
from recorder.domain.validation import (
    VisitContext,
    age_on,
    blocking,
    overridden_queries,
    validate,
)
from recorder.domain.workflow import VisitState
from recorder.services import accounts, queries
from recorder.services.errors import Conflict, NotAllowed
from recorder.store import models as m

ROOT = Path(__file__).resolve().parents[1]


def counts(svc) -> dict[str, int]:
    with svc.reading() as s:
        return {
            t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in m.ALL_TABLES
        }


def check_record(svc, s, v: m.Visit) -> None:
    """A submitted record: no blocking findings, and (signed off) every flag answered."""
    child = s.get(m.Child, v.child_id)
    content = queries.visit_content(s, v.id)
    ctx = VisitContext(
        child_name=child.full_name,
        child_dob=child.date_of_birth,
        now=svc.now_local(),
        plan_risks=tuple(child.plan_risks),
    )
    findings = validate(content, ctx)
    assert blocking(findings, v.query_reasons) == [], (child.reference, v.state)
    if v.state == VisitState.SIGNED_OFF:
        note = s.exec(select(m.OversightNote).where(m.OversightNote.visit_id == v.id)).one()
        author = s.get(m.Worker, v.author_id)
        flags = visit_flags(
            content,
            author_needs_countersign=author.role == "unqualified",
            query_reasons=overridden_queries(findings, v.query_reasons),
            recorded_late=False,
        )
        assert {f.code for f in flags} <= set(note.flag_responses), child.reference
        assert all(r.strip() for r in note.flag_responses.values())


def test_populate_makes_the_demo_team(svc):
    clock, hasher = svc.clock, svc.hasher
    accs = team.populate(svc)
    assert svc.clock is clock and svc.hasher is hasher  # put back after the time travel
    assert [a.username for a in accs] == [
        "admin",
        "manager",
        "sam",
        "priya",
        "tom",
        "student",
        "awaiting",
        "lucy",  # registered, her register check overdue (issue 12)
        "head",  # the service manager, then the second team (recorder.demo.service)
        "amal",
        "ben",
        "josie",
    ]
    assert all(len(a.password) >= 10 for a in accs)
    assert all(a.password == f"demo-{a.username}-1" for a in accs)
    assert all(a.description for a in accs)
    with svc.reading() as s:
        workers = {w.username: w for w in s.exec(select(m.Worker))}
        roles = Counter((w.role, w.unqualified_kind) for w in workers.values())
        assert roles == {
            ("administrator", None): 1,
            ("team_manager", None): 2,  # one in each team
            ("service_manager", None): 1,  # above both teams
            ("social_worker", None): 6,
            ("unqualified", "student"): 1,
            ("unqualified", "awaiting_registration"): 1,
        }
        for w in workers.values():
            registered = w.role in ("social_worker", "team_manager", "service_manager")
            assert bool(w.registration_number) == registered, w.username
            if registered:
                assert w.registration_number.startswith("SW")
        assert "(SW" in accs[1].description and "countersign" in accs[5].description
        teams = s.exec(select(m.Team)).all()
        assert len(teams) == 2  # the scripted team and the second team (issue 11)
        assert {t.service_manager_id for t in teams} == {workers["head"].id}

        kids = s.exec(select(m.Child)).all()
        assert 35 <= len(kids) <= 50
        assert {k.plan_type for k in kids} == {
            "child_protection",
            "child_in_need",
            "looked_after",
            "private_fostering",
        }
        ages = [age_on(k.date_of_birth, svc.today()) for k in kids]
        assert min(ages) == 0 and max(ages) == 17
        # the child's own need, and parents and carers on the record (issue 12): among them
        # "a mother who does not speak English"
        needing = {c.child_id for c in s.exec(select(m.Carer)) if c.interpreter_needed}
        assert sum(k.interpreter_needed or k.id in needing for k in kids) >= 6
        assert any(
            c.relationship == "mother" and c.interpreter_needed and c.first_language != "English"
            for c in s.exec(select(m.Carer))
        )
        assert {"李明", "Zofia Wiśniewska", "Ioana Popescu"} <= {k.full_name for k in kids}
        assert len({k.ethnicity for k in kids}) >= 12
        by_holder = Counter(k.allocated_worker_id for k in kids)
        # nobody unqualified holds a case (issue 12, defect 6): the student and the worker
        # awaiting registration are co-workers on the children they visit
        assert set(by_holder) == {
            workers[u].id for u in ("manager", "sam", "priya", "tom", "amal", "ben", "josie")
        }
        co = Counter(r.worker_id for r in s.exec(select(m.ChildCoWorker)))
        assert set(co) == {workers["student"].id, workers["awaiting"].id}
        assert co[workers["student"].id] >= 3 and co[workers["awaiting"].id] >= 3
        assert 2 <= by_holder[workers["manager"].id] <= 3

        all_visits = s.exec(select(m.Visit)).all()
        states = Counter(v.state for v in all_visits)
        assert set(states) == {s_.value for s_ in VisitState}
        returned = {r.visit_id for r in s.exec(select(m.ReturnComment))}
        assert any(v.state == VisitState.DRAFT and v.id in returned for v in all_visits)
        assert all(r.comment.strip() for r in s.exec(select(m.ReturnComment)))
        countersigned = {c.visit_id for c in s.exec(select(m.Countersign))}
        unqualified = {workers["student"].id, workers["awaiting"].id}
        signed = [v for v in all_visits if v.state == VisitState.SIGNED_OFF]
        assert any(v.author_id in unqualified for v in signed)
        for v in signed:
            assert (v.id in countersigned) == (v.author_id in unqualified)
        assert any(
            v.author_id in unqualified
            for v in all_visits
            if v.state == VisitState.AWAITING_COUNTERSIGN
        )
        # the variety the demo is meant to show
        sections = {(r.visit_id, r.section): r.data for r in s.exec(select(m.VisitSection))}
        seen = [sections[(v.id, "seen")] for v in all_visits if v.state != VisitState.DRAFT]
        assert any(x.get("child_seen") == "no" for x in seen)
        assert any(x.get("seen_alone") == "no" for x in seen)
        assert any("infant_awake" in x for x in seen)
        identity = [sections[(v.id, "identity")] for v in signed]
        assert any(x.get("interpreter_relationship") == "family" for x in identity)
        overridden = {code for v in signed for code in v.query_reasons}
        assert overridden >= {
            "seen.not_alone_unable",
            "seen.infant_not_awake",
            "voice.no_quoted_words",
            "identity.interpreter_not_professional",
        }
        assert any(
            not sections[(v.id, "voice")] for v in all_visits if v.state == VisitState.DRAFT
        )  # a half-filled draft

        for v in all_visits:
            if v.state != VisitState.DRAFT:
                check_record(svc, s, v)
            assert v.visit_at is None or v.visit_at <= svc.now_local()

        # statutory visits: at least one is overdue (the clock of the plan in force, from
        # visits of its own type: issue 12)
        clocks = queries.statutory_clocks(svc, s, kids)
        overdue = [k.reference for k in kids if (clocks[k.id].due or date.max) < svc.today()]
        assert 1 <= len(overdue) <= 8
    # everything went through the services: audited, and no case text in the audit trail
    with svc.reading() as s:
        audit = s.exec(select(m.AuditEvent)).all()
    assert {a.action for a in audit} >= {
        "create_first_admin",
        "add_user",
        "import_children",
        "start_visit",
        "save_section",
        "submit",
        "countersign",
        "return_for_changes",
        "sign_off",
    }
    assert all(a.outcome == "ok" for a in audit)
    assert not any("Wiśniewska" in a.detail or "Amira" in a.detail for a in audit)
    assert max(a.at for a in audit).replace(tzinfo=None) <= svc.now().replace(tzinfo=None)
    # the service manager's queue: the team managers' own records and an escalated one
    from recorder.services import oversight

    head = {r.child_reference: r for r in oversight.oversight_queue(svc, workers["head"].id)}
    assert head["RV-1010"].manager_record and head["RV-1010"].can_act
    assert head["HS-2004"].manager_record and head["HS-2004"].can_act
    assert head["HS-2002"].escalated and head["HS-2002"].due_said.endswith(", escalated")

    # every account signs in with the password printed for it
    for a in accs:
        assert accounts.sign_in(svc, a.username, a.password).id
    # and a second demo (or bulk load) into the same store is refused, writing nothing
    before = counts(svc)
    with pytest.raises(Conflict, match="empty store"):
        team.populate(svc)
    with pytest.raises(Conflict, match="empty store"):
        bulk.populate_bulk(svc, children=5, visits_per_child=1)
    assert counts(svc) == before


def test_populate_bulk_counts_and_refusal(svc):
    result = bulk.populate_bulk(svc, children=50, visits_per_child=4)
    assert (result.children, result.visits) == (50, 200)
    assert result.seconds >= 0
    n = counts(svc)
    assert n["child"] == 50 and n["visit"] == 200 and n["visit_section"] == 200 * 7
    assert n["team"] == 1 and n["worker"] == 1 + 9
    assert n["audit_event"] == 1
    with svc.reading() as s:
        event = s.exec(select(m.AuditEvent)).one()
        admin = s.exec(select(m.Worker).where(m.Worker.username == "admin")).one()
        assert (event.actor_id, event.action, event.outcome) == (admin.id, "bulk_load", "ok")
        assert "visits=200" in event.detail
        assert not any(c.full_name in event.detail for c in s.exec(select(m.Child)))
        states = Counter(v.state for v in s.exec(select(m.Visit)))
        assert states["signed_off"] > 100 and len(states) >= 3
        submitted = s.exec(select(m.Visit).where(m.Visit.state != "draft")).all()
        for v in submitted:
            check_record(svc, s, v)
        # each signature holds the SHA-256 of exactly what the services would have signed
        signatures = {g.id: g for g in s.exec(select(m.Signature))}
        assert len(signatures) >= states["signed_off"]
        for c in s.exec(select(m.Countersign)):
            v = s.get(m.Visit, c.visit_id)
            payload = {
                "visit_id": v.id,
                "version": 9,
                "content": queries.visit_content(s, v.id),
                "query_reasons": v.query_reasons,
                "comment": c.comment,
            }
            assert signatures.pop(c.signature_id).content_sha256 == content_digest(payload)
        for note in s.exec(select(m.OversightNote)):
            v = s.get(m.Visit, note.visit_id)
            countersigns = s.exec(select(m.Countersign).where(m.Countersign.visit_id == v.id))
            payload = {
                "visit_id": v.id,
                "version": v.version - 1,
                "content": queries.visit_content(s, v.id),
                "query_reasons": v.query_reasons,
                "countersigns": [{"by": c.worker_id, "comment": c.comment} for c in countersigns],
                "oversight": {
                    k: getattr(note, k)
                    for k in (
                        "decision",
                        "analysis",
                        "risk",
                        "actions",
                        "timeframe",
                        "child_voice",
                        "flag_responses",
                    )
                },
            }
            assert signatures.pop(note.signature_id).content_sha256 == content_digest(payload)
        assert signatures == {}
        words = [
            sum(
                len(str(text).split())
                for section in queries.visit_content(s, v.id).values()
                for text in section.values()
                if isinstance(text, str) and len(text) > 200
            )
            for v in submitted
        ]
        assert sum(words) / len(words) >= 300  # several hundred words in the long sections
    # the bulk accounts share one password; new rows after the bulk load get fresh ids
    admin_id = accounts.sign_in(svc, "admin", bulk.BULK_PASSWORD).id
    accounts.add_team(svc, admin_id, "Another team")
    before = counts(svc)
    with pytest.raises(Conflict, match="empty store"):
        bulk.populate_bulk(svc, children=50, visits_per_child=4)
    assert counts(svc) == before


def test_populate_bulk_several_teams(sqlite_svc):
    result = bulk.populate_bulk(sqlite_svc, children=30, visits_per_child=2, teams=3)
    assert result.visits == 60
    with sqlite_svc.reading() as s:
        per_team = Counter(c.team_id for c in s.exec(select(m.Child)))
        assert sorted(per_team.values()) == [10, 10, 10]
        assert s.scalar(select(func.count()).select_from(m.Worker)) == 1 + 3 * 9


def test_populate_bulk_is_the_same_made_here_or_by_worker_processes(tmp_path, clock, monkeypatch):
    from tests.support.stores import make_services

    monkeypatch.setattr(bulk, "BATCH", 24)  # several jobs from a small load
    stores = []
    for workers in (1, 2):
        svc = make_services(f"sqlite:///{tmp_path / str(workers) / 'r.sqlite3'}", clock)
        # 8 jobs: more than the first and the 2 * workers kept in flight
        result = bulk.populate_bulk(svc, children=60, visits_per_child=3, workers=workers)
        assert result.visits == 180
        with svc.reading() as s:
            assert s.scalar(select(func.count()).select_from(m.Child)) == 60
            assert s.scalar(select(func.count()).select_from(m.Visit)) == 180
            stores.append(
                {
                    t.__tablename__: sorted(
                        tuple(getattr(r, c.name) for c in t.__table__.columns if c.name != "at")
                        for r in s.exec(select(t))
                    )
                    for t in m.ALL_TABLES
                    if t is not m.Worker
                }
            )
        svc.engine.dispose()
    assert stores[0] == stores[1]


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """``recorder ARGS`` on the store in ``data_dir``, by the command line's own main in this
    process (the same code without an interpreter's start-up: ~1 s of CPU a run)."""
    from recorder.cli import main

    def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
        with monkeypatch.context() as m:
            m.setenv("RECORDER_DATA_DIR", str(data_dir))
            m.delenv("RECORDER_DATABASE_URL", raising=False)
            m.delenv("RECORDER_DEBUG", raising=False)
            m.setattr(sys, "stdin", io.StringIO(""))
            capsys.readouterr()
            code = main(list(args))
            out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


def test_cli_demo_makes_a_private_store_once(tmp_path, run_cli):
    data = tmp_path / "new" / "store"
    done = run_cli("demo", data_dir=data)
    assert done.returncode == 0, done.stderr
    for a in ("admin", "manager", "sam", "priya", "tom", "student", "awaiting"):
        assert f"  {a} " in done.stdout
    assert "demo-manager-1" in done.stdout
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    db = data / "recorder.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    for suffix in ("-wal", "-shm"):
        extra = Path(str(db) + suffix)
        if extra.exists():
            assert stat.S_IMODE(extra.stat().st_mode) == 0o600
    con = sqlite3.connect(db)
    try:
        assert con.execute("select count(*) from alembic_version").fetchone()[0] == 1
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert con.execute("select count(*) from visit").fetchone()[0] > 30
    finally:
        con.close()

    again = run_cli("demo", data_dir=data)
    assert again.returncode != 0
    message = again.stderr.strip()
    assert message.startswith("recorder: ") and "empty store" in message
    assert "\n" not in message and "Traceback" not in again.stderr


def _indexes(svc) -> set[tuple[str, str]]:
    from sqlalchemy import text

    with svc.engine.connect() as c:
        if c.dialect.name == "sqlite":
            return set(c.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index'")))
        return set(
            c.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                )
            )
        )


def test_populate_bulk_puts_back_every_index_and_the_store_settings(svc):
    """The bulk load drops secondary indexes and (SQLite) relaxes durability while it runs."""
    from sqlalchemy import text

    before = _indexes(svc)
    bulk.populate_bulk(svc, children=20, visits_per_child=3)
    assert _indexes(svc) == before
    with svc.engine.connect() as c:
        if c.dialect.name == "sqlite":
            assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert c.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        # the indexes are used: a child's visits are found through one
        plan = " ".join(
            str(r)
            for r in c.execute(
                text(
                    ("EXPLAIN QUERY PLAN " if c.dialect.name == "sqlite" else "EXPLAIN ")
                    + "SELECT id FROM visit WHERE child_id = 3"
                )
            )
        )
        assert "ix_visit_child" in plan or c.dialect.name == "postgresql"


def test_populate_bulk_reports_its_progress(svc):
    calls = []
    bulk.populate_bulk(
        svc,
        children=20,
        visits_per_child=3,
        progress=lambda done, total, what: calls.append((done, total, what)),
    )
    visits_done = [c for c in calls if c[2] == "visits"]
    indexes = [c for c in calls if c[2] == "indexes built"]
    assert visits_done and visits_done[-1] == (60, 60, "visits")
    assert [d for d, _, _ in visits_done] == sorted(d for d, _, _ in visits_done)
    assert indexes and indexes[-1][0] == indexes[-1][1] == len(indexes)
    assert calls.index(indexes[0]) > calls.index(visits_done[-1])  # the indexes come last


def test_populate_bulk_busiest_child(sqlite_svc):
    result = bulk.populate_bulk(
        sqlite_svc, children=10, visits_per_child=2, busiest_child_visits=120
    )
    assert (result.children, result.visits) == (11, 140)
    with sqlite_svc.reading() as s:
        rows = s.execute(
            select(m.Visit.child_id, func.count(), func.min(m.Visit.visit_at)).group_by(
                m.Visit.child_id
            )
        ).all()
        by_child = {c: (n, first) for c, n, first in rows}
        assert by_child[11][0] == 120 and all(n == 2 for c, (n, _) in by_child.items() if c != 11)
        child = s.get(m.Child, 11)
        assert by_child[11][1].date() > child.date_of_birth  # no visit before the child was born
        ids = [v for (v,) in s.execute(select(m.Visit.id).order_by(m.Visit.id))]
        assert ids == list(range(1, 141))
        assert (
            s.scalar(
                select(func.count())
                .select_from(m.OversightNote)
                .where(m.OversightNote.child_id == 11)
            )
            >= 110
        )
        # and case-level notes between the visits, signed over exactly the note
        case_notes = s.scalars(
            select(m.OversightNote).where(
                m.OversightNote.child_id == 11, m.OversightNote.visit_id == None
            )
        ).all()  # noqa: E711
        assert 8 <= len(case_notes) <= 12
        for note in case_notes:
            payload = {
                "child_id": 11,
                "oversight": {
                    k: getattr(note, k)
                    for k in (
                        "decision",
                        "analysis",
                        "risk",
                        "actions",
                        "timeframe",
                        "child_voice",
                        "flag_responses",
                    )
                },
            }
            assert s.get(m.Signature, note.signature_id).content_sha256 == content_digest(payload)
    from recorder.services import integrity

    report = integrity.check_store(sqlite_svc)
    assert report.ok, report.problems


def test_the_demo_has_one_worker_whose_registration_check_is_overdue(svc):
    """Issue 12, "Done when": one worker whose registration check is overdue, refused at
    countersign with words naming the fix; everyone else registered was checked after the
    last renewal deadline, so the rest of the demo works (DOMAIN.md "Who uses it")."""
    from recorder.services import accounts, oversight, visits

    team.populate(svc)
    users = {u.username: u for u in accounts.list_users(svc, _admin_id(svc))}
    overdue = [u.username for u in users.values() if u.registration_problem]
    assert overdue == ["lucy"]
    lucy = users["lucy"].id
    waiting = oversight.countersign_queue(svc, lucy)  # she sees her team's queue ...
    assert waiting
    with pytest.raises(NotAllowed) as refused:  # ... and is refused at the countersign
        visits.countersign(
            svc, lucy, waiting[0].visit_id, "I read every section of this record.", "demo-lucy-1"
        )
    assert "recorder user check-registration lucy --on DATE" in refused.value.message
    assert "renewal deadline" in refused.value.message


def _admin_id(svc) -> int:
    with svc.reading() as s:
        return s.exec(select(m.Worker.id).where(m.Worker.username == "admin")).one()


def test_a_killed_loads_shared_memory_folder_is_removed_by_the_next_load():
    """A bulk load killed outright (SIGKILL: no clean-up runs) left its rows in /dev/shm for
    good. The next load removes the folders of loads no longer running, and only those."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from recorder.demo import shm

    if not os.path.isdir(shm.SHARED) or not os.access(shm.SHARED, os.W_OK | os.X_OK):
        pytest.skip("no shared memory folder on this machine")
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # its process id is no longer running
    stale = Path(shm.SHARED) / f"{shm.SHARED_PREFIX}{ended.pid}-killed"
    running = Path(shm.SHARED) / f"{shm.SHARED_PREFIX}{os.getpid()}-running"
    try:
        for folder in (stale, running):
            folder.mkdir(mode=0o700)
            (folder / "job-0").write_bytes(b"rows")
        with shm.shared_folder() as made:
            assert made is not None
            assert Path(made).name.startswith(f"{shm.SHARED_PREFIX}{os.getpid()}-")
            assert not stale.exists()
            assert (running / "job-0").exists()  # a load still running keeps its rows
        assert not Path(made).exists()
    finally:
        shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(running, ignore_errors=True)
