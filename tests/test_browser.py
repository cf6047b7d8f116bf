"""``recorder serve`` in a real browser (Debian's chromium, driven by selenium through
chromium-driver): sign in, open a child, start a visit record, type into it, see "Saved";
and a page from another origin refused.

How the test reads the screen: textual-serve's page draws the terminal with xterm.js on a
canvas (WebGL), so there is no text in the DOM to read, and a screenshot would need OCR.
The test reads what the browser itself received on its WebSocket instead (Chrome's
performance log: every frame, in order) and replays it into a terminal emulator (pyte), at
the size the page told the server. The keys are typed by chromium into xterm.js's own input
(real key events), so the whole loop runs through the browser. The draft is then read from
the store too.

Skipped without chromium, chromium-driver or selenium; ``.ci/run`` installs them and sets
RECORDER_REQUIRE_BROWSER=1, so CI fails if this was skipped (tests/conftest.py).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.demo_store import demo_store
from tests.test_serve import free_port, wait_listening

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("RECORDER_CHROMIUM", "/usr/bin/chromium")
DRIVER = os.environ.get("RECORDER_CHROMEDRIVER", "/usr/bin/chromedriver")
TYPED = "Met Kai at the library after school"


def _missing() -> str:
    if not Path(CHROMIUM).exists() or not Path(DRIVER).exists() and not shutil.which(DRIVER):
        return f"no chromium at {CHROMIUM} with chromium-driver at {DRIVER}"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return ""


class Page:
    """The browser's view of a served recorder: keys in, screen text out."""

    def __init__(self, driver) -> None:
        import pyte

        self.driver = driver
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.sent: list[str] = []

    def _pump(self) -> None:
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method = message["method"]
            if method == "Network.webSocketFrameSent":
                payload = message["params"]["response"]["payloadData"]
                self.sent.append(payload)
                if payload.startswith('["resize"'):
                    size = json.loads(payload)[1]
                    self.screen.resize(size["height"], size["width"])
            elif method == "Network.webSocketFrameReceived":
                frame = message["params"]["response"]
                if frame["opcode"] == 2:  # binary: the app's output
                    self.stream.feed(base64.b64decode(frame["payloadData"]))

    def text(self) -> str:
        self._pump()
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not on the page; it shows:\n{self.text()}")
            time.sleep(0.05)  # polling the browser's frames for a condition

    def type(self, keys: str) -> None:
        from selenium.webdriver.common.by import By

        # xterm.js takes keys through its hidden textarea; focusing it (rather than a click
        # on the canvas, which Textual would see as a click somewhere) leaves the app's own
        # focus where it is
        area = self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        self.driver.execute_script("arguments[0].focus()", area)
        area.send_keys(keys)


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing:
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--no-first-run",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_script_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if _missing():
        pytest.skip(_missing())
    folder = demo_store(tmp_path_factory, "browser-store")  # recorder demo's, made once
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "recorder", "--data-dir", str(folder), "serve"]
        + ["--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_listening(port, proc)
        yield port, folder
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


OPEN_SOCKET = """
const [url, done] = arguments;
const ws = new WebSocket(url);
ws.onopen = () => { ws.close(); done("open"); };
ws.onerror = () => done("refused");
"""


def test_sign_in_type_a_draft_see_it_saved_and_another_origin_refused(browser, served):
    """One test, not two: under pytest-xdist two tests of this module could land on two
    workers, each starting a browser and building a demo store."""
    port, folder = served
    browser.get(f"http://127.0.0.1:{port}/")
    page = Page(browser)
    page.wait_for("Your username", timeout=60)  # the store is open: the fields take keys
    page.type("sam\n")
    page.type("demo-sam-1\n")
    page.wait_for("Your allocated children")
    page.wait_for("RV-1030  Kai Robinson")  # first on the list (the most overdue)
    page.type("\n")
    page.wait_for("Kai Robinson (RV-1030)")
    page.wait_for("or n to start a new visit record")
    page.type("n")
    page.wait_for("DRAFT - not yet saved to the child's record")
    page.wait_for("Purpose of the visit")
    # from the sections list: date, visit type, announced, where, then the purpose
    page.type("\t" * 5 + TYPED)
    page.wait_for(TYPED)
    page.wait_for("Saved ")
    assert any(s.startswith('["stdin"') for s in page.sent)  # typed through the page
    # and it is in the store, as the worker's draft
    from sqlmodel import select

    from recorder.store.models import VisitSection
    from tests.support.stores import open_services

    # "Saved" may be the first autosave's, of part of the text (the save comes within 1.5 s
    # of the first key, and typing does not postpone it): wait for the whole text to be stored
    svc = open_services(f"sqlite:///{folder / 'recorder.sqlite3'}")
    try:
        deadline = time.monotonic() + 30
        while True:
            with svc.reading() as s:
                q = select(VisitSection).where(VisitSection.section == "details")
                purposes = [dict(r.data).get("purpose") for r in s.exec(q).all()]
            if TYPED in purposes:
                break
            assert time.monotonic() < deadline, f"the typed purpose is not stored: {purposes!r}"
            time.sleep(0.05)  # polling the store for a condition
    finally:
        svc.engine.dispose()
    page.wait_for("Saved ")

    # a page from another origin: localhost is not the public URL's 127.0.0.1, so the
    # browser sends Origin: http://localhost:PORT, as a page on any other site sends its own
    ws_url = f"ws://127.0.0.1:{port}/ws?width=80&height=24"
    browser.get(f"http://localhost:{port}/static/css/xterm.css")
    assert browser.execute_async_script(OPEN_SOCKET, ws_url) == "refused"
    browser.get(f"http://127.0.0.1:{port}/static/css/xterm.css")
    assert browser.execute_async_script(OPEN_SOCKET, ws_url) == "open"
