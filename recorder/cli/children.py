"""``recorder child add``, ``recorder child import`` and ``recorder allocate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from recorder.cli.common import EXIT_ERROR, EXIT_OK, admin_opt, as_admin, parse_date

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    from recorder.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("child", help="manage children").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    ca = admin_opt(c.add_parser("add", help="add a child"))
    ca.add_argument("reference")
    ca.add_argument("--name", required=True)
    ca.add_argument("--dob", required=True, metavar="YYYY-MM-DD")
    ca.add_argument("--ethnicity", default="")
    ca.add_argument("--religion", default="")
    ca.add_argument("--language", default="", help="first language")
    ca.add_argument("--interpreter", action="store_true", help="an interpreter is needed")
    ca.add_argument("--disability", default="")
    ca.add_argument(
        "--plan",
        default="none",
        help="child_protection, child_in_need, looked_after, private_fostering or none",
    )
    ca.add_argument("--plan-start", metavar="YYYY-MM-DD")
    ca.add_argument("--risk", action="append", default=[], help="a risk in the plan (repeat)")
    ca.add_argument("--team")
    ca.add_argument("--worker", help="username of the allocated worker")
    ca.set_defaults(handler=add_child)
    ci = admin_opt(
        c.add_parser("import", help="import children from a CSV file (all rows or none)")
    )
    ci.add_argument("file", type=Path)
    ci.set_defaults(handler=import_children)

    al = admin_opt(sub.add_parser("allocate", help="allocate a child to a worker"))
    al.add_argument("child", metavar="CHILD", help="the child's reference")
    al.add_argument("worker", metavar="WORKER", help="the worker's username")
    al.set_defaults(handler=allocate)


def add_child(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import children

    with as_admin(args, settings) as (svc, admin_id):
        ci = children.ChildInput(
            reference=args.reference,
            full_name=args.name,
            date_of_birth=parse_date(args.dob),
            ethnicity=args.ethnicity,
            religion=args.religion,
            first_language=args.language,
            interpreter_needed=args.interpreter,
            disability=args.disability,
            plan_type=args.plan,
            plan_start=parse_date(args.plan_start) if args.plan_start else None,
            plan_risks=tuple(args.risk),
            team=args.team,
            allocated_worker=args.worker,
        )
        children.add_child(svc, admin_id, ci)
    print(f"Added child {args.reference}.")
    return EXIT_OK


def _why_unreadable(e: OSError | UnicodeDecodeError) -> str:
    if isinstance(e, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(e, FileNotFoundError):
        return "there is no such file"
    if isinstance(e, IsADirectoryError):
        return "it is a folder"
    if isinstance(e, PermissionError):
        return "permission denied"
    return (e.strerror or "it cannot be read").lower()


def import_children(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import children

    with as_admin(args, settings) as (svc, admin_id):
        try:
            text = args.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            print(
                f"recorder: cannot read {args.file}: {_why_unreadable(e)}. Nothing was imported.",
                file=sys.stderr,
            )
            return EXIT_ERROR
        n = children.import_csv(svc, admin_id, text)
    print(f"Imported {n} children.")
    return EXIT_OK


def allocate(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import children

    with as_admin(args, settings) as (svc, admin_id):
        children.allocate(svc, admin_id, args.child, args.worker)
    print(f"Allocated {args.child} to {args.worker}.")
    return EXIT_OK
