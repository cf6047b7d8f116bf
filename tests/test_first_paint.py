"""`recorder` on a store that has accounts paints the sign-in screen before the database code
loads: the store is opened behind the form (issue 6, first paint)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from recorder.cli.app import store_has_accounts
from recorder.settings import Settings
from recorder.store.peek import has_accounts
from tests.support.stores import make_services

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
import recorder.tui.app as app_module

class App:
    def __init__(self, services, **kw):
        print("sqlalchemy loaded:", "sqlalchemy" in sys.modules)
        commands = [m for m in sys.modules if m.startswith("recorder.cli.") and m not in (
            "recorder.cli.app", "recorder.cli.common", "recorder.cli.output")]
        print("sub-command modules loaded:", commands)
        print("argparse loaded:", "argparse" in sys.modules)
        print("opens the store itself:", callable(services) and not hasattr(services, "engine"))
        svc = services()
        print("store opened:", type(svc).__name__)
        svc.engine.dispose()

    def run(self):
        pass

app_module.RecorderApp = App
import recorder.cli.app as cli_app
cli_app.has_terminal = lambda settings: True  # no terminal here: the probe stands in for the app
from recorder import cli
sys.exit(cli.main([]))
"""


def _store_with_an_account(folder: Path) -> None:
    from recorder.services import accounts

    svc = make_services(f"sqlite:///{folder / 'recorder.sqlite3'}")
    accounts.create_first_admin(svc, "admin", "Ada Admin", "a long enough password")
    with svc.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    svc.engine.dispose()


def _run(folder: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, RECORDER_DATA_DIR=str(folder), PYTHONPATH=str(ROOT))
    env.pop("RECORDER_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_the_app_starts_before_the_database_code_on_a_store_with_accounts(tmp_path):
    _store_with_an_account(tmp_path)
    done = _run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "sqlalchemy loaded: False" in done.stdout
    assert "sub-command modules loaded: []" in done.stdout  # nor their parsers built
    assert "argparse loaded: False" in done.stdout  # plain `recorder` builds no parser at all
    assert "opens the store itself: True" in done.stdout
    assert "store opened: Services" in done.stdout


def test_a_store_without_accounts_is_still_opened_first(tmp_path):
    done = _run(tmp_path)  # no store yet: not a terminal, so it says how to make the first admin
    assert done.returncode == 1
    assert "no accounts" in done.stderr
    assert "sqlalchemy loaded" not in done.stdout


def test_plain_recorder_starts_with_what_the_parser_would_give():
    from recorder.cli import app_start_args, build_parser

    assert vars(app_start_args()) == vars(build_parser(commands=False).parse_args([]))


def test_the_peek_is_false_when_unsure(tmp_path):
    assert has_accounts(tmp_path / "recorder.sqlite3") is False  # no file
    (tmp_path / "recorder.sqlite3").write_bytes(b"not a database at all")
    assert has_accounts(tmp_path / "recorder.sqlite3") is False  # not SQLite
    _store_with_an_account(tmp_path / "real")
    real = tmp_path / "real" / "recorder.sqlite3"
    before = sorted(p.name for p in real.parent.iterdir())
    assert has_accounts(real) is True
    assert sorted(p.name for p in real.parent.iterdir()) == before  # made no -wal or -shm


def test_store_has_accounts_is_false_when_unsure(tmp_path):
    sqlite = Settings()
    assert store_has_accounts(str(tmp_path), sqlite) is False  # no file
    _store_with_an_account(tmp_path / "real")
    assert store_has_accounts(str(tmp_path / "real"), sqlite) is True
    assert store_has_accounts(None, Settings(data_dir=tmp_path / "real")) is True
    pg = Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/x")
    assert store_has_accounts(str(tmp_path / "real"), pg) is False  # PostgreSQL: opened first


_SEEN: list[tuple[bool, bool]] = []  # per start: (the store has an account, demo accounts)


class _FakeApp:
    """Stands in for RecorderApp: opens the store as the app's worker would, then returns."""

    def __init__(self, services, *, demo_accounts=None, keymap=None, tune_collector=False):
        self.services, self.demo_accounts = services, demo_accounts

    def run(self):
        from recorder.services import accounts

        assert callable(self.services) and not hasattr(self.services, "engine")
        svc = self.services()
        try:
            _SEEN.append((accounts.has_any_account(svc), self.demo_accounts is not None))
        finally:
            svc.engine.dispose()


def test_every_start_hands_the_app_a_store_to_open(tmp_path, monkeypatch):
    """A store with accounts, a new store (the first administrator asked for first) and
    --demo all start the app the same way: the sign-in screen, then the store behind it."""
    import sys

    import recorder.tui.app as app_module
    from recorder.cli import main

    monkeypatch.setattr(app_module, "RecorderApp", _FakeApp)
    monkeypatch.setattr("recorder.tui.collector.starting", lambda: None)  # pytest's own gc
    monkeypatch.setattr(
        "recorder.cli.app.has_terminal", lambda settings: True
    )  # pytest holds the tty
    _SEEN.clear()
    monkeypatch.delenv("RECORDER_DATABASE_URL", raising=False)
    monkeypatch.setenv("RECORDER_CONFIG_DIR", str(tmp_path / "cfg"))
    _store_with_an_account(tmp_path / "ready")
    assert main(["--data-dir", str(tmp_path / "ready")]) == 0
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["boss", "Boss Person"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setenv("RECORDER_NEW_PASSWORD", "a long enough password")
    assert main(["--data-dir", str(tmp_path / "new")]) == 0
    monkeypatch.setenv("RECORDER_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/x")
    assert main(["--demo"]) == 0  # always a private SQLite store
    assert _SEEN == [(True, False), (True, False), (True, True)]


@pytest.mark.parametrize(
    "argv, app_only",
    [
        ([], True),
        (["--demo"], True),
        (["--data-dir", "d"], True),
        (["--data-dir=d", "--demo"], True),
        (["--data-dir", "demo"], True),  # a folder called demo
        (["--dem"], False),  # argparse's abbreviation: the whole parser answers
        (["--data-dir"], False),
        (["--data-dir", "--demo"], False),
        (["--data-dir="], False),
        (["--help"], False),
        (["--version"], False),
        (["demo"], False),
        (["user", "list"], False),
        (["--demo", "x"], False),
    ],
)
def test_only_starting_the_app_skips_the_sub_commands(argv, app_only):
    """``recorder`` with nothing but --demo / --data-dir parses with the app's options only;
    whatever it parses to, the whole parser gives the same."""
    from recorder.cli import _app_only, build_parser

    assert _app_only(argv) is app_only
    if app_only:
        fast = vars(build_parser(commands=False).parse_args(argv))
        whole = vars(build_parser().parse_args(argv))
        assert whole.pop("command") is None
        assert fast == whole


async def test_the_sign_in_screen_is_the_first_screen_itself(tmp_path):
    """Not an empty default screen with the sign-in pushed over it: one screen composed, laid
    out and painted before the first frame (issue 15, first paint)."""
    from recorder.tui.app import RecorderApp
    from recorder.tui.screens.signin import SignInScreen

    def not_opened():
        raise RuntimeError("no store in this test")

    app = RecorderApp(not_opened, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [SignInScreen]
        assert app.screen.has_class("-wide") and app.screen.has_class("-tall")
