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
    if "locked" in text or "busy" in text or "lock timeout" in text:
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


# -- the command line: one line naming the cause and the fix -----------------------------------
def explain(
    error: BaseException, url: str | None = None, data_dir: object | None = None
) -> str | None:
    """Why the store could not be reached or used, and what to do, in one line; None when
    ``error`` is none of the failures known here (a bug: the caller says so in its own words).

    ``url`` is the store's (``RECORDER_DATABASE_URL`` or the SQLite file's): its host, port,
    database and user name the place, never its password. The error's own text is read to
    tell the kinds apart, never shown (it can hold SQL parameters). ``data_dir`` is the
    SQLite store's folder, named when it is a file or cannot be written to."""
    from recorder.domain.text import clean_line

    oserr = _os_error(error)
    if oserr is not None and oserr.errno == errno.ENOSPC:
        return "the disk is full: free some space, then try again. Nothing was changed."
    folder = clean_line(str(data_dir)) if data_dir is not None else "the data folder"
    elsewhere = "or choose another folder with --data-dir or RECORDER_DATA_DIR"
    if oserr is not None and _server(url) is None:
        if oserr.errno in (errno.ENOTDIR, errno.EEXIST):
            return (
                f"the data folder {folder} is a file, or a file is in its path, not a "
                f"folder: move the file away, {elsewhere}."
            )
        if oserr.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return (
                f"the data folder {folder} cannot be written to (it is read-only for "
                f"you): give your account write access to it, {elsewhere}."
            )
    names = {cls.__name__ for cls in type(error).__mro__}
    if not names & {
        "OperationalError",
        "InterfaceError",
        "DBAPIError",
        "DatabaseError",
        "ConnectionTimeout",
        "TimeoutError",
        "ProgrammingError",
    }:
        return None
    text = str(getattr(error, "orig", None) or error).lower()
    code = getattr(getattr(error, "orig", None), "sqlstate", None) or ""
    where = _server(url)
    var = "RECORDER_DATABASE_URL"
    if where is None:  # SQLite
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return (
                f"the store in {folder} cannot be written to (the file or its folder is "
                f"read-only): give your account write access to it, {elsewhere}. "
                "Nothing was changed."
            )
        if "locked" in text or "busy" in text:
            return (
                "the store is busy with someone else's change (another recorder kept it "
                "locked longer than RECORDER_DB_LOCK_TIMEOUT): try again."
            )
        if "not a database" in text or "malformed" in text:
            return (
                "the store's file is not a recorder database or is damaged: run "
                "'recorder check', or restore a backup with 'recorder restore'."
            )
        return None
    host, port, database, user = (clean_line(x) for x in where)
    server = f"the PostgreSQL server at {host}:{port}"
    if code == "57014" or "statement timeout" in text:
        return (
            f"{server} did not finish the request within RECORDER_DB_STATEMENT_TIMEOUT: "
            "try again; if it keeps happening, tell whoever runs the database server."
        )
    if code == "55P03" or "lock timeout" in text:
        return (
            "someone else's change held the record longer than RECORDER_DB_LOCK_TIMEOUT: "
            "try again in a moment. Nothing was changed."
        )
    if code == "42501" or "permission denied" in text:
        return (
            f"the database user '{user}' may not do this: the app's role needs the grants "
            "'recorder db grants' prints, applied by the schema owner."
        )
    if (
        "password authentication failed" in text
        or code in ("28P01", "28000")
        or ('role "' in text and "does not exist" in text)
    ):
        return f"{server} refused the user name or password ('{user}'): correct them in {var}."
    if ('database "' in text and "does not exist" in text) or code == "3D000":
        return (
            f"{server} has no database '{database}': create it (createdb -h {host} "
            f"{database}) or correct its name in {var}."
        )
    if "connection refused" in text:
        return (
            f"nothing answers at {host}:{port} (connection refused): check that PostgreSQL "
            f"is running there and the host and port in {var}."
        )
    if (
        "failed to resolve host" in text
        or "name or service not known" in text
        or "could not translate host name" in text
    ):
        return f"the host name '{host}' is not known: correct the host in {var}."
    if "no route to host" in text or "network is unreachable" in text:
        return (
            f"{server} cannot be reached (no route to it): check the host in {var} and the network."
        )
    if "timeout expired" in text or "timed out" in text or "ConnectionTimeout" in names:
        return (
            f"{server} did not answer within RECORDER_DB_CONNECT_TIMEOUT: check the host "
            f"and port in {var}, the network, and that the server is up."
        )
    if "ssl" in text or "invalid response" in text or "unexpected response" in text:
        return (
            f"what answers at {host}:{port} is not a PostgreSQL server recorder can talk "
            f"to: check the host and port in {var}."
        )
    if "server closed the connection" in text or "terminat" in text or "consuming input" in text:
        return (
            f"{server} closed the connection: try again; if it keeps happening, tell "
            "whoever runs the database server."
        )
    if "OperationalError" in names or "InterfaceError" in names:
        return f"{server} cannot be reached: check {var}, the network, and that the server is up."
    return None


def _server(url: str | None) -> tuple[str, str, str, str] | None:
    """(host, port, database, user) of a PostgreSQL URL; None for SQLite or no URL."""
    if not url:
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        u = make_url(url)
    except ArgumentError:
        return None
    if not u.drivername.startswith("postgres"):
        return None
    return (u.host or "localhost", str(u.port or 5432), u.database or "", u.username or "")
