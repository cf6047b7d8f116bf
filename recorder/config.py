"""Where settings live, and loading the local-practice policy (``policy.toml``).

Imports neither Textual nor SQLAlchemy, so ``recorder --help`` and the domain stay light.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from recorder.domain.policy import Policy, PolicyError

if TYPE_CHECKING:
    from recorder.settings import Settings

__all__ = ["POLICY_FILE", "config_dir", "load_policy"]

POLICY_FILE = "policy.toml"


def config_dir(settings: Settings | None = None) -> Path:
    """The settings folder: ``$RECORDER_CONFIG_DIR`` when set, else the platform's user
    config folder for "recorder" (``~/.config/recorder`` on Linux)."""
    if settings is None:
        from recorder.settings import Settings

        settings = Settings.from_env()
    if settings.config_dir:
        return settings.config_dir
    import platformdirs  # lazy: only needed when no override is given

    return platformdirs.user_config_path("recorder")


_default_config_dir = config_dir  # load_policy's parameter shadows the name


def load_policy(config_dir: Path | None = None) -> Policy:
    """The policy from ``policy.toml`` in ``config_dir`` (default: ``config_dir()``).

    No file means the defaults. An unreadable file, a TOML syntax error (with its line and
    column) or a bad setting raises ``PolicyError`` whose message starts with the file's path.
    """
    path = (config_dir if config_dir is not None else _default_config_dir()) / POLICY_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Policy()
    except OSError as exc:
        raise PolicyError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{path}: is not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: is not valid TOML: {exc}") from None
    return Policy.from_mapping(data, source=str(path))
