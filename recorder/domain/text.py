"""Text hygiene: what a user types is kept as text, never as a terminal command.

Strips C0 control characters except tab and newline, DEL, the C1 controls
(U+0080-U+009F), the bidirectional override/isolate controls, and lone surrogates
(which are not text and cannot be stored or signed as UTF-8). Every letter of
every script is kept byte for byte. Carriage returns become newlines so a pasted
Windows note keeps its lines.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class TextTooLong(ValueError):
    """A field's text is over its policy limit."""

    def __init__(self, label: str, limit: int, length: int) -> None:
        self.label = label
        self.limit = limit
        self.length = length
        super().__init__(
            f"{label} is {length:,} characters long; the limit is {limit:,}. "
            "Shorten it or split it into another section."
        )


def clean(text: str | None) -> str:
    """Return ``text`` with control, escape and bidi characters removed."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def clean_line(text: str | None) -> str:
    """Like :func:`clean`, for one-line fields: newlines and tabs become spaces."""
    return clean(text).replace("\n", " ").replace("\t", " ").strip()


def check_length(label: str, text: str, limit: int) -> str:
    """Return ``text`` if within ``limit`` characters, else raise :class:`TextTooLong`."""
    if len(text) > limit:
        raise TextTooLong(label, limit, len(text))
    return text


def spreadsheet_safe(cell: str) -> str:
    """A cell for a CSV that a spreadsheet will open: one starting with = + - @ (or a tab or
    carriage return, which some spreadsheets skip before a formula) is prefixed with an
    apostrophe, so it is shown as text and never run as a formula."""
    if cell and cell[0] in "=+-@\t\r":
        return "'" + cell
    return cell
