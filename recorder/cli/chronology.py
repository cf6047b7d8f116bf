"""``recorder chronology REF``: a child's chronology as text or CSV (issue 13, item 4), read
by a worker who may read the child (``--user``, password from RECORDER_PASSWORD or asked),
audited as a view. Text is cleaned of control and escape characters; a CSV cell that a
spreadsheet would run as a formula (= + - @) is prefixed with an apostrophe."""

from __future__ import annotations

import argparse
import sys

from recorder.cli.common import EXIT_OK

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    from recorder.services.chronology import Chronology
    from recorder.settings import Settings

CSV_HEADER = ("date", "time", "kind", "entry", "detail", "by", "source", "source_id")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "chronology",
        help="write a child's chronology as text or CSV",
        description="Write a child's chronology, newest first: signed-off visits, oversight "
        "decisions, case notes, supervision discussions, plans, placements, allocations, "
        "addenda and significant events. Read by a worker of the child's team (or a manager "
        "above it); audited as a view of the child's record.",
    )
    p.add_argument("reference", metavar="REF", help="the child's reference")
    p.add_argument("--format", choices=("text", "csv"), default="text", help="default: text")
    p.add_argument(
        "--kind",
        action="append",
        metavar="K",
        help="only entries of this kind (repeat for more): visit, oversight, case_note, "
        "supervision, plan, placement, allocation, addendum, event, contact",
    )
    p.add_argument("--since", metavar="DATE", help="only entries on or after DATE (2026-01-31)")
    p.add_argument("--until", metavar="DATE", help="only entries on or before DATE")
    p.add_argument(
        "--user",
        metavar="USERNAME",
        help="the worker reading it (default RECORDER_USER; password from RECORDER_PASSWORD "
        "or asked)",
    )
    p.set_defaults(handler=write_chronology)


def write_chronology(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.cli.common import opened_store, parse_date, sign_in_worker
    from recorder.services import chronology

    since = parse_date(args.since) if args.since else None
    until = parse_date(args.until) if args.until else None
    with opened_store(args, settings) as svc:
        worker_id = sign_in_worker(svc, args, settings)
        chron = chronology.chronology(svc, worker_id, args.reference, args.kind, since, until)
    if args.format == "csv":
        _csv(chron)
    else:
        _text(chron, settings)
    return EXIT_OK


def _csv(chron: Chronology) -> None:
    import csv

    from recorder.domain.text import clean, spreadsheet_safe

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(CSV_HEADER)
    for e in chron.entries:
        cells = (
            e.on.isoformat(),
            e.when.strftime("%H:%M"),
            e.kind_label,
            e.title,
            e.summary,
            e.who,
            e.source_kind,
            str(e.source_id),
        )
        out.writerow([spreadsheet_safe(clean(c)) for c in cells])
    sys.stdout.flush()


def _text(chron: Chronology, settings: Settings) -> None:
    from recorder.cli.output import print_table
    from recorder.domain.text import clean_line

    n = len(chron.entries)
    print(
        f"Chronology of {clean_line(chron.child_name)} ({clean_line(chron.reference)}): "
        f"{n} {'entry' if n == 1 else 'entries'}, newest first"
    )
    if not n:
        return
    rows = [
        (e.on.strftime("%d %b %Y"), e.kind_label, e.title, e.who, e.summary) for e in chron.entries
    ]
    print_table(settings, ("Date", "Kind", "Entry", "By", "Detail"), rows)
