#!/usr/bin/env python3
"""The load run (issue 14, "Speed and load"): simulated workers on one PostgreSQL store.

Not part of the test run (pytest does not collect this folder); it reports, it asserts
nothing (``tests/test_load_run.py`` runs it small, for its shape). From the project root,
after the test install:

    python tests/benchmarks/load.py                           # 50 workers, 60 s
    python tests/benchmarks/load.py --workers 6 --seconds 10  # a quick run

What it does:

1. drops and makes again the database ``--database`` (default ``recorder_load``) on the server
   of ``--pg-url`` (default ``RECORDER_TEST_DATABASE_URL``), migrates it with
   ``recorder migrate`` as the schema owner (the URL's user), fills it with the bulk loader
   (``recorder.demo.bulk``: teams of a manager and six registered social workers, children
   with a few visits each) and applies the app role's grants (``recorder db grants --role
   recorder_load_app --apply``; the role is made if missing);
2. starts ``--workers`` processes (one team manager for every seven), each connecting as the
   app role exactly as the app does (``open_services(migrate=False)`` and the schema check,
   ``recorder.store.engine``'s engine and pool) and signing in through
   ``services.accounts.sign_in`` with the real argon2 hasher;
3. for ``--seconds``: a social worker opens their caseload, a child, starts a visit, opens
   it and types it section by section with an autosave every 1.5 s (each section saved
   half-typed, then whole, with the version it was based on, as the form does), then
   submits (a submit refused because a manager set actions on the child meanwhile is
   answered, as the submit dialog asks, and done again: counted apart, not an error); a
   manager opens the oversight queue, reviews a record (the run's own first, then those the
   bulk load left waiting), types the oversight note (its draft autosaved every 1.5 s) and
   signs it off with the password (argon2 again), and
   opens the team view after each (and reads a while when the queue has nothing for them);
4. reports p50/p95/p99 of every operation and its errors; the audit chain's lock (a
   PostgreSQL advisory lock every audited write takes, ``store.audit_chain``): the time
   each operation spent appending its event (waiting for the lock, then writing) and from
   then to its commit, and ``pg_locks`` sampled every 100 ms for backends waiting on it;
5. checks that nothing was lost: every section's last autosaved text, every oversight
   note's draft not yet signed, each visit's state, and one audit event per service call
   are in the store; then runs ``recorder check`` (as the app role).

The database is left in place after the run (``recorder check`` can be run on it again);
the next run drops it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AUTOSAVE_SECONDS = 1.5  # recorder.tui.autosave.AUTOSAVE_SECONDS
TARGET_AUTOSAVE_P95_MS = 50.0
APP_ROLE = "recorder_load_app"
WORKERS_PER_MANAGER = 7
#: a manager with nothing to sign looks at the queue again after this many autosave ticks
QUEUE_PAUSE_TICKS = 4  # a team: its manager and six registered social workers
DEFAULT_PG = os.environ.get(
    "RECORDER_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
#: the operations, in the report's order
OPS = (
    "sign_in",
    "caseload",
    "open_child",
    "start_visit",
    "open_visit",
    "autosave",
    "submit",
    "oversight_queue",
    "review",
    "note_autosave",
    "sign_off",
    "team_view",
)
#: the audit event each operation writes (one per call; the caseload of one's own is not audited)
AUDITED = {
    "sign_in": "sign_in",
    "open_child": "view_child",
    "start_visit": "start_visit",
    "open_visit": "view_visit",
    "autosave": "save_section",
    "submit": "submit",
    "oversight_queue": "view_oversight_queue",
    "review": "view_review",
    "note_autosave": "save_draft",
    "sign_off": "sign_off",
    "team_view": "view_team",
}
#: events a call may write besides its own: a sign-off updates the child's profile from the
#: identity the visit confirmed (services.profile)
WITHIN = {"update_profile": "sign_off"}


# =====================================================================================
# The store
# =====================================================================================


def _base(pg_url: str):
    from sqlalchemy.engine import make_url

    base = make_url(pg_url)
    if base.drivername in ("postgresql", "postgres"):
        base = base.set(drivername="postgresql+psycopg")
    return base


def _cli(*args: str, url: str, extra: dict[str, str] | None = None):
    """Run a ``recorder`` command (its own ``main``, in this process: the same code as the
    command line without a Python start-up) with ``url`` as RECORDER_DATABASE_URL."""
    import contextlib
    import io

    from recorder.cli import main

    env = {"RECORDER_DATABASE_URL": url, **(extra or {})}
    saved = {k: v for k, v in os.environ.items() if k.startswith("RECORDER_")}
    out, err = io.StringIO(), io.StringIO()
    for k in saved:
        del os.environ[k]
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        for k in env:
            os.environ.pop(k, None)
        os.environ.update(saved)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def prepare(pg_url: str, database: str, teams: int, children: int, visits: int) -> dict:
    """Make the database again, migrate it, fill it, grant the app role. Returns the URLs."""
    from sqlalchemy import create_engine, text

    from recorder.demo import bulk
    from recorder.services.bootstrap import open_services

    base = _base(pg_url)
    owner_url = base.set(database=database).render_as_string(hide_password=False)
    role_url = base.set(database=database, username=APP_ROLE, password=None).render_as_string(
        hide_password=False
    )
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{database}"'))
            if (
                c.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}
                ).first()
                is None
            ):
                c.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN"))
    finally:
        admin.dispose()
    r = _cli("migrate", url=owner_url)
    if r.returncode != 0:
        raise SystemExit(f"recorder migrate failed: {r.stderr[-800:]}")
    svc = open_services(url=owner_url, migrate=False)
    try:
        t = time.perf_counter()
        bulk.populate_bulk(svc, children=children, visits_per_child=visits, teams=teams)
        built = time.perf_counter() - t
        # the bulk loader checks registrations 30 days back, which is before this year's
        # renewal date in early December: checked today, so a social worker's record goes
        # straight to oversight (not to a countersign) whatever the date
        with svc.engine.begin() as c:
            c.execute(
                text(
                    "UPDATE worker SET registration_checked_on = :d "
                    "WHERE registration_number IS NOT NULL"
                ),
                {"d": svc.today()},
            )
    finally:
        svc.engine.dispose()
    r = _cli("db", "grants", "--role", APP_ROLE, "--apply", url=owner_url)
    if r.returncode != 0:
        raise SystemExit(f"recorder db grants failed: {r.stderr[-800:]}")
    return {"owner_url": owner_url, "role_url": role_url, "built_s": built}


def cast(role_url: str, workers: int) -> list[dict]:
    """Who each simulated worker is: every team's manager, then its social workers."""
    from sqlalchemy import create_engine, text

    eng = create_engine(role_url)
    try:
        with eng.connect() as c:
            rows = c.execute(
                text(
                    "SELECT id, username, role, team_id FROM worker "
                    "WHERE role IN ('team_manager', 'social_worker') AND active "
                    "ORDER BY team_id, role DESC, id"
                )
            ).all()
    finally:
        eng.dispose()
    by_team: dict[int, list] = defaultdict(list)
    for r in rows:
        by_team[r.team_id].append(r)
    out: list[dict] = []
    for team in sorted(by_team):
        for r in by_team[team]:  # the manager first ('team_manager' > 'social_worker')
            if len(out) < workers:
                out.append(
                    {"id": r.id, "username": r.username, "manager": r.role == "team_manager"}
                )
    return out


# =====================================================================================
# One simulated worker (a process of its own)
# =====================================================================================


class Recorder:
    """Timings, errors and the audit chain's lock, for one process."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)  # this process's CPU in the call
        self.lock_wait: dict[str, list[float]] = defaultdict(list)
        self.lock_hold: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, Counter] = defaultdict(Counter)
        self.ok: Counter = Counter()  # successful calls by operation (one audit event each)
        self.warming = False
        self.asked: Counter = Counter()  # refusals the app asks the person about (see timed)
        self.local = threading.local()
        self.log: list[str] = []

    def patch_chain(self) -> None:
        """Time each audit event's append (waiting for the chain's advisory lock, then
        writing the event) and, from then, the rest of the call (its commit) with the lock
        still held. The append itself is not changed: one query, as in the app."""
        from recorder.store import audit_chain

        original = audit_chain.append

        def timed_append(conn, **kw):
            t = time.perf_counter()
            digest = original(conn, **kw)
            got = time.perf_counter()
            self.local.waits = getattr(self.local, "waits", 0.0) + (got - t)
            if getattr(self.local, "acquired", None) is None:
                self.local.acquired = got
            return digest

        audit_chain.append = timed_append

    def timed(self, op: str, fn, *args, expected: tuple = (), **kw):
        """``(result, True)``, or ``(None, False)`` with the error counted; an ``expected``
        refusal (one the app asks the person about) is counted apart and returned."""
        self.local.waits = 0.0
        self.local.acquired = None
        t, cpu = time.perf_counter(), time.process_time()
        try:
            result = fn(*args, **kw)
        except expected as e:
            self.asked[f"{op}: {getattr(e, 'audit_detail', '')}"[:80]] += 1
            return e, False
        except Exception as e:  # noqa: BLE001 - counted and reported
            self.errors[op][type(e).__name__] += 1
            if len(self.log) < 5:
                why = getattr(e, "audit_detail", "") or ""
                self.log.append(f"{op}: {type(e).__name__} {why}: {str(e)[:300]}")
            return None, False
        end = time.perf_counter()
        self.ok[op] += 1
        if self.warming:
            return result, True
        self.ms[op].append((end - t) * 1000)
        self.cpu[op].append((time.process_time() - cpu) * 1000)
        self.lock_wait[op].append(self.local.waits * 1000)
        if self.local.acquired is not None:
            self.lock_hold[op].append((end - self.local.acquired) * 1000)
        return result, True


def _half(value: Any) -> Any:
    """What a field holds half-way through typing it."""
    if isinstance(value, str) and len(value) > 20:
        return value[: len(value) // 2].rsplit(" ", 1)[0]
    if isinstance(value, list):
        return value[: max(1, len(value) // 2)]
    if isinstance(value, dict):
        return {k: _half(v) for k, v in value.items()}
    return value


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _content_for(svc, child_id: int, visit_id: int) -> dict:
    """A complete record for this child (tests/support/factories.py), its plan risks rated
    and its open actions answered, as the benchmark's (run.py)."""
    from recorder.demo.progress import answer_open_actions
    from recorder.store.models import Child
    from tests.support.factories import complete_content

    with svc.reading() as s:
        risks = list(s.get(Child, child_id).plan_risks or [])
    content = complete_content()
    content["analysis"]["risks"] = [{"risk": r, "change": "unchanged"} for r in risks]
    content["seen"]["infant_awake"] = "yes"  # asked only when the child is under 2
    # this morning's visit: the factory's date is before a bulk baby's birth
    content["details"]["visit_at"] = f"{svc.now_local() - timedelta(hours=2):%Y-%m-%dT%H:%M}"
    answer_open_actions(svc, visit_id, content)
    return content


def _reasons(svc, visit_id: int) -> dict[str, str]:
    """A reason for every query the record raises (the submit dialog asks them)."""
    from recorder.domain.validation import validate
    from recorder.services import queries, visits
    from recorder.store.models import Child, Visit

    with svc.reading() as s:
        v = s.get(Visit, visit_id)
        found = validate(
            queries.visit_content(s, visit_id), visits._context(s, s.get(Child, v.child_id), svc)
        )
    return {f.code: "Agreed with the manager in supervision." for f in found}


class Ticker:
    """Keystrokes reach the store every ``every`` seconds (the app's AUTOSAVE_SECONDS):
    wait for the next tick."""

    def __init__(self, deadline: float, first: float, every: float = AUTOSAVE_SECONDS) -> None:
        self.deadline = deadline
        self.every = every
        self.next = time.monotonic() + first

    def wait(self) -> bool:
        now = time.monotonic()
        if self.next > now:
            time.sleep(max(0.0, min(self.next, self.deadline) - now))
        self.next = max(self.next, time.monotonic()) + self.every
        return time.monotonic() < self.deadline


def social_worker(svc, rec: Recorder, me: int, ticker: Ticker, out: dict, rng: random.Random):
    from recorder.domain.content import clean_content
    from recorder.services import caseloads, visits
    from recorder.services.errors import Incomplete

    turn = 0
    while time.monotonic() < ticker.deadline:
        rows, ok = rec.timed("caseload", caseloads.caseload, svc, me)
        if not ok or not rows:
            ticker.wait()
            continue
        child = rows[(turn + rng.randrange(len(rows))) % len(rows)].id
        turn += 1
        rec.timed("open_child", caseloads.child_view, svc, me, child)
        vid, ok = rec.timed("start_visit", visits.start_visit, svc, me, child)
        if not ok:
            ticker.wait()
            continue
        view, ok = rec.timed("open_visit", visits.load_visit, svc, me, vid)
        version = view.version if ok else None
        saved: dict[str, str] = {}
        out["visits"][vid] = {"sections": saved, "state": "draft"}
        complete = True
        for section, data in _content_for(svc, child, vid).items():
            for typed in (_half(data), data):
                if not ticker.wait():
                    complete = False
                    break
                new, ok = rec.timed(
                    "autosave", visits.save_section, svc, me, vid, section, typed, version
                )
                if ok:
                    version = new
                    saved[section] = _digest(clean_content({section: typed}, svc.policy)[section])
            if not complete:
                break
        if not complete:
            return
        done, ok = rec.timed(
            "submit",
            visits.submit,
            svc,
            me,
            vid,
            _reasons(svc, vid),
            version,
            expected=(Incomplete,),
        )
        if isinstance(done, Incomplete):
            # a manager set actions on this child meanwhile (signing off another of its
            # records): the submit dialog asks their progress; answered, and submitted again
            content = {"actions": _content_for(svc, child, vid)["actions"]}
            new, ok = rec.timed(
                "autosave",
                visits.save_section,
                svc,
                me,
                vid,
                "actions",
                content["actions"],
                version,
            )
            if ok:
                version = new
                saved["actions"] = _digest(
                    clean_content({"actions": content["actions"]}, svc.policy)["actions"]
                )
            done, ok = rec.timed("submit", visits.submit, svc, me, vid, _reasons(svc, vid), version)
        if ok:
            out["visits"][vid]["state"] = done.state.value


def manager(svc, rec: Recorder, me: int, ticker: Ticker, out: dict, first_visit: int):
    from recorder.demo.bulk import BULK_PASSWORD as PASSWORD
    from recorder.domain.drafts import DraftKind
    from recorder.services import drafts, oversight, team, visits
    from tests.support.records import oversight_note

    tried: set[int] = set()
    while time.monotonic() < ticker.deadline:
        queue, ok = rec.timed("oversight_queue", oversight.oversight_queue, svc, me)
        # the run's own records first, then those the bulk load left waiting for oversight
        rows = sorted(
            (r for r in (queue or []) if r.can_act and r.visit_id not in tried),
            key=lambda r: (r.visit_id < first_visit, r.visit_id),
        )
        if not rows:  # nothing to sign: the team view, then read a while
            rec.timed("team_view", team.team_view, svc, me)
            for _ in range(QUEUE_PAUSE_TICKS):
                ticker.wait()
            continue
        vid = rows[0].visit_id
        tried.add(vid)
        seen, ok = rec.timed("review", oversight.review, svc, me, vid)
        if not ok:
            continue
        note = oversight_note([f.code for f in seen.flags])
        typed = {
            "decision": note.decision,
            "analysis": note.analysis,
            "risk": note.risk,
            "timeframe": note.timeframe,
            "child_voice": note.child_voice,
        }
        version, last = 0, typed
        for part in (_half(typed), typed):
            if not ticker.wait():
                out["notes"][vid] = _digest(drafts._clean(last, svc)) if version else None
                return
            new, ok = rec.timed(
                "note_autosave", drafts.save, svc, me, DraftKind.OVERSIGHT, vid, part, version
            )
            if ok:
                version, last = new, part
        if not ticker.wait():
            out["notes"][vid] = _digest(drafts._clean(last, svc)) if version else None
            return
        _, ok = rec.timed("sign_off", visits.sign_off, svc, me, vid, note, PASSWORD)
        if ok:
            out["signed_off"].append(vid)
        rec.timed("team_view", team.team_view, svc, me)  # then a look at the team


def warm_up(svc, rec: Recorder, me: int, is_manager: bool) -> None:
    """Before the clock starts: the modules each call imports lazily are imported, and the
    first screen read once (counted as calls, not timed), as the app has done by then."""
    import recorder.domain.validation  # noqa: F401
    import recorder.services.drafts  # noqa: F401
    from recorder.services import caseloads, oversight, team, visits  # noqa: F401

    rec.warming = True
    try:
        if is_manager:
            rec.timed("oversight_queue", oversight.oversight_queue, svc, me)
            rec.timed("team_view", team.team_view, svc, me)
        else:
            rec.timed("caseload", caseloads.caseload, svc, me)
    finally:
        rec.warming = False


def worker_main(
    who: dict, role_url: str, gate, barrier, seconds: float, tick: float, first_visit: int, results
) -> None:
    out: dict[str, Any] = {"visits": {}, "notes": {}, "signed_off": [], "fatal": ""}
    rec = Recorder()
    try:
        from recorder.demo.bulk import BULK_PASSWORD as PASSWORD
        from recorder.services import accounts
        from recorder.services.bootstrap import open_services, require_current_schema

        svc = open_services(url=role_url, migrate=False)  # as the app: never migrates
        require_current_schema(svc.engine)
        rec.patch_chain()
        with gate:  # a few at a time: fifty argon2 checks at once would only measure argon2
            actor, ok = rec.timed("sign_in", accounts.sign_in, svc, who["username"], PASSWORD)
            if ok:
                warm_up(svc, rec, actor.id, who["manager"])
        barrier.wait(timeout=600)
        if not ok:
            raise RuntimeError("could not sign in")
        rng = random.Random(who["id"])
        ticker = Ticker(time.monotonic() + seconds, rng.uniform(0, tick), tick)
        if who["manager"]:
            manager(svc, rec, actor.id, ticker, out, first_visit)
        else:
            social_worker(svc, rec, actor.id, ticker, out, rng)
        svc.engine.dispose()
    except Exception:  # noqa: BLE001 - reported by the parent
        out["fatal"] = traceback.format_exc()[-1500:]
        try:
            barrier.abort()
        except Exception:  # noqa: BLE001
            pass
    results.put(
        {
            "who": who,
            "ms": dict(rec.ms),
            "cpu": dict(rec.cpu),
            "lock_wait": dict(rec.lock_wait),
            "lock_hold": dict(rec.lock_hold),
            "errors": {k: dict(v) for k, v in rec.errors.items()},
            "ok": dict(rec.ok),
            "asked": dict(rec.asked),
            "log": rec.log,
            **out,
        }
    )


# =====================================================================================
# Watching the lock, and checking afterwards
# =====================================================================================


def sample_locks(owner_url: str, database: str, stop: threading.Event, samples: list) -> None:
    from sqlalchemy import create_engine, text

    from recorder.store.audit_chain import PG_CHAIN_LOCK

    q = text(
        "SELECT "
        " (SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
        "  WHERE d.datname = :db AND l.locktype = 'advisory' AND NOT l.granted "
        "  AND ((l.classid::bigint << 32) | l.objid::bigint) = :key), "
        " (SELECT count(*) FROM pg_stat_activity WHERE datname = :db "
        "  AND wait_event_type = 'Lock'), "
        " (SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND state = 'active' "
        "  AND pid <> pg_backend_pid()), "
        " (SELECT count(*) FROM pg_stat_activity WHERE datname = :db)"
    )
    eng = create_engine(owner_url, pool_size=1)
    try:
        with eng.connect() as c:
            while not stop.wait(0.1):
                row = c.execute(q, {"db": database, "key": PG_CHAIN_LOCK}).one()
                samples.append(tuple(row))
                c.rollback()
    finally:
        eng.dispose()


def verify(owner_url: str, results: list[dict], audit_before: int) -> dict:
    """What the workers were told was saved, against the store."""
    from sqlalchemy import create_engine, text

    from recorder.domain.drafts import DraftKind, subject_key

    eng = create_engine(owner_url)
    missing: list[str] = []
    checked = Counter()
    try:
        with eng.connect() as c:
            signed_off = {v for r in results for v in r["signed_off"]}
            for r in results:
                for vid, v in r["visits"].items():
                    state = c.execute(
                        text("SELECT state FROM visit WHERE id = :v"), {"v": vid}
                    ).scalar()
                    want = "signed_off" if vid in signed_off else v["state"]
                    checked["visits"] += 1
                    if state != want:
                        missing.append(f"visit {vid}: state {state}, expected {want}")
                    rows = dict(
                        c.execute(
                            text("SELECT section, data FROM visit_section WHERE visit_id = :v"),
                            {"v": vid},
                        ).all()
                    )
                    for section, digest in v["sections"].items():
                        checked["sections"] += 1
                        if _digest(rows.get(section)) != digest:
                            missing.append(f"visit {vid}: section {section} is not as last saved")
                for vid, digest in r["notes"].items():
                    if digest is None:
                        continue
                    checked["note drafts"] += 1
                    got = c.execute(
                        text(
                            "SELECT content FROM form_draft WHERE writer_id = :w AND kind = :k "
                            "AND subject = :s"
                        ),
                        {
                            "w": r["who"]["id"],
                            "k": "oversight",
                            "s": subject_key(DraftKind.OVERSIGHT, vid),
                        },
                    ).scalar()
                    if _digest(got) != digest:
                        missing.append(f"oversight draft on visit {vid} is not as last saved")
                checked["sign-offs"] += len(r["signed_off"])
            events = Counter(
                dict(
                    c.execute(
                        text(
                            "SELECT action, count(*) FROM audit_event WHERE id > :i "
                            "AND outcome = 'ok' GROUP BY action"
                        ),
                        {"i": audit_before},
                    ).all()
                )
            )
    finally:
        eng.dispose()
    calls: Counter = Counter()
    for r in results:
        for op, n in r["ok"].items():
            if op in AUDITED:
                calls[AUDITED[op]] += n
    for action, within in WITHIN.items():  # written inside another call, at most once each
        if events[action] > calls[within]:
            missing.append(f"{events[action]} '{action}' events for {calls[within]} {within}")
        events.pop(action, None)
    for action in sorted(set(events) | set(calls)):
        if events[action] != calls[action]:
            missing.append(f"{events[action]} '{action}' audit events for {calls[action]} calls")
    return {
        "checked": dict(checked),
        "problems": missing,
        "events": sum(events.values()),
        "calls": sum(calls.values()),
    }


def audit_max(owner_url: str) -> tuple[int, int]:
    from sqlalchemy import create_engine, text

    eng = create_engine(owner_url)
    try:
        with eng.connect() as c:
            return (
                c.execute(text("SELECT coalesce(max(id), 0) FROM audit_event")).scalar(),
                c.execute(text("SELECT coalesce(max(id), 0) FROM visit")).scalar(),
            )
    finally:
        eng.dispose()


# =====================================================================================
# The run and its report
# =====================================================================================


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    if len(xs) == 1:
        return xs[0]
    return statistics.quantiles(xs, n=100, method="inclusive")[p - 1]


def run(args: argparse.Namespace) -> dict:
    teams = max(1, -(-args.workers // WORKERS_PER_MANAGER))
    children = args.children or teams * 40
    load_before = os.getloadavg()
    t_prepare = time.perf_counter()
    urls = prepare(args.pg_url, args.database, teams, children, args.visits_per_child)
    prepared_s = time.perf_counter() - t_prepare
    people = cast(urls["role_url"], args.workers)
    audit_before, last_visit = audit_max(urls["owner_url"])
    ctx = mp.get_context("fork")
    results_q = ctx.Queue()
    barrier = ctx.Barrier(len(people) + 1)
    gate = ctx.Semaphore(os.cpu_count() or 2)
    procs = [
        ctx.Process(
            target=worker_main,
            args=(
                who,
                urls["role_url"],
                gate,
                barrier,
                args.seconds,
                args.tick,
                last_visit + 1,
                results_q,
            ),
        )
        for who in people
    ]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for p in procs:
        p.start()
    barrier.wait(timeout=600)
    started = time.monotonic()
    stop, samples = threading.Event(), []
    sampler = threading.Thread(
        target=sample_locks, args=(urls["owner_url"], args.database, stop, samples), daemon=True
    )
    sampler.start()
    results = [results_q.get(timeout=args.seconds + 600) for _ in procs]
    wall = time.monotonic() - started
    stop.set()
    sampler.join(10)
    for p in procs:
        p.join(30)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (
        cpu_before.ru_utime + cpu_before.ru_stime
    )
    load_during = os.getloadavg()
    nothing_lost = verify(urls["owner_url"], results, audit_before)
    t_check = time.perf_counter()
    check = _cli(
        "check",
        "--admin",
        "admin",
        url=urls["role_url"],
        extra={"RECORDER_ADMIN_PASSWORD": _password()},
    )
    check_s = time.perf_counter() - t_check
    if args.drop:
        drop(args.pg_url, args.database)
    return {
        "args": vars(args),
        "teams": teams,
        "children": children,
        "people": people,
        "results": results,
        "wall_s": wall,
        "samples": samples,
        "load_before": load_before,
        "load_after": load_during,
        "verify": nothing_lost,
        "check": {"returncode": check.returncode, "out": (check.stdout + check.stderr)[-1500:]},
        "built_s": urls["built_s"],
        "prepared_s": prepared_s,
        "worker_cpu_s": worker_cpu,
        "check_s": check_s,
    }


def drop(pg_url: str, database: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(_base(pg_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _password() -> str:
    from recorder.demo.bulk import BULK_PASSWORD as PASSWORD

    return PASSWORD


def report(r: dict) -> str:
    ms: dict[str, list[float]] = defaultdict(list)
    wait: dict[str, list[float]] = defaultdict(list)
    hold: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, Counter] = defaultdict(Counter)
    for res in r["results"]:
        for k, v in res["ms"].items():
            ms[k].extend(v)
        for k, v in res.get("cpu", {}).items():
            cpu[k].extend(v)
        for k, v in res["lock_wait"].items():
            wait[k].extend(v)
        for k, v in res["lock_hold"].items():
            hold[k].extend(v)
        for k, v in res["errors"].items():
            errors[k].update(v)
    managers = sum(p["manager"] for p in r["people"])
    lines = [
        f"Load run: {len(r['people'])} workers ({managers} managers) for {r['args']['seconds']:g} s "
        f"(ran {r['wall_s']:.1f} s) on PostgreSQL, database {r['args']['database']}, "
        f"as role {APP_ROLE}",
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"load average before {' '.join(f'{x:.2f}' for x in r['load_before'])}, "
        f"after {' '.join(f'{x:.2f}' for x in r['load_after'])}",
        f"Store: {r['teams']} teams, {r['children']} children x {r['args']['visits_per_child']} "
        f"visits (bulk, built in {r['built_s']:.1f} s; made, migrated, filled and granted in "
        f"{r['prepared_s']:.1f} s); autosave every {r['args']['tick']:g} s",
        "",
        "| operation | n | p50 ms | p95 ms | p99 ms | max ms | audit append p95 ms | client CPU ms p50 | errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for op in OPS:
        xs = ms.get(op, [])
        errs = sum(errors[op].values())
        if not xs and not errs:
            lines.append(f"| {op} | 0 | | | | | | | 0 |")
            continue
        lines.append(
            f"| {op} | {len(xs)} | {pct(xs, 50):.1f} | {pct(xs, 95):.1f} | {pct(xs, 99):.1f} | "
            f"{max(xs) if xs else float('nan'):.1f} | {pct(wait[op], 95):.1f} | "
            f"{pct(cpu[op], 50):.1f} | {errs} |"
        )
    autosave95 = pct(ms.get("autosave", []), 95)
    total_errors = sum(sum(c.values()) for c in errors.values())
    fatal = [res["who"]["username"] + ": " + res["fatal"] for res in r["results"] if res["fatal"]]
    lines.append("")
    verdict = "met" if autosave95 <= TARGET_AUTOSAVE_P95_MS else "MISSED"
    lines.append(f"autosave p95 {autosave95:.1f} ms, target <= 50 ms: {verdict}")
    shown = {op: dict(c) for op, c in errors.items() if c}
    lines.append(f"errors: {total_errors}" + (f" ({shown})" if total_errors else ""))
    asked: Counter = Counter()
    for res in r["results"]:
        asked.update(res.get("asked", {}))
    if asked:
        lines.append(
            f"refusals the app asks the person about, answered and done again: {dict(asked)}"
        )
    all_wait = sum(sum(v) for v in wait.values())
    all_ms = sum(sum(v) for v in ms.values())
    all_hold = sum(sum(v) for v in hold.values())
    lines.append(
        f"audit-chain lock: appending events (the lock's wait and the event's write) took "
        f"{all_wait / 1000:.1f} s of {all_ms / 1000:.1f} s in service calls "
        f"({100 * all_wait / max(all_ms, 1e-9):.0f}%); from the append to the call's end "
        f"(its commit, the lock held) {all_hold / 1000:.1f} s"
    )
    if ms.get("autosave"):
        aw = wait["autosave"]
        lines.append(
            f"  autosave: append p50 {pct(aw, 50):.1f} ms, p95 {pct(aw, 95):.1f} ms; append to "
            f"commit p50 {pct(hold['autosave'], 50):.1f} ms, p95 {pct(hold['autosave'], 95):.1f} ms"
        )
    lines.append(
        f"the workers' processes used {r['worker_cpu_s']:.0f} CPU seconds (sign-ins included) "
        f"in {r['wall_s']:.0f} s on {os.cpu_count()} CPUs"
    )
    s = r["samples"]
    if s:
        waiting = [x[0] for x in s]
        lines.append(
            f"pg_locks, {len(s)} samples every 100 ms: backends waiting for the chain lock "
            f"mean {statistics.mean(waiting):.2f}, max {max(waiting)}, in "
            f"{100 * sum(1 for w in waiting if w) / len(s):.0f}% of samples; any lock wait "
            f"(pg_stat_activity) mean {statistics.mean(x[1] for x in s):.2f}; active backends "
            f"mean {statistics.mean(x[2] for x in s):.1f}, connections max {max(x[3] for x in s)}"
        )
    v = r["verify"]
    lines.append(
        f"nothing lost: checked {v['checked']}; {v['events']} audit events for {v['calls']} "
        f"service calls; problems: {len(v['problems'])}"
    )
    lines.extend(f"  {p}" for p in v["problems"][:10])
    lines.append(
        f"recorder check (as {APP_ROLE}, {r['check_s']:.1f} s): exit {r['check']['returncode']}"
        + ("" if r["check"]["returncode"] == 0 else f"\n{r['check']['out']}")
    )
    for f in fatal:
        lines.append(f"worker stopped: {f}")
    for res in r["results"]:
        for entry in res["log"][:2]:
            lines.append(f"  {res['who']['username']}: {entry}")
    return "\n".join(lines)


def summary(r: dict) -> dict:
    """The machine-readable part (``--json``): per operation n, p50/p95/p99, errors."""
    ms: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    for res in r["results"]:
        for k, v in res["ms"].items():
            ms[k].extend(v)
        for k, v in res["errors"].items():
            errors[k] += sum(v.values())
    return {
        "operations": {
            op: {
                "n": len(ms.get(op, [])),
                "p50": pct(ms.get(op, []), 50),
                "p95": pct(ms.get(op, []), 95),
                "p99": pct(ms.get(op, []), 99),
                "errors": errors.get(op, 0),
            }
            for op in OPS
        },
        "errors": sum(errors.values()),
        "fatal": [res["fatal"] for res in r["results"] if res["fatal"]],
        "problems": r["verify"]["problems"],
        "checked": r["verify"]["checked"],
        "check_returncode": r["check"]["returncode"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=50, help="simulated workers (default 50)")
    ap.add_argument("--seconds", type=float, default=60.0, help="how long they work (default 60)")
    ap.add_argument("--pg-url", default=DEFAULT_PG, help="the PostgreSQL server, as its owner")
    ap.add_argument("--database", default="recorder_load", help="dropped and made again")
    ap.add_argument("--children", type=int, default=0, help="default 40 per team")
    ap.add_argument("--visits-per-child", type=int, default=3)
    ap.add_argument(
        "--tick",
        type=float,
        default=AUTOSAVE_SECONDS,
        help="seconds between autosaves (default 1.5, the app's; shorter only in development)",
    )
    ap.add_argument("--drop", action="store_true", help="drop the database after the run")
    ap.add_argument("--json", metavar="FILE", help="also write the summary as JSON")
    args = ap.parse_args(argv)
    r = run(args)
    print(report(r))
    if args.json:
        Path(args.json).write_text(json.dumps(summary(r), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
