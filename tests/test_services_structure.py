"""The shape of ``recorder.services`` and ``recorder.domain`` (issue 10, "Services and domain").

- no import circle among the service modules (imports inside functions count: a lazy import
  is still a circle, it only fails later);
- no private name (``_x``) of one module used by another: a piece two modules need gets a
  public name in a module both may import (``services/queries.py``, ``services/access.py``);
- read models are plain dataclasses: nothing a service returns to a screen is, or holds, an
  ORM row (``SQLModel``), and ``recorder/tui`` imports nothing of ``recorder.store``.

The checks read the source (``ast``), so each finding names a file and line.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
import typing
from pathlib import Path

import pytest

import recorder
from recorder.store.models import Signature

ROOT = Path(recorder.__file__).parent
CHECKED = ("services", "domain")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: str) -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}


ALL_MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def imports(path: Path) -> list[tuple[int, str, str | None]]:
    """(line, module, name) for every import of ``recorder`` in the file; ``name`` is the
    imported name of a ``from`` import (None for ``import x``), at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and node.module.split(".")[0] == "recorder"
        ):
            found += [(node.lineno, node.module, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name, None)
                for a in node.names
                if a.name.split(".")[0] == "recorder"
            ]
    return found


def imported_modules(path: Path) -> set[str]:
    """The ``recorder`` modules this file imports (``from pkg import submodule`` included)."""
    out = set()
    for _, module, name in imports(path):
        if name is not None and f"{module}.{name}" in ALL_MODULES:
            out.add(f"{module}.{name}")
        else:
            out.add(module)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


@pytest.mark.parametrize("package", CHECKED)
def test_no_import_circle(package):
    graph = {name: imported_modules(path) - {name} for name, path in modules(package).items()}
    # a package's __init__ is imported with each of its modules: not an edge of its own
    graph = {k: {m for m in v if m != f"recorder.{package}"} for k, v in graph.items()}
    assert cycles(graph) == []


def test_the_circle_check_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def private_crossings(path: Path, here: str | None = None) -> list[str]:
    """Uses of another module's private name: ``from m import _x`` or ``m._x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = here or module_name(path)
    found = []
    aliases: dict[str, str] = {}  # local name -> recorder module it stands for
    for line, module, name in imports(path):
        if name is None:
            continue
        if name.startswith("_") and not name.startswith("__") and module != here:
            found.append(f"{path.name}:{line}: from {module} import {name}")
        if f"{module}.{name}" in ALL_MODULES:
            aliases[name] = f"{module}.{name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                if f"{node.module}.{a.name}" in ALL_MODULES:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name in ALL_MODULES and a.asname:
                    aliases[a.asname] = a.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("package", CHECKED)
def test_no_private_name_crosses_a_module(package):
    found = [f for path in modules(package).values() for f in private_crossings(path)]
    assert found == []


def test_the_private_check_finds_both_forms(tmp_path):
    src = tmp_path / "probe.py"
    src.write_text(
        "from recorder.services.accounts import _secret\n"
        "from recorder.services import visits as V\n"
        "def f():\n    return V._content, V.load_visit\n",
        encoding="utf-8",
    )
    found = private_crossings(src, here="recorder.services.probe")
    assert [f.split(": ", 1)[1] for f in found] == [
        "from recorder.services.accounts import _secret",
        "V._content",
    ]


# -- read models --------------------------------------------------------------------------

# what a use case works with inside its transaction (a session, rows), never handed to a screen
NOT_READ_MODELS = {
    "recorder.services.core.Op",
    "recorder.services.core.Services",
}


def service_dataclasses() -> list[type]:
    out = []
    for info in pkgutil.iter_modules([str(ROOT / "services")], "recorder.services."):
        mod = importlib.import_module(info.name)
        for obj in vars(mod).values():
            if (
                isinstance(obj, type)
                and dataclasses.is_dataclass(obj)
                and obj.__module__ == mod.__name__
                and f"{obj.__module__}.{obj.__qualname__}" not in NOT_READ_MODELS
            ):
                out.append(obj)
    return out


def orm_types_in(tp, seen: set) -> list[str]:
    """The SQLModel classes an annotation can hold, following dataclasses it names."""
    from sqlmodel import SQLModel

    if isinstance(tp, type) and issubclass(tp, SQLModel):
        return [tp.__name__]
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if tp in seen:
            return []
        seen.add(tp)
        hints = typing.get_type_hints(tp)
        return [
            f"{tp.__name__}.{name}: {bad}"
            for name, hint in hints.items()
            for bad in orm_types_in(hint, seen)
        ]
    return [bad for arg in typing.get_args(tp) for bad in orm_types_in(arg, seen)]


def test_there_are_read_models_to_check():
    names = {c.__name__ for c in service_dataclasses()}
    assert {
        "VisitView",
        "ChildView",
        "Review",
        "NoteView",
        "QueueRow",
        "TeamView",
        "AddendumView",
        "SignatureView",
        "ReturnView",
        "CaseloadRow",
    } <= names


@pytest.mark.parametrize("cls", service_dataclasses(), ids=lambda c: c.__name__)
def test_no_read_model_field_is_an_orm_row(cls):
    assert orm_types_in(cls, set()) == []


@dataclasses.dataclass(frozen=True)
class Inner:
    sig: Signature | None


@dataclasses.dataclass(frozen=True)
class Outer:
    rows: tuple[Inner, ...]


def test_the_read_model_check_finds_an_orm_field():
    assert orm_types_in(Outer, set()) == ["Outer.rows: Inner.sig: Signature"]


def test_the_tui_imports_nothing_of_the_store():
    found = [
        f"{p.relative_to(ROOT)}:{line}: {module}"
        for p in sorted((ROOT / "tui").rglob("*.py"))
        for line, module, _ in imports(p)
        if module == "recorder.store" or module.startswith("recorder.store.")
    ]
    assert found == []


def orm_rows_in(value, path: str = "view") -> list[str]:
    """Every ORM row reachable from a returned value (dataclass fields, sequences, maps)."""
    from sqlmodel import SQLModel

    if isinstance(value, SQLModel):
        return [f"{path}: {type(value).__name__}"]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            bad
            for f in dataclasses.fields(value)
            for bad in orm_rows_in(getattr(value, f.name), f"{path}.{f.name}")
        ]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [bad for i, item in enumerate(value) for bad in orm_rows_in(item, f"{path}[{i}]")]
    if isinstance(value, dict):
        return [bad for k, item in value.items() for bad in orm_rows_in(item, f"{path}[{k!r}]")]
    return []


def test_what_the_screens_read_holds_no_orm_row(svc):
    """Every read a screen makes, on a record with every kind of signature, a return for
    changes, an addendum and its acknowledgement, and a case-level note."""
    from recorder.services import addenda, caseloads, oversight, team, visits
    from tests.records import oversight_note, signed_off, submitted
    from tests.world import PASSWORD, build_world

    w = build_world(svc)
    vid = signed_off(svc, w.student, w.child, w.manager, countersigner=w.sw)
    visits.return_for_changes(svc, w.manager, submitted(svc, w.sw, w.child), "Say more.")
    aid = addenda.add_addendum(svc, w.student, vid, "A date was wrong", "It was Tuesday.", PASSWORD)
    addenda.add_addendum(
        svc, w.sw, signed_off(svc, w.sw, w.child, w.manager), "Why", "More.", PASSWORD
    )
    addenda.acknowledge(svc, w.manager2, aid, PASSWORD)
    oversight.add_case_note(svc, w.manager, w.child, oversight_note(), PASSWORD)
    returned = [v.id for v in caseloads.child_view(svc, w.sw, w.child).visits if v.returned]
    reads = {
        "load_visit": visits.load_visit(svc, w.manager, vid),
        "load_visit(returned)": visits.load_visit(svc, w.sw, returned[0]),
        "review": oversight.review(svc, w.manager, vid),
        "child_view": caseloads.child_view(svc, w.manager, w.child),
        "caseload": caseloads.caseload(svc, w.sw),
        "case_notes": oversight.case_notes(svc, w.manager, w.child),
        "countersign_queue": oversight.countersign_queue(svc, w.sw),
        "oversight_queue": oversight.oversight_queue(svc, w.manager),
        "team_view": team.team_view(svc, w.manager),
        "unacknowledged": addenda.unacknowledged(svc, w.manager2),
    }
    view = reads["load_visit"]
    assert view.signatures and view.addenda and view.addenda[0].ack_signature is not None
    assert reads["load_visit(returned)"].returns and reads["case_notes"]
    assert reads["unacknowledged"]
    found = [bad for name, value in reads.items() for bad in orm_rows_in(value, name)]
    assert found == []


def test_the_walk_finds_an_orm_row_inside_a_view():
    from recorder.store.models import ReturnComment

    @dataclasses.dataclass(frozen=True)
    class Holder:
        items: list

    row = ReturnComment(visit_id=1, worker_id=1, from_state="draft", comment="x", created_at=None)
    assert orm_rows_in(Holder([{"k": row}])) == ["view.items[0]['k']: ReturnComment"]
