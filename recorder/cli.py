"""Command line: ``recorder`` runs the app; sub-commands administer the store.

Only the standard library is imported here at module level, so ``recorder --help`` and
``recorder --version`` stay fast and load neither Textual nor SQLAlchemy.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date
from pathlib import Path

from recorder import __version__

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="recorder",
        description="Case recording for children's social workers: guided visit records, "
        "qualified countersign and management oversight.",
        epilog="Run 'recorder --demo' to try it on a throwaway demo store.",
    )
    p.add_argument("--version", action="version", version=f"recorder {__version__}")
    p.add_argument("--data-dir", metavar="DIR",
                   help="folder for the SQLite store (default: RECORDER_DATA_DIR or your user data folder)")
    p.add_argument("--demo", action="store_true",
                   help="run on a throwaway demo store in a temporary folder")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    d = sub.add_parser("demo", help="fill an empty store with a demo team, children and visits")
    d.add_argument("--children", type=int, default=None, metavar="N",
                   help="a large store for benchmarks: N children (bulk insert)")
    d.add_argument("--visits-per-child", type=int, default=None, metavar="M")
    d.add_argument("--teams", type=int, default=None, metavar="T")
    d.add_argument("--busiest-child-visits", type=int, default=0, metavar="V",
                   help="with --children: one child more, with V visits (for benchmarks)")

    def admin_opt(sp):
        sp.add_argument("--admin", metavar="USERNAME",
                        help="administrator to act as (password from RECORDER_ADMIN_PASSWORD or asked)")
        return sp

    u = sub.add_parser("user", help="manage accounts").add_subparsers(dest="action", metavar="ACTION", required=True)
    ua = admin_opt(u.add_parser("add", help="add an account (the password is asked for)"))
    ua.add_argument("username")
    ua.add_argument("--name", required=True, help="full name")
    ua.add_argument("--role", required=True,
                    help="social_worker, unqualified, team_manager or administrator")
    ua.add_argument("--kind", help="for unqualified: student, apprentice, trainee or awaiting_registration")
    ua.add_argument("--registration", metavar="SWNUMBER", help="Social Work England number, e.g. SW123456")
    ua.add_argument("--checked-on", metavar="YYYY-MM-DD", help="date the register was last checked (default today)")
    ua.add_argument("--team")
    admin_opt(u.add_parser("list", help="list accounts"))
    ur = admin_opt(u.add_parser("set-role", help="change an account's role"))
    ur.add_argument("username")
    ur.add_argument("role")
    ur.add_argument("--kind")
    ur.add_argument("--registration", metavar="SWNUMBER")
    ur.add_argument("--team")
    ug = admin_opt(u.add_parser("set-registration", help="record an SWE number and when it was checked"))
    ug.add_argument("username")
    ug.add_argument("registration", metavar="SWNUMBER")
    ug.add_argument("--checked-on", metavar="YYYY-MM-DD")
    uu = admin_opt(u.add_parser("unlock", help="unlock an account after wrong passwords"))
    uu.add_argument("username")
    up = admin_opt(u.add_parser("reset-password", help="set a new password (asked for)"))
    up.add_argument("username")

    t = sub.add_parser("team", help="manage teams").add_subparsers(dest="action", metavar="ACTION", required=True)
    ta = admin_opt(t.add_parser("add", help="add a team"))
    ta.add_argument("name")

    c = sub.add_parser("child", help="manage children").add_subparsers(dest="action", metavar="ACTION", required=True)
    ca = admin_opt(c.add_parser("add", help="add a child"))
    ca.add_argument("reference")
    ca.add_argument("--name", required=True)
    ca.add_argument("--dob", required=True, metavar="YYYY-MM-DD")
    ca.add_argument("--ethnicity", default="")
    ca.add_argument("--religion", default="")
    ca.add_argument("--language", default="", help="first language")
    ca.add_argument("--interpreter", action="store_true", help="an interpreter is needed")
    ca.add_argument("--disability", default="")
    ca.add_argument("--plan", default="none",
                    help="child_protection, child_in_need, looked_after, private_fostering or none")
    ca.add_argument("--plan-start", metavar="YYYY-MM-DD")
    ca.add_argument("--risk", action="append", default=[], help="a risk in the plan (repeat)")
    ca.add_argument("--team")
    ca.add_argument("--worker", help="username of the allocated worker")
    ci = admin_opt(c.add_parser("import", help="import children from a CSV file (all rows or none)"))
    ci.add_argument("file", type=Path)

    al = admin_opt(sub.add_parser("allocate", help="allocate a child to a worker"))
    al.add_argument("child", metavar="CHILD", help="the child's reference")
    al.add_argument("worker", metavar="WORKER", help="the worker's username")

    ck = admin_opt(sub.add_parser(
        "check", help="verify the audit chain, every signature and the database file"))
    ck.set_defaults(action=None)
    bk = admin_opt(sub.add_parser(
        "backup", help="copy the SQLite store to a new file while it is in use (0600)"))
    bk.add_argument("dest", type=Path, metavar="DEST", help="a file that does not exist yet")
    rs = admin_opt(sub.add_parser(
        "restore", help="replace the SQLite store with a checked backup (the old one is kept)"))
    rs.add_argument("src", type=Path, metavar="SRC", help="a file made by 'recorder backup'")

    pol = sub.add_parser("policy", help="show the policy in force").add_subparsers(dest="action", metavar="ACTION", required=True)
    pol.add_parser("show", help="print the policy as policy.toml")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("\nStopped; nothing half-written was kept.", file=sys.stderr)
        return EXIT_ERROR
    except Exception as e:  # noqa: BLE001 - a clear line, never a traceback with data in it
        from recorder.services.errors import ServiceError

        if isinstance(e, ServiceError):
            print(f"recorder: {e.message}", file=sys.stderr)
            return EXIT_ERROR
        from recorder.domain.policy import PolicyError

        if isinstance(e, PolicyError):
            print(f"recorder: {e}", file=sys.stderr)
            return EXIT_ERROR
        if os.environ.get("RECORDER_DEBUG"):
            raise
        print(f"recorder: unexpected error ({type(e).__name__}). Nothing was changed by the "
              "failed step. Set RECORDER_DEBUG=1 to see details.", file=sys.stderr)
        return EXIT_ERROR


def _dispatch(args) -> int:
    if args.command == "policy":
        from recorder.config import load_policy

        print(load_policy().as_toml(), end="")
        return EXIT_OK
    if args.command is None:
        return _run_app(args)
    if args.command == "demo":
        return _demo(args)
    from recorder.services.bootstrap import open_services

    svc = open_services(args.data_dir)
    if args.command in ("check", "backup", "restore"):
        return _integrity(svc, args)
    admin_id = _admin(svc, args)
    from recorder.services import accounts, children

    if args.command == "user":
        if args.action == "add":
            pw = _new_password(f"Password for {args.username}: ")
            checked = _date(args.checked_on) if args.checked_on else svc.today()
            accounts.add_user(svc, admin_id, username=args.username, full_name=args.name,
                              role=args.role, password=pw, team=args.team,
                              registration_number=args.registration,
                              unqualified_kind=args.kind, registration_checked_on=checked)
            print(f"Added {args.username}.")
        elif args.action == "list":
            _print_users(accounts.list_users(svc, admin_id))
        elif args.action == "set-role":
            accounts.set_role(svc, admin_id, args.username, args.role, args.kind,
                              args.registration, args.team)
            print(f"{args.username} is now {args.role}.")
        elif args.action == "set-registration":
            checked = _date(args.checked_on) if args.checked_on else svc.today()
            accounts.set_registration(svc, admin_id, args.username, args.registration, checked)
            print(f"Recorded {args.registration.upper()} for {args.username}, checked {checked}.")
        elif args.action == "unlock":
            accounts.unlock(svc, admin_id, args.username)
            print(f"Unlocked {args.username}.")
        elif args.action == "reset-password":
            accounts.reset_password(svc, admin_id, args.username,
                                    _new_password(f"New password for {args.username}: "))
            print(f"Set a new password for {args.username}.")
    elif args.command == "team":
        accounts.add_team(svc, admin_id, args.name)
        print(f"Added team {args.name}.")
    elif args.command == "child":
        if args.action == "add":
            ci = children.ChildInput(
                reference=args.reference, full_name=args.name, date_of_birth=_date(args.dob),
                ethnicity=args.ethnicity, religion=args.religion, first_language=args.language,
                interpreter_needed=args.interpreter, disability=args.disability,
                plan_type=args.plan, plan_start=_date(args.plan_start) if args.plan_start else None,
                plan_risks=tuple(args.risk), team=args.team, allocated_worker=args.worker)
            children.add_child(svc, admin_id, ci)
            print(f"Added child {args.reference}.")
        else:
            try:
                text = args.file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as e:
                print(f"recorder: cannot read {args.file}: {type(e).__name__}. Nothing was imported.",
                      file=sys.stderr)
                return EXIT_ERROR
            n = children.import_csv(svc, admin_id, text)
            print(f"Imported {n} children.")
    elif args.command == "allocate":
        children.allocate(svc, admin_id, args.child, args.worker)
        print(f"Allocated {args.child} to {args.worker}.")
    return EXIT_OK


def _integrity(svc, args) -> int:
    """check / backup / restore: administrators only, audited (see services/integrity.py)."""
    from recorder.services import integrity

    if args.command in ("backup", "restore") and svc.engine.dialect.name != "sqlite":
        print(f"recorder: {integrity.PG_MESSAGE}", file=sys.stderr)
        return EXIT_ERROR
    admin_id = _admin(svc, args)
    progress = _Progress()
    try:
        if args.command == "check":
            report = integrity.audited_check(svc, admin_id, progress)
            progress.done()
            print("\n".join(report.summary_lines()))
            if report.ok:
                print("Check passed: no problems found.")
                return EXIT_OK
            print(f"Check FAILED: {report.problem_count:,} problem(s). First: "
                  f"{report.problems[0]}", file=sys.stderr)
            for line in report.problems[1:]:
                print(f"  also: {line}", file=sys.stderr)
            return EXIT_ERROR
        if args.command == "backup":
            r = integrity.backup(svc, admin_id, args.dest, progress)
            progress.done()
            print(f"Backed up the store to {r.path} ({r.bytes:,} bytes, mode 0600).")
            return EXIT_OK
        r = integrity.restore(svc, admin_id, args.src, progress)
        progress.done()
        print("\n".join(r.report.summary_lines()))
        print(f"Restored the store from {args.src}. The replaced store is kept as {r.replaced}.")
        return EXIT_OK
    finally:
        progress.done()
        svc.engine.dispose()


class _Progress:
    """A progress line on stderr for long runs: shown only on a terminal, after a second."""

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._start = self._clock()
        self._shown = False
        self._tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, what: str) -> None:
        if not self._tty or self._clock() - self._start < 1.0 or total <= 0:
            return
        width = 30
        filled = int(width * min(done, total) / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                         f"{100 * done // total:3d}% {done:,}/{total:,} {what}   ")
        sys.stderr.flush()
        self._shown = True

    def done(self) -> None:
        if self._shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self._shown = False


def _date(value: str) -> date:
    from recorder.services.errors import InvalidInput

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"'{value}' is not a date like 2026-03-31.") from None


def _new_password(prompt: str) -> str:
    env = os.environ.get("RECORDER_NEW_PASSWORD")
    if env:
        return env
    if not sys.stdin.isatty():
        from recorder.services.errors import InvalidInput

        raise InvalidInput("No terminal to ask for a password: set RECORDER_NEW_PASSWORD.")
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        from recorder.services.errors import InvalidInput

        raise InvalidInput("The two passwords differ. Nothing was changed.")
    return first


def _ask_first_admin(svc) -> None:
    from recorder.services import accounts

    print("This store has no accounts yet. Create the first administrator.")
    username = input("Username: ").strip()
    name = input("Full name: ").strip()
    accounts.create_first_admin(svc, username, name, _new_password("Password: "))
    print(f"Administrator {username} created.")


def _admin(svc, args) -> int:
    """Sign in the administrator a sub-command acts as (audited like any sign-in)."""
    from recorder.services import accounts
    from recorder.services.errors import InvalidInput

    if not accounts.has_any_account(svc):
        if not sys.stdin.isatty():
            raise InvalidInput("This store has no accounts: run 'recorder' in a terminal to "
                               "create the first administrator, or 'recorder demo'.")
        _ask_first_admin(svc)
    username = args.admin or os.environ.get("RECORDER_ADMIN")
    if not username:
        if not sys.stdin.isatty():
            raise InvalidInput("Say which administrator you are with --admin USERNAME.")
        username = input("Administrator username: ").strip()
    password = os.environ.get("RECORDER_ADMIN_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise InvalidInput("No terminal to ask for the password: set RECORDER_ADMIN_PASSWORD.")
        password = getpass.getpass(f"Password for {username}: ")
    return accounts.sign_in(svc, username, password).id


def _print_users(users) -> None:
    from recorder.domain.roles import COUNTERSIGN_BADGE

    print(f"{'username':<16} {'name':<26} {'role':<14} {'registration':<13} {'checked':<10} {'team':<18} status")
    for u in users:
        status = "locked" if u.locked else ("inactive" if not u.active else "active")
        badge = f"  [{COUNTERSIGN_BADGE}]" if u.role == "unqualified" else ""
        role = u.role + (f"/{u.unqualified_kind}" if u.unqualified_kind else "")
        print(f"{u.username:<16} {u.full_name:<26} {role:<14} {u.registration_number or '-':<13} "
              f"{str(u.registration_checked_on or '-'):<10} {u.team or '-':<18} {status}{badge}")


def _demo(args) -> int:
    from recorder.services import demo
    from recorder.services.bootstrap import open_services

    svc = open_services(args.data_dir)
    if args.children is not None or args.visits_per_child is not None:
        n = demo.populate_bulk(
            svc, children=1000 if args.children is None else args.children,
            visits_per_child=5 if args.visits_per_child is None else args.visits_per_child,
            teams=1 if args.teams is None else args.teams,
            busiest_child_visits=args.busiest_child_visits)
        print(f"Made {n.children:,} children and {n.visits:,} visits in {n.seconds:.1f} s.")
        return EXIT_OK
    accounts = demo.populate(svc)
    _print_accounts(accounts)
    return EXIT_OK


def _store_has_accounts(data_folder) -> bool:
    """True when the SQLite store exists and already holds an account, read with the standard
    library (``immutable``: no lock taken, no file made). False when unsure (PostgreSQL, a new
    store, rows only in the WAL, any error): the caller then opens the store first."""
    if os.environ.get("RECORDER_DATABASE_URL"):
        return False
    import sqlite3

    from recorder.paths import DB_FILENAME, data_dir

    try:
        path = data_dir(data_folder) / DB_FILENAME
        if not path.is_file():
            return False
        con = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
        try:
            return con.execute("SELECT 1 FROM worker LIMIT 1").fetchone() is not None
        finally:
            con.close()
    except (OSError, sqlite3.Error):
        return False


def _print_accounts(accounts) -> None:
    print("Demo accounts (username / password / role):")
    for a in accounts:
        print(f"  {a.username:<10} {a.password:<22} {a.description}")


def _run_app(args) -> int:
    import tempfile

    if args.demo:
        from recorder.services.demo_accounts import demo_accounts

        accounts = demo_accounts()
        _print_accounts(accounts)
        with tempfile.TemporaryDirectory(prefix="recorder-demo-") as tmp:
            os.chmod(tmp, 0o700)
            os.environ.pop("RECORDER_DATABASE_URL", None)
            opened = []

            def open_demo_store():
                # runs in a worker after the sign-in screen is painted
                from recorder.services import demo
                from recorder.services.bootstrap import open_services

                svc = open_services(tmp)
                opened.append(svc)
                demo.populate(svc)
                return svc

            from recorder.tui.app import RecorderApp

            try:
                RecorderApp(open_demo_store, demo_accounts=accounts).run()
            finally:
                for svc in opened:
                    svc.engine.dispose()
        return EXIT_OK
    if _store_has_accounts(args.data_dir):
        # paint the sign-in screen first and open the store (SQLAlchemy, migrations) behind
        # it, as --demo does; the form waits for the store
        from recorder.tui.app import RecorderApp

        def open_store():
            from recorder.services.bootstrap import open_services

            return open_services(args.data_dir)

        RecorderApp(open_store).run()
        return EXIT_OK
    from recorder.services.bootstrap import open_services

    svc = open_services(args.data_dir)
    from recorder.services import accounts as acc

    if not acc.has_any_account(svc):
        if not sys.stdin.isatty():
            print("recorder: this store has no accounts; run recorder in a terminal to create "
                  "the first administrator.", file=sys.stderr)
            return EXIT_ERROR
        _ask_first_admin(svc)
    from recorder.tui.app import RecorderApp

    RecorderApp(svc).run()
    return EXIT_OK
