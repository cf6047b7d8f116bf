"""How the screens write things: dates, times, names with their badge, signature lines, and
stored or typed text shown as text.

One module, so a date reads "3 Dec 2026" on every screen and every piece of user text passes
through the same cleaning. Nothing here is parsed as markup: a name like ``[/`` or
``[@click=app.quit]x[/]`` appears exactly as written. Textual parses a plain ``str`` given to
most widgets as markup, so everything that comes from a user or the store is wrapped here
first; control, escape and bidi characters are stripped again on the way out
(``recorder.domain.text.clean``), in case a row was written by something other than the
services.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

from rich.text import Text
from textual.content import Content

from recorder.domain.text import clean, clean_line


# -- text --------------------------------------------------------------------------------
def line(value: object, style: str = "") -> Content:
    """One line of data as Textual ``Content`` (for Static, Label and friends)."""
    return Content.styled(clean_line("" if value is None else str(value)), style)


def long_text(value: object) -> Content:
    """Long user text (it may hold newlines) as Content, cleaned."""
    return Content(clean("" if value is None else str(value)))


def cell(value: object, style: str = "") -> Text:
    """A DataTable cell (DataTable takes Rich renderables; a plain str would be markup)."""
    return Text(clean_line("" if value is None else str(value)), style=style, end="")


#: the most cells a name takes in a table: an 80-character name pushed "Next statutory
#: visit" and "overdue" off the caseload at 120 columns (issue 15, item 6)
NAME_WIDTH = 30


def short_name(name: object, width: int = NAME_WIDTH) -> str:
    """A name for a table column: whole when it fits ``width`` cells, else cut with an
    ellipsis ("Maximiliana Alexandrina Konstan…"), so the dates beside it stay on screen.
    Wide (CJK) letters count two cells; the screen that opens the record shows it whole."""
    from rich.cells import cell_len, set_cell_size

    text = clean_line("" if name is None else str(name))
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


def two_lines(first: object, second: object, style: str = "") -> Text:
    """A two-line DataTable cell from two pieces of data (each cleaned, never markup)."""
    text = cell(first, style)
    if second not in (None, ""):
        text.append("\n")
        text.append_text(cell(second, style))
    return text


def labelled(label: str, value: Any) -> Content:
    """ "**Label:** value" with the value as text."""
    return Content.from_markup(
        "[b]$label:[/b] $value", label=label, value=clean_line("" if value is None else str(value))
    )


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


# -- dates and times ---------------------------------------------------------------------
def day(d: date | None) -> str:
    """A date as people write it: 12 Dec 2026 (no leading zero), or "" for none."""
    return f"{d.day} {d:%b %Y}" if d else ""


def when(at: datetime | None, none: str = "no date yet") -> str:
    """A wall-clock date and time: 12 Dec 2026 14:05."""
    if at is None:
        return none
    return f"{day(at.date())} {at:%H:%M}"


def utc_stamp(at: datetime) -> str:
    """A stored UTC time as a signature shows it: 12 Dec 2026 14:05 UTC."""
    return f"{at:%d %b %Y %H:%M} UTC"


@lru_cache(maxsize=1)
def _london():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/London")


def local_time(moment: datetime) -> datetime:
    """A stored UTC time as England's wall-clock time (as a visit's time is written)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(_london()).replace(tzinfo=None)


def copy_kept_words(kept_at: datetime, today: date) -> str:
    """What a draft kept after a conflict says in the child's list, so it is not taken for
    the original: "copy kept from another window, 10:42" (with the day when not today)."""
    local = local_time(kept_at)
    moment = f"{local:%H:%M}" if local.date() == today else when(local)
    return f"copy kept from another window, {moment}"


# -- people and signatures -----------------------------------------------------------------
def badge_content(name: str, needs_countersign: bool) -> Content:
    """A name, with the countersign badge beside it for an unqualified worker."""
    if not needs_countersign:
        return line(name)
    from recorder.domain.roles import COUNTERSIGN_BADGE  # not before the sign-in's first frame

    return Content.assemble(line(name), "  ", line(f"[{COUNTERSIGN_BADGE}]", "bold"))


def badge_cell(name: str, needs_countersign: bool, two_line: bool = True) -> Text:
    """The same for a DataTable cell (a Rich Text, never markup); the badge under the name
    in a two-line row, beside it otherwise."""
    text = cell(name)
    if needs_countersign:
        from recorder.domain.roles import COUNTERSIGN_BADGE

        text.append(
            f"\n[{COUNTERSIGN_BADGE}]" if two_line else f"  [{COUNTERSIGN_BADGE}]", style="bold"
        )
    return text


def signature_words(sig: Any) -> str:
    """One signature: meaning, signer, role, registration number and UTC time."""
    reg = sig.registration_number or "no registration number"
    return (
        f"{sig.meaning}: {sig.signer_name}, {sig.signer_role}, registration {reg}, "
        f"{utc_stamp(sig.signed_at)}"
    )


# -- visits ----------------------------------------------------------------------------------
def visit_type_label(value: str | None) -> str:
    """A visit type's words, from the record's schema."""
    if not value:
        return "not chosen yet"
    from recorder.domain.sections import SECTIONS

    for section in SECTIONS:
        for f in section.fields:
            if f.key == "visit_type":
                for choice, label in f.choices or ():
                    if choice == value:
                        return label
    return value


def due_cell(next_due: date | None, due_words: str, none: str = "no statutory visits") -> Text:
    """A due date on one line and the working days in words under it (so tables fit 120
    columns with long names); bold when overdue."""
    style = "bold" if due_words.startswith("overdue") else ""
    if next_due is None:
        return cell(due_words or none, style)
    return two_lines(day(next_due), due_words, style)
