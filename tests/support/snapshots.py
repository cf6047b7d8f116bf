"""When a snapshot differs, say how in the test's own output: the plugin's HTML report stays
on the machine that ran the tests, so a CI log would otherwise show only "assert False"."""

from __future__ import annotations

import difflib
import html
import re

_TEXT = re.compile(
    r'<text class="([^"]*)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#[\w-]*-line-(\d+)\)">([^<]*)</text>'
)


def screen_lines(svg: str) -> list[str]:
    """The SVG's terminal cells as lines of text, each run tagged with its style class, so a
    change of colour shows as well as a change of text."""
    rows: dict[int, list[tuple[float, str]]] = {}
    for cls, x, row, text in _TEXT.findall(svg):
        style = cls.rsplit("-", 1)[-1]
        rows.setdefault(int(row), []).append(
            (float(x), f"{html.unescape(text).strip(chr(10))}{{{style}}}")
        )
    return [
        f"{n:02d}|" + "".join(t for _, t in sorted(rows[n]))
        for n in range(max(rows, default=-1) + 1)
        if n in rows
    ]


def explain(expected: str, actual: str) -> str:
    diff = difflib.unified_diff(
        screen_lines(expected), screen_lines(actual), "snapshot", "this run", lineterm="", n=1
    )
    return "\n".join(diff) or "(the text and style classes are the same; the SVGs differ else)"
