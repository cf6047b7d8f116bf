"""Where settings live, and loading the local-practice policy (``policy.toml``).

Imports neither Textual nor SQLAlchemy, so ``recorder --help`` and the domain stay light.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recorder.domain.policy import Policy
    from recorder.settings import Settings

__all__ = ["POLICY_FILE", "USER_FILE", "ConfigError", "config_dir", "load_policy", "load_keys"]

POLICY_FILE = "policy.toml"
#: the person's own settings (today: their keys), beside the policy
USER_FILE = "user.toml"


class ConfigError(ValueError):
    """A user settings file that cannot be used; the message is one line, starting with its
    path."""


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
    import tomllib

    from recorder.domain.policy import Policy, PolicyError

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


def _read_toml(path: Path, error: type[ValueError]) -> dict | None:
    """``path`` as TOML (None when there is no such file); ``error`` in one line otherwise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None  # the usual case: no file, and tomllib not imported before the first paint
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(f"{path}: is not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: is not valid TOML: {exc}") from None


def load_keys(config_dir: Path | None = None) -> tuple[Path, dict[str, str]]:
    """The ``[keys]`` table of ``user.toml`` (the file's path and ``{binding id: keys}``; an
    empty table when there is no file). Which ids and key names exist is the TUI's to check
    (``recorder.tui.keys``); here only the file's shape: every value a string of keys."""
    path = (config_dir if config_dir is not None else _default_config_dir()) / USER_FILE
    data = _read_toml(path, ConfigError) or {}
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise ConfigError(f"{path}: keys must be a table ([keys]), one line per key to change")
    flat: dict[str, str] = {}

    def walk(table: dict, prefix: str) -> None:
        # visit.submit = "f6" is TOML for [keys.visit] submit = "f6": both mean the id
        for name, value in table.items():
            key = f"{prefix}{name}"
            if isinstance(value, dict):
                walk(value, key + ".")
            elif isinstance(value, str) and value.strip():
                flat[key] = value.strip()
            else:
                raise ConfigError(
                    f'{path}: [keys] {key} must be the keys in quotes, for example {key} = "f6"'
                )

    walk(keys, "")
    return path, flat
