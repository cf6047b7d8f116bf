"""Command line: ``recorder`` runs the app; sub-commands administer the store.

argparse builds the parser; each area's module registers its sub-commands with one handler
each (``set_defaults(handler=...)``), called as ``handler(args, settings) -> exit code``:

- ``app``: ``recorder`` and ``recorder --demo`` (the one way the app starts)
- ``users``: ``user ...`` and ``team add``
- ``children``: ``child add``, ``child import`` and ``allocate``
- ``store``: ``check``, ``backup`` and ``restore``
- ``db``: ``migrate`` and ``db grants`` (a team's PostgreSQL store, as its schema owner)
- ``demo``: ``demo`` (fill an empty store)
- ``policy``: ``policy show``
- ``chronology``: ``chronology REF`` (a child's chronology as text or CSV)
- ``contacts``: ``contact add CHILD...`` (a contact, or a notification about a household)
- ``serve``: ``serve`` (the app in web browsers; ``web`` is its server)

Only the standard library is imported at module level, here and in those modules, so
``recorder --help`` and ``recorder --version`` stay fast and load neither Textual, SQLAlchemy
nor rich; each handler imports what it needs when it runs.
"""

from __future__ import annotations

import sys

from recorder import __version__
from recorder.cli import app
from recorder.cli.common import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from recorder.cli.output import say

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; without ``commands``, only what ``recorder`` itself takes (the
    app's start, which has no sub-command to register: :func:`_app_only`)."""
    import argparse

    p = argparse.ArgumentParser(
        prog="recorder",
        description="Case recording for children's social workers: guided visit records, "
        "qualified countersign and management oversight.",
        epilog="Run 'recorder --demo' to try it on a throwaway demo store.",
    )
    p.add_argument("--version", action="version", version=f"recorder {__version__}")
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder for the SQLite store (default: RECORDER_DATA_DIR or your user data folder)",
    )
    p.add_argument(
        "--demo", action="store_true", help="run on a throwaway demo store in a temporary folder"
    )
    p.set_defaults(handler=app.run)
    if not commands:
        return p
    from recorder.cli import (
        children,
        chronology,
        contacts,
        db,
        demo,
        policy,
        serve,
        store,
        users,
    )

    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for area in (demo, users, children, chronology, contacts, store, db, policy, serve):
        area.register(sub)
    return p


def _app_only(argv: list[str]) -> bool:
    """True when ``argv`` only starts the app (``recorder``, ``--demo``, ``--data-dir DIR``):
    then the sub-commands' modules and parsers are not built before the sign-in screen (issue
    15; measured 2026-12-03: the whole parser took 16-20 ms of CPU to build, its modules 8 ms
    more to import, 20 ms without cached bytecode; this one 5 ms). Anything else (--help, a
    command, an abbreviation, a mistake) goes to the whole parser, which answers as before."""
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--demo" or (word.startswith("--data-dir=") and len(word) > 11):
            continue
        if word == "--data-dir" and rest and not rest[0].startswith("-"):
            rest.pop(0)
            continue
        return False
    return True


def app_start_args() -> SimpleNamespace:
    """What ``build_parser(commands=False).parse_args([])`` gives (a test holds them equal),
    without argparse: plain ``recorder``, the app's start, builds no parser at all (argparse
    and the parser cost about 3 ms of CPU before the sign-in screen; issue 15)."""
    from types import SimpleNamespace

    return SimpleNamespace(data_dir=None, demo=False, handler=app.run)


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    if words:
        args = build_parser(commands=not _app_only(words)).parse_args(words)
    else:
        args = app_start_args()
    from recorder.settings import (
        Settings,  # after parsing: --help and --version need none
        SettingsError,
    )

    try:
        settings = Settings.from_env()  # read once, here, for the whole run
    except SettingsError as e:
        say(f"recorder: {e}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return args.handler(args, settings)
    except KeyboardInterrupt:
        say("\nStopped; nothing half-written was kept.", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # whatever read the output stopped early (recorder user list | head): stop quietly
        _quiet_stdout()
        return EXIT_ERROR
    except Exception as e:
        from recorder.services.errors import ServiceError

        if isinstance(e, ServiceError):
            say(f"recorder: {e.message}", file=sys.stderr)
            return EXIT_ERROR
        from recorder.domain.policy import PolicyError

        if isinstance(e, PolicyError):
            say(f"recorder: {e}", file=sys.stderr)
            return EXIT_ERROR
        if settings.debug:
            raise
        from recorder.paths import data_dir
        from recorder.services.failures import explain

        line = explain(e, settings.database_url, data_dir(args.data_dir, settings))
        if line is not None:
            say(f"recorder: {line}", file=sys.stderr)
            return EXIT_ERROR
        say(
            "recorder: unexpected error. Nothing was changed by the failed step. "
            "Set RECORDER_DEBUG=1 to see details.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that Python's last flush at exit does not complain."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (tests capture stdout in memory)
        pass
