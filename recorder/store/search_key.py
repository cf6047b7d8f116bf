"""A child's name and reference as the search matches them (issue 15 item 3): case and
accents folded, so that "lucja" finds "Łucja" and "WOJCIK" finds "Wójcik".

The fold: compatibility decomposition (NFKD), the combining marks dropped (accents, Arabic
harakat, Hebrew points), the letters whose mark is part of the letter itself mapped to their
base (``ł`` -> ``l``, ``ø`` -> ``o``, ``ß`` -> ``ss`` ...), lower case, composed again (NFC,
so Hangul syllables stay whole) and runs of white space made one space. Letters of every
script are kept; only their marks go.

The same fold runs in the database, on both sides of a match: SQLite calls :func:`fold`
(registered on each connection as ``recorder_fold`` by :mod:`recorder.store.engine`, and
called by the triggers that keep ``child_search`` in step); PostgreSQL runs
:func:`postgresql_function`'s SQL, built from the same table. The query is folded by the
same function as the names it is matched against, so each backend agrees with itself.
"""

from __future__ import annotations

import sys
import unicodedata

SQL_NAME = "recorder_fold"

#: letters with no decomposition whose mark is part of the letter (the rest come apart by NFKD)
LETTERS = {
    "ł": "l",
    "Ł": "l",
    "ø": "o",
    "Ø": "o",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "ħ": "h",
    "Ħ": "h",
    "ı": "i",
    "ŧ": "t",
    "Ŧ": "t",
    "ƒ": "f",
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "þ": "th",
    "Þ": "th",
    "ς": "σ",
}
_TABLE = str.maketrans(LETTERS)


def fold(text: str | None) -> str:
    """``text`` as the search compares it (see the module's note)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", bare.lower().translate(_TABLE)).split())


def _combining_ranges() -> list[tuple[int, int]]:
    """The code points :func:`fold` drops, as ranges (from this Python's Unicode tables)."""
    ranges: list[tuple[int, int]] = []
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF or not unicodedata.combining(chr(cp)):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return ranges


def _esc(cp: int) -> str:
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def postgresql_function() -> str:
    """``CREATE FUNCTION recorder_fold(text)``: :func:`fold` in SQL (IMMUTABLE, so an index
    can be built on it). ``lower`` follows the database's LC_CTYPE: a UTF-8 locale (C.UTF-8,
    en_GB.UTF-8) lowers every script; the plain C locale lowers only A-Z (the accents and the
    letters above are folded either way)."""
    marks = "".join(_esc(a) if a == b else f"{_esc(a)}-{_esc(b)}" for a, b in _combining_ranges())
    single = {k: v for k, v in LETTERS.items() if len(v) == 1}
    double = {k: v for k, v in LETTERS.items() if len(v) > 1}
    body = f"regexp_replace(normalize($1, NFKD), '[{marks}]', '', 'g')"
    for k, v in double.items():
        body = f"replace({body}, '{k}', '{v}')"
    body = f"translate({body}, '{''.join(single)}', '{''.join(single.values())}')"
    body = f"btrim(regexp_replace(normalize(lower({body}), NFC), '\\s+', ' ', 'g'))"
    # printable ASCII alone (most names) needs only lower case and its spaces made one: the
    # same answer, a tenth of the time (about 1 against 10 microseconds a name)
    ascii_only = "btrim(regexp_replace(lower($1), ' +', ' ', 'g'))"
    return (
        f"CREATE FUNCTION {SQL_NAME}(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
        f"PARALLEL SAFE AS $fold$ SELECT CASE WHEN $1 ~ '^[ -~]*$' THEN {ascii_only} "
        f"ELSE {body} END $fold$"
    )


def register_sqlite(dbapi_conn) -> None:
    """Make ``recorder_fold`` callable on a SQLite connection (the triggers need it)."""
    dbapi_conn.create_function(SQL_NAME, 1, fold, deterministic=True)


#: what migration 0016 makes that no model declares (alembic's comparison leaves them be)
SQLITE_TABLE = "child_search"
PG_INDEX = "ix_child_search"


def include_name(name: str | None, type_: str, parent_names: object = None) -> bool:
    """For alembic's ``include_name``: not the search index (an FTS5 table and its shadow
    tables on SQLite, an expression index on PostgreSQL), which the models do not declare."""
    if type_ == "table" and name and (name == SQLITE_TABLE or name.startswith(SQLITE_TABLE + "_")):
        return False
    return not (type_ == "index" and name == PG_INDEX)
