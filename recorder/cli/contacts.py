"""``recorder contact add``: a contact about a child, or a police notification about several
(issue 13), recorded by a social worker or manager of the child's team (``--user``, password
from RECORDER_PASSWORD or asked), audited. A manager decides it in the app (F7)."""

from __future__ import annotations

import argparse

from recorder.cli.common import EXIT_OK
from recorder.cli.output import say

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    from recorder.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    contact = sub.add_parser("contact", help="record a contact about a child").add_subparsers(
        dest="contact_action", metavar="ACTION", required=True
    )
    a = contact.add_parser(
        "add",
        help="record a contact (or a police notification about several children)",
        description="Record a contact about one child, or a notification about a household "
        "(one contact per child, linked). Each CHILD is a reference, or 'name, date of "
        "birth' for a child not yet known (created with what is known). A manager of the "
        "child's team decides its one outcome in the app.",
    )
    a.add_argument(
        "children", nargs="+", metavar="CHILD", help="C0001 or 'Zofia Nowak, 2019-03-02'"
    )
    a.add_argument("--source", required=True, help="the CIN census source code: 2A, 6 ...")
    a.add_argument("--referrer", required=True, help="who made the contact")
    a.add_argument("--concern", required=True, help="the concern, in words")
    a.add_argument("--checked", required=True, help="what was checked")
    a.add_argument("--received", metavar="WHEN", help="2026-12-02 09:15 (default: now)")
    a.add_argument("--domestic-abuse", action="store_true", help="a police DA notification")
    a.add_argument("--incident", metavar="DATE", help="the incident's date (DA)")
    a.add_argument("--risk", choices=("standard", "medium", "high"), help="risk level (DA)")
    a.add_argument("--present", default="", help="the children present at the incident (DA)")
    a.add_argument("--user", metavar="USERNAME", help="who records it (default RECORDER_USER)")
    a.set_defaults(handler=add_contact)


def add_contact(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.cli.common import opened_store, parse_date, sign_in_worker
    from recorder.domain import contacts as C
    from recorder.services import contacts
    from recorder.services.errors import InvalidInput

    kids, problems = C.parse_children("\n".join(args.children))
    if problems:
        raise InvalidInput(" ".join(problems))
    with opened_store(args, settings) as svc:
        received = C.parse_when(args.received) if args.received else svc.now_local()
        if received is None:
            raise InvalidInput(f"'{args.received}' is not a time like 2026-12-02 09:15.")
        ci = C.ContactInput(
            received_at=received.replace(second=0, microsecond=0),
            source_code=args.source,
            referrer=args.referrer,
            concern=args.concern,
            checked=args.checked,
            kind=C.ContactKind.DOMESTIC_ABUSE if args.domestic_abuse else C.ContactKind.CONTACT,
            incident_date=parse_date(args.incident) if args.incident else None,
            risk_level=args.risk or "",
            children_present=args.present,
        )
        worker_id = sign_in_worker(svc, args, settings)
        who = [k if isinstance(k, str) else contacts.NewChild(k[0], k[1]) for k in kids]
        if len(who) == 1:
            ids = [contacts.record_contact(svc, worker_id, who[0], ci)]
        else:
            ids = contacts.record_household_notification(svc, worker_id, who, ci)
    n = len(ids)
    say(
        f"Recorded contact {ids[0]}; a manager of the child's team decides it."
        if n == 1
        else f"Recorded {n} contacts ({', '.join(map(str, ids))}), one per child, linked; a "
        "manager decides each."
    )
    return EXIT_OK
