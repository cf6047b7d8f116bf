"""Crash safety, measured: a writer killed with SIGKILL at random moments loses nothing.

One SQLite store is reused across every kill. A fork server (tests/support/crash_writer.py) starts
each writer; after each kill the harness checks that every action the writer reported as
committed is in the store and that no draft is torn; at the end (and every 50 kills) it
runs PRAGMA integrity_check and ``recorder check``'s full verification (audit chain and
signatures). N = 200 kills, or RECORDER_CRASH_KILLS.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from recorder.services import integrity
from recorder.store.models import Countersign, Signature, Visit, VisitSection
from tests.support.crash_writer import observations
from tests.support.stores import checkpoint, copy_store, open_services
from tests.support.world import build_world

ROOT = Path(__file__).resolve().parents[1]
KILLS = int(os.environ.get("RECORDER_CRASH_KILLS", "200"))
MAX_DELAY = 0.25  # seconds a writer may live
# the columns the checks read (whole ORM rows, each section's JSON, cost more than the kills)
_VISITS = select(Visit.id, Visit.version, Visit.state)
_OBSERVATIONS = select(VisitSection.visit_id, VisitSection.data).where(
    VisitSection.section == "observations"
)


class Server:
    def __init__(self, url: str, warm_url: str) -> None:
        self.p = subprocess.Popen(
            [sys.executable, "-m", "tests.support.crash_writer", url, warm_url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def send(self, line: str) -> None:
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()

    def until(self, prefix: str, into: list[str]) -> str:
        while True:
            line = self.p.stdout.readline()
            assert line, "the fork server stopped"
            if line.startswith(prefix):
                return line
            into.append(line)

    def close(self) -> None:
        self.send("quit")
        self.p.wait(timeout=10)


def check_reported(svc, reported: list[dict]) -> None:
    """Every action reported as committed is in the store (a later one may supersede it)."""
    with svc.reading() as s:
        visits = {vid: (version, state) for vid, version, state in s.exec(_VISITS)}
        seen = dict(s.exec(_OBSERVATIONS).all())  # visit id -> its observations section
        countersigned = set(s.exec(select(Countersign.visit_id)))
        signed = set(
            s.exec(select(Signature.visit_id).where(Signature.meaning == "Management oversight"))
        )
    last_save: dict[tuple[int, str], dict] = {}
    for r in reported:
        v = visits.get(r["visit"])
        assert v is not None, r
        version, state = v
        if r["a"] == "save":
            assert version >= r["version"], r
            last_save[(r["visit"], r["section"])] = r
        elif r["a"] == "submit":
            assert state != "draft", r
        elif r["a"] == "countersign":
            assert r["visit"] in countersigned and state in (
                "awaiting_oversight",
                "signed_off",
            ), r
        elif r["a"] == "sign_off":
            assert r["visit"] in signed and state == "signed_off", r
    for (vid, section), r in last_save.items():
        if section == "observations":
            got = seen[vid]
            assert _token(got) >= _token_of(r["token"]), (r, got)


def _token_of(t: str) -> tuple[int, int]:
    a, b = t[1:].split(".")
    return int(a), int(b)


def _token(data: dict) -> tuple[int, int]:
    words = data["seen"].split()
    return _token_of(words[words.index("Token") + 1])


def check_not_torn(svc) -> int:
    """Every observations section is exactly one whole autosave (or empty); returns drafts."""
    drafts = 0
    with svc.reading() as s:
        for vid, state, data in s.exec(
            select(Visit.id, Visit.state, VisitSection.data)
            .join(VisitSection, VisitSection.visit_id == Visit.id)
            .where(VisitSection.section == "observations")
        ):
            drafts += state == "draft"
            if data:
                words = data["seen"].split()
                token = words[words.index("Token") + 1]
                assert {k: data[k] for k in ("seen", "opinion")} == observations(token), vid
    return drafts


def full_check(svc) -> integrity.CheckReport:
    report = integrity.check_store(svc)
    assert report.sqlite_integrity == "ok"
    assert report.ok, report.problems
    return report


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path, capsys, _sqlite_template):
    path = tmp_path / "data" / "recorder.sqlite3"
    svc = open_services(copy_store(_sqlite_template, path))  # a migrated store
    url = f"sqlite:///{path}"
    build_world(svc, checked_on=date.today())  # the writers run on the real clock
    checkpoint(svc)  # the file alone is the whole store: a copy to warm the fork server on
    warm_url = copy_store(path, tmp_path / "warm" / "recorder.sqlite3")
    rng = random.Random(os.environ.get("RECORDER_CRASH_SEED", "crash"))
    started = time.perf_counter()
    server = Server(url, warm_url)
    reported: list[dict] = []
    kinds: Counter[str] = Counter()
    writer_ms: list[float] = []
    try:
        for round_ in range(1, KILLS + 1):
            lines: list[str] = []
            t0 = time.perf_counter()
            server.send(f"run {round_} {rng.randrange(1 << 30)}")
            pid = int(server.until("pid ", lines).split()[1])
            time.sleep(rng.uniform(0, MAX_DELAY))
            os.kill(pid, signal.SIGKILL)
            server.send(f"reap {pid}")
            status = int(server.until(f"done {pid} ", lines).split()[2])
            writer_ms.append((time.perf_counter() - t0) * 1000)
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                "the writer stopped by itself (see its traceback above)"
            )
            for line in lines:
                assert line.startswith("ok "), line
                r = json.loads(line[3:])
                reported.append(r)
                kinds[r["a"]] += 1
            check_reported(svc, reported)
            drafts = check_not_torn(svc)
            if round_ % 50 == 0 and round_ < KILLS:  # the last round's is the final one
                full_check(svc)
    finally:
        server.close()
    report = full_check(svc)
    with svc.engine.connect() as c:
        states = dict(c.execute(text("SELECT state, count(*) FROM visit GROUP BY state")).all())
    elapsed = time.perf_counter() - started
    summary = (
        f"crash harness: {KILLS} SIGKILLs in {elapsed:.1f} s "
        f"(median writer life {sorted(writer_ms)[len(writer_ms) // 2]:.0f} ms); "
        f"actions reported committed: {sum(kinds.values())} "
        f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); lost: 0; "
        f"torn drafts: 0 of {drafts}; visits by state: {states}; "
        f"audit events {report.events}, chain ok; signatures verified "
        f"{report.signatures_verified}/{report.signatures}; integrity_check ok"
    )
    with capsys.disabled():  # shown in the default run, not only with -s
        print("\n" + summary)
    assert kinds["save"] and kinds["submit"] and kinds["countersign"] and kinds["sign_off"]
    svc.engine.dispose()
