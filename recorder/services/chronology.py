"""A child's chronology (issue 13, item 4): the significant events of the child's story from
every record that holds one, newest first, and significant events added by hand.

Every kind of entry has a source (:mod:`recorder.services.chronology_sources`); the sources'
keys are one UNION ALL ordered newest first, so a page is cut in SQL (``LIMIT``, and the next
page after the last one's key: keyset paging, so an entry added meanwhile never repeats or
hides one across a page boundary) with the kinds and the date range in the query, and only
that page's entries are read. Drafts never appear.

- ``chronology(svc, actor_id, child, kinds=None, since=None, until=None, limit=None,
  by_kind=False)``: ``child`` is an id or a reference; newest first, all of it or the first
  ``limit`` entries with the counts of each kind (and with ``by_kind`` each kind's first page). Reading it is audited as a view ("view_chronology"); the
  child's team and the managers above it may, an administrator never
  (``domain.workflow.may_read_child``).
- ``page(svc, actor_id, view, kinds, since, until, after, limit)``: another page of the view
  that :func:`chronology` opened (and audited): the next one, or a filter's first. The reader
  is checked again; a refusal is audited.
- ``add_significant_event(svc, actor_id, child_id, event, password) -> int``: signed by its
  author with their password asked again (``domain.signing.significant_event_payload``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Iterable, Mapping

import sqlalchemy as sa
from sqlmodel import Session, select

from recorder.domain import chronology as rules
from recorder.domain.signing import SIGNIFICANT_EVENT_MEANING, significant_event_payload
from recorder.domain.text import clean, clean_line
from recorder.services import chronology_sources  # noqa: F401 - registers the sources
from recorder.services.access import readable_child
from recorder.services.chronology_base import SOURCES, Context, Entry, Key, SqlTime
from recorder.services.core import Op, Services, require
from recorder.services.errors import InvalidInput, ServiceError
from recorder.store.models import Child, SignificantEvent, Worker

__all__ = ["KINDS", "Chronology", "Entry", "Page", "chronology", "page"]

KINDS = rules.KINDS
_ORDER = {k: i for i, k in enumerate(KINDS)}  # a kind's place: the tie-break after the time
#: where a page ends, to read the next: the last entry's (at, kind, sid, rid, part) as SQL
#: orders them (an opaque value for the caller)
Cursor = tuple[Any, ...]


@dataclass(frozen=True)
class Chronology:
    """A chronology as opened: ``entries`` newest first (all of them, or the first page);
    ``counts`` of each kind on the whole chronology; ``matching`` entries of the kinds and
    dates asked for; ``after`` where the next page starts (None: there is no more); with
    ``by_kind``, ``firsts`` the first page of each kind the child has (no date range)."""

    child_id: int
    reference: str
    child_name: str
    entries: tuple[Entry, ...]  # newest first
    may_add_event: bool
    counts: Mapping[str, int]
    matching: int
    after: Cursor | None = None
    firsts: Mapping[str, Page] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Page:
    """A page of a chronology: its entries newest first, where the next starts (None: this
    is the last), and how many entries the filter lets through (None unless asked)."""

    entries: tuple[Entry, ...]
    after: Cursor | None
    matching: int | None = None


# -- the query --------------------------------------------------------------------------------


def _union(kinds: tuple[str, ...], t: SqlTime) -> Any:
    """The keys of ``kinds``' entries of the child ``:child``: (at, sid, rid, part, kind)."""
    child = sa.bindparam("child", type_=sa.Integer)
    parts = [
        q.add_columns(sa.literal_column(str(_ORDER[kind]), sa.Integer).label("kind"))
        for kind in kinds
        for q in SOURCES[kind].keys(child, t)
    ]
    compound: Any = parts[0] if len(parts) == 1 else sa.union_all(*parts)
    return compound.subquery("entries")


def _window(u: Any, t: SqlTime, since: bool, until: bool) -> list[Any]:
    """The date range as conditions on ``at``: from the start of ``:since`` to before the
    start of ``:before`` (the day after the range's last)."""
    out = []
    if since:
        out.append(u.c.at >= sa.bindparam("since", type_=t.type))
    if until:
        out.append(u.c.at < sa.bindparam("before", type_=t.type))
    return out


@lru_cache(maxsize=256)
def _page_statement(
    sqlite: bool, kinds: tuple[str, ...], since: bool, until: bool, after: bool, limit: int | None
) -> Any:
    """The SELECT of a page's keys, newest first, built once for each shape (the kinds, which
    bounds, a page after another or the first): building and compiling a UNION of sixteen
    parts costs more than running it."""
    t = SqlTime(sqlite)
    u = _union(kinds, t)
    # newest first; at the same time, a kind after another in KINDS first, then the record
    # opened; rows of one record at one time (a visit's actions) in the order written
    cols = [u.c.at, u.c.kind, u.c.sid, (0 - u.c.rid).label("rid"), (0 - u.c.part).label("part")]
    q = sa.select(*cols).where(*_window(u, t, since, until))
    if after:
        types = (t.type, sa.Integer(), sa.Integer(), sa.Integer(), sa.Integer())
        last = (sa.bindparam(f"after{i}", type_=ty) for i, ty in enumerate(types))
        q = q.where(sa.tuple_(*cols) < sa.tuple_(*last))
    q = q.order_by(*(c.desc() for c in cols))
    return q if limit is None else q.limit(limit + 1)  # one more: is there a next page?


@lru_cache(maxsize=64)
def _count_statement(sqlite: bool, kinds: tuple[str, ...], since: bool, until: bool) -> Any:
    t = SqlTime(sqlite)
    u = _union(kinds, t)
    return (
        sa.select(u.c.kind, sa.func.count()).where(*_window(u, t, since, until)).group_by(u.c.kind)
    )


def _params(child_id: int, t: SqlTime, since: date | None, until: date | None) -> dict[str, Any]:
    p: dict[str, Any] = {"child": child_id}
    if since is not None:
        p["since"] = t.start_of(since)
    if until is not None:
        p["before"] = t.start_of(until + timedelta(days=1))
    return p


def _time(s: Session) -> SqlTime:
    return SqlTime(s.connection().dialect.name == "sqlite")


Rows = list[tuple[Any, ...]]  # a page's keys as the page statement returns them


def _keys(
    ctx: Context,
    t: SqlTime,
    kinds: list[str],
    since: date | None,
    until: date | None,
    after: Cursor | None,
    limit: int | None,
) -> tuple[Rows, Cursor | None]:
    """The keys of one page (all of them when ``limit`` is None), newest first, and where
    the next page starts."""
    if not kinds:
        return [], None
    q = _page_statement(
        t.sqlite, tuple(kinds), since is not None, until is not None, after is not None, limit
    )
    params = _params(ctx.child_id, t, since, until)
    params.update({f"after{i}": v for i, v in enumerate(after or ())})
    rows = [tuple(r) for r in ctx.s.connection().execute(q, params).all()]
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    return rows, (rows[-1] if more else None)


def _entries(ctx: Context, pages: list[Rows], whole: bool) -> list[tuple[Entry, ...]]:
    """The entries of ``pages``' keys, each source read once for all of them (``whole``:
    every row of the child of each kind at once, not by id)."""
    by_kind: dict[int, set[Key]] = {}
    for rows in pages:
        for _at, k, _sid, rid, part in rows:
            by_kind.setdefault(k, set()).add((-rid, -part))
    names = list(KINDS)
    found: dict[tuple[int, int, int], Entry] = {}
    for k, keys in by_kind.items():
        got = SOURCES[names[k]].entries(ctx, None if whole else sorted(keys))
        found.update({(k, rid, part): e for (rid, part), e in got.items()})
    return [
        tuple(
            e for _at, k, _sid, rid, part in rows if (e := found.get((k, -rid, -part))) is not None
        )
        for rows in pages
    ]


def _read(
    ctx: Context,
    t: SqlTime,
    kinds: list[str],
    since: date | None,
    until: date | None,
    after: Cursor | None,
    limit: int | None,
) -> tuple[tuple[Entry, ...], Cursor | None]:
    """The entries of one page (all of them when ``limit`` is None), newest first, and
    where the next page starts."""
    rows, nxt = _keys(ctx, t, kinds, since, until, after, limit)
    return _entries(ctx, [rows], limit is None)[0], nxt


def _counts(
    s: Session, child_id: int, t: SqlTime, kinds: list[str], since: date | None, until: date | None
) -> dict[str, int]:
    """How many entries of each of ``kinds`` the child has in the date range (one query)."""
    out = dict.fromkeys(kinds, 0)
    if not kinds:
        return out
    q = _count_statement(t.sqlite, tuple(kinds), since is not None, until is not None)
    names = list(KINDS)
    rows = s.connection().execute(q, _params(child_id, t, since, until)).all()
    out.update({names[k]: n for k, n in rows})
    return out


def _wanted(kinds: Iterable[str] | None, since: date | None, until: date | None) -> list[str]:
    wanted = list(KINDS) if kinds is None else list(dict.fromkeys(kinds))
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise InvalidInput(
            f"'{unknown[0]}' is not a kind of chronology entry. Use one of: " + ", ".join(KINDS)
        )
    if since and until and since > until:
        raise InvalidInput("The start of the date range is after its end.")
    return [k for k in wanted if k in SOURCES]


# -- reading ------------------------------------------------------------------------------------


def chronology(
    svc: Services,
    actor_id: int,
    child: int | str,
    kinds: Iterable[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
    by_kind: bool = False,
) -> Chronology:
    """The chronology of ``child`` (its id, or its reference), newest first, of ``kinds``
    (all when None) from ``since`` to ``until`` (inclusive): every entry, or the first
    ``limit`` (read further with :func:`page`), and with ``by_kind`` (and a ``limit``) the
    first ``limit`` of each kind too, so that choosing a kind reads nothing more (each
    source is read once for all those pages). Audited as a view of the child's record."""
    wanted = _wanted(kinds, since, until)
    if limit is not None and limit < 1:
        raise InvalidInput("A page of the chronology holds at least one entry.")

    def run(op: Op) -> Chronology:
        s = op.session
        actor = svc.actor(s, actor_id)
        c = readable_child(s, actor, _child_id(s, child))
        op.entity_id = c.id
        t, ctx = _time(s), Context(s, c.id)
        everything = kinds is None and since is None and until is None
        counts: dict[str, int] = {}
        if limit is not None:
            counts = _counts(s, c.id, t, list(KINDS), None, None)
        rows, after = _keys(ctx, t, wanted, since, until, None, limit)
        each: dict[str, tuple[Rows, Cursor | None]] = {}
        if by_kind and limit is not None and since is None and until is None:
            each = {k: _keys(ctx, t, [k], None, None, None, limit) for k in KINDS if counts[k]}
        read = _entries(ctx, [rows, *(r for r, _ in each.values())], limit is None)
        entries = read[0]
        firsts = {
            k: Page(got, nxt, counts[k]) for (k, (_, nxt)), got in zip(each.items(), read[1:])
        }
        if limit is None and everything:
            counts = dict.fromkeys(KINDS, 0)
            for e in entries:
                counts[e.kind] += 1
        elif limit is None:
            counts = _counts(s, c.id, t, list(KINDS), None, None)
        if limit is None:
            matching = len(entries)
        elif since is None and until is None:
            matching = sum(counts.get(k, 0) for k in wanted)
        else:
            matching = sum(_counts(s, c.id, t, wanted, since, until).values())
        may_add = bool(rules.may_add_significant_event(actor, c.team_id, c.allocated_worker_id))
        return Chronology(
            c.id, c.reference, c.full_name, entries, may_add, counts, matching, after, firsts
        )

    entity = child if isinstance(child, int) else None
    return svc.change(actor_id, "view_chronology", "child", entity, run)


def page(
    svc: Services,
    actor_id: int,
    view: Chronology,
    kinds: Iterable[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    after: Cursor | None = None,
    limit: int = 40,
    count: bool = False,
) -> Page:
    """A page of the chronology ``view`` that :func:`chronology` opened and audited: the
    ``limit`` entries of ``kinds`` from ``since`` to ``until`` that come after ``after`` (a
    page's ``after``; None: the first), newest first, and with ``count`` how many the filter
    lets through. Part of that view, so not audited again; the reader is checked again (a
    person moved off the team reads no more) and a refusal is audited."""
    wanted = _wanted(kinds, since, until)
    limit = max(1, limit)
    try:
        with svc.viewing() as s:
            c = readable_child(s, svc.actor(s, actor_id), view.child_id)
            t = _time(s)
            entries, nxt = _read(Context(s, c.id), t, wanted, since, until, after, limit)
            matching = sum(_counts(s, c.id, t, wanted, since, until).values()) if count else None
    except ServiceError as e:
        with svc.writing() as w:
            svc.audit(
                w, actor_id, "view_chronology", "child", view.child_id, "refused", e.audit_detail
            )
        raise
    return Page(entries, nxt, matching)


def _child_id(s: Session, child: int | str) -> int:
    """A child named by id (the screens) or by reference (the command line); 0 when there is
    no such reference, which ``readable_child`` refuses as it refuses a child not yours."""
    if isinstance(child, int):
        return child
    found = s.exec(select(Child.id).where(Child.reference == clean_line(child))).first()
    return found or 0


# -- a significant event added by hand ----------------------------------------------------------


def add_significant_event(
    svc: Services,
    actor_id: int,
    child_id: int,
    event: rules.SignificantEventInput,
    password: str,
) -> int:
    """Record a significant event on the child's chronology, signed by its author (password
    asked again); returns its id."""
    from recorder.services.accounts import check_password
    from recorder.services.queries import stored
    from recorder.services.signatures import sign

    def run(op: Op) -> int:
        s = op.session
        actor = svc.actor(s, actor_id)
        c = s.get(Child, child_id)
        require(
            rules.may_add_significant_event(
                actor, c.team_id if c else None, c.allocated_worker_id if c else None
            )
        )
        assert c is not None  # the rule never allows a child that is not there
        e = rules.SignificantEventInput(
            event.occurred_on,
            clean_line(event.what),
            clean_line(event.source),
            clean(event.impact or "").strip(),
        )
        problem = rules.event_problem(
            e, svc.today(), c.date_of_birth, svc.policy.long_text_max_chars
        )
        if problem:
            raise InvalidInput(problem, audit_detail="invalid")
        check_password(svc, s, actor_id, password)
        payload = significant_event_payload(
            c.id, actor_id, e.occurred_on.isoformat(), e.what, e.source, e.impact
        )
        sig = sign(
            svc, s, stored(s, Worker, actor_id), None, c.id, SIGNIFICANT_EVENT_MEANING, payload
        )
        row = SignificantEvent(
            child_id=c.id,
            team_id=c.team_id,
            occurred_on=e.occurred_on,
            what=e.what,
            source=e.source,
            impact=e.impact,
            author_id=actor_id,
            signature_id=sig.id,
            created_at=svc.now(),
        )
        s.add(row)
        s.flush()
        op.entity_id = c.id
        op.detail = f"event={row.id}"
        return row.id

    return svc.change(actor_id, "add_significant_event", "child", child_id, run)


def event_signature_payload(s: Session, sig: Any) -> tuple[Any, str]:
    """For ``recorder check``: what the significant event signed by ``sig`` signs
    (``signing.significant_event_payload``) and words naming it; (None, the problem) when its
    event is missing."""
    e = s.exec(select(SignificantEvent).where(SignificantEvent.signature_id == sig.id)).first()
    if e is None:
        return None, f"signature {sig.id} (significant event): its event is missing"
    payload = significant_event_payload(
        e.child_id, e.author_id, e.occurred_on.isoformat(), e.what, e.source, e.impact
    )
    return payload, f"significant event {e.id}"
