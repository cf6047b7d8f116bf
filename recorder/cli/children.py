"""``recorder child add``, ``recorder child import``, ``recorder allocate``, and a child's
plans: ``recorder child plan``, ``end-plan``, ``placement``, ``first-review`` and
``frequency``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from recorder.cli.common import EXIT_ERROR, EXIT_OK, admin_opt, as_admin, parse_date
from recorder.cli.output import say

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
    ca.add_argument(
        "--ethnicity", default="", help="a DfE ethnicity code (CIN census) or its name, e.g. WBRI"
    )
    ca.add_argument("--sex", default="", help="M, F or U (CIN census)")
    ca.add_argument("--gender-identity", default="", help="optional, the child's own words")
    ca.add_argument("--religion", default="")
    ca.add_argument("--language", default="", help="first language")
    ca.add_argument("--interpreter", action="store_true", help="an interpreter is needed")
    ca.add_argument(
        "--disability",
        default="",
        help="CIN census disability codes or names, comma-separated (NONE for no disability)",
    )
    ca.add_argument("--communication", default="", help="communication needs")
    ca.add_argument(
        "--plan",
        default="none",
        help="child_protection, child_in_need, looked_after, private_fostering or none",
    )
    ca.add_argument("--plan-start", metavar="YYYY-MM-DD")
    ca.add_argument(
        "--placement",
        metavar="TYPE",
        help="looked after: the placement type (foster_care, connected_person_reg24, "
        "placed_with_parent_reg19, interim_care_order_at_home, care_order_at_home, long_term, "
        "residential, short_breaks_reg48; default foster_care)",
    )
    ca.add_argument(
        "--notified",
        metavar="YYYY-MM-DD",
        help="private fostering: the day the council was notified (default: the plan's start)",
    )
    ca.add_argument("--risk", action="append", default=[], help="a risk in the plan (repeat)")
    ca.add_argument("--team")
    ca.add_argument(
        "--worker", help="username of the allocated worker (a registered worker or a manager)"
    )
    ca.add_argument(
        "--co-worker",
        metavar="USERNAME",
        help="a student, trainee or worker awaiting registration working on the child",
    )
    ca.set_defaults(handler=add_child)
    _register_plans(c)
    from recorder.cli.carers import register as register_carers

    register_carers(c)
    ci = admin_opt(
        c.add_parser("import", help="import children from a CSV file (all rows or none)")
    )
    ci.add_argument("file", type=Path)
    ci.set_defaults(handler=import_children)

    al = admin_opt(sub.add_parser("allocate", help="allocate a child to a worker"))
    al.add_argument("child", metavar="CHILD", help="the child's reference")
    al.add_argument("worker", metavar="WORKER", help="the worker's username")
    al.set_defaults(handler=allocate)

    co = c.add_parser(
        "co-worker", help="name or end a co-worker (student, trainee ...) on a child"
    ).add_subparsers(dest="co_action", metavar="ACTION", required=True)
    cw = admin_opt(co.add_parser("add", help="name a co-worker on the child"))
    cw.add_argument("child", metavar="CHILD", help="the child's reference")
    cw.add_argument("worker", metavar="WORKER", help="the co-worker's username")
    cw.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="default today")
    cw.set_defaults(handler=add_co_worker)
    ce = admin_opt(co.add_parser("end", help="end a co-worker's time on the child"))
    ce.add_argument("child", metavar="CHILD", help="the child's reference")
    ce.add_argument("worker", metavar="WORKER", help="the co-worker's username")
    ce.add_argument("--on", metavar="YYYY-MM-DD", help="the last day (default today)")
    ce.set_defaults(handler=end_co_worker)


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
            sex=args.sex,
            gender_identity=args.gender_identity,
            communication_needs=args.communication,
            plan_type=args.plan,
            plan_start=parse_date(args.plan_start) if args.plan_start else None,
            placement_type=args.placement,
            notified_on=parse_date(args.notified) if args.notified else None,
            plan_risks=tuple(args.risk),
            team=args.team,
            allocated_worker=args.worker,
            co_worker=args.co_worker,
        )
        children.add_child(svc, admin_id, ci)
    say(f"Added child {args.reference}.")
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
            say(
                f"recorder: cannot read {args.file}: {_why_unreadable(e)}. Nothing was imported.",
                file=sys.stderr,
            )
            return EXIT_ERROR
        n = children.import_csv(svc, admin_id, text)
    say(f"Imported {n} children.")
    return EXIT_OK


def allocate(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import children

    with as_admin(args, settings) as (svc, admin_id):
        children.allocate(svc, admin_id, args.child, args.worker)
    say(f"Allocated {args.child} to {args.worker}.")
    return EXIT_OK


def add_co_worker(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import coworkers

    with as_admin(args, settings) as (svc, admin_id):
        start = parse_date(args.start) if args.start else None
        coworkers.add_co_worker(svc, admin_id, args.child, args.worker, start)
    say(f"{args.worker} is now a co-worker on {args.child}.")
    return EXIT_OK


def end_co_worker(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import coworkers

    with as_admin(args, settings) as (svc, admin_id):
        end = parse_date(args.on) if args.on else None
        coworkers.end_co_worker(svc, admin_id, args.child, args.worker, end)
    say(f"{args.worker} is no longer a co-worker on {args.child}.")
    return EXIT_OK


_WHO = "an administrator, or a manager of the child's team"


def _register_plans(c: argparse._SubParsersAction) -> None:
    p = admin_opt(
        c.add_parser(
            "plan",
            help="record a new plan for a child (the plan in force ends the day before)",
            description=f"Record a child's new plan; by {_WHO} (--admin names who).",
        )
    )
    p.add_argument("reference")
    p.add_argument(
        "--type",
        required=True,
        help="child_protection, child_in_need, looked_after or private_fostering",
    )
    p.add_argument("--start", required=True, metavar="YYYY-MM-DD")
    p.add_argument(
        "--notified",
        metavar="YYYY-MM-DD",
        help="private fostering: the day the council was notified",
    )
    p.add_argument("--placement", metavar="TYPE", help="looked after: the first placement's type")
    p.set_defaults(handler=record_plan)

    e = admin_opt(c.add_parser("end-plan", help="end the child's plan on a day"))
    e.add_argument("reference")
    e.add_argument("--on", required=True, metavar="YYYY-MM-DD", help="the plan's last day")
    e.set_defaults(handler=end_plan)

    pl = admin_opt(
        c.add_parser(
            "placement",
            help="record a looked-after child's new placement (restarts the first-week visit)",
        )
    )
    pl.add_argument("reference")
    pl.add_argument("--type", required=True, help="the placement type (see 'child add --help')")
    pl.add_argument("--start", required=True, metavar="YYYY-MM-DD")
    pl.set_defaults(handler=record_placement)

    r = admin_opt(
        c.add_parser(
            "first-review",
            help="record the first review after the current placement began (reg 28(3), (4))",
        )
    )
    r.add_argument("reference")
    r.add_argument("--on", required=True, metavar="YYYY-MM-DD")
    r.set_defaults(handler=record_first_review)

    f = admin_opt(
        c.add_parser(
            "frequency",
            help="record how often a conference or review set the child to be visited and seen alone",
        )
    )
    f.add_argument("reference")
    f.add_argument("--visit-every", type=int, metavar="N", help="visit every N working days")
    f.add_argument(
        "--seen-alone-every", type=int, metavar="N", help="seen alone every N working days"
    )
    f.add_argument(
        "--set-by", required=True, help="who set it, such as 'Initial child protection conference'"
    )
    f.add_argument("--set-on", required=True, metavar="YYYY-MM-DD", help="the day it was set")
    f.set_defaults(handler=record_frequency)


def record_plan(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import plans

    with as_admin(args, settings) as (svc, actor_id):
        plans.record_plan(
            svc,
            actor_id,
            args.reference,
            plans.PlanInput(
                plan_type=args.type,
                start=parse_date(args.start),
                notified_on=parse_date(args.notified) if args.notified else None,
                placement_type=args.placement,
            ),
        )
    say(f"Recorded a {args.type.replace('_', ' ')} plan for {args.reference} from {args.start}.")
    return EXIT_OK


def end_plan(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import plans

    with as_admin(args, settings) as (svc, actor_id):
        plans.end_plan(svc, actor_id, args.reference, parse_date(args.on))
    say(f"Ended the plan of {args.reference} on {args.on}.")
    return EXIT_OK


def record_placement(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import plans

    with as_admin(args, settings) as (svc, actor_id):
        plans.record_placement(svc, actor_id, args.reference, args.type, parse_date(args.start))
    say(f"Recorded the placement of {args.reference} from {args.start}.")
    return EXIT_OK


def record_first_review(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import plans

    with as_admin(args, settings) as (svc, actor_id):
        plans.record_first_review(svc, actor_id, args.reference, parse_date(args.on))
    say(f"Recorded the first review of {args.reference}'s placement on {args.on}.")
    return EXIT_OK


def record_frequency(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import plans

    with as_admin(args, settings) as (svc, actor_id):
        plans.record_frequency(
            svc,
            actor_id,
            args.reference,
            visit_every_working_days=args.visit_every,
            seen_alone_every_working_days=args.seen_alone_every,
            set_by=args.set_by,
            set_on=parse_date(args.set_on),
        )
    say(f"Recorded the visiting frequency of {args.reference} from {args.set_on}.")
    return EXIT_OK
