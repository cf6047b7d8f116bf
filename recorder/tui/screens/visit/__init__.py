"""The visit record screen (``screen.py``) and how its drafts are saved (``drafts.py``)."""

from recorder.tui.screens.visit.screen import VisitScreen

__all__ = ["VisitScreen"]
