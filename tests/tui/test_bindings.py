"""Every key binding in the interface has an id (so it can be remapped) and a description
(so the footer and help can say what it does), on every screen, dialog and widget."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding

import recorder.tui


def _classes_with_bindings():
    for info in pkgutil.walk_packages(recorder.tui.__path__, "recorder.tui."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and cls.__dict__.get("BINDINGS"):
                yield cls


def test_every_binding_everywhere_has_an_id_and_a_description():
    owners = list(_classes_with_bindings())
    names = {c.__name__ for c in owners}
    assert {
        "RecorderApp",
        "SignInScreen",
        "HomeScreen",
        "ChildScreen",
        "VisitScreen",
        "SubmitDialog",
    } <= names
    by_id: dict[str, set[tuple[str, str]]] = {}
    for owner in owners:
        own = [b.id for b in owner.__dict__["BINDINGS"]]
        assert len(own) == len(set(own)), f"{owner.__name__} repeats a binding id"
        for b in owner.__dict__["BINDINGS"]:
            assert isinstance(b, Binding), f"{owner.__name__}: {b!r} is not a Binding"
            assert b.id and b.description, (owner.__name__, b.key)
            by_id.setdefault(b.id, set()).add((b.key, b.description))
    # an id shared by screens (the two review screens' "back") is one action: one key, one name
    shared = {i: keys for i, keys in by_id.items() if len(keys) > 1}
    assert not shared, f"one id, different keys or descriptions: {shared}"
