"""Every ``RECORDER_*`` environment variable recorder reads, in one place.

``Settings.from_env()`` reads them when it is called (never at import), so tests that set a
variable with ``monkeypatch.setenv`` are seen by the next call. The command line reads them
once per run; ``paths`` and ``config`` take what they need from a ``Settings`` (reading
``os.environ`` when none is given). Standard library only and light: every command reads it.
The README's "Environment variables" table lists the same names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SECONDS", "Settings", "SettingsError"]

#: the database waits: variable -> (default, minimum, maximum) in seconds
SECONDS = {
    "RECORDER_DB_CONNECT_TIMEOUT": (5.0, 1.0, 600.0),
    "RECORDER_DB_STATEMENT_TIMEOUT": (30.0, 0.0, 3600.0),
    "RECORDER_DB_LOCK_TIMEOUT": (10.0, 1.0, 600.0),
}


class SettingsError(ValueError):
    """A variable holds a value recorder cannot use; the message names it and the range."""


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _seconds(env: Mapping[str, str], name: str) -> float:
    default, low, high = SECONDS[name]
    value = env.get(name)
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not low <= seconds <= high:  # NaN too
        raise SettingsError(
            f"{name} must be a number of seconds from {low:g} to {high:g}; "
            f"it is {value[:20]!r}. Correct it or unset it (the default is {default:g})."
        )
    return seconds


@dataclass(frozen=True)
class Settings:
    #: RECORDER_DATA_DIR: the folder of the SQLite store (``--data-dir`` wins over it)
    data_dir: Path | None = None
    #: RECORDER_CONFIG_DIR: the folder holding ``policy.toml``
    config_dir: Path | None = None
    #: RECORDER_DATABASE_URL: a PostgreSQL store for a team; wins over the data folder
    database_url: str | None = field(default=None, repr=False)  # may hold a password
    #: RECORDER_ADMIN: the administrator a sub-command acts as (``--admin`` wins over it)
    admin: str | None = None
    #: RECORDER_ADMIN_PASSWORD: that administrator's password, for scripts (set but empty
    #: is an empty password, not "ask")
    admin_password: str | None = field(default=None, repr=False)
    #: RECORDER_NEW_PASSWORD: the password for ``user add`` / ``user reset-password`` / the
    #: first administrator, for scripts
    new_password: str | None = field(default=None, repr=False)
    #: RECORDER_USER / RECORDER_PASSWORD: the worker a reading command (``chronology``) acts
    #: as, and their password, for scripts (``--user`` wins; the password is asked otherwise)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    #: RECORDER_DEBUG: an unexpected error shows its traceback instead of one line
    debug: bool = False
    #: NO_COLOR (https://no-color.org): command output carries no styles at all
    no_color: bool = False
    #: TEXTUAL_DRIVER (set by textual-serve for each browser session): the app has a screen
    #: although its standard streams are pipes
    served: bool = False
    #: RECORDER_DB_CONNECT_TIMEOUT: seconds to wait for the PostgreSQL server to answer when
    #: connecting (default 5)
    db_connect_timeout: float = SECONDS["RECORDER_DB_CONNECT_TIMEOUT"][0]
    #: RECORDER_DB_STATEMENT_TIMEOUT: seconds one PostgreSQL statement may run before it is
    #: cancelled (default 30; 0 for no limit)
    db_statement_timeout: float = SECONDS["RECORDER_DB_STATEMENT_TIMEOUT"][0]
    #: RECORDER_DB_LOCK_TIMEOUT: seconds to wait for a lock someone else's change holds
    #: (PostgreSQL's lock_timeout, SQLite's busy timeout; default 10)
    db_lock_timeout: float = SECONDS["RECORDER_DB_LOCK_TIMEOUT"][0]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings in ``environ`` (default: ``os.environ``, read now). An empty value
        counts as unset, except RECORDER_ADMIN_PASSWORD (an empty password is a password).
        A wait outside its range raises :class:`SettingsError`."""
        env = os.environ if environ is None else environ
        return cls(
            data_dir=_path(env.get("RECORDER_DATA_DIR")),
            config_dir=_path(env.get("RECORDER_CONFIG_DIR")),
            database_url=env.get("RECORDER_DATABASE_URL") or None,
            admin=env.get("RECORDER_ADMIN") or None,
            admin_password=env.get("RECORDER_ADMIN_PASSWORD"),
            new_password=env.get("RECORDER_NEW_PASSWORD") or None,
            user=env.get("RECORDER_USER") or None,
            password=env.get("RECORDER_PASSWORD"),
            debug=bool(env.get("RECORDER_DEBUG")),
            no_color=bool(env.get("NO_COLOR")),
            served=bool(env.get("TEXTUAL_DRIVER")),
            db_connect_timeout=_seconds(env, "RECORDER_DB_CONNECT_TIMEOUT"),
            db_statement_timeout=_seconds(env, "RECORDER_DB_STATEMENT_TIMEOUT"),
            db_lock_timeout=_seconds(env, "RECORDER_DB_LOCK_TIMEOUT"),
        )
