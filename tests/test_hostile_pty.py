"""Hostile text in a REAL terminal (issue 5, part 7).

A store is built for the test; then, bypassing the services and their cleaning, raw SQL
writes terminal attacks into a child's name and notes, a worker's name and a draft's text:
OSC 0 (set the window title), OSC 52 (write the clipboard), CSI colour/blink/reverse, C1
CSI, and bidi overrides and isolates. ``recorder`` then runs in a pseudo-terminal; the worker
signs in, sees the caseload, opens the child and the draft. Every byte the app writes to the
terminal is kept, and none of the attack sequences may be among them: the display-side
cleaning (recorder.tui.text) is what is tested here. Names in Arabic, Urdu, Polish, Romanian
and Chinese, saved through the services, must appear on screen exactly as written.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from datetime import date

import pytest

from recorder.services import children, visits
from tests.support.stores import copy_store, open_services
from tests.support.terminal import Terminal
from tests.support.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

OSC_TITLE = "\x1b]0;PWNED-TITLE\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
CSI_COLOUR = "\x1b[31;5;7m"
C1_CSI = "\x9b33;44m"
RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"

# the bytes that must never reach the terminal
FORBIDDEN = {
    "OSC 0 (window title)": b"\x1b]0;",
    "OSC 52 (clipboard)": b"\x1b]52;",
    "the CSI colour sequence": CSI_COLOUR.encode(),
    "C1 CSI": C1_CSI.encode(),
    "right-to-left override": RLO.encode(),
    "pop directional formatting": PDF.encode(),
    "left-to-right isolate": LRI.encode(),
    "pop directional isolate": PDI.encode(),
}  # (BEL itself is not listed: Textual ends its own OSC 22 pointer-shape sequence with one)

NAMES = {  # script -> a child's name, saved through the services
    "Arabic": "ليلى الحداد",
    "Urdu": "عائشہ ملک",
    "Polish": "Zofia Wiśniewska-Łęcka",
    "Romanian": "Ștefan Țăranu",
    "Chinese": "王小明",
}


@pytest.fixture
def store(tmp_path, _sqlite_template):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    db = data / "recorder.sqlite3"
    svc = open_services(copy_store(_sqlite_template, db))  # a migrated store
    world = build_world(svc, checked_on=date.today())  # the app runs on the real clock
    for i, name in enumerate(NAMES.values()):
        children.add_child(
            svc,
            world.admin,
            children.ChildInput(
                reference=f"S{i}",
                full_name=name,
                date_of_birth=date(2015, 3, 1),
                plan_type="child_in_need",
                plan_start=date(2026, 9, 1),
                team="North",
                allocated_worker="sw",
            ),
        )
    draft = visits.start_visit(svc, world.sw, world.child)
    svc.engine.dispose()

    # raw writes, as a tool other than recorder (or an attacker with the file) might make
    with sqlite3.connect(db) as c:
        # the search index's triggers fold the new name (migration 0016): a tool writing the
        # file must give the connection that function, as recorder's own connections have it
        from recorder.store.search_key import register_sqlite

        register_sqlite(c)
        c.execute(
            "UPDATE child SET full_name = ?, disability = ?, ethnicity = ?, plan_risks = ? "
            "WHERE id = ?",
            (
                f"Amira{OSC_TITLE} {CSI_COLOUR}Khan{RLO}",
                f"Deaf{OSC_CLIPBOARD}; uses {LRI}BSL{PDI}{C1_CSI}",
                f"{RLO}Pakistani{PDF}",
                json.dumps([f"Neglect{CSI_COLOUR}", f"{OSC_TITLE}Domestic abuse"]),
                world.child,
            ),
        )
        c.execute(
            "UPDATE worker SET full_name = ? WHERE username = 'sw'",
            (f"Sam{OSC_TITLE} Social{C1_CSI}",),
        )
        c.execute(
            "UPDATE visit_section SET data = ? WHERE visit_id = ? AND section = 'observations'",
            (
                json.dumps({"seen": f"The kitchen{OSC_CLIPBOARD} was {CSI_COLOUR}clean{RLO}."}),
                draft,
            ),
        )
    env = dict(
        os.environ,
        RECORDER_DATA_DIR=str(data),
        RECORDER_CONFIG_DIR=str(tmp_path / "config"),
        TERM="xterm-256color",
        COLUMNS="120",
        LINES="40",
    )
    env.pop("NO_COLOR", None)
    return env


def test_attack_sequences_in_stored_text_never_reach_the_terminal(store):
    term = Terminal([sys.executable, "-m", "recorder"], store)
    try:
        term.sign_in("sw", PASSWORD)
        # the caseload: the hostile name shown as inert text, and five scripts exactly
        # (the caseload cuts a long name with an ellipsis: format.short_name)
        term.wait_for("Amira]0;PWNED-TITLE [31;5;7mK…")
        for _script, name in NAMES.items():
            term.wait_for(name)
        # the child's record: name (whole), profile notes and plan risks
        term.send("\r")  # Amira sorts first and is highlighted
        term.wait_for("Disability and communication needs")
        term.wait_for("Amira]0;PWNED-TITLE [31;5;7mKhan")
        term.wait_for("Deaf]52;c;cm0gLXJmIH4=; uses BSL33;44m")
        term.wait_for("Pakistani")
        term.wait_for("Neglect[31;5;7m")
        # the draft (the worker's own) with hostile text in Observations
        term.wait_for("You have 1 draft in progress")
        term.send("\r")
        term.wait_for("DRAFT - not yet saved")
        term.wait_for("1. Visit details")
        term.send("\x1b[B" * 4)
        term.wait_for("The kitchen]52;c;cm0gLXJmIH4= was")  # the field wraps the line
        term.wait_for("[31;5;7mcl")  # inert text; where the field breaks the word varies
        term.wait_quiet()
        raw = bytes(term.raw)
        screen = term.text()
    finally:
        term.kill()
    leaked = [what for what, seq in FORBIDDEN.items() if seq in raw]
    assert not leaked, f"reached the terminal: {leaked}"
    assert "PWNED-TITLE" in screen or "PWNED-TITLE" in raw.decode("utf-8", "replace")
    print(f"\n{len(raw):,} bytes from the app checked; none of {len(FORBIDDEN)} attack sequences")


def test_names_in_five_scripts_reach_the_screen_byte_for_byte(store):
    term = Terminal([sys.executable, "-m", "recorder"], store)
    try:
        term.sign_in("sw", PASSWORD)
        for name in NAMES.values():
            term.wait_for(name)
        raw = bytes(term.raw)
    finally:
        term.kill()
    for script, name in NAMES.items():
        assert name.encode("utf-8") in raw, f"{script} name not written as its UTF-8 bytes"


def test_a_paste_holding_esc_arrives_whole_and_in_order(store):
    """A bracketed paste with ESC in it (issue 15, item 8): Textual took what followed the ESC
    as key presses, typed before the paste, so the text was saved reordered."""
    term = Terminal([sys.executable, "-m", "recorder"], store)
    try:
        term.wait_for("Type your username and password")
        pasted = "P1 \x1b]0;PWNED\x07 P2 Łucja Wójcik END"
        term.send("\x1b[200~" + pasted[:6])  # in two reads, split inside the sequence
        term.send(pasted[6:] + "\x1b[201~")
        term.wait_for("P1 ]0;PWNED P2 Łucja Wójcik END")
        term.send("\x1b[200~ and \x1b")  # a paste whose end marker comes in pieces
        term.send("[20")
        term.send("1~")
        term.wait_for("P1 ]0;PWNED P2 Łucja Wójcik END and ")
        assert term.alive()
    finally:
        term.kill()
