"""``recorder policy show``: the local-practice policy in force, as a ``policy.toml``."""

from __future__ import annotations

import argparse

from recorder.cli.common import EXIT_OK
from recorder.cli.output import say

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    from recorder.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    pol = sub.add_parser("policy", help="show the policy in force").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    pol.add_parser("show", help="print the policy as policy.toml").set_defaults(handler=show)


def show(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.config import config_dir, load_policy

    say(load_policy(config_dir(settings)).as_toml(), end="")
    return EXIT_OK
