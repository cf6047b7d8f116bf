"""Where recorder keeps its data. platformdirs is imported only when a path is needed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recorder.settings import Settings

DB_FILENAME = "recorder.sqlite3"


def _settings(settings: Settings | None) -> Settings:
    from recorder.settings import Settings

    return settings if settings is not None else Settings.from_env()


def data_dir(
    override: str | os.PathLike[str] | None = None, settings: Settings | None = None
) -> Path:
    """The data folder: ``--data-dir``, else ``RECORDER_DATA_DIR``, else the user data folder."""
    if override:
        return Path(override).expanduser()
    configured = _settings(settings).data_dir
    if configured:
        return configured
    import platformdirs

    return platformdirs.user_data_path("recorder", appauthor=False)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) with the folder itself 0700.

    A folder that already exists is left as it is: recorder never changes the mode of a
    folder it did not make (``--data-dir /tmp`` must not lock others out of /tmp). The
    database files inside are 0600 whatever the folder.
    """
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            return path
        os.chmod(path, 0o700)  # mkdir's mode is masked by the umask
    return path


def ensure_private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 if missing, and make it 0600 if present."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


def database_url(
    data_folder: str | os.PathLike[str] | None = None, settings: Settings | None = None
) -> str:
    """``RECORDER_DATABASE_URL`` when set (PostgreSQL for a team), else the SQLite file."""
    settings = _settings(settings)
    if settings.database_url:
        return settings.database_url
    return sqlite_url(data_dir(data_folder, settings))


def sqlite_url(folder: Path) -> str:
    """The URL of the SQLite store in ``folder``, which is made private (0700) if new."""
    return f"sqlite:///{ensure_private_dir(folder) / DB_FILENAME}"
