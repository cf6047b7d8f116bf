"""kill -9 in the middle of typing loses at most the last 2 s, and the draft is offered again.

The app runs as a real process in a pseudo-terminal; keystrokes are sent at a steady rate
with the time of each, the process is killed with SIGKILL while the worker is still typing,
and the store is read afterwards.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date

import pytest
from sqlmodel import Session, select

from tests.support.stores import copy_store, open_services
from tests.support.terminal import Terminal
from tests.support.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

TYPED = "She said she likes the new school and her teacher is kind to her every day "
INTERVAL = 0.05  # 20 keystrokes a second
FIRST_FIELD = "What I saw (facts)"
KILL_AFTER = 3.3  # seconds of typing: not a multiple of the autosave interval


@pytest.fixture
def store(tmp_path, _sqlite_template):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    svc = open_services(copy_store(_sqlite_template, data / "recorder.sqlite3"))  # migrated
    world = build_world(svc, checked_on=date.today())  # the app runs on the real clock
    svc.engine.dispose()
    env = dict(
        os.environ,
        RECORDER_DATA_DIR=str(data),
        RECORDER_CONFIG_DIR=str(tmp_path / "config"),
        TERM="xterm-256color",
        COLUMNS="120",
        LINES="40",
    )
    env.pop("NO_COLOR", None)
    return data, world, env


def _open_new_visit_and_go_to_observations(term: Terminal) -> None:
    term.sign_in("sw", PASSWORD)
    term.wait_for("Amira Khan")
    term.send("\r")  # open the child
    term.wait_for("New visit record")
    term.send("n")
    term.wait_for("DRAFT - not yet saved")
    term.wait_for("1. Visit details")
    term.send("\x1b[B" * 4)  # down to section 5
    term.wait_for(FIRST_FIELD)
    # the screen mounts the other sections' forms on timers after it opens: let it finish
    # (its output stops) before typing, as a person reading the screen would
    term.wait_quiet()
    unfocused = term.border_colour_under(FIRST_FIELD)
    term.send("\r")  # into the first field
    term.wait_until(
        lambda: term.border_colour_under(FIRST_FIELD) not in (None, unfocused),
        "the first field of section 5 with the focus (its border lit)",
    )


def _saved_observation(data) -> tuple[int, str]:
    from recorder.store.models import Visit, VisitSection

    svc = open_services(f"sqlite:///{data / 'recorder.sqlite3'}")
    try:
        with Session(svc.engine) as s:
            drafts = s.exec(select(Visit).where(Visit.state == "draft")).all()
            assert len(drafts) == 1, "exactly one draft was started"
            row = s.exec(
                select(VisitSection).where(
                    VisitSection.visit_id == drafts[0].id, VisitSection.section == "observations"
                )
            ).first()
            return drafts[0].id, (row.data.get("seen", "") if row else "")
    finally:
        svc.engine.dispose()


def test_kill_mid_typing_loses_at_most_two_seconds_and_the_draft_is_offered(store):
    data, _world, env = store
    argv = [sys.executable, "-m", "recorder"]
    term = Terminal(argv, env)
    try:
        _open_new_visit_and_go_to_observations(term)
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

    _visit_id, saved = _saved_observation(data)
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

    # a new process: the child's screen offers the draft, and it opens with the text
    term = Terminal(argv, env)
    try:
        term.sign_in("sw", PASSWORD)
        term.wait_for("Amira Khan")
        term.send("\r")
        term.wait_for("You have 1 draft in progress")
        term.send("\r")  # the draft is the highlighted visit
        term.wait_for("DRAFT - not yet saved")
        term.wait_for("1. Visit details")
        term.send("\x1b[B" * 4)
        term.wait_for("What I saw (facts)")
        # the saved text is back in the field: its first words, which are on the field's first
        # line however it wraps (the field has been seen drawn unwrapped for a moment)
        for word in saved.split()[:6]:
            term.wait_for(word)
        shown = " ".join(term.text().split())
        assert " ".join(saved.split()[:6]) in shown
    finally:
        term.kill()
