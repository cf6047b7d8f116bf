"""Tables and progress bars for the command line, drawn by rich (imported when used).

rich measures text in terminal cells, so a column after a Chinese or Arabic name lines up.
Off a terminal (a pipe, a file, a test) nothing but text is written: no ANSI codes and no
progress bar; with NO_COLOR set not even bold. Tables have no trailing spaces. What a store
holds is shown as text: never parsed as markup, control and escape characters removed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from recorder.settings import Settings

__all__ = ["Progress", "print_table", "say"]


def say(
    *values: object,
    sep: str = " ",
    end: str = "\n",
    file: TextIO | None = None,
    flush: bool = False,
) -> None:
    """``print``, cleaned as the app cleans text (``domain.text.clean``): whatever a line
    holds from a file, an argument or the store, no control or escape character (ESC ] 0 ;
    ... sets a terminal's title, ESC ] 52 writes its clipboard) reaches the terminal."""
    from recorder.domain.text import clean

    text = clean(sep.join(str(v) for v in values))
    print(text, end=end, file=file if file is not None else sys.stdout, flush=flush)


def _console(stream: TextIO, settings: Settings, width: int | None = None) -> Any:
    from rich.console import Console

    return Console(
        file=stream,
        markup=False,
        highlight=False,
        emoji=False,
        no_color=settings.no_color,
        width=width,
    )


def print_table(
    settings: Settings,
    header: Sequence[str] | None,
    rows: Iterable[Sequence[str | None]],
    *,
    indent: int = 0,
    stream: TextIO | None = None,
) -> None:
    """``rows`` under ``header`` (None: no header row) in columns one space apart, one line
    a row at the table's natural width: squeezed into a narrow terminal, rich would fold
    names and roles into slivers, so a line too long is left to the terminal to wrap."""
    from rich.table import Table
    from rich.text import Text

    from recorder.domain.text import clean_line

    stream = stream if stream is not None else sys.stdout
    console = _console(stream, settings, width=100_000)
    table = Table(
        box=None,
        show_header=header is not None,
        header_style="" if settings.no_color else "bold",
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        collapse_padding=True,
    )
    rows = list(rows)
    titles = header if header is not None else [""] * max((len(r) for r in rows), default=0)
    for title in titles:
        table.add_column(Text(title), no_wrap=True)
    for row in rows:
        table.add_row(*(Text(clean_line(cell)) for cell in row))
    with console.capture() as captured:
        console.print(table)
    pad = " " * indent
    for line in captured.get().splitlines():
        stream.write(f"{pad}{line.rstrip()}\n")
    stream.flush()


class Progress:
    """``progress(done, total, what)`` for long runs (check, backup, restore, a bulk demo
    load): a rich bar on stderr for each kind of work, shown only on a terminal and only once
    the run has lasted a second. ``done()`` leaves the bars on screen as they ended."""

    def __init__(self, settings: Settings, stream: TextIO | None = None) -> None:
        self._settings = settings
        self._stream = stream if stream is not None else sys.stderr
        self._start = time.monotonic()
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __call__(self, done: int, total: int, what: str) -> None:
        if total <= 0 or not self._stream.isatty():
            return
        if self._bar is None:
            if time.monotonic() - self._start < 1.0:
                return
            self._bar = self._make_bar()
            self._bar.start()
        task = self._tasks.get(what)
        if task is None:
            for t in self._bar.tasks:  # the work runs one kind after another
                self._bar.update(t.id, completed=t.total, counts=f"{t.total:,.0f}/{t.total:,.0f}")
            task = self._tasks[what] = self._bar.add_task(what, total=total, counts="")
        done = min(done, total)
        self._bar.update(task, completed=done, total=total, counts=f"{done:,}/{total:,}")

    def _make_bar(self) -> Any:
        from rich.progress import BarColumn, TaskProgressColumn, TextColumn
        from rich.progress import Progress as Bar

        return Bar(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[counts]}", markup=False),
            console=_console(self._stream, self._settings),
        )

    def done(self, *, finished: bool = False) -> None:
        """Stop drawing; ``finished``: the work all ran, so every bar ends full (the work
        reports only now and then, and not at its very end)."""
        if self._bar is not None:
            if finished:
                for task in self._bar.tasks:
                    self._bar.update(
                        task.id, completed=task.total, counts=f"{task.total:,.0f}/{task.total:,.0f}"
                    )
            self._bar.stop()
            self._bar = None
            self._tasks = {}
