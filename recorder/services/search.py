"""Search for a child across the authority (issue 15 item 3): every child the reader may open
(``domain.workflow.reach_of``, the read rule ``may_read_child`` as a set), by any part of
any word of the name or of the reference, case and accents folded ("lucja" and "ucja" find
"Łucja"; ``recorder.store.search_key``).

Each word typed must be found (in any order): "woj luc" finds Łucja Wójcik. Words of three
letters or more are found anywhere in a word, through the trigram index (SQLite: FTS5
``child_search``; PostgreSQL: ``pg_trgm`` on ``child``); a word of one or two letters only at
the start of a word ("li" finds Li Wu and Lily, not Olivia: anywhere, two letters match most
of an authority), but for Chinese, Japanese and Korean, found anywhere (``anywhere``).

At most ``LIMIT`` children come back, the closest first: the reference typed, then names that
start with the first word, then a word of the name or reference that does, then the rest;
within each, the reader's own children first, then by name.

Audited as a view of names: a search that shows a child not allocated to the reader writes
``view_search`` with how many were shown and the ids of the children shown. The words typed
are not written: they may be the name of someone who is no child of ours (a neighbour, a
parent), and the ids already say whose names were seen. A search that shows only the reader's
own children is not audited, as reading one's own caseload is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Date, bindparam, text
from sqlmodel import Session

from recorder.domain.text import clean_line
from recorder.domain.workflow import Reach, reach_of
from recorder.services.core import Services
from recorder.services.errors import NotAllowed

LIMIT = 50
#: words and letters of a query that are looked at (the rest is ignored)
MAX_WORDS, MAX_WORD = 8, 60
#: the shortest word the trigram index can look up
TRIGRAM = 3


@dataclass(frozen=True)
class ChildHit:
    """A child found: enough to tell them apart and to open their record."""

    id: int
    name: str
    reference: str
    age: int
    team: str  # the child's team ("" when none)
    worker: str  # who holds the case ("" when nobody does)
    allocated_to_reader: bool  # on the reader's own caseload


def anywhere(word: str) -> bool:
    """Is ``word`` looked for anywhere in a word, or only at a word's start? Anywhere from
    three letters, and any Chinese, Japanese or Korean (written without spaces, a given name
    one or two characters)."""
    import unicodedata

    return len(word) >= TRIGRAM or any(unicodedata.east_asian_width(c) in "WF" for c in word)


def query_words(query: str) -> list[str]:
    """The words of what was typed, as the search uses them (controls stripped)."""
    return [w[:MAX_WORD] for w in clean_line(query).split()[:MAX_WORDS]]


def matches(name: str, reference: str, query: str) -> bool:
    """Does a child the caller already holds (their caseload, read once) match ``query``:
    every word inside the folded name or reference, short words too (on a caseload of a few
    dozen, "li" narrows; across an authority :func:`find_children` takes it as a word's
    start). For filtering rows in memory, as you type."""
    from recorder.store.search_key import fold

    words = [f for f in (fold(w) for w in query_words(query)) if f]
    if not words:
        return True
    key = f" {fold(name)} {fold(reference)}"
    return all(w in key for w in words)


def find_children(svc: Services, actor_id: int, query: str, limit: int = LIMIT) -> list[ChildHit]:
    """The children ``actor_id`` may read whose name or reference holds every word of
    ``query``, closest first (see the module's note); ``[]`` for an empty query. An
    administrator reads no case records and is refused (audited)."""
    from recorder.domain.validation import age_on

    words = query_words(query)
    with svc.viewing() as s:
        actor = svc.actor(s, actor_id)
        if actor.reads_cases and words:
            reach = reach_of(actor)
            rows = (_sqlite if s.connection().dialect.name == "sqlite" else _postgresql)(
                s, reach, words, max(1, min(limit, LIMIT))
            )
        else:
            rows = []
    if not actor.reads_cases:
        error = NotAllowed("Administrators manage accounts and cannot read case records.")
        with svc.writing() as w:
            svc.audit(w, actor_id, "view_search", "worker", actor_id, "refused", error.audit_detail)
        raise error
    today = svc.today()
    hits = [
        ChildHit(
            id=r.id,
            name=r.full_name,
            reference=r.reference,
            age=age_on(r.date_of_birth, today),
            team=r.team or "",
            worker=r.worker or "",
            allocated_to_reader=r.allocated_worker_id == actor_id,
        )
        for r in rows
    ]
    if any(not h.allocated_to_reader for h in hits):
        detail = f"rows={len(hits)} children={','.join(str(h.id) for h in hits)}"
        with svc.writing() as w:
            svc.audit(w, actor_id, "view_search", "worker", actor_id, "ok", detail)
    return hits


_COLUMNS = (
    "c.id, c.full_name, c.reference, c.date_of_birth, c.allocated_worker_id, "
    "t.name AS team, w.full_name AS worker"
)
_JOINS = "LEFT JOIN team t ON t.id = c.team_id LEFT JOIN worker w ON w.id = c.allocated_worker_id"


def _run(s: Session, sql: str, params: dict):
    stmt = text(sql).bindparams(bindparam("teams", expanding=True)).columns(date_of_birth=Date)
    return s.connection().execute(stmt, params).all()


def _scope(reach: Reach, params: dict) -> str:
    params["me"] = reach.worker_id if reach.worker_id is not None else -1
    params["teams"] = sorted(reach.team_ids) or [-1]
    return "(c.allocated_worker_id = :me OR c.team_id IN :teams)"


def _sqlite(s: Session, reach: Reach, words: list[str], limit: int):
    from recorder.store.search_key import fold

    folded = [f for f in (fold(w) for w in words) if f]
    if not folded:
        return []
    params: dict = {"limit": limit, "q": " ".join(folded), "w0": folded[0]}
    where = [_scope(reach, params)]
    long = [w for w in folded if len(w) >= TRIGRAM]
    for i, w in enumerate(w for w in folded if len(w) < TRIGRAM):
        params[f"s{i}"] = w if anywhere(w) else " " + w
        where.append(f"(instr(' ' || f.name, :s{i}) > 0 OR instr(' ' || f.ref, :s{i}) > 0)")
    if long:
        params["match"] = " AND ".join('"' + w.replace('"', '""') + '"' for w in long)
        where.append("child_search MATCH :match")
    rank = (  # as PostgreSQL's: the reference typed, the key's start, a word's start, the rest
        "CASE WHEN f.ref = :q THEN 0 "
        "WHEN substr(f.name, 1, length(:w0)) = :w0 THEN 1 "
        "WHEN instr(' ' || f.name || ' ' || f.ref, ' ' || :w0) > 0 THEN 2 ELSE 3 END"
    )
    sql = (
        f"SELECT {_COLUMNS} FROM child_search f JOIN child c ON c.id = f.rowid {_JOINS} "
        f"WHERE {' AND '.join(where)} "
        f"ORDER BY {rank}, c.allocated_worker_id IS NOT :me, c.full_name, c.id LIMIT :limit"
    )
    return _run(s, sql, params)


#: the expression migration 0016 indexes (written the same way, so the index is used)
_PG_KEY = "recorder_fold(c.full_name || ' ' || c.reference)"


def _like(param: str) -> str:
    """The folded word with LIKE's wildcards escaped."""
    folded = f"recorder_fold(:{param})"
    return f"replace(replace(replace({folded}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')"


def _postgresql(s: Session, reach: Reach, words: list[str], limit: int):
    params: dict = {"limit": limit, "q": " ".join(words), "w0": words[0]}
    where = [_scope(reach, params), "recorder_fold(:q) <> ''"]
    for i, w in enumerate(words):
        params[f"w{i}"] = w
        if anywhere(w):
            where.append(f"{_PG_KEY} LIKE '%' || {_like(f'w{i}')} || '%'")
        else:  # the start of a word: pg_trgm looks that up by its padded trigrams
            start = f"{_like(f'w{i}')} || '%'"
            where.append(f"({_PG_KEY} LIKE {start} OR {_PG_KEY} LIKE '% ' || {start})")
    # the key is folded once a row (OFFSET 0 keeps the inner query whole), and ranked on
    found = (
        "SELECT c.id, c.full_name, c.reference, c.date_of_birth, c.allocated_worker_id, "
        f"c.team_id, {_PG_KEY} AS k FROM child c WHERE {' AND '.join(where)} OFFSET 0"
    )
    rank = (
        "CASE WHEN upper(c.reference) = upper(:q) THEN 0 "
        "WHEN starts_with(c.k, recorder_fold(:w0)) THEN 1 "
        "WHEN strpos(' ' || c.k, ' ' || recorder_fold(:w0)) > 0 THEN 2 ELSE 3 END"
    )
    sql = (
        f"SELECT {_COLUMNS} FROM ({found}) c {_JOINS} "
        f"ORDER BY {rank}, c.allocated_worker_id IS DISTINCT FROM :me, c.full_name, c.id "
        "LIMIT :limit"
    )
    return _run(s, sql, params)
