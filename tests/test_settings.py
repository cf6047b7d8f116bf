"""Every RECORDER_* variable is read in recorder/settings.py, at call time."""

from __future__ import annotations

import re
from pathlib import Path

from recorder import paths
from recorder.config import config_dir
from recorder.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_from_env_reads_each_variable_and_treats_empty_as_unset(tmp_path):
    env = {
        "RECORDER_DATA_DIR": str(tmp_path / "d"),
        "RECORDER_CONFIG_DIR": str(tmp_path / "c"),
        "RECORDER_DATABASE_URL": "postgresql+psycopg://u:secret@h/db",
        "RECORDER_ADMIN": "admin",
        "RECORDER_ADMIN_PASSWORD": "pw one",
        "RECORDER_NEW_PASSWORD": "pw two",
        "RECORDER_DEBUG": "1",
        "NO_COLOR": "1",
    }
    s = Settings.from_env(env)
    assert s == Settings(
        data_dir=tmp_path / "d",
        config_dir=tmp_path / "c",
        database_url="postgresql+psycopg://u:secret@h/db",
        admin="admin",
        admin_password="pw one",
        new_password="pw two",
        debug=True,
        no_color=True,
    )
    assert "secret" not in repr(s) and "pw one" not in repr(s) and "pw two" not in repr(s)
    empty = Settings.from_env({k: "" for k in env})
    assert empty == Settings(admin_password="")  # an empty password is still a password
    assert Settings.from_env({}) == Settings()


def test_paths_and_config_read_the_environment_when_called(tmp_path, monkeypatch):
    monkeypatch.setenv("RECORDER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RECORDER_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.delenv("RECORDER_DATABASE_URL", raising=False)
    assert paths.data_dir() == tmp_path / "data" and config_dir() == tmp_path / "cfg"
    assert paths.database_url() == f"sqlite:///{tmp_path / 'data' / paths.DB_FILENAME}"
    monkeypatch.setenv("RECORDER_DATABASE_URL", "postgresql+psycopg://nobody@h/x")
    assert paths.database_url() == "postgresql+psycopg://nobody@h/x"
    given = Settings(data_dir=tmp_path / "other")  # a Settings given wins over the environment
    assert paths.database_url("", given) == f"sqlite:///{tmp_path / 'other' / paths.DB_FILENAME}"
    assert paths.data_dir(tmp_path / "flag", given) == tmp_path / "flag"  # --data-dir wins


def test_no_other_module_reads_the_environment():
    readers = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "recorder").rglob("*.py")
        if re.search(r"os\.environ|getenv\(", p.read_text(encoding="utf-8"))
    }
    assert readers == {"recorder/settings.py"}
