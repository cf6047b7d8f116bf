"""Who is signed in: one place, on the app (``RecorderApp.actor``), set by signing in and
cleared by signing out. Screens ask here; none searches the screen stack for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from recorder.domain.roles import Actor


def signed_in(node: DOMNode) -> Actor | None:
    """The signed-in person, or None before anyone has signed in."""
    return getattr(node.app, "actor", None)
