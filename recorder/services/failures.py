"""Unexpected failures in words: what a person is told when a call fails for a reason that is
not a rule's refusal (the database has gone, the disk is full, a bug).

Only the kind of failure is read, never its text for display: a database error's message can
hold SQL parameters (case text), so it is never shown, logged or put in a file name.
"""

from __future__ import annotations

import errno

UNREACHABLE = "the database cannot be reached"
BUSY = "the database is busy with someone else's change"
FULL = "the disk is full"
READ_ONLY = "the database cannot be written to (it is read-only)"
TIMED_OUT = "the database did not answer in time"
UNKNOWN = "something unexpected went wrong inside recorder"


def reason(error: BaseException) -> str:
    """Why ``error`` happened, as a few plain words for the person at the screen."""
    oserr = _os_error(error)
    if oserr is not None:
        if oserr.errno == errno.ENOSPC:
            return FULL
        if oserr.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return READ_ONLY
    if isinstance(error, TimeoutError):
        return TIMED_OUT
    names = {cls.__name__ for cls in type(error).__mro__}
    module = type(error).__module__ or ""
    text = str(getattr(error, "orig", "") or "").lower()
    if "full" in text and ("disk" in text or "database" in text):
        return FULL
    if "readonly" in text or "read-only" in text:
        return READ_ONLY
    if "locked" in text or "busy" in text:
        return BUSY
    if "timeout" in text or "timed out" in text or "canceling statement" in text:
        return TIMED_OUT
    if names & {"OperationalError", "InterfaceError", "DisconnectionError", "TimeoutError"}:
        return UNREACHABLE
    if module.startswith(("sqlalchemy", "psycopg", "sqlite3")) and "DBAPIError" in names:
        return UNREACHABLE
    return UNKNOWN


def _os_error(error: BaseException) -> OSError | None:
    seen: set[int] = set()
    e: BaseException | None = error
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, OSError) and e.errno is not None:
            return e
        e = getattr(e, "orig", None) or e.__cause__ or e.__context__
    return None
