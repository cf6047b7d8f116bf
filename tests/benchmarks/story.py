#!/usr/bin/env python3
"""Issue 13's speed rows for contacts, called from ``run.py``'s transactions (SQLite and
PostgreSQL): recording a police domestic-abuse notification and its decision, the database
work alone. The decision checks the manager's password with argon2 (~110 ms, the protection
against guessing, not database work): each check is timed by a wrapper around the app's own
hasher and taken off that call, so what is left is the service's own work (permission, the
rules, the writes, the audit event, the commit).

On its own, for a quick look at a store built earlier (SQLite)::

    python tests/benchmarks/story.py --store /tmp/bench --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: the rows ``run.py`` prints, by key of :func:`contact_db`'s result
CONTACT_ROWS = (
    ("contact_db", "record a contact (a police notification), database work"),
    ("decide_db", "decide it, database work (argon2 check excluded)"),
    ("contact_decide_db", "record a contact and its decision, database work"),
)


class TimedHasher:
    """The app's hasher, with the time of each password check kept apart."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.spent = 0.0  # seconds in verify() since the last reset

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        t = time.perf_counter()
        try:
            return self.inner.verify(hashed, password)
        finally:
            self.spent += time.perf_counter() - t

    def needs_rehash(self, hashed: str) -> bool:
        return self.inner.needs_rehash(hashed)


def contact_db(svc, runs: int) -> dict[str, list[float]]:
    """``runs`` notifications recorded by a team's social worker and decided (NFA) by its
    manager, after one warm-up: milliseconds of each call's own work, argon2 excluded."""
    from datetime import timedelta

    from sqlalchemy import select

    from recorder.demo import bulk
    from recorder.domain.contacts import ContactInput, ContactKind
    from recorder.services import accounts, contacts
    from recorder.store.models import Child, Worker

    with svc.reading() as s:

        def who(u: str) -> Worker:
            return s.scalars(select(Worker).where(Worker.username == u)).one()

        sw, manager = who("team001.sw1"), who("team001.manager")
        ref = s.scalars(
            select(Child.reference)
            .where(Child.team_id == manager.team_id)
            .order_by(Child.id.desc())
            .limit(1)
        ).one()
    received = svc.now_local().replace(microsecond=0) - timedelta(hours=1)
    notification = ContactInput(
        received_at=received,
        source_code="6",
        referrer="PC 4321 Patel",
        concern="Raised voices reported by a neighbour; no injuries seen.",
        checked="Police notification; our records.",
        kind=ContactKind.DOMESTIC_ABUSE,
        incident_date=received.date(),
        risk_level="standard",
        children_present="The child was asleep.",
    )
    out: dict[str, list[float]] = {key: [] for key, _ in CONTACT_ROWS}
    before = svc.hasher
    timed = TimedHasher(accounts.hasher(svc))
    svc.hasher = timed
    try:
        for i in range(runs + 1):  # the first round warms up
            t = time.perf_counter()
            cid = contacts.record_contact(svc, sw.id, ref, notification)
            recorded = (time.perf_counter() - t) * 1000
            timed.spent = 0.0
            t = time.perf_counter()
            contacts.decide_contact(
                svc, manager.id, cid, "nfa", "Police dealt; no role for us.", bulk.BULK_PASSWORD
            )
            decided = (time.perf_counter() - t - timed.spent) * 1000
            if i:
                out["contact_db"].append(recorded)
                out["decide_db"].append(decided)
                out["contact_decide_db"].append(recorded + decided)
    finally:
        svc.hasher = before
    return out


def pg_contact_db(pg_url: str, children: int, runs: int, clock) -> tuple[dict, int]:
    """:func:`contact_db` on a PostgreSQL bulk store of ``children`` x 20 visits built in a
    database made on ``pg_url``'s server for it, and dropped after; and its visit count."""
    import os

    from sqlalchemy import create_engine, func, select, text
    from sqlalchemy.engine import make_url

    from recorder.demo import bulk
    from recorder.services.bootstrap import open_services
    from recorder.store.models import Visit

    base = make_url(pg_url)
    name = f"recorder_story_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        svc = open_services(url=base.set(database=name).render_as_string(hide_password=False))
        if clock is not None:
            svc.clock = clock
        bulk.populate_bulk(
            svc, children=children, visits_per_child=20, teams=max(1, children // 250)
        )
        with svc.reading() as s:
            n = s.scalar(select(func.count()).select_from(Visit))
        out = contact_db(svc, runs)
        svc.engine.dispose()
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return out, n


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--store", type=Path, required=True, help="a store built by run.py")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument(
        "--clock",
        default="2026-11-26T10:30",
        help="the services' clock, UTC (the bulk store's registrations are checked on a day "
        "before Social Work England's 30 Nov renewal deadline: on a later real clock its "
        "managers are unverified and may not decide; 'now' for the real clock)",
    )
    p.add_argument("--pg-url", help="also on PostgreSQL: a bulk store built on this server")
    p.add_argument("--pg-children", type=int, default=2000)
    a = p.parse_args()
    from datetime import datetime, timezone

    from recorder.services.bootstrap import open_services

    clock = None
    if a.clock != "now":
        frozen = datetime.fromisoformat(a.clock).replace(tzinfo=timezone.utc)

        def clock() -> datetime:
            return frozen

    svc = open_services(a.store)
    if clock is not None:
        svc.clock = clock
    got = contact_db(svc, a.runs)
    for key, label in CONTACT_ROWS:
        print(f"SQLite: {label}: {statistics.median(got[key]):.1f} ms (runs {len(got[key])})")
    if a.pg_url:
        got, n = pg_contact_db(a.pg_url, a.pg_children, a.runs, clock)
        for key, label in CONTACT_ROWS:
            print(f"PostgreSQL ({n:,} visits): {label}: {statistics.median(got[key]):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
