"""Set a widget's text only when it changes.

Each ``Static.update`` lays the whole screen out again, even with the same text; the lines
that follow what is typed (the visit form's findings, an oversight note's "still to do", a
comment's word count) were set on every key, and a key then cost a layout of every widget
on the screen.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import OptionList, Static


def same(a: Any, b: Any) -> bool:
    """Content compares its text only; these compare its styles too."""
    return str(a) == str(b) and getattr(a, "spans", None) == getattr(b, "spans", None)


def show(static: Static, content: Content) -> None:
    """Update ``static`` only when it would change."""
    if not same(static.content, content):
        static.update(content)


def show_prompts(options: OptionList, prompts: list[Content]) -> None:
    """Replace only the prompts that change (the sections' states, after each change)."""
    for i, prompt in enumerate(prompts):
        if not same(options.get_option_at_index(i).prompt, prompt):
            options.replace_option_prompt_at_index(i, prompt)
