"""Command palette (Ctrl+P): find a child on your caseload (a manager: any child of the teams
they manage), or start a visit record for them; and any other child you may open, found by
the search (``services.search``, in a thread: the palette stays responsive and drops the
answer to text that has changed).

The children the home screen has already read are offered at once. Names are shown as text
(never markup): the palette's own highlighter parses its candidate as markup, so the match is
highlighted here on plain text.
"""

from __future__ import annotations

import asyncio
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
        _, rows = _caseload(self.app)
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
        known = {r.id for r in rows}
        for hit in await self._found(query):
            if hit.id in known:
                continue
            text = f"{clean_line(hit.name)} ({clean_line(hit.reference)})"
            score, offsets = matcher.fuzzy_search.match(matcher.query, text)
            yield Hit(
                max(score, 0.1),  # "lucja" finds Łucja, though the letters differ
                _highlight(text, offsets, matcher.match_style),
                partial(self._open, hit.id),
                text=text,
                help=OPEN_HELP + _beyond(hit),
            )

    async def _found(self, query: str) -> list:
        """Every other child the signed-in person may open matching ``query`` (the search
        service in a thread; nothing when it fails or is refused)."""
        from recorder.services.search import find_children
        from recorder.tui.calls import call_now

        actor = signed_in(self.app)
        if actor is None or not actor.reads_cases or not query.strip():
            return []
        svc = self.app.services
        outcome = await asyncio.to_thread(
            call_now, "Searching", lambda: find_children(svc, actor.id, query)
        )
        return list(outcome.value or []) if outcome.ok else []


def _held(row) -> str:
    worker = clean_line(getattr(row, "worker", ""))
    return f" (held by {worker})" if worker else " (not allocated to anyone)"


def _beyond(hit) -> str:
    held = f"held by {clean_line(hit.worker)}" if hit.worker else "not allocated to anyone"
    team = f", {clean_line(hit.team)}" if hit.team else ""
    return f" (not on your caseload: {held}{team})"


def _highlight(text: str, offsets, style) -> Content:
    content = Content(text)  # plain text: "[/" in a name stays "[/"
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content
