"""Open a store: build the engine, bring the schema up to date, hand back the services."""

from __future__ import annotations

import os
from pathlib import Path

from recorder.services.core import Services

TYPE_CHECKING = False
if TYPE_CHECKING:
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
