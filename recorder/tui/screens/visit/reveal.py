"""Fewer keys in the visit form (issue 15, item 6): the fields an answer reveals are
scrolled into view (the focus stays where the person is typing), and a question answered
with one key (``widgets.fields.AnswerSelect``) moves the focus on to the next field shown."""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
from textual.widgets import Input, Select, TextArea

from recorder.tui.widgets.fields import FieldEditor


def first_box(editor: FieldEditor) -> Widget | None:
    """Where a jump to ``editor`` puts the focus: its first empty box (a row's blank change or
    progress, a blank name), else its first box. A finding names the field, not the row: a
    jump to "say whether the risk 'Placement breakdown' has changed" landed in the first
    risk's text, and the answer key typed next went into that text."""
    boxes = [w for w in editor.query("*") if w.focusable]
    for box in boxes:
        if (
            (isinstance(box, Select) and box.is_blank())
            or (isinstance(box, Input) and not box.value)
            or (isinstance(box, TextArea) and not box.text)
        ):
            return box
    return boxes[0] if boxes else None


class FormFocus:
    """For the visit screen, which provides ``_applies(section, key)``, ``_focus_editor``,
    ``query``, ``focused`` and ``call_after_refresh``."""

    def _show_applicable(self) -> None:
        """Show the fields that apply to the answers so far; hide the rest (their text is
        kept). Only widgets whose state changes are touched; the first field shown anew is
        scrolled into view."""
        revealed: list[FieldEditor] = []
        for editor in self.query(FieldEditor):  # type: ignore[attr-defined]
            parent = editor.parent
            if parent is None or not str(parent.id or "").startswith("form-"):
                continue
            show = self._applies(str(parent.id)[len("form-") :], editor.spec.key)  # type: ignore[attr-defined]
            if editor.display != show:
                editor.display = show
                if show:
                    editor.reveal()
                if show and parent.display:
                    revealed.append(editor)
        if revealed:
            self.call_after_refresh(self._bring_into_view, revealed[0])  # type: ignore[attr-defined]

    def _editor_of(self, widget: Any) -> FieldEditor | None:
        node = widget
        while node is not None and not isinstance(node, FieldEditor):
            node = node.parent
        return node

    def _bring_into_view(self, editor: FieldEditor) -> None:
        """Scroll the form so the revealed ``editor`` shows, keeping the field with the
        focus on screen too (it stays at the top when both do not fit)."""
        form = editor.parent
        if form is None or not editor.is_mounted or not editor.display:
            return
        region = editor.virtual_region_with_margin
        current = self._editor_of(self.focused)  # type: ignore[attr-defined]
        if current is not None and current.parent is form:
            here = current.virtual_region_with_margin
            if here.y <= region.y:
                region = here.union(region)
        form.scroll_to_region(region, animate=False, immediate=True)  # type: ignore[attr-defined]

    def move_on(self, editor: FieldEditor) -> None:
        """After a one-key answer in ``editor``: the focus to the next field shown below it."""
        form = editor.parent
        if form is None:
            return
        shown = [e for e in form.query_children(FieldEditor) if e.display]
        later = shown[shown.index(editor) + 1 :] if editor in shown else []
        for after in later:
            if any(w.focusable for w in after.query("*")):
                self._focus_editor(after)  # type: ignore[attr-defined]
                return
