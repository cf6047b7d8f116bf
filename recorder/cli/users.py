"""``recorder user ...`` and ``recorder team add``: accounts and teams."""

from __future__ import annotations

import argparse

from recorder.cli.common import EXIT_OK, admin_opt, as_admin, new_password, parse_date
from recorder.cli.output import say

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    from recorder.settings import Settings


MANAGES = dict(
    action="append",
    metavar="TEAM",
    help="for a service manager: a team they manage (repeat for each team)",
)


def register(sub: argparse._SubParsersAction) -> None:
    u = sub.add_parser("user", help="manage accounts").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    ua = admin_opt(u.add_parser("add", help="add an account (the password is asked for)"))
    ua.add_argument("username")
    ua.add_argument("--name", required=True, help="full name")
    ua.add_argument(
        "--role",
        required=True,
        help="social_worker, unqualified, team_manager, service_manager or administrator",
    )
    ua.add_argument(
        "--kind", help="for unqualified: student, apprentice, trainee or awaiting_registration"
    )
    ua.add_argument(
        "--registration", metavar="SWNUMBER", help="Social Work England number, e.g. SW123456"
    )
    ua.add_argument(
        "--checked-on",
        metavar="YYYY-MM-DD",
        help="date the register was last checked (default today)",
    )
    ua.add_argument("--team")
    ua.add_argument("--manages", **MANAGES)
    ua.add_argument(
        "--asye",
        metavar="YYYY-MM-DD",
        help="newly qualified, in their ASYE from this day (sets the supervision frequency)",
    )
    ua.set_defaults(handler=add_user)
    admin_opt(u.add_parser("list", help="list accounts")).set_defaults(handler=list_users)
    ur = admin_opt(u.add_parser("set-role", help="change an account's role"))
    ur.add_argument("username")
    ur.add_argument("role")
    ur.add_argument("--kind")
    ur.add_argument("--registration", metavar="SWNUMBER")
    ur.add_argument("--team")
    ur.add_argument("--manages", **MANAGES)
    ur.set_defaults(handler=set_role)
    ug = admin_opt(
        u.add_parser("set-registration", help="record an SWE number and when it was checked")
    )
    ug.add_argument("username")
    ug.add_argument("registration", metavar="SWNUMBER")
    ug.add_argument("--checked-on", metavar="YYYY-MM-DD")
    ug.set_defaults(handler=set_registration)
    uc = admin_opt(
        u.add_parser(
            "check-registration",
            help="record that the register still shows the account's SWE number (after the "
            "renewal deadline)",
        )
    )
    uc.add_argument("username")
    uc.add_argument("--on", metavar="YYYY-MM-DD", help="the day it was checked (default today)")
    uc.set_defaults(handler=check_registration)
    uy = admin_opt(
        u.add_parser(
            "set-asye",
            help="flag a newly qualified worker in their ASYE (sets supervision frequency)",
        )
    )
    uy.add_argument("username")
    uy.add_argument("--start", metavar="YYYY-MM-DD", help="when the ASYE started (default today)")
    uy.add_argument("--off", action="store_true", help="the ASYE is over: clear the flag")
    uy.set_defaults(handler=set_asye)
    uu = admin_opt(u.add_parser("unlock", help="unlock an account after wrong passwords"))
    uu.add_argument("username")
    uu.set_defaults(handler=unlock)
    up = admin_opt(u.add_parser("reset-password", help="set a new password (asked for)"))
    up.add_argument("username")
    up.set_defaults(handler=reset_password)

    t = sub.add_parser("team", help="manage teams").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    ta = admin_opt(t.add_parser("add", help="add a team"))
    ta.add_argument("name")
    ta.set_defaults(handler=add_team)


def add_user(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import accounts

    with as_admin(args, settings) as (svc, admin_id):
        pw = new_password(f"Password for {args.username}: ", settings)
        checked = parse_date(args.checked_on) if args.checked_on else svc.today()
        accounts.add_user(
            svc,
            admin_id,
            username=args.username,
            full_name=args.name,
            role=args.role,
            password=pw,
            team=args.team,
            registration_number=args.registration,
            unqualified_kind=args.kind,
            registration_checked_on=checked,
            manages=args.manages or (),
        )
        if args.asye:
            accounts.set_asye(svc, admin_id, args.username, True, parse_date(args.asye))
    asye = f" In their ASYE from {args.asye}." if args.asye else ""
    say(f"Added {args.username}." + _manages(args.manages) + asye)
    return EXIT_OK


def list_users(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.cli.output import print_table
    from recorder.domain.roles import COUNTERSIGN_BADGE
    from recorder.services import accounts

    with as_admin(args, settings) as (svc, admin_id):
        users = accounts.list_users(svc, admin_id)
    rows = []
    for u in users:
        status = "locked" if u.locked else ("inactive" if not u.active else "active")
        badge = f"  [{COUNTERSIGN_BADGE}]" if u.role == "unqualified" else ""
        if u.registration_problem:
            badge = (
                f"  UNVERIFIED ({u.registration_problem}): needs countersign, cannot "
                f"countersign, sign off or hold cases; fix: recorder user check-registration "
                f"{u.username} --on DATE"
            )
        role = u.role + (f"/{u.unqualified_kind}" if u.unqualified_kind else "")
        if u.asye:
            role += f" (ASYE from {u.asye_start})" if u.asye_start else " (ASYE)"
        rows.append(
            (
                u.username,
                u.full_name,
                role,
                u.registration_number or "-",
                str(u.registration_checked_on or "-"),
                u.team or ("manages " + ", ".join(u.manages) if u.manages else "-"),
                status + badge,
            )
        )
    print_table(
        settings, ("username", "name", "role", "registration", "checked", "team", "status"), rows
    )
    return EXIT_OK


def set_role(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import accounts

    with as_admin(args, settings) as (svc, admin_id):
        accounts.set_role(
            svc,
            admin_id,
            args.username,
            args.role,
            args.kind,
            args.registration,
            args.team,
            args.manages,
        )
    say(f"{args.username} is now {args.role}." + _manages(args.manages))
    return EXIT_OK


def _manages(teams: list[str] | None) -> str:
    return f" They manage {', '.join(teams)}." if teams else ""


def set_registration(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import accounts

    with as_admin(args, settings) as (svc, admin_id):
        checked = parse_date(args.checked_on) if args.checked_on else svc.today()
        accounts.set_registration(svc, admin_id, args.username, args.registration, checked)
    say(f"Recorded {args.registration.upper()} for {args.username}, checked {checked}.")
    return EXIT_OK


def check_registration(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import accounts

    with as_admin(args, settings) as (svc, admin_id):
        on = parse_date(args.on) if args.on else svc.today()
        accounts.check_registration(svc, admin_id, args.username, on)
    say(f"Recorded the register check for {args.username} on {on}.")
    return EXIT_OK


def set_asye(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import accounts

    with as_admin(args, settings) as (svc, admin_id):
        start = parse_date(args.start) if args.start else svc.today()
        accounts.set_asye(svc, admin_id, args.username, not args.off, None if args.off else start)
    if args.off:
        say(f"{args.username} is no longer flagged ASYE: supervised at least monthly.")
    else:
        say(f"{args.username} is flagged ASYE from {start}: supervision weekly at first.")
    return EXIT_OK


def unlock(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import accounts

    with as_admin(args, settings) as (svc, admin_id):
        accounts.unlock(svc, admin_id, args.username)
    say(f"Unlocked {args.username}.")
    return EXIT_OK


def reset_password(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import accounts

    with as_admin(args, settings) as (svc, admin_id):
        accounts.reset_password(
            svc,
            admin_id,
            args.username,
            new_password(f"New password for {args.username}: ", settings),
        )
    say(f"Set a new password for {args.username}.")
    return EXIT_OK


def add_team(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import accounts

    with as_admin(args, settings) as (svc, admin_id):
        accounts.add_team(svc, admin_id, args.name)
    say(f"Added team {args.name}.")
    return EXIT_OK
