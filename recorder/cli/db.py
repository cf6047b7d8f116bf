"""``recorder migrate`` and ``recorder db grants``: the schema owner's commands for a team's
PostgreSQL store (issue 14, least privilege).

``migrate`` brings the schema up to this recorder's revision under a lock, so two at once are
safe; the app's clients on PostgreSQL never migrate and refuse to start on a schema that is
behind. ``db grants`` prints (or, with ``--apply``, runs) the SQL that gives the app's role
exactly what the app does. Both connect with ``RECORDER_DATABASE_URL`` (the owner's) and
need no recorder account: the first administrator is made after the schema exists.
"""

from __future__ import annotations

import argparse
import sys

from recorder.cli.common import EXIT_ERROR, EXIT_OK
from recorder.cli.output import say

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    from recorder.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    mg = sub.add_parser(
        "migrate",
        help="bring the store's schema up to this recorder's (PostgreSQL: as the schema owner)",
    )
    mg.set_defaults(handler=migrate)
    db = sub.add_parser("db", help="the team server's database").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    gr = db.add_parser(
        "grants",
        help="print (or apply) the SQL that gives the app's PostgreSQL role what it needs",
    )
    gr.add_argument(
        "--role", default=None, metavar="NAME", help="the app's role (default recorder_app)"
    )
    gr.add_argument("--apply", action="store_true", help="run the statements (as the schema owner)")
    gr.set_defaults(handler=grants)


def _engine(args: argparse.Namespace, settings: Settings):
    from recorder.paths import database_url
    from recorder.store.engine import make_engine

    return make_engine(database_url(args.data_dir, settings), settings=settings)


def migrate(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.store.migrate import schema_status, upgrade

    engine = _engine(args, settings)
    try:
        before, head, known = schema_status(engine)
        if not known:
            say(
                f"recorder: this database's schema (revision {before}) is newer than this "
                f"recorder (revision {head}): install the newer recorder.",
                file=sys.stderr,
            )
            return EXIT_ERROR
        found: list[str | None] = []
        copy = upgrade(engine, found=found)
        if found:  # what the store was at once this command held the lock
            before = found[0]
        after, _, _ = schema_status(engine)
    finally:
        engine.dispose()
    if before == after:
        say(f"The schema is up to date (revision {after}).")
    else:
        say(f"Migrated the schema from revision {before or 'none'} to {after}.")
    if copy is not None:
        say(f"A copy of the store was taken first: {copy}")
    if engine.dialect.name == "postgresql":
        say(
            "If the app connects as its own role, apply its grants again: recorder db grants --apply"
        )
    return EXIT_OK


def grants(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy import text

    from recorder.services.bootstrap import require_current_schema
    from recorder.store.grants import DEFAULT_ROLE, grant_sql, valid_role

    role = args.role or DEFAULT_ROLE
    if not valid_role(role):
        say(
            "recorder: a role name is lower-case letters, digits and underscores, starting "
            "with a letter or an underscore (for example recorder_app).",
            file=sys.stderr,
        )
        return EXIT_ERROR
    engine = _engine(args, settings)
    try:
        if engine.dialect.name != "postgresql":
            say(
                "recorder: grants are for a PostgreSQL store; a SQLite store is one person's "
                "file, protected by its mode (0600).",
                file=sys.stderr,
            )
            return EXIT_ERROR
        require_current_schema(engine)
        database = engine.url.database or ""
        statements = grant_sql(role, database)
        if not args.apply:
            say(f"-- the app's role {role}: run as the schema owner after 'recorder migrate'")
            for sql in statements:
                say(sql + ";")
            return EXIT_OK
        with engine.begin() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).first()
            if exists is None:
                say(
                    f"recorder: there is no role {role} on this server: create it first "
                    f"(createuser -h HOST --pwprompt {role}), then apply the grants.",
                    file=sys.stderr,
                )
                return EXIT_ERROR
            for sql in statements:
                conn.exec_driver_sql(sql)
    finally:
        engine.dispose()
    say(f"Applied {len(statements)} grant statements for {role}.")
    return EXIT_OK
