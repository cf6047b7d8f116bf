"""NO_COLOR is respected in a real terminal: no hue reaches it, and state is still words.

Textual reads NO_COLOR and draws in greys (its Monochrome filter) so that focus and the
highlighted row keep their contrast; every state is also said in words. The test checks the
bytes sent to the terminal: with NO_COLOR, every colour is a grey."""

from __future__ import annotations

import os
import re
import sys

import pytest

from tests.support.stores import make_services
from tests.support.terminal import Terminal
from tests.support.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

# SGR colour parameters: 30-37, 39-47, 49, 90-97, 100-107, 38;5/38;2, 48;5/48;2
COLOUR = re.compile(rb"\x1b\[([0-9;]*)m")


def _colours(raw: bytes) -> set[str]:
    found = set()
    for params in COLOUR.findall(raw):
        parts = params.decode().split(";")
        i = 0
        while i < len(parts):
            p = parts[i]
            if p in ("38", "48"):
                found.add(
                    ";".join(parts[i : i + 5])
                    if parts[i + 1 : i + 2] == ["2"]
                    else ";".join(parts[i : i + 3])
                )
                i += 5 if parts[i + 1 : i + 2] == ["2"] else 3
                continue
            if p.isdigit() and (
                30 <= int(p) <= 37
                or 40 <= int(p) <= 47
                or 90 <= int(p) <= 97
                or 100 <= int(p) <= 107
            ):
                found.add(p)
            i += 1
    return found


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
def test_no_color_sends_no_colour_and_keeps_the_words(tmp_path, no_color):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    svc = make_services(f"sqlite:///{data / 'recorder.sqlite3'}")
    build_world(svc)
    svc.engine.dispose()
    env = dict(
        os.environ,
        RECORDER_DATA_DIR=str(data),
        TERM="xterm-256color",
        RECORDER_CONFIG_DIR=str(tmp_path / "config"),
        COLORTERM="truecolor",
    )
    env.pop("NO_COLOR", None)
    if no_color:
        env["NO_COLOR"] = "1"
    term = Terminal([sys.executable, "-m", "recorder"], env)
    try:
        term.sign_in("sw", PASSWORD)
        term.wait_for("Amira Khan")
        term.wait_quiet()
        raw = bytes(term.raw)
    finally:
        term.kill()
    hued = {c for c in _colours(raw) if not _grey(c)}
    if no_color:
        assert not hued, f"colour sent despite NO_COLOR: {sorted(hued)[:10]}"
    else:
        assert hued  # the check itself sees colour when there is some


def _grey(code: str) -> bool:
    parts = code.split(";")
    if parts[:2] in (["38", "2"], ["48", "2"]):
        r, g, b = (int(x) for x in parts[2:5])
        return r == g == b
    return code in ("30", "37", "40", "47", "90", "97", "100", "107")
