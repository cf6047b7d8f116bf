"""The README's nginx configuration, run as written: ``nginx -t`` accepts it, and through it,
over TLS (a throwaway self-signed certificate), the server's own Origin gets recorder's
sign-in screen while another site's is refused. Only names, ports and certificate paths are
swapped. Skipped where nginx or openssl is not installed."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_serve import demo_store, free_port, wait_listening  # noqa: F401

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def readme_nginx_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", readme, flags=re.S)
    assert len(blocks) == 1, "the README has one nginx example"
    return blocks[0]


def configured(tmp: Path, tls_port: int, http_port: int, app_port: int) -> Path:
    subprocess.run(
        # an EC key: made in a millisecond, where an RSA key's primes take 0.2-0.3 s of CPU
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "1"]
        + [
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(tmp / "key.pem"),
            "-out",
            str(tmp / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    block = readme_nginx_block()
    for old, new in (
        ("listen 443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("/etc/ssl/recorder/fullchain.pem", str(tmp / "cert.pem")),
        ("/etc/ssl/recorder/privkey.pem", str(tmp / "key.pem")),
        ("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{app_port};"),
        ("recorder.council.example", "localhost"),
    ):
        assert old in block, old
        block = block.replace(old, new)
    temp = "\n".join(
        f"    {kind}_temp_path {tmp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"worker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\n"
        f"events {{}}\nhttp {{\n    access_log off;\n{temp}\n{block}\n}}\n"
    )
    return conf


async def handshake(url: str, origin: str) -> tuple[int, bytes]:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        try:
            ws = await http.ws_connect(url, headers={"Origin": origin}, ssl=False)
        except aiohttp.WSServerHandshakeError as e:
            return e.status, b""
        drawn = b""
        async with ws:
            while b"Username" not in drawn:
                msg = await asyncio.wait_for(ws.receive(), 60)
                if msg.type == aiohttp.WSMsgType.BINARY:
                    drawn += msg.data
                elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break
            await ws.send_json(["stdin", "\x11"])
        return 101, drawn


def test_the_readme_nginx_configuration_proxies_tls_and_keeps_the_origin_check(
    tmp_path, demo_store
):
    if not Path(NGINX).exists() or not shutil.which("openssl"):
        pytest.skip("nginx or openssl is not installed (apt-get install -y nginx-light)")
    store = demo_store
    tls_port, http_port, app_port = free_port(), free_port(), free_port()
    conf = configured(tmp_path, tls_port, http_port, app_port)
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    public = f"https://localhost:{tls_port}"
    app = subprocess.Popen(
        [sys.executable, "-m", "recorder", "--data-dir", str(store), "serve"]
        + ["--port", str(app_port), "--public-url", public],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    proxy = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_listening(app_port, app)
        wait_listening(tls_port, proxy)
        ws_url = f"{public}/ws?width=100&height=30"
        status, drawn = asyncio.run(handshake(ws_url, public))
        assert status == 101 and b"Password" in drawn  # the sign-in screen, through TLS
        for foreign in ("https://evil.example", f"http://localhost:{tls_port}"):
            status, _ = asyncio.run(handshake(ws_url, foreign))
            assert status == 403, foreign
        import ssl
        import urllib.request

        insecure = ssl.create_default_context()
        insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
        page = urllib.request.urlopen(f"{public}/", context=insecure, timeout=20).read().decode()
        assert f"wss://localhost:{tls_port}/ws" in page
    finally:
        for proc in (proxy, app):
            proc.terminate()
        deadline = time.monotonic() + 30
        for proc in (proxy, app):
            try:
                proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
