"""kill -9 in the middle of an oversight note loses at most the last 2 s of typing, and the
note is there again when the manager reopens the record (the harness of test_kill.py)."""

from __future__ import annotations

import sys
import time

import pytest
from sqlmodel import Session, select

from tests.support.records import submitted
from tests.support.stores import open_services
from tests.support.terminal import Terminal
from tests.support.world import PASSWORD
from tests.tui.test_kill import INTERVAL, KILL_AFTER, TYPED, store  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def _open_the_note(term: Terminal) -> None:
    term.sign_in("manager", PASSWORD)
    term.wait_for("Maya Manager")
    term.send("\x1bOR")  # F3: the oversight queue
    term.wait_for("Amira Khan")
    term.wait_quiet()
    term.send("\r")
    term.wait_for("Still to do")
    term.wait_for("Decision")
    term.wait_quiet()  # the record and the note are drawn; the Decision box has the focus


def _saved_decision(data) -> str:
    from recorder.store.models import FormDraft

    svc = open_services(f"sqlite:///{data / 'recorder.sqlite3'}")
    try:
        with Session(svc.engine) as s:
            rows = s.exec(select(FormDraft).where(FormDraft.kind == "oversight")).all()
            assert len(rows) <= 1
            return rows[0].content.get("decision", "") if rows else ""
    finally:
        svc.engine.dispose()


def test_kill_mid_note_loses_at_most_two_seconds_and_the_note_is_there_again(store):  # noqa: F811
    data, world, env = store
    svc = open_services(f"sqlite:///{data / 'recorder.sqlite3'}")
    submitted(svc, world.sw, world.child)
    svc.engine.dispose()
    argv = [sys.executable, "-m", "recorder"]
    term = Terminal(argv, env)
    try:
        _open_the_note(term)
        sent_at: list[float] = []
        start = time.monotonic()
        i = 0
        while time.monotonic() - start < KILL_AFTER:
            term.send(TYPED[i % len(TYPED)])
            sent_at.append(time.monotonic())
            i += 1
            time.sleep(INTERVAL)
        killed_at = time.monotonic()
        term.kill()  # SIGKILL: no handler, no flush, no goodbye
    finally:
        term.kill()
    typed = "".join(TYPED[k % len(TYPED)] for k in range(len(sent_at)))

    saved = _saved_decision(data)
    lost = len(typed) - len(saved)
    lost_seconds = killed_at - sent_at[len(saved)] if lost else 0.0
    print(
        f"typed {len(typed)} characters over {killed_at - start:.2f} s; saved "
        f"{len(saved)}; lost {lost} ({lost_seconds:.2f} s of typing)"
    )
    assert typed.startswith(saved), "what was saved is exactly what was typed"
    must_have = sum(1 for t in sent_at if t <= killed_at - 2.0)
    assert len(saved) >= must_have, (
        f"only {len(saved)} of the {must_have} characters typed more than 2 s before the kill "
        "were saved"
    )
    assert saved, "something was saved before the kill"

    # a new process: the record opens with the note as it was saved, and says when
    term = Terminal(argv, env)
    try:
        _open_the_note(term)
        term.wait_for("Your draft, saved")
        for word in saved.split()[:4]:
            term.wait_for(word)
    finally:
        term.kill()
