"""Reaching the store: timeouts, names and clear errors (issue 14, items 5 and 6).

A server that accepts and never answers, a refused port, an unknown host, a wrong user, a
missing database, a ``postgres://`` URL, a statement or a lock that takes too long: each is
one line naming the cause and the fix, never an exception class name or a traceback."""

from __future__ import annotations

import re
import socket
import sys
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from recorder.cli import main
from recorder.services.failures import BUSY, TIMED_OUT, explain, reason
from recorder.settings import Settings
from recorder.store.engine import APPLICATION_NAME, make_engine
from tests.conftest import PG_URL
from tests.support.stores import fresh_pg_schema

CLASS_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(Error|Exception|Timeout)\b")


@pytest.fixture
def cli(monkeypatch, capsys):
    """``recorder ARGS`` in this process with ``env``; (exit code, stderr, seconds)."""

    def _run(*args, **env):
        with monkeypatch.context() as m:
            m.setenv("RECORDER_ADMIN", "admin")
            m.setenv("RECORDER_ADMIN_PASSWORD", "pw")
            for k, v in env.items():
                m.setenv(k, v)
            m.setattr(sys.stdin, "isatty", lambda: False, raising=False)
            started = time.monotonic()
            code = main(list(args))
            took = time.monotonic() - started
        return code, capsys.readouterr().err, took

    return _run


def one_clear_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("recorder: "), err
    assert "Traceback" not in err and not CLASS_NAME.search(err), err
    assert "unexpected error" not in err, err
    return lines[0]


@pytest.fixture
def silent_server():
    """A socket that listens and reads nothing: the TCP handshake succeeds, nothing answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    yield s.getsockname()[1]
    s.close()


def test_a_server_that_never_answers_fails_within_the_connect_timeout(cli, silent_server):
    """On main this hung for over 60 s."""
    code, err, took = cli(
        "user",
        "list",
        RECORDER_DATABASE_URL=f"postgresql+psycopg://u@127.0.0.1:{silent_server}/db",
        RECORDER_DB_CONNECT_TIMEOUT="2",
    )
    # the timeout, and time to import the store's modules on a busy machine (not 60 s)
    assert code == 1 and took < 2 + 10, took
    line = one_clear_line(err)
    assert f"127.0.0.1:{silent_server} did not answer" in line, line
    assert "RECORDER_DB_CONNECT_TIMEOUT" in line


def test_the_engine_gives_up_on_a_silent_server_at_the_connect_timeout(silent_server):
    """The wait itself, the modules already imported: a timer, not work, so it holds on a
    busy machine too."""
    url = f"postgresql+psycopg://u@127.0.0.1:{silent_server}/db"
    eng = make_engine(url, settings=Settings(db_connect_timeout=2))
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError) as e:
            eng.connect()
    finally:
        eng.dispose()
    took = time.monotonic() - started
    assert 1.5 < took < 2 + 2, took
    assert "did not answer within RECORDER_DB_CONNECT_TIMEOUT" in (explain(e.value, url) or "")


def test_the_connect_timeout_defaults_to_five_seconds():
    assert Settings().db_connect_timeout == 5
    assert Settings.from_env({}).db_connect_timeout == 5


def test_a_refused_port_and_an_unknown_host_are_said(cli):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, err, _ = cli("user", "list", RECORDER_DATABASE_URL=f"postgresql://u@127.0.0.1:{port}/db")
    assert code == 1
    assert f"nothing answers at 127.0.0.1:{port} (connection refused)" in one_clear_line(err)
    code, err, _ = cli("user", "list", RECORDER_DATABASE_URL="postgresql://u@nosuch.invalid/db")
    assert code == 1
    assert "the host name 'nosuch.invalid' is not known" in one_clear_line(err)


def test_a_bad_wait_setting_is_one_line(cli):
    code, err, _ = cli("user", "list", RECORDER_DB_CONNECT_TIMEOUT="soon")
    assert code == 1
    line = one_clear_line(err)
    assert "RECORDER_DB_CONNECT_TIMEOUT must be a number of seconds from 1 to 600" in line
    code, err, _ = cli("user", "list", RECORDER_DB_LOCK_TIMEOUT="1e9")
    assert code == 1 and "RECORDER_DB_LOCK_TIMEOUT" in one_clear_line(err)


def test_the_password_is_never_in_the_message(cli):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://u:sekrit-pw@127.0.0.1:{port}/db"
    code, err, _ = cli("user", "list", RECORDER_DATABASE_URL=url)
    assert code == 1 and "sekrit" not in err


def test_a_hostile_host_name_is_cleaned():
    """The URL's host is shown; escape sequences in it never reach the terminal."""
    err = OperationalError("connect", {}, Exception("connection refused"))
    line = explain(err, "postgresql://u@ho\x1b]0;pwned\x07st:5432/db")
    assert line is not None and "\x1b" not in line and "\x07" not in line


# -- on a real PostgreSQL server --------------------------------------------------------------
pg = pytest.mark.postgres


@pytest.fixture
def pg_url(request):
    if not PG_URL:
        pytest.skip("PostgreSQL tests skipped: set RECORDER_TEST_DATABASE_URL")
    return fresh_pg_schema(request.getfixturevalue("pg_server_url"))


@pg
def test_a_wrong_user_and_a_missing_database_are_said(cli, pg_url):
    u = make_url(pg_url)
    where = f"{u.host}:{u.port or 5432}"
    wrong = u.set(username="nobody_" + str(int(time.time())))
    code, err, _ = cli(
        "user", "list", RECORDER_DATABASE_URL=wrong.render_as_string(hide_password=False)
    )
    line = one_clear_line(err)
    assert code == 1 and f"{where} refused the user name or password" in line, line
    missing = u.set(database="no_such_database_here")
    code, err, _ = cli(
        "user", "list", RECORDER_DATABASE_URL=missing.render_as_string(hide_password=False)
    )
    line = one_clear_line(err)
    assert code == 1 and "has no database 'no_such_database_here'" in line, line
    assert f"createdb -h {u.host} no_such_database_here" in line


@pg
def test_a_postgres_url_is_accepted(cli, pg_url):
    """``postgres://`` (as libpq and hosting panels write it) means psycopg; on main it was
    '(NoSuchModuleError)'."""
    plain = "postgres://" + pg_url.split("://", 1)[1]
    code, err, _ = cli("user", "list", RECORDER_DATABASE_URL=plain)
    # connected: the server's schema is the owner's to make ('recorder migrate')
    assert code == 1 and "no recorder schema yet" in one_clear_line(err)


@pg
def test_connections_are_named_with_their_timeouts_and_keepalives(pg_url):
    s = Settings(db_statement_timeout=7, db_lock_timeout=3)
    eng = make_engine(pg_url, settings=s)
    try:
        with eng.connect() as c:
            name = c.execute(
                text("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")
            ).scalar()
            assert name == APPLICATION_NAME == "recorder"
            assert c.execute(text("SHOW statement_timeout")).scalar() == "7s"
            assert c.execute(text("SHOW lock_timeout")).scalar() == "3s"
            params = c.connection.dbapi_connection.info.get_parameters()
            assert params["keepalives"] == "1" and int(params["keepalives_idle"]) > 0
            assert params["connect_timeout"] == "5"
    finally:
        eng.dispose()


@pg
def test_a_statement_or_a_lock_that_takes_too_long_is_said_in_words(pg_url):
    eng = make_engine(pg_url, settings=Settings(db_statement_timeout=1))
    locked = make_engine(pg_url, settings=Settings(db_lock_timeout=1))
    other = make_engine(pg_url)
    try:
        with pytest.raises(OperationalError) as e, eng.connect() as c:
            c.execute(text("SELECT pg_sleep(5)"))
        line = explain(e.value, pg_url)
        assert line and "did not finish the request within RECORDER_DB_STATEMENT_TIMEOUT" in line
        assert reason(e.value) == TIMED_OUT  # what the app's screens say
        held = threading.Event()
        done = threading.Event()

        def hold():
            with other.begin() as c:
                c.execute(text("SELECT pg_advisory_xact_lock(4242)"))
                held.set()
                done.wait(10)

        t = threading.Thread(target=hold)
        t.start()
        assert held.wait(10)
        try:
            with pytest.raises(OperationalError) as e, locked.begin() as c:
                c.execute(text("SELECT pg_advisory_xact_lock(4242)"))
        finally:
            done.set()
            t.join()
        line = explain(e.value, pg_url)
        assert line and "held the record longer than RECORDER_DB_LOCK_TIMEOUT" in line
        assert reason(e.value) == BUSY  # "busy with someone else's change", not "no answer"
    finally:
        for engine in (eng, locked, other):
            engine.dispose()
