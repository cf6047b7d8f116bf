"""The bulk loader: ``recorder demo --children N --visits-per-child M``, a big store for
benchmarks.

``populate_bulk(svc, children=..., visits_per_child=...)`` writes its rows directly (no
services: SQLite executemany in one transaction, PostgreSQL COPY in a few) with a single audit
event summarising the load. The rows themselves are made by ``recorder.demo.bulk_rows``,
perhaps in forked worker processes; their signatures are built by ``recorder.domain.signing``
as the services' are.
"""

from __future__ import annotations

import itertools
import marshal
import os
import random
import re
import sys
import time as _time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text

from recorder.demo.bulk_protos import PROTOTYPES
from recorder.demo.bulk_rows import CADENCE, FLUSH_ORDER, Job, make_job
from recorder.demo.common import refuse_non_empty, utc
from recorder.demo.people import BACKGROUNDS, BG_WEIGHTS
from recorder.demo.shm import shared_folder
from recorder.demo.writer import SHARED_POOLS
from recorder.domain.roles import Role, last_renewal_deadline
from recorder.domain.timescales import working_days_for
from recorder.services import accounts
from recorder.services.core import Services
from recorder.store import audit_chain
from recorder.store.engine import writer
from recorder.store.models import Team, Visit, Worker


@dataclass(frozen=True)
class BulkResult:
    children: int
    visits: int
    seconds: float


BATCH = 5_000  # rows per executemany
_VISITS_PER_TRANSACTION = 100_000
#: Every account a bulk load makes shares this password (and one precomputed hash of it).
BULK_PASSWORD = "bulk-demo-password"


def populate_bulk(
    svc: Services,
    *,
    children: int,
    visits_per_child: int,
    teams: int = 1,
    seed: int = 2026,
    workers: int | None = None,
    busiest_child_visits: int = 0,
    progress: Callable[[int, int, str], None] | None = None,
) -> BulkResult:
    """A big store for benchmarks: ``children`` children with ``visits_per_child`` visits each
    (and, with ``busiest_child_visits``, one child more with that many visits and a case-level
    oversight note after every tenth signed-off one).

    Teams of one manager and eight workers (six registered, a student and one awaiting
    registration); children are shared out across the teams. Each child's visits are spaced
    back from today at the plan's visiting interval, the older ones signed off and the newest
    in any state (mostly signed off). The text comes from the same phrase lists as
    ``recorder.demo.team``'s, longer, through per-class prototypes (``recorder.demo.bulk_protos``).

    Rows go in with executemany in batches of ``BATCH`` rows (PostgreSQL: COPY), with a
    single audit event summarising the load. SQLite loads in one transaction, its insert
    triggers set aside in it (:func:`_insert_triggers_set_aside`), so a failure part-way
    leaves the store empty again (should another connection hold the store open, the WAL
    grows to the store's size until the end); PostgreSQL in a few (a new one every
    ``_VISITS_PER_TRANSACTION`` visits), a failure leaving those already committed: start
    again on a new store. Big loads make their rows in ``workers`` forked processes
    (default: one per CPU) while this process inserts; the store is the same either way.
    Refuses a store that is not empty. ``progress(done, total, what)``, when
    given, is called as the visits go in and as the indexes are built again.
    """
    from recorder.services.errors import InvalidInput

    if children < 0 or visits_per_child < 0 or teams < 1 or busiest_child_visits < 0:
        raise InvalidInput(
            "Give a number of children and of visits (0 or more) and at least one team."
        )
    started = _time.perf_counter()
    with svc.reading() as s:
        refuse_non_empty(lambda model: s.scalar(select(func.count()).select_from(model)))
    policy = svc.policy
    today = svc.today()
    wd = working_days_for(policy.bank_holiday_region)
    span = max(CADENCE.values()) * (max(visits_per_child, busiest_child_visits) + 2) + 40
    wdays = [today]
    while len(wdays) <= span:
        wdays.append(wd.add_working_days(wdays[-1], -1))
    sqlite = svc.engine.dialect.name == "sqlite"
    # Every bulk account shares one argon2 hash of BULK_PASSWORD: hashing one per account
    # would take minutes on a big load and tell a benchmark nothing.
    password_hash = accounts.hasher(svc).hash(BULK_PASSWORD)
    rng = random.Random(f"{seed}|staff")
    created = utc(datetime.combine(wdays[-1], time(9, 0)))
    # the register checked after Social Work England's last renewal deadline (a check made
    # before it leaves a registration unverified: no countersign, no sign-off)
    deadline = last_renewal_deadline(
        today, policy.registration_renewal_month, policy.registration_renewal_day
    )
    checked = min(today, max(today - timedelta(days=30), deadline + timedelta(days=1)))
    team_rows, worker_rows, staff = _bulk_staff(rng, teams, password_hash, created, checked)
    eng = writer(svc.engine)
    with eng.begin() as conn:
        # again, under the write lock: two loads at once cannot both pass
        refuse_non_empty(lambda model: conn.scalar(select(func.count()).select_from(model)))
        _insert(conn, Team, team_rows)
        _insert(conn, Worker, worker_rows)

    per_job = max(1, BATCH // max(visits_per_child, 1))
    jobs = [
        Job(
            index=i,
            first_child=first,
            children=min(per_job, children - first + 1),
            visits_per_child=visits_per_child,
            seed=seed,
            staff=staff,
            policy=policy,
            wdays=tuple(wdays),
            sqlite=sqlite,
            created=created,
        )
        for i, first in enumerate(range(1, children + 1, per_job))
    ]
    if busiest_child_visits:
        jobs.append(
            Job(
                index=len(jobs),
                first_child=children + 1,
                children=1,
                visits_per_child=busiest_child_visits,
                seed=seed,
                staff=staff,
                policy=policy,
                wdays=tuple(wdays),
                sqlite=sqlite,
                created=created,
                first_visit_id=children * visits_per_child,
                case_note_every=10,
                case_note_base=children * visits_per_child + busiest_child_visits,
            )
        )
    if workers is None:
        big = children * visits_per_child + busiest_child_visits >= 2 * BATCH
        workers = (os.cpu_count() or 1) if big else 1
    made = _job_results(jobs, workers)
    # the first batch (and any worker processes) before a write transaction is open
    results = itertools.chain([next(made)] if jobs else [], made)
    total = 0
    expected = children * visits_per_child + busiest_child_visits
    finished = False
    try:
        svc.engine.dispose()  # no other connection of ours holds the store open
        with eng.connect() as conn, _bulk_mode(svc, conn, progress):
            while not finished:
                with conn.begin():
                    # SQLite: one transaction, its insert triggers set aside in it
                    set_aside = _insert_triggers_set_aside(conn) if sqlite else None
                    in_transaction = 0
                    for rows, n in results:
                        _flush(conn, rows, set_aside is not None)
                        total += n
                        if progress:
                            progress(total, expected, "visits")
                        in_transaction += n
                        if in_transaction >= _VISITS_PER_TRANSACTION and set_aside is None:
                            break
                    else:
                        finished = True
                        if set_aside is not None:
                            _insert_triggers_put_back(conn, set_aside)
                        audit_chain.append(
                            conn,
                            at=svc.now(),
                            actor_id=1,
                            action="bulk_load",
                            entity="store",
                            entity_id=None,
                            outcome="ok",
                            detail=f"teams={teams} workers={len(worker_rows)} "
                            f"children={children} visits={total}",
                        )
                        if conn.dialect.name == "postgresql":  # explicit ids: move sequences on
                            for model in (Team, Worker, *(m for _, m in FLUSH_ORDER)):
                                name = model.__tablename__
                                conn.execute(
                                    text(
                                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                        f"(SELECT max(id) FROM {name}))"
                                    )
                                )
    finally:
        made.close()  # on a failure: cancel the jobs not started, let the workers stop
        PROTOTYPES.clear()
        SHARED_POOLS.clear()
    return BulkResult(
        children=children + (1 if busiest_child_visits else 0),
        visits=total,
        seconds=round(_time.perf_counter() - started, 3),
    )


_TRIGGER_INDEXES = ("ix_signature_visit_id", "ix_oversight_note_visit_id")


@contextmanager
def _bulk_mode(svc: Services, conn, progress: Callable[[int, int, str], None] | None = None):
    """While a bulk load fills a new, empty store (populate_bulk refuses any other).

    The non-unique secondary indexes of the loaded tables are dropped and built again at the
    end (one sort each instead of a random insert per row), in ``finally``, so a failed load
    leaves them in place too. SQLite, on the loading connection only: no fsync per commit, a
    rollback journal in memory instead of the WAL (when no other connection has the store
    open), a 256 MiB page cache and no foreign key lookups per row (each row's references are
    the ids the loader gave the rows it wrote before it: tests/test_demo_bulk_store.py checks
    them with ``PRAGMA foreign_key_check``, as ``recorder check`` does); all put back after.
    Losing power part-way can lose the load (never a record: the store was empty); start it
    again on a new store.
    """
    tables = [m.__tablename__ for _, m in FLUSH_ORDER]
    sqlite = conn.dialect.name == "sqlite"
    raw = conn.connection.dbapi_connection
    if sqlite:
        cur = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ("
            + ",".join("?" * len(tables))
            + ")",
            tables,
        )
        indexes = [(name, sql) for name, sql in cur.fetchall()]
    else:
        cur = raw.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexdef NOT LIKE 'CREATE UNIQUE%%' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            (tables,),
        )
        indexes = [(name, sql) for name, sql in cur.fetchall()]
        raw.commit()
    # the sign-off trigger looks a visit's signature and note up by these (migration 0012)
    indexes = [(name, sql) for name, sql in indexes if name not in _TRIGGER_INDEXES]
    if not sqlite:  # building an index on a large store can take longer than one request may
        waits = raw.execute("SHOW statement_timeout").fetchone()[0]
        raw.execute("SET statement_timeout = 0")
    for name, _ in indexes:
        raw.execute(f'DROP INDEX "{name}"')
    if sqlite:
        raw.execute("PRAGMA foreign_keys=OFF")  # outside a transaction: a no-op inside one
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-262144")
        wal = raw.execute("PRAGMA journal_mode=MEMORY").fetchone()[0] != "memory"
    else:
        raw.commit()
    try:
        yield
    finally:
        if not sqlite:
            raw.rollback()  # after a failure part-way; a no-op after the last commit
        for i, (_, sql) in enumerate(indexes, 1):
            raw.execute(sql)
            if progress:
                progress(i, len(indexes), "indexes built")
        if sqlite:
            if not wal:
                raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA cache_size=-2000")
            raw.execute("PRAGMA synchronous=FULL")
            raw.execute("PRAGMA foreign_keys=ON")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            raw.execute(f"SET statement_timeout = '{waits}'")
            raw.commit()


def _insert_triggers_set_aside(conn) -> list[tuple[str, str]]:
    """SQLite: drop the triggers that fire on an insert into a loaded table, in the load's
    one transaction (so a failure or a crash part-way puts them back with the rollback), and
    return their names and SQL for :func:`_insert_triggers_put_back`.

    They are the search index's (``child_search_insert``: the index is filled once at the
    end instead, a row at a time costs more) and guards that refuse a row for a visit already
    signed off, or a visit inserted signed off (migration 0012), each looking the visit up for
    every row: about a third of the insert's time. The loader writes each visit's rows
    together with it, as ``services.visits`` does before signing off. Triggers on update and
    delete stay: the load does neither. Other stores' triggers are untouched: this runs only
    on the empty store the load is filling.
    """
    tables = [m.__tablename__ for _, m in FLUSH_ORDER]
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ("
        + ",".join("?" * len(tables))
        + ") ORDER BY name",
        tuple(tables),
    ).all()
    fires_on_insert = re.compile(r"\b(BEFORE|AFTER)\s+INSERT\s+ON\b", re.IGNORECASE)
    set_aside = [(name, sql) for name, sql in found if fires_on_insert.search(sql)]
    for name, sql in set_aside:
        if name != _SEARCH_TRIGGER and not re.search(r"BEGIN\s+SELECT\s+RAISE\(ABORT", sql):
            raise RuntimeError(f"the bulk loader does not know what trigger {name} does")
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return set_aside


_SEARCH_TRIGGER = "child_search_insert"
#: each signed-off visit has its sign-off signature and the note it signs (migration 0012)
_SIGNED_OFF_WITHOUT_SIGNATURE = """SELECT count(*) FROM visit v WHERE v.state = 'signed_off'
AND NOT EXISTS (SELECT 1 FROM signature s JOIN oversight_note n ON n.signature_id = s.id
WHERE s.visit_id = v.id AND s.meaning = 'Management oversight' AND n.visit_id = v.id)"""


def _insert_triggers_put_back(conn, set_aside: list[tuple[str, str]]) -> None:
    """The triggers :func:`_insert_triggers_set_aside` dropped, made again from their own
    SQL, once the rows are in: the search index filled from the children in one statement
    (as migration 0016 fills it), and the sign-off trigger's rule checked over every
    signed-off visit at once (a visit signed off without its signature fails the load)."""
    from recorder.store.search_key import SQL_NAME, SQLITE_TABLE

    names = {name for name, _ in set_aside}
    if _SEARCH_TRIGGER in names:
        conn.exec_driver_sql(
            f"INSERT INTO {SQLITE_TABLE} (rowid, name, ref) "
            f"SELECT id, {SQL_NAME}(full_name), {SQL_NAME}(reference) FROM child"
        )
    missing = conn.exec_driver_sql(_SIGNED_OFF_WITHOUT_SIGNATURE).scalar()
    if missing:
        raise RuntimeError(f"{missing} bulk visits signed off without their signature")
    for _, sql in set_aside:
        conn.exec_driver_sql(sql)


def _bulk_staff(
    rng: random.Random, teams: int, password_hash: str, created: datetime, checked: date
):
    """Teams, their workers (an administrator first), and per team who is who."""
    team_rows: list[dict[str, Any]] = []
    worker_rows: list[dict[str, Any]] = []

    def worker(**row) -> dict[str, Any]:
        row = {
            "unqualified_kind": None,
            "registration_number": None,
            "registration_checked_on": None,
            "team_id": None,
            "failed_signins": 0,
            "signin_blocked_until": None,
            "locked": False,
            "active": True,
            "password_hash": password_hash,
            "created_at": created,
            "id": len(worker_rows) + 1,
            **row,
        }
        worker_rows.append(row)
        return row

    worker(username="admin", full_name="Bulk Administrator", role=Role.ADMINISTRATOR.value)
    staff = []
    for t in range(1, teams + 1):
        team_rows.append({"id": t, "name": f"Bulk team {t:03d}", "created_at": created})
        members: dict[str, Any] = {"manager": None, "registered": [], "unqualified": []}
        for i in range(9):
            bg = rng.choices(BACKGROUNDS, weights=BG_WEIGHTS)[0]
            full = f"{rng.choice((bg[5] + ' ' + bg[6]).split())} {rng.choice(bg[7].split())}"
            kind = None if i <= 6 else ("student" if i == 7 else "awaiting_registration")
            role = (
                Role.TEAM_MANAGER
                if i == 0
                else Role.SOCIAL_WORKER
                if kind is None
                else Role.UNQUALIFIED
            ).value
            user = (
                f"team{t:03d}.manager"
                if i == 0
                else f"team{t:03d}.sw{i}"
                if kind is None
                else f"team{t:03d}.{kind.split('_')[0]}"
            )
            number = f"SW{300000 + len(worker_rows) + 1}" if kind is None else None
            row = worker(
                username=user,
                full_name=full,
                role=role,
                unqualified_kind=kind,
                registration_number=number,
                registration_checked_on=checked if number else None,
                team_id=t,
            )
            person = {
                k: row[k]
                for k in ("id", "username", "full_name", "role", "registration_number", "team_id")
            }
            if i == 0:
                members["manager"] = person
            else:
                members["registered" if kind is None else "unqualified"].append(person)
        staff.append(members)
    return team_rows, worker_rows, tuple(staff)


def _job_results(jobs: list[Job], workers: int):
    """Each job's (rows, visits), in job order.

    With several workers (on Linux, where processes fork), the first job is made here, which
    fills this process's prototype caches, and the rest by forked worker processes that start
    with those caches, a few jobs in flight at a time so memory stays bounded. The workers
    never touch the database connections they inherit.
    """
    import multiprocessing

    if workers <= 1 or len(jobs) <= 1 or not sys.platform.startswith("linux"):
        for job in jobs:
            yield make_job(job)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    first = make_job(jobs[0])
    with (
        shared_folder() as folder,
        ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork")
        ) as pool,
    ):
        waiting = iter(jobs[1:])
        # range first: zip stops on it without taking (and dropping) one more job
        in_flight = deque(
            pool.submit(_make_to_send, job, folder) for _, job in zip(range(2 * workers), waiting)
        )
        try:
            yield first
            while in_flight:
                result = _received(in_flight.popleft().result())
                job = next(waiting, None)
                if job is not None:
                    in_flight.append(pool.submit(_make_to_send, job, folder))
                yield result
        finally:
            for future in in_flight:
                future.cancel()


def _make_to_send(job: Job, folder: str | None = None) -> tuple[Any, int]:
    """``make_job`` in a worker process, its rows ready to send back. SQLite's rows hold only
    text, numbers and None, which ``marshal`` writes and reads in about half pickle's time
    (measured: 0.03 s against 0.08 s out, 0.03 against 0.06 s in, for a job of 5,000 visits):
    the loading process reads 200 of them for the benchmark's store. With a ``folder`` in
    shared memory, they are written to a file there and only its name is sent: through the
    pipe, the 33 MB of a job were copied about five times on their way (pickled, written,
    read in pieces, joined, unpickled). PostgreSQL's rows hold dates and times, which only
    pickle writes."""
    rows, visits = make_job(job)
    if not job.sqlite:
        return rows, visits
    data = marshal.dumps(rows)
    if folder is None:
        return data, visits
    path = os.path.join(folder, f"job-{job.index}")
    with open(path, "wb") as f:
        f.write(data)
    return path, visits


def _received(made: tuple[Any, int]) -> tuple[dict[str, list[tuple]], int]:
    rows, visits = made
    if isinstance(rows, bytes):
        return marshal.loads(rows), visits
    if isinstance(rows, str):  # the name of a file in shared memory: read where it lies
        import mmap

        try:
            with open(rows, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
                return marshal.loads(m), visits
        finally:
            os.unlink(rows)
    return rows, visits


def _flush(conn, rows: dict[str, list[tuple]], triggers_set_aside: bool = False) -> None:
    """Insert a job's rows, parents first.

    The rows are tuples in column order already in the form the database stores (SQLAlchemy's
    own formats on SQLite, JSON as text), so they go to the driver as they are: SQLite's
    executemany ``BATCH`` at a time, PostgreSQL's COPY.

    A visit is never inserted signed off (a trigger refuses it): signed-off visits go in
    awaiting oversight and are marked signed off last, once their sign-off signature and
    oversight note are in (the order ``services.visits.sign_off`` writes them). With the
    insert triggers set aside (SQLite, :func:`_insert_triggers_set_aside`) they go in as they
    end, and :func:`_insert_triggers_put_back` checks what the sign-off trigger would have.
    """
    if triggers_set_aside:
        _insert_rows(conn, rows)
        return
    rows, signed_off = _signed_off_last(rows)
    if conn.dialect.name == "postgresql":
        _copy(conn, rows)
    else:
        _insert_rows(conn, rows)
    for i in range(0, len(signed_off), BATCH):
        ids = signed_off[i : i + BATCH]
        conn.exec_driver_sql(
            "UPDATE visit SET state = 'signed_off' WHERE id IN (" + ",".join(map(str, ids)) + ")"
        )


def _signed_off_last(rows: dict[str, list[tuple]]) -> tuple[dict[str, list[tuple]], list[int]]:
    """``rows`` with each signed-off visit as awaiting oversight, and those visits' ids."""
    cols = [c.name for c in Visit.__table__.columns]
    state, key = cols.index("state"), cols.index("id")
    signed: list[int] = []
    out: list[tuple] = []
    for row in rows.get("visit", []):
        if row[state] == "signed_off":
            signed.append(row[key])
            row = (*row[:state], "awaiting_oversight", *row[state + 1 :])
        out.append(row)
    return {**rows, "visit": out}, signed


def _insert_rows(conn, rows: dict[str, list[tuple]]) -> None:
    """SQLite: each table's rows with executemany, parents first."""
    for key, model in FLUSH_ORDER:
        items = rows[key]
        if not items:
            continue
        names = [c.name for c in model.__table__.columns]
        sql = (
            f'INSERT INTO "{model.__tablename__}" ({", ".join(names)}) '
            f"VALUES ({', '.join('?' * len(names))})"
        )
        for i in range(0, len(items), BATCH):
            conn.exec_driver_sql(sql, items[i : i + BATCH])


def _copy(conn, rows: dict[str, list[tuple]]) -> None:
    """PostgreSQL: each table's rows through ``COPY ... FROM STDIN`` (psycopg's copy, in the
    transaction SQLAlchemy has open), parents first."""
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur:
        for key, model in FLUSH_ORDER:
            items = rows[key]
            if not items:
                continue
            cols = ", ".join(f'"{c.name}"' for c in model.__table__.columns)
            with cur.copy(f'COPY "{model.__tablename__}" ({cols}) FROM STDIN') as copy:
                for item in items:
                    copy.write_row(item)


def _insert(conn, model, items: list[dict[str, Any]]) -> None:
    """Rows with Python values (teams, workers): SQLAlchemy converts them."""
    for i in range(0, len(items), BATCH):
        conn.execute(insert(model.__table__), items[i : i + BATCH])
