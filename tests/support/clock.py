"""The frozen clock: ages, due dates and signatures never drift from run to run."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

FROZEN_NOW = datetime(2026, 11, 26, 10, 30, tzinfo=timezone.utc)


class FrozenClock:
    def __init__(self, now: datetime = FROZEN_NOW) -> None:
        self.current = now

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kw) -> None:
        self.current += timedelta(**kw)
