"""The web server behind ``recorder serve``: textual-serve's, with three changes.

- **Origin.** textual-serve accepts a WebSocket from any page. A page on another site could
  open ``ws://127.0.0.1:8000/ws`` in a worker's browser and drive a recorder session there
  (cross-site WebSocket hijacking; DNS rebinding reaches a server bound to 127.0.0.1 too).
  The handshake is refused (403) unless its ``Origin`` is the public URL's own, exactly
  (scheme, host, port); a handshake without an ``Origin`` is refused as well.
- **Environment.** Each session's process gets this server's environment (the store's
  location and the policy folder: never anything the browser sends), less the variables in
  ``withheld`` (an administrator's script credentials).
- **The page.** textual-serve's page, but its font comes from this server, not from Google
  Fonts: the page asks no other site for anything (``templates/app_index.html``).
- **Headers.** The page may not be framed by another site (``SECURITY_HEADERS``).
- **Limits and logs.** At most ``max_sessions`` processes at once (one per connection); the
  log lines name no person and show no local variables (textual-serve's own logging prints
  tracebacks with their locals).

Imported only by ``recorder serve`` (aiohttp is not loaded by any other command).
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("recorder.serve")

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def origin_of(url: str | None) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, lower case, the default port left out;
    None for anything else (an Origin header of ``null``, a path, an empty value)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def served_command(data_dir: str | None) -> str:
    """The shell command each session runs: this Python's recorder, on this store."""
    argv = [sys.executable, "-m", "recorder"]
    if data_dir:
        argv += ["--data-dir", os.path.abspath(data_dir)]
    return shlex.join(argv)


class _Session(AppService):
    """One browser session's recorder process: the server's environment, less ``withheld``."""

    def __init__(self, *args, withheld: tuple[str, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._withheld = withheld

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width=width, height=height)  # ours, + Textual's
        for name in self._withheld:
            env.pop(name, None)
        return env


#: Sent with every response: the page may not be framed by another site (a framing page could
#: lead a worker to type into a session whose WebSocket Origin is recorder's own), nothing
#: is sniffed, no address is passed on as a referrer.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


class RecorderServer(Server):
    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        public_url: str,
        max_sessions: int = 50,
        withheld: tuple[str, ...] = (),
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title="recorder",
            public_url=public_url,
            templates_path=Path(__file__).with_name("templates"),  # no font from another site
        )
        origin = origin_of(public_url)
        assert origin is not None, "checked by recorder serve"
        self.origin = origin
        self.max_sessions = max_sessions
        self.sessions = 0
        self.sockets: set[web.WebSocketResponse] = set()
        self.withheld = withheld

    def initialize_logging(self) -> None:
        logging.basicConfig(level="INFO", format="recorder serve: %(message)s", stream=sys.stderr)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing yet: the address is said once it is listening (``serve``)."""

    def serve(self, debug: bool = False) -> None:
        # textual-serve's serve(), saying where it serves only once the port is bound
        import signal

        self.debug = False  # no devtools, no debug logging: the log names no one
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=lambda *_: print(
                f"recorder: serving on {self.public_url} (listening on {self.host}:"
                f"{self.port}); press Ctrl+C to stop.",
                flush=True,
            ),
        )

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.on_response_prepare.append(_security_headers)
        return app

    async def on_shutdown(self, app: web.Application) -> None:
        # Ctrl+C or SIGTERM: each open session is told to quit (its app saves what it
        # holds, as on Ctrl+Q) instead of aiohttp waiting a minute and cancelling it
        for websocket in list(self.sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"recorder is stopping")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if origin_of(request.headers.get("Origin")) != self.origin:
            # the header is the other site's; it is not logged (it could say anything)
            log.warning("refused a connection from a page that is not %s", self.origin)
            raise web.HTTPForbidden(
                text=f"recorder: open {self.public_url} to use recorder; "
                "connections from other sites are refused.\n"
            )
        if self.sessions >= self.max_sessions:
            log.warning("refused a connection: %d sessions already open", self.sessions)
            raise web.HTTPServiceUnavailable(
                text="recorder: too many sessions are open; try again in a minute.\n"
            )
        self.sessions += 1
        try:
            return await self._run_session(request)
        finally:
            self.sessions -= 1

    async def _run_session(self, request: web.Request) -> web.WebSocketResponse:
        # textual-serve's handle_websocket, with _Session in place of AppService
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session: _Session | None = None
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            session = _Session(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=False,
                withheld=self.withheld,
            )
            await session.start(max(20, min(width, 500)), max(10, min(height, 300)))
            try:
                await self._process_messages(websocket, session)
            finally:
                await session.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one line, no locals
            log.error("a session ended on an error (%s)", type(error).__name__)
        finally:
            self.sockets.discard(websocket)
            if session is not None:
                await session.stop()
        return websocket
