"""Least privilege on PostgreSQL (issue 14, item 2): the schema owner migrates, under a lock;
the app connects as a role that can do only what the app does; a client whose schema is
behind refuses to start. SQLite keeps migrating on start.

The role is made in the test database (the test server trusts local connections), with a
name of its own per run, and dropped after."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

import recorder.store.models  # noqa: F401 (the tables, for SQLModel.metadata)
from recorder.services import addenda, integrity, visits
from recorder.store import grants
from recorder.store.migrate import head_revision, upgrade
from tests.support.cli_procs import CliForks
from tests.support.records import flag_codes, good_note
from tests.support.stores import fresh_pg_schema, open_services
from tests.support.world import PASSWORD, build_world
from tests.test_triggers import COMMENT, signed_off_student_visit

pg = pytest.mark.postgres


def process_env(url: str | None = None, data_dir=None) -> dict[str, str]:
    """A client process's environment: no RECORDER_ variable but the store's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECORDER_")}
    if url:
        env["RECORDER_DATABASE_URL"] = url
    if data_dir:
        env["RECORDER_DATA_DIR"] = str(data_dir)
    return env


@pytest.fixture
def cli_here(monkeypatch, capsys):
    """``recorder ARGS`` run by its own ``main`` in this process, as the command line runs it
    but without an interpreter's start-up and imports (0.9 s of CPU each): for a command
    whose answer a test reads, not one that races others (those are processes, at_once()).
    The environment as a process gets it: no RECORDER_ variable but the URL (and this test's
    own data and config folders), no terminal."""
    from recorder.cli import main

    def run(*args: str, url: str | None = None) -> subprocess.CompletedProcess:
        with monkeypatch.context() as m:
            for k in list(os.environ):
                if k.startswith("RECORDER_") and k not in (
                    "RECORDER_DATA_DIR",
                    "RECORDER_CONFIG_DIR",
                ):
                    m.delenv(k)
            if url:
                m.setenv("RECORDER_DATABASE_URL", url)
            m.setattr(sys, "stdin", io.StringIO(""))
            capsys.readouterr()
            code = main(list(args))
            out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


@pytest.fixture(scope="module")
def forks():
    """Where the clients at once are forked from (a process that has imported SQLAlchemy and
    the rest and runs nothing itself: tests/support/cli_procs.py)."""
    with CliForks() as f:
        yield f


@pytest.fixture
def at_once(forks, tmp_path):
    """``at_once(n, ARGS...)``: ``n`` processes of ``recorder ARGS`` started at once."""

    def run(n: int, *args: str, url=None, data_dir=None) -> list[subprocess.CompletedProcess]:
        return forks.run_at_once([list(args)] * n, process_env(url, data_dir), tmp_path / "out")

    return run


def no_crash(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr and "Error" not in r.stderr, r.stderr
    assert "unexpected error" not in r.stderr, r.stderr


def test_every_table_has_exactly_one_grant():
    lists = grants.APPEND_ONLY + grants.UPDATED + grants.DELETED + grants.READ_ONLY
    assert len(lists) == len(set(lists))
    assert set(lists) == set(SQLModel.metadata.tables) | {"alembic_version"}


def test_grants_name_no_ddl_truncate_or_trigger():
    sql = "\n".join(grants.grant_sql("recorder_app", "recorder"))
    for word in ("TRUNCATE", "TRIGGER", "CREATE ON", "ALL PRIVILEGES", "OWNER", "REFERENCES"):
        assert f"GRANT {word}" not in sql and f", {word}" not in sql, word
    for table in grants.APPEND_ONLY:
        line = next(
            s for s in sql.splitlines() if f"public.{table}," in s or f"public.{table} " in s
        )
        assert line.startswith("GRANT SELECT, INSERT ON"), line
    with pytest.raises(ValueError):
        grants.grant_sql('x"; DROP TABLE visit; --', "recorder")


def test_sqlite_keeps_migrating_on_start_and_six_at_once_do_not_crash(tmp_path, at_once):
    results = at_once(6, "user", "list", "--admin", "admin", data_dir=tmp_path / "d")
    for r in results:
        no_crash(r)
        assert "no accounts" in r.stderr, r.stderr


@pg
def test_two_migrations_at_once_leave_one_schema_and_no_error(pg_server_url, at_once):
    url = fresh_pg_schema(pg_server_url)
    results = at_once(3, "migrate", url=url)
    for r in results:
        assert r.returncode == 0, r.stderr
        no_crash(r)
    said = [r.stdout.splitlines()[0] for r in results]
    assert sum(s.startswith("Migrated the schema from revision none") for s in said) == 1, said
    eng = create_engine(url)
    try:
        with eng.connect() as c:
            assert c.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
                head_revision(eng)
            ]
            tables = set(
                c.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                ).scalars()
            )
    finally:
        eng.dispose()
    assert tables == set(SQLModel.metadata.tables) | {"alembic_version"}


@pg
def test_clients_never_migrate_a_server_and_refuse_a_schema_behind(
    pg_server_url, cli_here, at_once
):
    """Six clients at once on an empty database: five crashed with IntegrityError on main.
    Now none migrates; each says what to do. A schema one revision behind: the same."""
    url = fresh_pg_schema(pg_server_url)
    for r in at_once(6, "user", "list", "--admin", "admin", url=url):
        assert r.returncode == 1
        no_crash(r)
        assert "no recorder schema yet" in r.stderr and "recorder migrate" in r.stderr
    eng = create_engine(url)
    try:
        from alembic.script import ScriptDirectory

        from recorder.store.migrate import _config

        head = head_revision(eng)
        behind = ScriptDirectory.from_config(_config(eng)).get_revision(head).down_revision
        upgrade(eng, str(behind))
    finally:
        eng.dispose()
    r = cli_here("user", "list", "--admin", "admin", url=url)
    assert r.returncode == 1
    no_crash(r)
    assert f"at revision {behind} and this recorder needs {head}" in r.stderr, r.stderr
    assert cli_here("migrate", url=url).returncode == 0
    r = cli_here("user", "list", "--admin", "admin", url=url)
    assert r.returncode == 1 and "no accounts" in r.stderr, r.stderr  # starts: it is current


# -- the app's role ------------------------------------------------------------------------
FORBIDDEN = [
    "CREATE TABLE stolen (id int)",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "ALTER TABLE visit ADD COLUMN x int",
    "DROP TABLE form_draft",
    "ALTER TABLE visit DISABLE TRIGGER USER",
    "ALTER TABLE signature DISABLE TRIGGER ALL",
    "DROP TRIGGER visit_signed_off_frozen ON visit",
    "CREATE TRIGGER t BEFORE INSERT ON visit FOR EACH ROW EXECUTE FUNCTION recorder_refuse_change()",
    "SET session_replication_role = replica",
    "TRUNCATE form_draft",
    "TRUNCATE visit CASCADE",
    "DELETE FROM visit",
    "DELETE FROM worker",
    "DELETE FROM child",
    "UPDATE alembic_version SET version_num = version_num",
    *(f"UPDATE {t} SET id = id" for t in grants.APPEND_ONLY),
    *(f"DELETE FROM {t}" for t in grants.APPEND_ONLY),
]


@pytest.fixture
def app_role(pg_server_url, cli_here):
    """(owner's URL, the app role's URL) on a migrated store, the role's grants applied."""
    url = fresh_pg_schema(pg_server_url)
    role = f"recorder_app_{uuid.uuid4().hex[:10]}"
    assert cli_here("migrate", url=url).returncode == 0
    owner = create_engine(url)
    with owner.begin() as c:
        c.execute(text(f"CREATE ROLE {role} LOGIN"))
    try:
        r = cli_here("db", "grants", "--role", role, "--apply", url=url)
        assert r.returncode == 0, r.stderr
        yield url, make_url(url).set(username=role).render_as_string(hide_password=False)
    finally:
        with owner.begin() as c:
            c.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
                {"r": role},
            )
            c.execute(text(f"DROP OWNED BY {role}"))
            c.execute(text(f"DROP ROLE {role}"))
        owner.dispose()


@pg
def test_the_app_role_is_refused_every_forbidden_statement(app_role):
    owner_url, role_url = app_role
    svc = open_services(role_url)
    try:
        world = build_world(svc)
        signed_off_student_visit(svc, world)  # a row in every protected table
    finally:
        svc.engine.dispose()
    eng = create_engine(role_url)
    try:
        for sql in FORBIDDEN:
            with pytest.raises(DBAPIError) as e, eng.begin() as c:
                c.execute(text(sql))
            assert e.value.orig.sqlstate == "42501", (sql, str(e.value.orig))
    finally:
        eng.dispose()


@pg
def test_the_apps_work_runs_as_the_app_role(app_role, cli_here):
    """Accounts and children made, a student's visit countersigned, returned, countersigned
    again and signed off; a social worker's visit signed off, an addendum and its
    acknowledgement; an oversight draft saved and discarded; 'recorder check': all as the
    role."""
    from recorder.services import drafts
    from tests.support.records import fill

    owner_url, role_url = app_role
    svc = open_services(role_url)
    try:
        world = build_world(svc)
        vid = visits.start_visit(svc, world.student, world.child)
        fill(svc, world.student, vid)
        visits.submit(svc, world.student, vid)
        visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)
        drafts.save(svc, world.manager, "oversight", vid, {"decision": "Thinking about it."})
        drafts.discard(svc, world.manager, "oversight", vid)
        visits.return_for_changes(svc, world.manager, vid, "Please add the school's view.")
        fill(svc, world.student, vid)
        visits.submit(svc, world.student, vid)
        visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)
        visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
        own = visits.start_visit(svc, world.sw, world.child)
        fill(svc, world.sw, own)
        visits.submit(svc, world.sw, own)
        visits.sign_off(svc, world.manager, own, good_note(flag_codes(svc, own)), PASSWORD)
        aid = addenda.add_addendum(
            svc, world.sw, own, "A date was wrong.", "The visit was on Tuesday.", PASSWORD
        )
        addenda.acknowledge(svc, world.manager, aid, PASSWORD)
        report = integrity.check_store(svc)
        assert report.ok, report.problems
    finally:
        svc.engine.dispose()
    r = cli_here("user", "list", "--admin", "admin", url=role_url)
    assert "no recorder schema" not in r.stderr and "may not" not in r.stderr, r.stderr
    no_crash(r)
