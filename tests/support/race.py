"""Two terminals at the same moment: threads that each read what they will write, and wait
for the others to have read it too before any writes (a ``threading.Barrier`` that gives up).

A thread that cannot read yet because another holds the row's lock (PostgreSQL: ``SELECT ...
FOR UPDATE``; SQLite: the write lock taken at ``BEGIN IMMEDIATE``) never arrives, and the
others go on after ``timeout``, as with a barrier whose wait timed out (every later wait then
returns at once). On PostgreSQL they go on as soon as the server shows a session of this
database waiting for a lock, instead of waiting out the two seconds: a thread blocked on a
lock has not read and cannot read until the holder commits, which is what the timeout
waited for. Without the lock, every thread arrives, and all go on together, as before.
"""

from __future__ import annotations

import threading
import time

_WAITING_FOR_A_LOCK = (
    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE NOT l.granted AND a.datname = current_database()"
)


class Rendezvous:
    def __init__(self, parties: int, engine, timeout: float = 2.0) -> None:
        self.parties, self.engine, self.timeout = parties, engine, timeout
        self._cond = threading.Condition()
        self._arrived = 0
        self._round = 0
        self._broken = False

    def wait(self) -> None:
        with self._cond:
            if self._broken:
                return
            this = self._round
            self._arrived += 1
            if self._arrived == self.parties:  # the last to arrive: everyone goes on
                self._arrived = 0
                self._round += 1
                self._cond.notify_all()
                return
        deadline = time.monotonic() + self.timeout
        postgres = self.engine.dialect.name == "postgresql"
        conn = self.engine.connect() if postgres else None
        try:
            while True:
                with self._cond:
                    if self._broken or self._round != this:
                        return
                    left = deadline - time.monotonic()
                    if left <= 0:
                        self._give_up()
                        return
                    self._cond.wait(min(left, 0.01 if postgres else left))
                    if self._broken or self._round != this:
                        return
                if conn is not None:
                    if conn.exec_driver_sql(_WAITING_FOR_A_LOCK).scalar():
                        with self._cond:
                            self._give_up()
                        return
                    conn.rollback()
        finally:
            if conn is not None:
                conn.close()

    def _give_up(self) -> None:  # with self._cond held
        self._broken = True
        self._cond.notify_all()
