"""Taking a store away from new connections, for real, and giving it back."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


class Outage:
    """On SQLite the data folder is moved and a plain file put at its path (connections
    already open keep the moved file: the watcher's and its engine's pool are closed); on PostgreSQL the database
    stops accepting connections and those it has are ended."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)

    @property
    def _folder(self) -> Path:
        return Path(self.url.database).parent

    def begin(self, watcher=None) -> None:
        if self.url.get_backend_name() == "sqlite":
            self._folder.rename(self._folder.with_name("away"))
            self._folder.write_text("not a folder")
            if watcher is not None:  # the files it has open would outlive the move
                if watcher._raw is not None:
                    watcher._raw.invalidate()
                watcher.engine.dispose()
        else:
            self._pg(allow=False)

    def end(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            self._folder.unlink()
            self._folder.with_name("away").rename(self._folder)
        else:
            self._pg(allow=True)

    def _pg(self, allow: bool) -> None:
        base = make_url(os.environ["RECORDER_TEST_DATABASE_URL"])
        if base.drivername == "postgresql":
            base = base.set(drivername="postgresql+psycopg")
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        name = self.url.database
        try:
            with admin.connect() as c:
                c.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {allow}'))
                if not allow:
                    c.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = :n AND pid <> pg_backend_pid()"
                        ),
                        {"n": name},
                    )
        finally:
            admin.dispose()
