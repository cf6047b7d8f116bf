"""What the scripted team and the bulk loader share."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from recorder.services.errors import Conflict
from recorder.store.models import Child, Team, Worker


def utc(local: datetime) -> datetime:
    return local.astimezone(timezone.utc)  # a naive datetime is taken as local time


def refuse_non_empty(count: Callable[[Any], int]) -> None:
    if any(count(model) for model in (Worker, Team, Child)):
        raise Conflict(
            "This store already has accounts, teams or children; the demo fills only "
            "an empty store. Use a new data folder (recorder --data-dir DIR demo).",
            audit_detail="store_not_empty",
        )
