"""``recorder serve``: the app in a browser through textual-serve, refusing other sites.

The WebSocket handshakes here are raw (aiohttp's client, as a page on another site would make
them): a foreign Origin and a missing one are refused with 403 before any process starts;
the server's own Origin gets the sign-in screen of a recorder process of its own.
"""

from __future__ import annotations

import asyncio
import io
import os
import socket
import subprocess
import sys
import time

import pytest

from recorder.cli.web import RecorderServer, _Session, origin_of, served_command
from tests.support.demo_store import demo_store as demo_copy

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://Recorder.Council.Example/", "https://recorder.council.example"),
        ("https://recorder.council.example:443", "https://recorder.council.example"),
        ("http://recorder.council.example:8443/path", "http://recorder.council.example:8443"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("null", None),
        ("", None),
        (None, None),
        ("file:///etc/passwd", None),
        ("http://host:notaport", None),
        ("recorder.council.example", None),
    ],
)
def test_origin_of(url, origin):
    assert origin_of(url) == origin


def test_a_session_does_not_inherit_an_administrators_script_credentials(monkeypatch):
    monkeypatch.setenv("RECORDER_ADMIN_PASSWORD", "secret")
    monkeypatch.setenv("RECORDER_DATABASE_URL", "postgresql+psycopg://app@db/recorder")
    server = RecorderServer(
        "true",
        host="127.0.0.1",
        port=8000,
        public_url="http://127.0.0.1:8000",
        withheld=("RECORDER_ADMIN_PASSWORD",),
    )
    session = _Session(
        "true",
        write_bytes=None,
        write_str=None,
        close=None,
        download_manager=server.download_manager,
        withheld=server.withheld,
    )
    env = session._build_environment(100, 30)
    assert "RECORDER_ADMIN_PASSWORD" not in env
    # the store is the server's to name
    assert env["RECORDER_DATABASE_URL"] == "postgresql+psycopg://app@db/recorder"
    assert env["TEXTUAL_DRIVER"].endswith("WebDriver")


def test_the_served_command_names_the_servers_store(tmp_path):
    cmd = served_command(str(tmp_path / "my store"))
    assert cmd.startswith(sys.executable)
    assert "-m recorder --data-dir" in cmd and "'" in cmd  # the space is quoted


def _recorder(*args, env=None, **kw):
    return subprocess.run(
        [sys.executable, "-m", "recorder", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        **kw,
    )


@pytest.fixture
def recorder_here(monkeypatch, capsys):
    """``recorder ARGS`` by its own main in this process, no terminal: for a refusal made
    before anything is served (a process of its own costs 0.35 s of CPU to start)."""
    from recorder.cli import main

    def run(*args: str) -> subprocess.CompletedProcess:
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


def test_serve_refuses_an_address_that_is_not_a_url(tmp_path, recorder_here):
    r = recorder_here("--data-dir", str(tmp_path), "serve", "--public-url", "recorder.example")
    assert r.returncode == 2
    assert "is not an address like https://" in r.stderr
    assert "Traceback" not in r.stderr


def test_serve_refuses_a_store_without_accounts(tmp_path, recorder_here):
    r = recorder_here("--data-dir", str(tmp_path), "serve", "--port", "1")
    assert r.returncode == 1
    assert "no accounts yet" in r.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"recorder serve stopped: {proc.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)  # polling for a condition (the port answering), not a pause
    raise AssertionError(f"recorder serve did not listen on {port} within {timeout} s")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    """A copy of the demo store (``recorder demo``'s, made once per test process)."""
    return demo_copy(tmp_path_factory, "served")


@pytest.fixture
def served(demo_store):
    port = free_port()
    env = dict(os.environ, RECORDER_ADMIN_PASSWORD="not for the browser")
    proc = subprocess.Popen(
        [sys.executable, "-m", "recorder", "--data-dir", str(demo_store), "serve"]
        + ["--port", str(port), "--max-sessions", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        wait_listening(port, proc)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _handshake(port: int, origin: str | None, until: bytes = b"Username"):
    """(status, screen bytes): 101 and what the app drew until ``until`` appeared, or the
    refusal's status."""
    import aiohttp

    headers = {"Origin": origin} if origin is not None else {}
    async with aiohttp.ClientSession() as http:
        try:
            ws = await http.ws_connect(
                f"http://127.0.0.1:{port}/ws?width=100&height=30", headers=headers
            )
        except aiohttp.WSServerHandshakeError as e:
            return e.status, b""
        drawn = b""
        async with ws:
            deadline = time.monotonic() + 60
            while until not in drawn:
                msg = await asyncio.wait_for(ws.receive(), deadline - time.monotonic())
                if msg.type == aiohttp.WSMsgType.BINARY:
                    drawn += msg.data
                elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break
            await ws.send_json(["stdin", "\x11"])  # Ctrl+Q: the session's process quits
        return 101, drawn


def test_a_page_on_another_site_is_refused_and_its_own_page_gets_the_app(served):
    port, proc = served
    own = f"http://127.0.0.1:{port}"
    for foreign in (
        "http://evil.example",
        f"http://localhost.evil.example:{port}",
        f"https://127.0.0.1:{port}",  # another scheme is another origin
        f"http://127.0.0.1:{port + 1}",
        "null",
        None,  # no Origin at all
    ):
        status, drawn = asyncio.run(_handshake(port, foreign))
        assert status == 403, foreign
    status, drawn = asyncio.run(_handshake(port, own))
    assert status == 101
    assert b"Username" in drawn and b"Password" in drawn  # the sign-in screen, in the browser


def test_the_page_points_its_websocket_at_the_public_url(demo_store):
    import urllib.request

    port = free_port()
    public = "https://recorder.council.example"
    proc = subprocess.Popen(
        [sys.executable, "-m", "recorder", "--data-dir", str(demo_store), "serve"]
        + ["--port", str(port), "--public-url", public],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_listening(port, proc)
        response = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
        page = response.read().decode()
        assert response.headers["X-Frame-Options"] == "DENY"  # no other site frames it
        assert response.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
        assert "wss://recorder.council.example/ws" in page
        # the page asks no other site for anything (textual-serve's own asks Google Fonts)
        assert "googleapis" not in page and "fonts/RobotoMono" in page
        # the proxy passes the browser's Origin through: its own is accepted
        status, _ = asyncio.run(_handshake(port, public))
        assert status == 101
        status, _ = asyncio.run(_handshake(port, f"http://127.0.0.1:{port}"))
        assert status == 403
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_stopping_the_server_ends_the_open_sessions_promptly(served):
    """SIGTERM with a browser session open: the session is told to quit (its app saves and
    exits, as on Ctrl+Q) and the server stops, instead of aiohttp's minute of waiting."""
    import aiohttp

    port, proc = served

    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(
                f"http://127.0.0.1:{port}/ws?width=100&height=30",
                headers={"Origin": f"http://127.0.0.1:{port}"},
            )
            drawn = b""
            while b"Username" not in drawn:
                msg = await asyncio.wait_for(ws.receive(), 60)
                if msg.type == aiohttp.WSMsgType.BINARY:
                    drawn += msg.data
            proc.terminate()
            while True:  # the server closes the socket (aiohttp alone would wait 60 s)
                msg = await asyncio.wait_for(ws.receive(), 30)
                if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break

    asyncio.run(scenario())
    assert proc.wait(timeout=30) is not None


def test_the_app_without_a_terminal_says_so_and_stops(demo_store):
    """What sshd's ForceCommand runs for sftp, scp or 'ssh host' without -t: no terminal, so
    no app left running on pipes, holding the store, drawing nowhere."""
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    r = _recorder("--data-dir", str(demo_store), env=env, stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert "needs a terminal" in r.stderr and "ssh -t" in r.stderr


def test_sessions_past_the_limit_are_refused(served):
    """--max-sessions 1 (the fixture's): a second session while one is open gets 503."""
    import aiohttp

    port, _ = served
    own = f"http://127.0.0.1:{port}"

    async def scenario() -> int:
        async with aiohttp.ClientSession() as http:
            url = f"{own}/ws?width=100&height=30"
            first = await http.ws_connect(url, headers={"Origin": own})
            try:
                await http.ws_connect(url, headers={"Origin": own})
            except aiohttp.WSServerHandshakeError as e:
                return e.status
            finally:
                await first.close()
            return 101

    assert asyncio.run(scenario()) == 503


def test_a_port_in_use_is_said_in_words(demo_store):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = _recorder("--data-dir", str(demo_store), "serve", "--port", str(port))
    assert r.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: address already in use." in r.stderr
    assert "serving on" not in r.stdout  # not said before it listens
    assert "Traceback" not in r.stderr and "OSError" not in r.stderr
