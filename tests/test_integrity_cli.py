"""`recorder check`, `recorder backup` and `recorder restore`, run as an administrator would."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading

import pytest
from sqlmodel import select

from recorder.services import integrity, visits
from recorder.services.bootstrap import open_services
from recorder.store.models import AuditEvent, Visit
from tests.support.stores import make_services
from tests.test_cli import ok, refused, run  # noqa: F401  (fixture)

DEMO_ADMIN = {"RECORDER_ADMIN": "admin", "RECORDER_ADMIN_PASSWORD": "demo-admin-1"}


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def demo_store(tmp_path_factory):
    """A copy of recorder demo's store (tests/support/demo_store.py: made once per test
    process, with the suite's cheap argon2 parameters, and copied for each test)."""
    from tests.support.demo_store import demo_store as demo_copy

    return demo_copy(tmp_path_factory, "store")


def db(folder):
    return folder / "recorder.sqlite3"


def change_one_byte_of_a_signed_record(path) -> int:
    """With the triggers dropped, as someone with the file could: returns the visit's id."""
    c = sqlite3.connect(path)
    vid, data = c.execute(
        "SELECT s.visit_id, s.data FROM visit_section s JOIN visit v ON v.id = s.visit_id "
        "WHERE v.state = 'signed_off' AND s.section = 'observations' ORDER BY v.id LIMIT 1"
    ).fetchone()
    for (name,) in c.execute(
        "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='visit_section'"
    ).fetchall():
        c.execute(f"DROP TRIGGER {name}")
    i = next(k for k, ch in enumerate(data) if ch.isalpha() and ch.islower())
    c.execute(
        "UPDATE visit_section SET data = ? WHERE visit_id = ? AND section = 'observations'",
        (data[:i] + data[i].upper() + data[i + 1 :], vid),
    )
    c.commit()
    c.close()
    return vid


def test_check_passes_on_a_demo_store_and_names_a_changed_record(run, demo_store):
    out = ok(run(demo_store, "check", env=DEMO_ADMIN))
    assert "Check passed" in out and "SQLite integrity_check: ok" in out
    assert "Audit events:" in out and "Signatures:" in out
    vid = change_one_byte_of_a_signed_record(db(demo_store))
    r = run(demo_store, "check", env=DEMO_ADMIN)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Check FAILED" in r.stderr and f"of visit {vid})" in r.stderr.splitlines()[0]
    # the failed check is itself audited
    svc = open_services(demo_store)
    with svc.reading() as s:
        last = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.outcome) == ("check", "refused")
    svc.engine.dispose()


def test_check_is_for_administrators(run, demo_store):
    r = run(
        demo_store,
        "check",
        env={"RECORDER_ADMIN": "manager", "RECORDER_ADMIN_PASSWORD": "demo-manager-1"},
    )
    assert "Only an administrator" in refused(r)


def test_backup_while_the_store_is_being_written(run, demo_store, tmp_path):
    svc = make_services(f"sqlite:///{db(demo_store)}")
    with svc.reading() as s:
        v = s.exec(select(Visit).where(Visit.state == "draft")).first()
    stop = threading.Event()
    written = [0]

    def writer():
        while not stop.is_set():
            visits.start_visit(svc, v.author_id, v.child_id)
            written[0] += 1
            # another terminal's pace: a few milliseconds between writes. Back to back, its
            # next BEGIN IMMEDIATE always came first and the backup's audit write waited out
            # the lock timeout (once, at load 9)
            stop.wait(0.003)

    t = threading.Thread(target=writer)
    t.start()
    try:
        dest = tmp_path / "backups" / "store-copy.sqlite3"
        dest.parent.mkdir()
        out = ok(run(demo_store, "backup", str(dest), env=DEMO_ADMIN))
    finally:
        stop.set()
        t.join()
    assert written[0] > 0
    assert "Backed up" in out and mode(dest) == 0o600
    copy = make_services(f"sqlite:///{dest}")
    report = integrity.check_store(copy)
    assert report.ok, report.problems
    copy.engine.dispose()
    # an existing file is never overwritten
    before = dest.read_bytes()
    r = run(demo_store, "backup", str(dest), env=DEMO_ADMIN)
    assert "already exists" in refused(r) and dest.read_bytes() == before
    with svc.reading() as s:
        ev = s.exec(
            select(AuditEvent).where(AuditEvent.action == "backup").order_by(AuditEvent.id)
        ).all()
    assert [e.outcome for e in ev] == ["ok", "refused"]
    assert all(str(tmp_path) not in e.detail for e in ev)  # no paths in the audit trail
    assert integrity.check_store(svc).ok
    svc.engine.dispose()


def test_restore_checks_the_backup_replaces_the_store_and_keeps_the_old_one(
    run, demo_store, tmp_path
):
    dest = tmp_path / "b.sqlite3"
    ok(run(demo_store, "backup", str(dest), env=DEMO_ADMIN))
    svc = make_services(f"sqlite:///{db(demo_store)}")
    with svc.reading() as s:
        v = s.exec(select(Visit).where(Visit.state == "draft")).first()
    later = visits.start_visit(svc, v.author_id, v.child_id)  # after the backup
    svc.engine.dispose()
    out = ok(run(demo_store, "restore", str(dest), env=DEMO_ADMIN))
    assert "Restored the store" in out
    kept = list(demo_store.glob("recorder.sqlite3.replaced-*"))
    assert len(kept) == 1 and mode(kept[0]) == 0o600 and mode(db(demo_store)) == 0o600
    assert not list(demo_store.glob("*.restoring-*"))
    svc = make_services(f"sqlite:///{db(demo_store)}")
    with svc.reading() as s:
        assert s.get(Visit, later) is None  # the store is the backup's
        last = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.outcome) == ("restore", "ok")
    assert integrity.check_store(svc).ok
    svc.engine.dispose()
    old = make_services(f"sqlite:///{kept[0]}")
    with old.reading() as s:
        assert s.get(Visit, later) is not None  # the replaced store still has it
    assert integrity.check_store(old).ok
    old.engine.dispose()


def test_restore_refuses_a_changed_backup_and_leaves_the_store_alone(run, demo_store, tmp_path):
    dest = tmp_path / "b.sqlite3"
    ok(run(demo_store, "backup", str(dest), env=DEMO_ADMIN))
    vid = change_one_byte_of_a_signed_record(dest)
    before = open_services(demo_store)
    with before.reading() as s:
        n_visits = len(s.exec(select(Visit.id)).all())
    before.engine.dispose()
    r = run(demo_store, "restore", str(dest), env=DEMO_ADMIN)
    err = refused(r)
    assert "failed the check" in err and f"of visit {vid})" in err
    assert not list(demo_store.glob("*.replaced-*")) and not list(demo_store.glob("*.restoring-*"))
    svc = open_services(demo_store)
    with svc.reading() as s:
        assert len(s.exec(select(Visit.id)).all()) == n_visits
        last = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.outcome, last.detail) == ("restore", "refused", "check_failed")
    assert integrity.check_store(svc).ok
    svc.engine.dispose()


def test_restore_refuses_what_is_not_a_backup(run, demo_store, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n" * 100)
    assert "not a recorder backup" in refused(run(demo_store, "restore", str(junk), env=DEMO_ADMIN))
    assert "is not a file" in refused(
        run(demo_store, "restore", str(tmp_path / "missing"), env=DEMO_ADMIN)
    )
    assert not list(demo_store.glob("*.restoring-*"))


@pytest.mark.postgres
def test_backup_and_restore_of_a_server_store_point_to_pg_dump(run, pg_server_url, tmp_path):
    from tests.conftest import _fresh_pg_schema

    db_url = _fresh_pg_schema(pg_server_url)
    make_services(db_url).engine.dispose()
    for args in (("backup", str(tmp_path / "x")), ("restore", str(tmp_path / "x"))):
        err = refused(run(tmp_path, *args, env={"RECORDER_DATABASE_URL": db_url}))
        assert "pg_dump" in err
    assert not (tmp_path / "x").exists()


def test_the_progress_bar_shows_on_a_terminal_for_long_runs():
    import io

    from recorder.cli.output import Progress
    from recorder.settings import Settings

    class Tty(io.StringIO):
        def isatty(self):
            return True

    for tty, elapsed, shown in ((True, 2.0, True), (True, 0.1, False), (False, 2.0, False)):
        err = Tty() if tty else io.StringIO()
        p = Progress(Settings(), err)
        p._start -= elapsed  # a run that has lasted this long
        p(512, 2048, "pages")
        p.done()
        out = err.getvalue()
        assert ("pages" in out and " 25%" in out and "512/2,048" in out) == shown, out
        assert (out != "") == shown
        if shown:
            assert "\x1b[" in out  # rich draws it on the terminal
    # each kind of work has its bar; the earlier kinds and, once all ran, every bar end full
    err = Tty()
    p = Progress(Settings(), err)
    p._start -= 2.0
    p(512, 2048, "pages read")
    p(1, 4, "signatures")
    assert "2,048/2,048" in err.getvalue() and "4/4" not in err.getvalue()
    p.done(finished=True)
    assert "4/4" in err.getvalue()
