"""``recorder`` commands as processes of their own, forked from a warm one.

A test of clients at once (six racing to open an empty store) needs each to be a process;
it does not need each to start an interpreter and import SQLAlchemy, SQLModel and alembic
(0.9 s of CPU, most of what such a command costs). :class:`CliForks` starts this module as
a fork server (``python -m tests.support.cli_procs``) that imports those once and runs
nothing; for each batch of commands it forks one process per command, all at once, and
waits for them. Each runs ``recorder.cli.main`` as ``python -m recorder`` does: with the
environment it is given and nothing else, stdin at /dev/null (no terminal), stdout and
stderr to files, exit code what main returns (a traceback and 1 should an exception
escape). The server is waited for when closed, so its CPU (and its children's) is counted
in the test's, as a subprocess's is.

Protocol, one JSON line each way: a list of ``{"args", "env", "out", "err"}`` in, the list
of exit codes out (``null`` for a process killed after ``timeout`` seconds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class CliForks:
    """The fork server, for one test module (``close`` it, or use it as a context)."""

    def __init__(self) -> None:
        self.p = subprocess.Popen(
            [sys.executable, "-m", "tests.support.cli_procs"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def run_at_once(
        self, commands: list[list[str]], env: dict[str, str], folder: Path, timeout: float = 180
    ) -> list[subprocess.CompletedProcess]:
        """Start every command at once, each in a process of its own; wait for them all."""
        folder.mkdir(parents=True, exist_ok=True)
        batch = [
            {
                "args": list(a),
                "env": env,
                "out": str(folder / f"{i}.out"),
                "err": str(folder / f"{i}.err"),
            }
            for i, a in enumerate(commands)
        ]
        self.p.stdin.write(json.dumps({"batch": batch, "timeout": timeout}) + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        assert line, "the fork server stopped"
        results = []
        for c, code in zip(batch, json.loads(line)):
            if code is None:
                raise subprocess.TimeoutExpired(["recorder", *c["args"]], timeout)
            out, err = Path(c["out"]).read_text(), Path(c["err"]).read_text()
            results.append(subprocess.CompletedProcess(["recorder", *c["args"]], code, out, err))
        return results

    def close(self) -> None:
        self.p.stdin.close()
        self.p.wait(timeout=30)

    def __enter__(self) -> CliForks:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- the server ------------------------------------------------------------------------------
def _child(c: dict) -> None:
    """In the forked process: ``recorder ARGS``; never returns."""
    code = 1
    try:
        os.environ.clear()
        os.environ.update(c["env"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        sys.stdin = open(os.devnull)  # not the server's buffered pipe
        for fd, path in ((1, c["out"]), (2, c["err"])):
            f = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(f, fd)
            os.close(f)
        from recorder.cli import main

        code = main(c["args"])
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:  # noqa: BLE001 - as the interpreter would: the traceback, exit 1
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os._exit(code)


def _run(batch: list[dict], timeout: float) -> list[int | None]:
    sys.stdout.flush()
    pids = []
    for c in batch:
        pid = os.fork()
        if pid == 0:
            _child(c)
        pids.append(pid)
    codes: dict[int, int | None] = {}
    deadline = time.monotonic() + timeout
    while len(codes) < len(pids):
        for pid in pids:
            if pid not in codes:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    codes[pid] = os.waitstatus_to_exitcode(status)
        if len(codes) < len(pids):
            if time.monotonic() > deadline:
                for pid in pids:
                    if pid not in codes:
                        os.kill(pid, 9)
                        os.waitpid(pid, 0)
                        codes[pid] = None
            time.sleep(0.005)
    return [codes[pid] for pid in pids]


def serve() -> None:
    # what a command imports on its way to the store; imported only, nothing run
    import alembic  # noqa: F401
    import psycopg  # noqa: F401
    import sqlalchemy  # noqa: F401
    import sqlmodel  # noqa: F401

    import recorder.cli  # noqa: F401
    import recorder.services.accounts  # noqa: F401
    import recorder.services.bootstrap  # noqa: F401
    import recorder.settings  # noqa: F401
    import recorder.store.migrate  # noqa: F401
    import recorder.store.models  # noqa: F401

    for line in sys.stdin:
        req = json.loads(line)
        sys.stdout.write(json.dumps(_run(req["batch"], req["timeout"])) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
