"""Pastes arrive whole and in order (issue 15, item 8).

Textual's input parser (8.2.8) reads an ESC inside a bracketed paste as the start of an escape
sequence: the characters after it leave the paste and arrive as key presses, before the
paste itself, so ``P1 ESC]0;PWNED BEL P2`` was saved as ``]0;PWNED P2P1``. Every ESC is
removed from a field's text anyway (``domain.text.clean``), so here it is removed from the
pasted text before the parser sees it: the paste is then one paste, in order, and its text is
what the field would have kept (``P1 ]0;PWNED P2``). Everything outside a paste passes
untouched, so the Escape key and every other key behave as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._xterm_parser import XTermParser

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
ESC = "\x1b"


class PasteFilter:
    """Feeds through the terminal's input, dropping ESC inside bracketed pastes. Input comes in
    reads of any size, so a marker split across two reads is still found."""

    def __init__(self) -> None:
        self.pasting = False
        self._seen = ""  # the end of what passed outside a paste (a start marker may span)
        self._held = ""  # the end of a paste that may be the start of its end marker

    def __call__(self, data: str) -> str:
        out: list[str] = []
        data, self._held = self._held + data, ""
        while data:
            if not self.pasting:
                window = self._seen + data
                at = window.find(PASTE_START)
                if at < 0:
                    out.append(data)
                    self._seen = window[-(len(PASTE_START) - 1) :]
                    break
                upto = at + len(PASTE_START) - len(self._seen)
                out.append(data[:upto])
                data, self.pasting, self._seen = data[upto:], True, ""
            else:
                at = data.find(PASTE_END)
                if at < 0:
                    for n in range(min(len(PASTE_END) - 1, len(data)), 0, -1):
                        if PASTE_END.startswith(data[-n:]):
                            data, self._held = data[:-n], data[-n:]
                            break
                    out.append(data.replace(ESC, ""))
                    break
                out.append(data[:at].replace(ESC, "") + PASTE_END)
                data, self.pasting = data[at + len(PASTE_END) :], False
        return "".join(out)

    def flush(self) -> str:
        held, self._held = self._held, ""
        return held


class PasteKeepingParser(XTermParser):
    """Textual's parser, fed through a :class:`PasteFilter`."""

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self._paste = PasteFilter()

    def feed(self, data: str) -> Iterable:
        if not data:  # the end of input
            held = self._paste.flush()
            if held:
                yield from super().feed(held)
            yield from super().feed("")
            return
        text = self._paste(data)
        if text:
            yield from super().feed(text)


def install(driver_class: type) -> None:
    """Make ``driver_class`` (the driver this app runs with: the terminal's, or
    textual-serve's web driver) read input with :class:`PasteKeepingParser`. Its module names
    the parser class at module level; nothing else of it changes, and no other driver module
    is imported for this (they would be, on every start, for nothing)."""
    import sys

    module = sys.modules.get(driver_class.__module__)
    if module is not None and getattr(module, "XTermParser", None) is XTermParser:
        module.XTermParser = PasteKeepingParser  # type: ignore[attr-defined]
