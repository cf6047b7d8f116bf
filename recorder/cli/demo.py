"""``recorder demo``: fill an empty store with the demo team, or a large one for benchmarks."""

from __future__ import annotations

import argparse

from recorder.cli.common import EXIT_OK, opened_store
from recorder.cli.output import say

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from recorder.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser("demo", help="fill an empty store with a demo team, children and visits")
    d.add_argument(
        "--children",
        type=int,
        default=None,
        metavar="N",
        help="a large store for benchmarks: N children (bulk insert)",
    )
    d.add_argument("--visits-per-child", type=int, default=None, metavar="M")
    d.add_argument("--teams", type=int, default=None, metavar="T")
    d.add_argument(
        "--busiest-child-visits",
        type=int,
        default=0,
        metavar="V",
        help="with --children: one child more, with V visits (for benchmarks)",
    )
    d.set_defaults(handler=fill)


def fill(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.demo import bulk, team

    with opened_store(args, settings) as svc:
        if args.children is not None or args.visits_per_child is not None:
            from recorder.cli.output import Progress

            progress = Progress(settings)
            try:
                n = bulk.populate_bulk(
                    svc,
                    children=1000 if args.children is None else args.children,
                    visits_per_child=5 if args.visits_per_child is None else args.visits_per_child,
                    teams=1 if args.teams is None else args.teams,
                    busiest_child_visits=args.busiest_child_visits,
                    progress=progress,
                )
                progress.done(finished=True)
            finally:
                progress.done()
            say(f"Made {n.children:,} children and {n.visits:,} visits in {n.seconds:.1f} s.")
            return EXIT_OK
        accounts = team.populate(svc)
    print_accounts(accounts, settings)
    return EXIT_OK


def print_accounts(accounts: Iterable[Any], settings: Settings) -> None:
    """The demo's sign-ins, to copy from (``recorder demo`` and ``recorder --demo``)."""
    from recorder.cli.output import print_table

    say("Demo accounts (username / password / role):", flush=True)
    print_table(
        settings, None, [(a.username, a.password, a.description) for a in accounts], indent=2
    )
