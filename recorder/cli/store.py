"""``recorder check``, ``recorder backup`` and ``recorder restore``: administrators only,
audited (see services/integrity.py), with a progress bar on a terminal for long runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from recorder.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    admin_opt,
    opened_store,
    sign_in_admin,
)
from recorder.cli.output import say

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    from recorder.services.core import Services
    from recorder.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    ck = admin_opt(
        sub.add_parser(
            "check", help="verify the audit chain, every signature and the database file"
        )
    )
    ck.set_defaults(handler=check)
    bk = admin_opt(
        sub.add_parser(
            "backup", help="copy the SQLite store to a new file while it is in use (0600)"
        )
    )
    bk.add_argument("dest", type=Path, metavar="DEST", help="a file that does not exist yet")
    bk.set_defaults(handler=backup)
    rs = admin_opt(
        sub.add_parser(
            "restore", help="replace the SQLite store with a checked backup (the old one is kept)"
        )
    )
    rs.add_argument("src", type=Path, metavar="SRC", help="a file made by 'recorder backup'")
    rs.set_defaults(handler=restore)


def check(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import replace

    from recorder.cli.output import Progress
    from recorder.services import integrity

    # reading every signed record of a large store is one long request, by design
    with opened_store(args, replace(settings, db_statement_timeout=0)) as svc:
        admin_id = sign_in_admin(svc, args, settings)
        progress = Progress(settings)
        try:
            report = integrity.audited_check(svc, admin_id, progress)
            progress.done(finished=True)
        finally:
            progress.done()
    say("\n".join(report.summary_lines()))
    if report.ok:
        say("Check passed: no problems found.")
        return EXIT_OK
    say(
        f"Check FAILED: {report.problem_count:,} problem(s). First: {report.problems[0]}",
        file=sys.stderr,
    )
    for line in report.problems[1:]:
        say(f"  also: {line}", file=sys.stderr)
    return EXIT_ERROR


def _sqlite_only(svc: Services) -> bool:
    """backup and restore copy the SQLite file; a PostgreSQL store is pointed to pg_dump."""
    if svc.engine.dialect.name == "sqlite":
        return True
    from recorder.services import integrity

    say(f"recorder: {integrity.PG_MESSAGE}", file=sys.stderr)
    return False


def backup(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.cli.output import Progress
    from recorder.services import backup as backups

    with opened_store(args, settings) as svc:
        if not _sqlite_only(svc):
            return EXIT_ERROR
        admin_id = sign_in_admin(svc, args, settings)
        progress = Progress(settings)
        try:
            r = backups.backup(svc, admin_id, args.dest, progress)
            progress.done(finished=True)
        finally:
            progress.done()
    say(f"Backed up the store to {r.path} ({r.bytes:,} bytes, mode 0600).")
    return EXIT_OK


def restore(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.cli.output import Progress
    from recorder.services import backup as backups

    with opened_store(args, settings) as svc:
        if not _sqlite_only(svc):
            return EXIT_ERROR
        admin_id = sign_in_admin(svc, args, settings)
        progress = Progress(settings)
        try:
            r = backups.restore(svc, admin_id, args.src, progress)
            progress.done(finished=True)
        finally:
            progress.done()
    say("\n".join(r.report.summary_lines()))
    say(f"Restored the store from {args.src}. The replaced store is kept as {r.replaced}.")
    return EXIT_OK
