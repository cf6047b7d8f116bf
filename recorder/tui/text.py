"""Show stored or typed text as text: never as markup, never as a terminal command.

A name like ``[/`` or ``[@click=app.quit]x[/]`` must appear exactly as written. Textual parses
a plain ``str`` given to most widgets as markup, so everything that comes from a user or the
store goes through these helpers first. Control, escape and bidi characters are stripped again
on the way out (``recorder.domain.text.clean``), in case a row was written by something other
than the services.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from recorder.domain.text import clean_line


def line(value: object, style: str = "") -> Content:
    """One line of data as Textual ``Content`` (for Static, Label and friends)."""
    return Content.styled(clean_line("" if value is None else str(value)), style)


def cell(value: object, style: str = "") -> Text:
    """A DataTable cell (DataTable takes Rich renderables; a plain str would be markup)."""
    return Text(clean_line("" if value is None else str(value)), style=style, end="")
