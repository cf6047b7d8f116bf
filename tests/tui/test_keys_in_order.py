"""Keys that arrive together take effect in the order they were typed (recorder/tui/widgets/
text_input.py). Textual runs a field's Backspace, Delete and arrow keys only after they have
bubbled up to the app, so characters typed straight after overtook them: in tmux at 80x24,
"osh" then Backspace x3 and "leo" in one burst left "osh" in the find field (the letters went
in, then the Backspaces took them out). A terminal delivers bursts whenever typing is faster
than the app: over SSH, in the browser, on a loaded machine."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TextArea

from recorder.services import visits
from tests.support.pilot import home_loaded, settled, sign_in, wait_until
from tests.support.world import PASSWORD
from tests.tui.test_visit import open_visit

KEYS = {"\x7f": ("backspace", "\x7f"), "<": ("left", None), ">": ("right", None)}


def burst(app, typed: str) -> None:
    """Post the keys as the terminal driver does after one read: all at once."""
    for c in typed:
        key, char = KEYS.get(c, (c, c))
        app.post_message(events.Key(key, char))


@pytest.mark.parametrize(
    "typed, expected",
    [("\x7f\x7f\x7fleo", "leo"), ("\x7fz", "osz"), ("<<z", "ozsh"), ("<<\x7fz", "zsh")],
    ids=["backspaces-then-letters", "backspace-letter", "left-left-letter", "left-backspace"],
)
async def test_the_find_field_takes_a_burst_in_order(make_app, typed, expected):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("ctrl+f", *"osh")
        find = app.screen.query_one("#find", Input)
        await wait_until(pilot, lambda: find.value == "osh")
        burst(app, typed)
        await settled(pilot)
        await wait_until(pilot, lambda: find.value == expected)


async def test_a_visit_box_takes_a_burst_in_order(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        area = screen.query_one("#input-purpose", TextArea)
        area.focus()
        await pilot.pause()
        burst(app, "Teh\x7f\x7fhe visit" + "<" * 9 + "The ")
        await settled(pilot)
        await wait_until(pilot, lambda: area.text == "The The visit")


def _constructed(tree: ast.AST) -> set[str]:
    return {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


def test_every_text_field_is_one_that_takes_keys_in_order():
    """A module that makes an Input or a TextArea makes ours (or a subclass of ours)."""
    root = Path(__file__).resolve().parents[2] / "recorder" / "tui"
    wrong = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "text_input.py":
            continue
        tree = ast.parse(path.read_text())
        made = _constructed(tree) & {"Input", "TextArea"}
        bases = {
            b.id
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            for b in node.bases
            if isinstance(b, ast.Name)
        } & {"Input", "TextArea"}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "textual.widgets":
                for alias in node.names:
                    if alias.name in (made | bases) and alias.asname is None:
                        wrong.append(f"{path.relative_to(root)}: {alias.name}")
    assert not wrong, "these make Textual's own text field, which reorders keys: " + str(wrong)
