"""The paste filter (issue 15, item 8; the real terminal is in tests/test_hostile_pty.py):
ESC is dropped inside bracketed pastes only, however the input is split into reads."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recorder.tui.paste import PASTE_END, PASTE_START, PasteFilter

BEFORE = "a\x1b[Ab\x1b"  # keys before the paste: an arrow and a lone Escape pass untouched
PASTED = "P1 \x1b]0;PWNED\x07 P2 Łucja Wójcik \x1b[201 END"
AFTER = "\x1bx" + PASTE_START + "\x1b" + PASTE_END
STREAM = BEFORE + PASTE_START + PASTED + PASTE_END + AFTER
EXPECTED = (
    BEFORE
    + PASTE_START
    + PASTED.replace("\x1b", "")
    + PASTE_END
    + "\x1bx"
    + PASTE_START
    + PASTE_END
)


def through(cuts: list[int]) -> str:
    f = PasteFilter()
    bounds = [0, *sorted(cuts), len(STREAM)]
    return "".join(f(STREAM[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a) + f.flush()


def test_in_one_read():
    assert through([]) == EXPECTED


@given(st.lists(st.integers(0, len(STREAM)), max_size=6))
def test_split_anywhere(cuts):
    assert through(cuts) == EXPECTED
