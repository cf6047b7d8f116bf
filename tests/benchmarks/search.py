#!/usr/bin/env python3
"""Search across the authority (issue 15 item 3): what it costs on a bulk store.

Reports, asserts nothing. Called by ``run.py`` (the pilot row, and the PostgreSQL rows when
it has a server), or on its own, on a store built earlier:

    python tests/benchmarks/search.py --store DIR                  # SQLite rows + the pilot
    python tests/benchmarks/search.py --store DIR --pg-children 50000

Rows:
- the service ``find_children`` on the SQLite store, for a social worker (their team's
  children: 250 of 50,000), a team manager, and a service manager over every team (all
  50,000; the account ``bench.head`` is added to the store the first time);
- the same on a PostgreSQL store of ``--pg-children`` children (built with the bulk loader's
  COPY in a database made on ``--pg-url``'s server, and dropped);
- the app, driven headless: a keystroke in home's find field to the list painted with the
  search's answer (the children found beyond the caseload).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: what is typed: a first name's start, a surname's middle, two words, a reference's part,
#: two letters (below the trigram index), and a name with its accent dropped
QUERIES = ("moh", "ahmed", "ann tay", "0001", "li", "zoe")
TARGET_MS = 50.0


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def _head(svc) -> int:
    """A service manager over every team of the bulk store (added once)."""
    from sqlalchemy import select

    from recorder.demo import bulk
    from recorder.services import accounts
    from recorder.store.models import Team, Worker

    with svc.reading() as s:
        found = s.scalars(select(Worker.id).where(Worker.username == "bench.head")).first()
        if found is not None:
            return found
        admin = s.scalars(select(Worker.id).where(Worker.username == "admin")).one()
        teams = list(s.scalars(select(Team.name)))
    return accounts.add_user(
        svc,
        admin,
        username="bench.head",
        full_name="Bench Head",
        role="service_manager",
        password=bulk.BULK_PASSWORD,
        registration_number="SW999999",
        registration_checked_on=svc.today(),
        manages=teams,
    )


def service_times(svc, runs: int) -> dict[str, float]:
    """Median ms of find_children per reader, over QUERIES x runs (after one warm-up)."""
    from sqlalchemy import select

    from recorder.services.search import find_children
    from recorder.store.models import Worker

    with svc.reading() as s:
        ids = dict(
            s.execute(
                select(Worker.username, Worker.id).where(
                    Worker.username.in_(("team001.sw1", "team001.manager"))
                )
            ).all()
        )
    readers = {
        "a social worker (their team)": ids["team001.sw1"],
        "a team manager (their team)": ids["team001.manager"],
        "a service manager (every team)": _head(svc),
    }
    out: dict[str, float] = {}
    for label, who in readers.items():
        for q in QUERIES:
            find_children(svc, who, q)  # warm-up
        times = []
        for _ in range(runs):
            for q in QUERIES:
                t = time.perf_counter()
                find_children(svc, who, q)
                times.append((time.perf_counter() - t) * 1000)
        out[label] = median(times)
    return out


def pg_service_times(pg_url: str, children: int, runs: int) -> tuple[dict[str, float], float]:
    """service_times on a PostgreSQL bulk store of ``children`` (one visit each), made in a
    database of its own and dropped; and the seconds the load took."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from recorder.demo import bulk
    from recorder.services.bootstrap import open_services

    base = make_url(pg_url)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    name = f"recorder_bench_search_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        svc = open_services(url=base.set(database=name).render_as_string(hide_password=False))
        built = bulk.populate_bulk(
            svc, children=children, visits_per_child=1, teams=max(1, children // 250)
        )
        with svc.engine.connect() as c:
            c.execute(text("ANALYZE"))
        out = service_times(svc, runs)
        svc.engine.dispose()
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return out, built.seconds


async def measure_find(app, pilot, painted, until, runs: int, out: list[float]) -> None:
    """On the home screen shown: type each of QUERIES' first letters into the find field, and
    time each keystroke to the first frame after the search's answer is shown."""
    from textual.widgets import Input

    home = app.screen
    find = home.query_one("#find", Input)
    answered: list[float] = []
    refilled: list[bool] = []
    found, fill = home._found, home._fill

    def hooked(query, hits):
        before = len(filled)
        found(query, hits)
        if query == find.value:
            refilled.append(len(filled) > before)
            answered.append(time.perf_counter())

    filled: list[float] = []

    def counted():
        fill()
        filled.append(time.perf_counter())

    home._found, home._fill = hooked, counted

    home._found = hooked
    try:
        for _ in range(runs):
            for q in QUERIES:
                find.value = ""
                find.focus()
                await pilot.pause()
                for ch in q:
                    answered.clear()
                    refilled.clear()
                    t = time.perf_counter()
                    await pilot.press(ch)
                    await until(pilot, lambda: bool(answered), "the search's answer", settle=False)
                    if refilled[0]:  # the answer changed the list: until that is painted
                        done = await painted(answered[0], home)
                    else:  # the list the keystroke drew stands: its frame, or the answer
                        done = max(await painted(t, home), answered[0])
                    out.append((done - t) * 1000)
                    await pilot.pause()
        find.value = ""
        await pilot.pause()
    finally:
        del home._found, home._fill


def rows_for(times: dict[str, float], where: str) -> list[tuple[str, str, str]]:
    return [
        (
            f"{where}: search, {label}",
            f"{ms:.1f} ms",
            f"<= {TARGET_MS:.0f} ms: {'met' if ms <= TARGET_MS else 'MISSED'}",
        )
        for label, ms in times.items()
    ]


async def _pilot_alone(store: str, runs: int) -> list[float]:
    """The pilot row on its own: sign in as team001.sw1 and type."""
    from textual.widgets import DataTable, Input

    from recorder.demo import bulk
    from recorder.services.bootstrap import open_services
    from recorder.tui.app import RecorderApp
    from recorder.tui.screens.home import HomeScreen
    from tests.benchmarks.run import _until

    svc = open_services(Path(store))
    app = RecorderApp(svc, cursor_blink=False, tune_collector=True)  # as `recorder` runs
    frames: list[tuple[float, object]] = []
    compose_frame = app._display

    def display(screen, renderable):
        compose_frame(screen, renderable)
        if renderable is not None:
            frames.append((time.perf_counter(), screen))

    app._display = display

    async def painted(after: float, screen) -> float:
        def frame():
            return next((t for t, sc in reversed(frames) if t >= after and sc is screen), None)

        await _until(pilot, lambda: frame() is not None, "a frame", settle=False)
        return min(t for t, sc in frames if t >= after and sc is screen)

    out: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(
            pilot,
            lambda: app.store_ready and not app.screen.query_one("#username", Input).disabled,
            "sign-in form",
        )
        app.screen.query_one("#username", Input).value = "team001.sw1"
        app.screen.query_one("#password", Input).value = bulk.BULK_PASSWORD
        app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await _until(
            pilot,
            lambda: (
                isinstance(app.screen, HomeScreen)
                and app.screen.query_one("#children", DataTable).row_count > 0
            ),
            "the caseload",
        )
        await measure_find(app, pilot, painted, _until, 1, [])  # warm-up
        await measure_find(app, pilot, painted, _until, runs, out)
    svc.engine.dispose()
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--store", type=Path, required=True, help="a bulk store built by run.py")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument(
        "--pg-url",
        default=os.environ.get(
            "RECORDER_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    p.add_argument("--pg-children", type=int, default=0, help="0: no PostgreSQL rows")
    a = p.parse_args()
    from sqlalchemy import text

    from recorder.services.bootstrap import open_services

    svc = open_services(a.store)
    with svc.engine.connect() as c:
        kids = c.execute(text("SELECT count(*) FROM child")).scalar_one()
    rows = rows_for(service_times(svc, a.runs), f"SQLite ({kids:,} children)")
    svc.engine.dispose()
    keys = asyncio.run(_pilot_alone(str(a.store), a.runs))
    rows.append(
        (
            "a keystroke in home's find field to the search's answer painted",
            f"{median(keys):.1f} ms",
            f"<= {TARGET_MS:.0f} ms: {'met' if median(keys) <= TARGET_MS else 'MISSED'}",
        )
    )
    if a.pg_children:
        pg, seconds = pg_service_times(a.pg_url, a.pg_children, a.runs)
        rows.append(
            (f"PostgreSQL store: {a.pg_children:,} children loaded", f"{seconds:.1f} s", "")
        )
        rows += rows_for(pg, f"PostgreSQL ({a.pg_children:,} children)")
    load = os.getloadavg()
    print(
        f"search benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; medians of {a.runs} runs "
        f"x {len(QUERIES)} queries ({', '.join(QUERIES)})\n"
    )
    w = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"| {name:<{w}} | {value:>9} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
