"""The parts every chronology source is made of (:mod:`recorder.services.chronology_sources`):
an entry, England's time as SQL sorts it, what a source reads with, and the registry.

A source has two halves, so that a page of a long chronology is cut in SQL and only its
entries are read (:mod:`recorder.services.chronology` puts them together):

- ``keys(child_id, t)``: narrow SELECTs, one for each part of the kind (a plan's start and its
  end are two parts), of the columns a page is ordered and cut by: ``at`` (England's
  wall-clock time, as SQL compares it: :class:`SqlTime`), ``sid`` (the record the entry
  opens), ``rid`` (the row) and ``part``. Only signed records (drafts never appear), found by
  indexed columns (child_id; entity and entity_id on the audit trail).
- ``entries(c, keys)``: the entries of those rows, read by id (``keys`` None: every row of
  the child), as ``{(rid, part): Entry}``; worker names only for the workers they name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Callable, Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import Session, col

from recorder.domain import chronology as rules
from recorder.services.core import as_utc, london
from recorder.store.models import Worker

KINDS = rules.KINDS
Key = tuple[int, int]  # (rid, part): one entry of a kind


@dataclass(frozen=True)
class Entry:
    """One line of the chronology. ``when`` is England's wall-clock time (a date-only record
    at midnight); ``source_kind`` and ``source_id`` name the record to open (a visit, a case
    note, a supervision, a plan, a placement, a significant event, or the child)."""

    when: datetime
    kind: str
    title: str
    summary: str
    who: str
    source_kind: str
    source_id: int

    @property
    def on(self) -> date:
        return self.when.date()

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


class SqlTime:
    """England's wall-clock time of a stored value, as an SQL expression that sorts: on
    PostgreSQL a ``timestamp``; on SQLite the stored text (``YYYY-MM-DD HH:MM:SS.ffffff``),
    a UTC instant moved an hour on in British Summer Time (from 01:00 UTC on the last Sunday
    of March to 01:00 UTC on the last Sunday of October, England's rule since 1996), in C
    (the date functions) rather than a Python function called for every row."""

    def __init__(self, sqlite: bool) -> None:
        self.sqlite = sqlite
        self.type: Any = sa.String() if sqlite else sa.DateTime()

    def local(self, column: Any) -> Any:
        """A naive wall-clock time (a visit's date and time, a contact received)."""
        return sa.type_coerce(column, sa.String) if self.sqlite else column

    def utc(self, column: Any) -> Any:
        """A UTC instant (when a note was signed, an action set or done)."""
        if not self.sqlite:
            return sa.func.timezone("Europe/London", column, type_=sa.DateTime)
        x = sa.type_coerce(column, sa.String)

        def cat(a: Any, b: Any) -> Any:
            return a.op("||", return_type=sa.String)(b)

        def last_sunday_1am(month_day: str) -> Any:
            year = sa.func.substr(x, 1, 4, type_=sa.String)
            sunday = sa.func.date(cat(year, month_day), "weekday 0", type_=sa.String)
            return cat(sunday, " 01:00:00")

        summer = sa.and_(x >= last_sunday_1am("-03-25"), x < last_sunday_1am("-10-25"))
        hour_on = cat(
            # the whole seconds moved (SQLite would round the microseconds to milliseconds)
            sa.func.strftime(
                "%Y-%m-%d %H:%M:%S", sa.func.substr(x, 1, 19), "+1 hour", type_=sa.String
            ),
            sa.func.substr(x, 20, type_=sa.String),
        )
        return sa.case((summer, hour_on), else_=x)

    def day(self, column: Any) -> Any:
        """A date: its midnight."""
        if not self.sqlite:
            return sa.cast(column, sa.DateTime)
        return sa.type_coerce(column, sa.String).op("||", return_type=sa.String)(" 00:00:00.000000")

    def start_of(self, d: date) -> Any:
        """The value ``at`` compares with for the start of day ``d``."""
        return d.isoformat() if self.sqlite else datetime.combine(d, time.min)


class Context:
    """What a source's entries are read with: the session, the child, worker names (read for
    the workers named, once each), England's time."""

    def __init__(self, s: Session, child_id: int) -> None:
        self.s = s
        self.child_id = child_id
        self.names: dict[int, str] = {}

    def need(self, ids: Iterable[int | None]) -> None:
        """Read the names of the workers ``ids`` not read yet (one query)."""
        missing = {i for i in ids if i is not None and i not in self.names}
        if missing:
            q = sa.select(col(Worker.id), col(Worker.full_name)).where(col(Worker.id).in_(missing))
            self.names.update({i: n for i, n in self.s.execute(q).all()})

    def name(self, worker_id: int | None) -> str:
        return self.names.get(worker_id, "") if worker_id is not None else ""

    def local(self, moment: datetime) -> datetime:
        """A stored UTC timestamp as England's wall-clock time."""
        return as_utc(moment).astimezone(london()).replace(tzinfo=None)


#: the child is a bound parameter (``:child``): a page's statement is built once and kept
Keys = Callable[[Any, SqlTime], Sequence[Any]]
Entries = Callable[[Context, "list[Key] | None"], dict[Key, Entry]]


@dataclass(frozen=True)
class Source:
    keys: Keys
    entries: Entries


SOURCES: dict[str, Source] = {}


def source(kind: str, keys: Keys) -> Callable[[Entries], Entries]:
    """Register ``entries`` (and its ``keys``) as the source of ``kind`` (a key of KINDS)."""

    def register(fn: Entries) -> Entries:
        assert kind in KINDS, kind
        SOURCES[kind] = Source(keys, fn)
        return fn

    return register


def key_select(at: Any, sid: Any, rid: Any, part: int) -> Any:
    """The columns every key SELECT has, in the order the UNION needs."""
    return sa.select(
        at.label("at"),
        sa.func.coalesce(sid, 0).label("sid"),
        rid.label("rid"),
        sa.literal_column(str(int(part)), sa.Integer).label("part"),
    )


def ids_of(keys: list[Key] | None, part: int | None = None) -> list[int] | None:
    if keys is None:
        return None
    return sorted({rid for rid, p in keys if part is None or p == part})


def only(q: Any, id_column: Any, ids: list[int] | None) -> Any:
    return q if ids is None else q.where(id_column.in_(ids))


def midnight(d: date) -> datetime:
    return datetime.combine(d, time.min)
