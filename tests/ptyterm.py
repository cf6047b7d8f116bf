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
from typing import Mapping, Sequence

import pyte


class Terminal:
    def __init__(self, argv: Sequence[str], env: Mapping[str, str], *, cols: int = 120,
                 rows: int = 40) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self._lock = threading.Lock()
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

    def text(self) -> str:
        with self._lock:
            return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in self.text():
                return
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} did not appear on screen; the screen:\n{self.text()}")

    def wait_gone(self, needle: str, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle not in self.text():
                return
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} stayed on screen; the screen:\n{self.text()}")

    def send(self, data: str | bytes) -> None:
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def sign_in(self, username: str, password: str) -> None:
        """Wait for the sign-in screen and its store, then sign in as a person types."""
        self.wait_for("Sign in to recorder")
        self.wait_gone("Opening the store")  # the store opens in a worker behind the screen
        time.sleep(0.2)
        self.send(f"{username}\t")  # keys a moment apart: a burst arrives as one paste
        time.sleep(0.2)
        self.send(password + "\r")

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
