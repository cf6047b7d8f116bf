"""A real terminal for tests: run a program in a pseudo-terminal and read its screen.

The program's output goes through ``pyte`` (a VT100 emulator), so tests can wait for text as a
person would see it, and they can keep every raw byte the program wrote.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import termios
import threading
import time
from typing import Callable, Mapping, Sequence

import pyte


class Terminal:
    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], *, cols: int = 120, rows: int = 40
    ) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self._last_write = time.monotonic()
        self._lock = threading.Lock()
        self._fed = 0  # chunks fed to the screen; the text is made again only after one
        self._text: tuple[int, str] = (-1, "")
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program
            try:
                os.execvpe(argv[0], list(argv), dict(env))
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.raw.extend(data)
                self.stream.feed(data)
                self._fed += 1
                self._last_write = time.monotonic()

    def text(self) -> str:
        with self._lock:
            if self._text[0] != self._fed:  # the screen changed since the last look
                self._text = (self._fed, "\n".join(self.screen.display))
            return self._text[1]

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if condition():
                return
            time.sleep(0.02)  # a poll, not a pause: the loop ends when the condition holds
        raise AssertionError(f"{what}: not reached in {timeout} s; the screen:\n{self.text()}")

    def wait_for(self, needle: str, timeout: float = 20.0) -> None:
        self.wait_until(lambda: needle in self.text(), f"{needle!r} on screen", timeout)

    def wait_gone(self, needle: str, timeout: float = 20.0) -> None:
        self.wait_until(lambda: needle not in self.text(), f"{needle!r} gone", timeout)

    def _quiet_for(self, seconds: float) -> bool:
        with self._lock:
            return time.monotonic() - self._last_write >= seconds

    def wait_quiet(self, quiet: float = 0.3, timeout: float = 20.0) -> None:
        """Wait until the program has written nothing for ``quiet`` seconds: it has drawn
        all it had to draw."""
        self.wait_until(
            lambda: self._quiet_for(quiet),
            f"the output settling ({quiet} s without a byte)",
            timeout,
        )

    def border_colour_under(self, label: str) -> str | None:
        """The colour of the top border of the field under ``label`` (the cell right below
        the label's first letter): Textual draws a focused field's border in the accent
        colour. None while the label is not on screen."""
        with self._lock:
            for y, line in enumerate(self.screen.display):
                x = line.find(label)
                if x >= 0 and y + 1 < self.screen.lines:
                    return self.screen.buffer[y + 1][x].fg
        return None

    def send(self, data: str | bytes) -> None:
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def sign_in(self, username: str, password: str) -> None:
        """Wait for the sign-in screen and its store, then type the username, Enter, the
        password and Enter, as fast as a paste: the screen takes typing ahead (its Enter
        moves to the password before the next key is delivered)."""
        self.wait_for("Sign in to recorder")
        # the store opens in a worker behind the screen; this line shows once it is open and
        # the username field has the focus
        self.wait_for("Type your username and password")
        self.send(f"{username}\r{password}\r")

    def alive(self) -> bool:
        pid, _ = os.waitpid(self.pid, os.WNOHANG)
        return pid == 0

    def kill(self, sig: int = signal.SIGKILL) -> None:
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass
