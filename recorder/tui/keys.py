"""Remapping keys (issue 15, item 9): the person's ``[keys]`` table in ``user.toml`` maps a
binding's id (F1 lists them) to the keys that should do it, applied with Textual's keymap.

Each id and each key name is checked before the app starts, so a typing slip is one line
naming it, not a key that silently does nothing."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import lru_cache

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


@lru_cache(maxsize=1)
def binding_ids() -> frozenset[str]:
    """Every binding id of every screen, dialog and widget of the interface."""
    import recorder.tui

    ids: set[str] = set()
    for info in pkgutil.walk_packages(recorder.tui.__path__, "recorder.tui."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                ids.update(b.id for b in cls.__dict__.get("BINDINGS", ()) if b.id)
    return frozenset(ids)


@lru_cache(maxsize=1)
def _key_names() -> frozenset[str]:
    from textual.keys import KEY_NAME_REPLACEMENTS, Keys

    names = {k.value for k in Keys} | set(KEY_NAME_REPLACEMENTS.values())
    return frozenset(names | {"space", "question_mark"} | {f"f{n}" for n in range(1, 25)})


def key_problem(keys: str) -> str:
    """Why ``keys`` (one key or several, comma-separated: "ctrl+t,f6") is not a key
    Textual knows ("" when every one is)."""
    for key in (k.strip() for k in keys.split(",")):
        *mods, name = key.split("+") if key else [""]
        unknown = [m for m in mods if m not in MODIFIERS]
        if not name or unknown:
            return f'"{key}" is not a key: write it as ctrl+t, alt+f2, f6 or a letter'
        if len(name) == 1 and name.isprintable():
            continue
        if name not in _key_names():
            return f'"{key}" is not a key name Textual knows (for example ctrl+t, f6, escape)'
    return ""


def check_keymap(source: str, keymap: dict[str, str]) -> str:
    """One line naming the first unknown id or key in ``keymap`` ("" when all are known)."""
    from recorder.domain.text import clean_line

    known = binding_ids()
    for name, keys in keymap.items():
        if name not in known:
            return (
                f'{source}: [keys] has "{clean_line(name)}", which is not the name of a key; '
                "F1 lists each key's name"
            )
        problem = key_problem(keys)
        if problem:
            return f"{source}: [keys] {name}: {clean_line(problem)}"
    return ""
