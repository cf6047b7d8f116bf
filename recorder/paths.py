"""Where recorder keeps its data. platformdirs is imported only when a path is needed."""

from __future__ import annotations

import os
from pathlib import Path

DB_FILENAME = "recorder.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``--data-dir``, else ``RECORDER_DATA_DIR``, else the user data folder."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("RECORDER_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("recorder", appauthor=False)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make the folder itself 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def ensure_private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 if missing, and make it 0600 if present."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


def database_url(data_folder: str | os.PathLike[str] | None = None) -> str:
    """``RECORDER_DATABASE_URL`` when set (PostgreSQL for a team), else the SQLite file."""
    url = os.environ.get("RECORDER_DATABASE_URL")
    if url:
        return url
    folder = ensure_private_dir(data_dir(data_folder))
    return f"sqlite:///{folder / DB_FILENAME}"
