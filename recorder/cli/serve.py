"""``recorder serve``: the same app in a web browser (textual-serve), one process per tab.

The web server (``recorder.cli.web``, aiohttp) is imported only when the command runs, so
``recorder --help`` stays light. What the served processes open is decided here, from this
process's own settings (``--data-dir``, ``RECORDER_DATA_DIR``, ``RECORDER_DATABASE_URL``,
``RECORDER_CONFIG_DIR``): the browser sends only key presses and its window size.
"""

from __future__ import annotations

import argparse
import sys

from recorder.cli.common import EXIT_ERROR, EXIT_OK, EXIT_USAGE

TYPE_CHECKING = False  # not typing's: --help stays light
if TYPE_CHECKING:
    from recorder.settings import Settings

#: Variables a served process never inherits: an administrator's credentials for scripts,
#: and the debug switch (a traceback would reach the browser).
WITHHELD = ("RECORDER_ADMIN", "RECORDER_ADMIN_PASSWORD", "RECORDER_NEW_PASSWORD", "RECORDER_DEBUG")


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(
        "serve",
        help="serve the app to web browsers (put it behind a TLS reverse proxy)",
        description="Serve recorder to web browsers: each browser tab runs its own recorder "
        "process on this machine, on the store this command is given. Binds 127.0.0.1 unless "
        "told otherwise; put it behind a TLS reverse proxy and give --public-url.",
    )
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    s.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers open, e.g. https://recorder.council.example "
        "(default http://HOST:PORT); connections from any other site are refused",
    )
    s.add_argument(
        "--max-sessions",
        type=int,
        default=50,
        metavar="N",
        help="at most N browser sessions at once (each is a process; default 50)",
    )
    s.set_defaults(handler=serve)


def serve(args: argparse.Namespace, settings: Settings) -> int:
    from recorder.cli.web import origin_of, served_command

    if not 0 < args.port < 65536:
        print(f"recorder: --port {args.port} is not a port number (1 to 65535).", file=sys.stderr)
        return EXIT_USAGE
    if args.max_sessions < 1:
        print("recorder: --max-sessions must be at least 1.", file=sys.stderr)
        return EXIT_USAGE
    public_url = args.public_url or f"http://{_url_host(args.host)}:{args.port}"
    origin = origin_of(public_url)
    if origin is None:
        print(
            f"recorder: --public-url {public_url!r} is not an address like "
            "https://recorder.council.example.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from recorder.cli.app import store_has_accounts

    if not settings.database_url and not store_has_accounts(args.data_dir, settings):
        print(
            "recorder: this store has no accounts yet: run 'recorder' in a terminal once to "
            "create the first administrator (or 'recorder demo'), then serve it.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        print(
            f"recorder: listening on {args.host}, not only this machine: recorder serve has no "
            "TLS of its own, so put it behind a TLS reverse proxy (see the README).",
            file=sys.stderr,
        )
    from recorder.cli.web import RecorderServer

    server = RecorderServer(
        served_command(args.data_dir),
        host=args.host,
        port=args.port,
        public_url=public_url.rstrip("/"),
        max_sessions=args.max_sessions,
        withheld=WITHHELD,
    )
    try:
        server.serve()
    except OSError as e:
        why = (e.strerror or str(e)).rsplit(": ", 1)[-1]  # aiohttp's: "... on address (...): why"
        print(f"recorder: cannot listen on {args.host}:{args.port}: {why}.", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
