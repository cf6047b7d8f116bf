"""Shared fixtures. Every storage test runs on SQLite and, when RECORDER_TEST_DATABASE_URL
points at a PostgreSQL server, on PostgreSQL too (each test run makes and drops its own
database there; under pytest-xdist, each worker its own). The helpers behind the fixtures
live in ``tests/support``."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.support.clock import FROZEN_NOW, FrozenClock  # noqa: F401 (FROZEN_NOW for importers)
from tests.support.stores import (
    copy_store,
    emptied_pg_store,
    fresh_pg_schema,
    migrated_sqlite_template,
    open_services,
)

PG_URL = os.environ.get("RECORDER_TEST_DATABASE_URL")
PG_SKIP_MESSAGE = (
    "PostgreSQL tests skipped: set RECORDER_TEST_DATABASE_URL="
    "postgresql+psycopg://postgres@127.0.0.1:5432/test to run them (see README)."
)
_fresh_pg_schema = fresh_pg_schema  # the name some test modules import


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory, monkeypatch):
    """Keep the user's own data, config and database out of every test."""
    base = tmp_path_factory.mktemp("env")
    monkeypatch.setenv("RECORDER_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("RECORDER_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("RECORDER_DATABASE_URL", raising=False)
    monkeypatch.delenv("RECORDER_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("RECORDER_NEW_PASSWORD", raising=False)


@pytest.fixture(scope="session")
def pg_server_url():
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    if not PG_URL:
        pytest.skip(PG_SKIP_MESSAGE)
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(PG_URL)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    name = f"recorder_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request) -> str:
    """Each storage test runs once per backend."""
    return request.param


@pytest.fixture
def db_url(backend, request, tmp_path) -> str:
    """An empty store's URL (no schema yet), on each backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'recorder.sqlite3'}"
    return fresh_pg_schema(request.getfixturevalue("pg_server_url"))


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'recorder.sqlite3'}"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    return migrated_sqlite_template(tmp_path_factory.mktemp("template"))


def _migrated_sqlite(request, tmp_path) -> str:
    """A copy of one migrated store (a millisecond, where migrating takes a quarter second)."""
    template = request.getfixturevalue("_sqlite_template")
    return copy_store(template, tmp_path / "data" / "recorder.sqlite3")


@pytest.fixture
def svc(backend, request, tmp_path, clock):
    """Services on a migrated, empty store, on each backend."""
    if backend == "sqlite":
        url = _migrated_sqlite(request, tmp_path)
    else:
        url = emptied_pg_store(request.getfixturevalue("pg_server_url"))
    s = open_services(url, clock)
    yield s
    s.engine.dispose()


@pytest.fixture
def sqlite_svc(request, tmp_path, clock):
    s = open_services(_migrated_sqlite(request, tmp_path), clock)
    yield s
    s.engine.dispose()


# -- Hypothesis under load ------------------------------------------------------------------
def pytest_configure(config):
    """The suite runs on every core (pytest-xdist), often beside other work: a property's
    examples are never cut, but a slow machine is no failure (no too_slow health check,
    no per-example deadline). HYPOTHESIS_PROFILE picks another registered profile."""
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "recorder", deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "recorder"))
    if not _is_xdist_worker(config):
        _compile_recorder()
        _rewrite_test_modules(config)


def _compile_recorder() -> None:
    """Write recorder's bytecode once, before the workers start, as installing a wheel does.
    With PYTHONDONTWRITEBYTECODE set (this machine sets it) nothing writes it, so each of
    the suite's few hundred ``recorder`` subprocesses compiled every module from source
    (about 0.1 s of CPU each: ``import recorder.tui.app, recorder.cli.app`` took 0.64 s of
    CPU without the cache, 0.55 s with it). Python reads the cache whatever that variable
    says; a source changed later is compiled again as usual (the cache holds its mtime)."""
    import compileall
    from pathlib import Path

    import recorder

    compileall.compile_dir(Path(recorder.__file__).parent, quiet=2, workers=1)


def _rewrite_test_modules(config) -> None:
    """Write pytest's assertion-rewritten bytecode of every test module once, in two
    processes, before the workers start. With PYTHONDONTWRITEBYTECODE set pytest caches
    none, so each of the three workers parsed, rewrote and compiled all 131 test modules
    itself while collecting (3.8 s of its 6.6 s of CPU to collect the suite). A worker reads
    a cached file whatever that variable says, and rewrites one whose source changed.
    This leans on pytest's own rewriting functions (pytest 8): if they are not there, the
    workers simply rewrite as before."""
    import multiprocessing

    try:
        from _pytest.assertion.rewrite import PYC_TAIL, _rewrite_test, _write_pyc, get_cache_dir
    except ImportError:
        return
    import _pytest.assertion as assertion

    if config.getoption("assertmode") != "rewrite" or not getattr(config.option, "numprocesses", 0):
        return
    state = config.stash[assertion.assertstate_key]
    root = Path(__file__).parent
    files = sorted(
        str(f) for f in root.rglob("*.py") if f.name.startswith("test_") or f.name == "conftest.py"
    )
    if not files:
        return

    def rewrite(part: list[str]) -> None:
        for name in part:
            fn = Path(name)
            pyc = get_cache_dir(fn) / (fn.name[:-3] + PYC_TAIL)
            if pyc.exists() and pyc.stat().st_mtime >= fn.stat().st_mtime:
                continue
            try:
                pyc.parent.mkdir(exist_ok=True)
                source_stat, co = _rewrite_test(fn, config)
                _write_pyc(state, co, source_stat, pyc)
            except Exception:  # a worker rewrites it (and reports a syntax error) as usual
                continue

    context = multiprocessing.get_context("fork")
    children = [context.Process(target=rewrite, args=(files[i::2],)) for i in range(2)]
    for c in children:
        c.start()
    for c in children:
        c.join()


# -- Textual's pilot: how long it sleeps to see that the app is idle -------------------------
#: Textual's Pilot presses each key and then waits for the app to be idle twice, and
#: ``pause()`` once: each wait sleeps in slices of ``SLEEP_GRANULARITY`` (20 ms) until a slice
#: passes with less than a twentieth of it in CPU. So every key a test types cost at least
#: 40 ms of sleep whatever the app did: tests/tui/test_drafts.py slept about 40 of its 72 s.
#: Slices of 5 ms keep the same test of idleness (the app's own loop has run, and less
#: than 5% of the slice went on work), a quarter of the sleep (72 -> 33 s there, same CPU).
#: What a test then checks it waits for by condition (tests/support/pilot.py), as before.
PILOT_IDLE_SLICE = 0.005


def _pace_the_pilot() -> None:
    import textual._wait as wait

    wait.SLEEP_GRANULARITY = PILOT_IDLE_SLICE
    wait.SLEEP_IDLE = PILOT_IDLE_SLICE / 20


_pace_the_pilot()


# -- Textual's pilot: waiting for the screen's widgets ---------------------------------------
#: After every key and in every ``pause()``, Pilot._wait_for_screen posts a callback to the
#: app and to every widget of the screen and waits until each has run it: proof that what
#: was queued before has been handled. A widget with nothing queued that is waiting for its
#: next message has nothing to prove, but still handled the callback and then an Idle event:
#: on a visit form (264 widgets once every section is made) those were two thirds of all the
#: messages a test's app handled (tests/tui/test_visit.py: 194,000 of 285,000). Textual's
#: method is copied here with that one filter added. So the wait below posts only
#: to the app, the screen and each widget that has a message queued or is not waiting for
#: one (busy in a handler, or not started); what it waits for is the same.
def _waiting_for_a_message(pump) -> bool:
    queue = pump._message_queue
    return not queue.values and bool(getattr(queue.ready_event, "_waiters", None))


def _wait_only_for_busy_widgets() -> None:
    import asyncio

    from textual.pilot import Pilot, WaitForScreenTimeout

    async def _wait_for_screen(self, timeout: float = 30.0) -> bool:
        try:
            screen = self.app.screen
        except Exception:
            return False
        pumps = [self.app, screen] + [
            w for w in screen.walk_children() if not _waiting_for_a_message(w)
        ]
        count = 0
        done = asyncio.Event()

        def decrement() -> None:
            nonlocal count
            count -= 1
            if count == 0:
                done.set()

        for pump in pumps:
            if pump.call_later(decrement):
                count += 1
        if count:
            waits = [
                asyncio.create_task(done.wait()),
                asyncio.create_task(self.app._exception_event.wait()),
            ]
            _, pending = await asyncio.wait(
                waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()
            if len(pending) == len(waits):
                raise WaitForScreenTimeout(
                    "Timed out while waiting for widgets to process pending messages."
                )
            if count > 0:
                return False
        return True

    if hasattr(Pilot, "_wait_for_screen"):  # Textual 8; otherwise the pilot waits as it did
        Pilot._wait_for_screen = _wait_for_screen


_wait_only_for_busy_widgets()


# -- Garbage collection ----------------------------------------------------------------------
def pytest_collection_finish(session):
    """Each worker holds every test module, Textual and SQLAlchemy: with Python's default
    thresholds its collector ran thousands of times per file and scanned all of it (14.8 s
    of a 51 s run of tests/tui/test_visit.py -k section, measured with gc.callbacks). What
    was imported and collected is frozen out of the collector's sight, and the young
    generation is collected every 100,000 allocations instead of 700 (2.4 s there)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


# -- CI must run the PostgreSQL and browser tests, not skip them --------------------------
# Under pytest-xdist every test's reports reach the controller too, so the controller
# counts them all; a worker sees only its own share and leaves the verdict to it.
_pg_outcomes: dict[str, int] = {"passed": 0, "skipped": 0}
#: tests marked ``browser`` (a real chromium): RECORDER_REQUIRE_BROWSER makes a skip fail
_browser_outcomes: dict[str, int] = {"passed": 0, "skipped": 0}


def _is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def _count(outcomes: dict[str, int], report) -> None:
    if report.when == "call" and report.passed:
        outcomes["passed"] += 1
    elif report.skipped:
        outcomes["skipped"] += 1


def pytest_runtest_logreport(report):
    if "postgresql" in report.nodeid or "postgres" in report.keywords:
        _count(_pg_outcomes, report)
    if "browser" in report.keywords:
        _count(_browser_outcomes, report)


def pytest_sessionfinish(session, exitstatus):
    if _is_xdist_worker(session.config) or not session.testscollected:
        return
    for variable, outcomes, what in (
        ("RECORDER_REQUIRE_POSTGRES", _pg_outcomes, "PostgreSQL"),
        ("RECORDER_REQUIRE_BROWSER", _browser_outcomes, "browser"),
    ):
        if os.environ.get(variable) and (outcomes["skipped"] or not outcomes["passed"]):
            session.exitstatus = 1
            tr = session.config.pluginmanager.get_plugin("terminalreporter")
            msg = (
                f"{variable} is set but the {what} tests did not all run: "
                f"{outcomes['passed']} passed, {outcomes['skipped']} skipped."
            )
            if tr:
                tr.ensure_newline()
                tr.write_line(msg, red=True)
