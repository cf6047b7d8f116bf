"""Open a store: build the engine, bring the schema up to date, hand back the services."""

from __future__ import annotations

import os
from pathlib import Path

from recorder.services.core import Services

TYPE_CHECKING = False
if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from recorder.settings import Settings


def open_services(
    data_folder: str | os.PathLike[str] | None = None,
    *,
    url: str | None = None,
    config_folder: Path | None = None,
    migrate: bool = True,
    settings: Settings | None = None,
) -> Services:
    """The services on the store at ``url`` (or the data folder's), its engine with the
    database waits of ``settings`` (default: the environment's), the schema upgraded."""
    from recorder.config import load_policy
    from recorder.paths import database_url
    from recorder.store.engine import make_engine
    from recorder.store.migrate import upgrade

    policy = load_policy(config_folder)
    engine = make_engine(url or database_url(data_folder, settings), settings=settings)
    if migrate:
        upgrade(engine)
    return Services(engine=engine, policy=policy)


def require_current_schema(engine: Engine) -> None:
    """A PostgreSQL store is migrated by its schema owner (``recorder migrate``), never by the
    app's clients: refuse to start on a schema that is missing, behind or ahead, saying what
    to do. (SQLite, one person's file, is migrated on start with a copy taken first.)"""
    from recorder.services.errors import SchemaNotCurrent
    from recorder.store.migrate import schema_status

    current, head, known = schema_status(engine)
    if current == head:
        return
    if current is None:
        raise SchemaNotCurrent(
            "This PostgreSQL database has no recorder schema yet: the schema owner runs "
            "'recorder migrate' first (with the owner's RECORDER_DATABASE_URL), then "
            "'recorder db grants --apply' for the app's role."
        )
    if not known:
        raise SchemaNotCurrent(
            f"This database's schema (revision {current}) is newer than this recorder "
            f"(revision {head}): install the same version of recorder as the server's."
        )
    raise SchemaNotCurrent(
        f"This database's schema is at revision {current} and this recorder needs {head}: "
        "the schema owner runs 'recorder migrate', then 'recorder db grants --apply' for the "
        "app's role."
    )
