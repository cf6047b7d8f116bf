"""Command palette (Ctrl+P): find a child on your caseload (a manager: any child of the teams
they manage), or start a visit record for them.

The provider searches the children the home screen has already read, so typing in the
palette never waits on the store. Names are shown as text (never markup): the palette's own
highlighter parses its candidate as markup, so the match is highlighted here on plain text.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from recorder.domain.text import clean_line
from recorder.tui import navigation
from recorder.tui.session import signed_in

if TYPE_CHECKING:
    from recorder.services.caseloads import CaseloadRow

OPEN_HELP = "Open the child's profile and visits"
NEW_HELP = "Start a new visit record (a draft until you submit it)"


def _caseload(app) -> tuple[object | None, list[CaseloadRow]]:
    """The signed-in person and the children their home screen has read."""
    actor = signed_in(app)
    for screen in reversed(app.screen_stack):
        rows = getattr(screen, "palette_children", None)
        if rows is not None and actor is not None:
            return actor, list(rows())
    return None, []


class ChildCommands(Provider):
    """Children on the signed-in worker's caseload: open one, or start a visit record."""

    def _candidates(self) -> list[tuple[str, object, str]]:
        actor, rows = _caseload(self.app)
        if actor is None:
            return []
        out: list[tuple[str, object, str]] = []
        for r in rows:
            name, ref = clean_line(r.name), clean_line(r.reference)
            held = "" if getattr(r, "allocated_to_reader", True) else _held(r)
            out.append((f"{name} ({ref})", partial(self._open, r.id), OPEN_HELP + held))
            out.append(
                (f"New visit record for {name} ({ref})", partial(self._new_visit, r.id), NEW_HELP)
            )
        return out

    def _open(self, child_id: int) -> None:
        navigation.child(self.app, child_id)

    def _new_visit(self, child_id: int) -> None:
        navigation.new_visit(self.app, child_id)

    async def discover(self) -> Hits:
        for text, command, help_text in self._candidates():
            if not text.startswith("New visit record for "):
                yield DiscoveryHit(Content(text), command, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._candidates():
            score, offsets = matcher.fuzzy_search.match(matcher.query, text)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(text, offsets, matcher.match_style),
                    command,
                    text=text,
                    help=help_text,
                )


def _held(row) -> str:
    worker = clean_line(getattr(row, "worker", ""))
    return f" (held by {worker})" if worker else " (not allocated to anyone)"


def _highlight(text: str, offsets, style) -> Content:
    content = Content(text)  # plain text: "[/" in a name stays "[/"
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content
