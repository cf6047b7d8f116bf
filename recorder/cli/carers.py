"""``recorder child carer add``: a parent or carer on a child's record, with their first
language and whether they need an interpreter (issue 12)."""

from __future__ import annotations

import argparse

from recorder.cli.common import EXIT_OK, admin_opt, as_admin
from recorder.cli.output import say

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    from recorder.settings import Settings


def register(c: argparse._SubParsersAction) -> None:
    carer = c.add_parser("carer", help="a child's parents and carers").add_subparsers(
        dest="carer_action", metavar="ACTION", required=True
    )
    a = admin_opt(
        carer.add_parser(
            "add",
            help="add a parent or carer to a child's record",
            description="Add a parent or carer to a child's record; by an administrator, or "
            "a manager of the child's team (--admin names who).",
        )
    )
    a.add_argument("reference", help="the child's reference")
    a.add_argument("--name", required=True, help="the parent's or carer's full name")
    a.add_argument("--relationship", required=True, help="who they are to the child, e.g. mother")
    a.add_argument("--language", default="", help="their first language")
    a.add_argument(
        "--interpreter", action="store_true", help="they need an interpreter (give --language)"
    )
    a.set_defaults(handler=add_carer)


def add_carer(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.services import carers

    with as_admin(args, settings) as (svc, actor_id):
        carers.add_carer(
            svc,
            actor_id,
            args.reference,
            carers.CarerInput(
                full_name=args.name,
                relationship=args.relationship,
                first_language=args.language,
                interpreter_needed=args.interpreter,
            ),
        )
    from recorder.domain.text import clean_line

    name, who, language = (clean_line(t) for t in (args.name, args.relationship, args.language))
    needs = f", needs a {language} interpreter" if args.interpreter else ""
    say(f"Added {name} ({who}{needs}) to {clean_line(args.reference)}.")
    return EXIT_OK
