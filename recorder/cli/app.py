"""``recorder`` and ``recorder --demo``: starting the app.

There is one way in, :func:`start`: the sign-in screen is painted first and the store is
opened behind it, in a worker (``RecorderApp`` takes a callable). What differs is only what
that callable does:

- ``--demo``: make a demo store in a private temporary folder (deleted at the end);
- a SQLite store that already has accounts (seen with the standard library,
  :func:`recorder.store.peek.has_accounts`): open it, so the form paints before SQLAlchemy
  and the migrations load;
- otherwise (a new store, PostgreSQL, not sure): the store is opened here first, the first
  administrator is asked for if there is none, and the callable hands back the open store.
"""

from __future__ import annotations

import os
import sys

from recorder.cli.common import EXIT_ERROR, EXIT_OK, ask_first_admin, open_store
from recorder.cli.output import say

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable
    from typing import Any

    from recorder.services.core import Services
    from recorder.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not has_terminal(settings):
        # e.g. sftp, scp or 'ssh host' without -t reaching an sshd ForceCommand: the app
        # would start on pipes, draw nowhere and linger holding the store
        print(
            "recorder: the app needs a terminal; run it in one (over SSH: ssh -t HOST).",
            file=sys.stderr,
        )
        return EXIT_ERROR
    if args.demo:
        return _run_demo(settings)
    told: list[str] = []  # what an upgrade changed: printed once the app has closed
    if store_has_accounts(args.data_dir, settings):
        try:
            return start(lambda: open_store(args, settings, told.append))
        finally:
            _tell(told)
    svc = open_store(args, settings)  # upgrade notices printed here, before the app
    from recorder.services import accounts

    if not accounts.has_any_account(svc):
        if not sys.stdin.isatty():
            svc.engine.dispose()
            say(
                "recorder: this store has no accounts; run recorder in a terminal to create "
                "the first administrator.",
                file=sys.stderr,
            )
            return EXIT_ERROR
        try:
            ask_first_admin(svc, settings)
        except BaseException:
            svc.engine.dispose()
            raise
    return start(lambda: svc)


def has_terminal(settings: Settings) -> bool:
    """A terminal on both ends, or textual-serve's web driver (``recorder serve``)."""
    if settings.served:
        return True
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def _tell(notices: list[str]) -> None:
    for notice in notices:
        say(f"recorder: {notice}", file=sys.stderr)


def store_has_accounts(data_folder: str | None, settings: Settings) -> bool:
    """True when the app may paint before opening the store: a SQLite store (no
    RECORDER_DATABASE_URL) whose file already holds an account. False when unsure."""
    if settings.database_url:
        return False
    from recorder.paths import DB_FILENAME, data_dir
    from recorder.store.peek import has_accounts

    try:
        folder = data_dir(data_folder, settings)
    except OSError:
        return False
    return has_accounts(folder / DB_FILENAME)


def start(open_services: Callable[[], Services], demo_accounts: Iterable[Any] | None = None) -> int:
    """Run the app. ``open_services`` runs in a worker after the sign-in screen's first frame;
    the app owns (and at the end disposes) what it returns."""
    from recorder.config import ConfigError, load_keys

    try:
        source, keymap = load_keys()
    except ConfigError as exc:
        say(f"recorder: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if keymap:  # only then are all the screens imported, to know their keys' names
        from recorder.tui.keys import check_keymap

        problem = check_keymap(str(source), keymap)
        if problem:
            say(f"recorder: {problem}", file=sys.stderr)
            return EXIT_ERROR
    from recorder.tui import collector

    collector.starting()  # before Textual and the sign-in screen are built (tui/collector.py)
    from recorder.tui.app import RecorderApp

    RecorderApp(
        open_services, demo_accounts=demo_accounts, keymap=keymap, tune_collector=True
    ).run()
    return EXIT_OK


def _run_demo(settings: Settings) -> int:
    import tempfile
    from pathlib import Path

    from recorder.cli.demo import print_accounts
    from recorder.demo.people import demo_accounts

    accounts = demo_accounts()
    print_accounts(accounts, settings)
    with tempfile.TemporaryDirectory(prefix="recorder-demo-") as tmp:
        os.chmod(tmp, 0o700)
        opened: list[Services] = []

        def open_demo_store() -> Services:
            from recorder.config import config_dir
            from recorder.demo import team
            from recorder.paths import sqlite_url
            from recorder.services.bootstrap import open_services

            # always SQLite in the temporary folder, whatever RECORDER_DATABASE_URL says
            svc = open_services(url=sqlite_url(Path(tmp)), config_folder=config_dir(settings))
            opened.append(svc)
            team.populate(svc)
            return svc

        try:
            return start(open_demo_store, accounts)
        finally:
            for svc in opened:  # also one the app never received (the demo failed part-way)
                svc.engine.dispose()
