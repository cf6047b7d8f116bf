"""What the sub-commands share: opening the store, acting as an administrator, passwords and
dates from the command line. Standard library only at module level (``recorder --help``)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from datetime import date

from recorder.cli.output import say as _say_cleaned

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterator

    from recorder.services.core import Services
    from recorder.settings import Settings

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def admin_opt(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
    sp.add_argument(
        "--admin",
        metavar="USERNAME",
        help="administrator to act as (password from RECORDER_ADMIN_PASSWORD or asked)",
    )
    return sp


def open_store(
    args: argparse.Namespace, settings: Settings, say: Callable[[str], None] | None = None
) -> Services:
    """The store named by ``--data-dir`` / the settings, migrated, with the policy in force.
    What an upgrade changed is told once (``services.notices``): printed on standard error,
    or handed to ``say`` (the app prints them when it closes: its screen would hide them)."""
    from recorder.config import config_dir
    from recorder.paths import database_url
    from recorder.services.bootstrap import open_services, require_current_schema
    from recorder.services.notices import take_upgrade_notices

    url = database_url(args.data_dir, settings)
    server = not url.startswith("sqlite")
    svc = open_services(
        url=url,
        config_folder=config_dir(settings),
        settings=settings,
        migrate=not server,  # a team's server is migrated by 'recorder migrate' alone
    )
    if server:
        try:
            require_current_schema(svc.engine)
        except BaseException:
            svc.engine.dispose()
            raise
    for notice in take_upgrade_notices(svc):
        if say is not None:
            say(notice)
        else:
            _say_cleaned(f"recorder: {notice}", file=sys.stderr)
    return svc


@contextmanager
def opened_store(args: argparse.Namespace, settings: Settings) -> Iterator[Services]:
    svc = open_store(args, settings)
    try:
        yield svc
    finally:
        svc.engine.dispose()


@contextmanager
def as_admin(args: argparse.Namespace, settings: Settings) -> Iterator[tuple[Services, int]]:
    """The store, and the id of the administrator the command acts as (signed in, audited)."""
    with opened_store(args, settings) as svc:
        yield svc, sign_in_admin(svc, args, settings)


def parse_date(value: str) -> date:
    from recorder.services.errors import InvalidInput

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"'{value}' is not a date like 2026-03-31.") from None


def new_password(prompt: str, settings: Settings) -> str:
    if settings.new_password:
        return settings.new_password
    from recorder.services.errors import InvalidInput

    if not sys.stdin.isatty():
        raise InvalidInput("No terminal to ask for a password: set RECORDER_NEW_PASSWORD.")
    from getpass import getpass

    first = getpass(prompt)
    if getpass("Again: ") != first:
        raise InvalidInput("The two passwords differ. Nothing was changed.")
    return first


def ask_first_admin(svc: Services, settings: Settings) -> None:
    from recorder.services import accounts

    _say_cleaned("This store has no accounts yet. Create the first administrator.")
    username = input("Username: ").strip()
    name = input("Full name: ").strip()
    accounts.create_first_admin(svc, username, name, new_password("Password: ", settings))
    _say_cleaned(f"Administrator {username} created.")


def sign_in_admin(svc: Services, args: argparse.Namespace, settings: Settings) -> int:
    """Sign in the administrator a sub-command acts as (audited like any sign-in)."""
    from recorder.services import accounts
    from recorder.services.errors import InvalidInput

    if not accounts.has_any_account(svc):
        if not sys.stdin.isatty():
            raise InvalidInput(
                "This store has no accounts: run 'recorder' in a terminal to "
                "create the first administrator, or 'recorder demo'."
            )
        ask_first_admin(svc, settings)
    return _sign_in(
        svc,
        args.admin or settings.admin,
        settings.admin_password,
        missing="Say which administrator you are with --admin USERNAME.",
        prompt="Administrator username: ",
        password_variable="RECORDER_ADMIN_PASSWORD",
    )


def sign_in_worker(svc: Services, args: argparse.Namespace, settings: Settings) -> int:
    """Sign in the worker a reading or recording command acts as (``--user`` or
    RECORDER_USER, RECORDER_PASSWORD or asked; audited like any sign-in)."""
    return _sign_in(
        svc,
        args.user or settings.user,
        settings.password,
        missing="Say who is reading with --user USERNAME (or RECORDER_USER).",
        prompt="Username: ",
        password_variable="RECORDER_PASSWORD",
    )


def _sign_in(
    svc: Services,
    username: str | None,
    password: str | None,
    *,
    missing: str,
    prompt: str,
    password_variable: str,
) -> int:
    """Sign in ``username`` with ``password``, asking on a terminal for whichever is not
    given; without a terminal, a missing one is a refusal saying what to set."""
    from recorder.services import accounts
    from recorder.services.errors import InvalidInput

    if not username:
        if not sys.stdin.isatty():
            raise InvalidInput(missing)
        username = input(prompt).strip()
    if password is None:
        if not sys.stdin.isatty():
            raise InvalidInput(f"No terminal to ask for the password: set {password_variable}.")
        from getpass import getpass

        password = getpass(f"Password for {username}: ")
    return accounts.sign_in(svc, username, password).id
