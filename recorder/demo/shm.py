"""The bulk loader's folder in shared memory (/dev/shm), where worker processes leave the rows
they made for the loading process to read in place (``bulk._make_to_send``)."""

from __future__ import annotations

import os
from contextlib import contextmanager

SHARED = "/dev/shm"
SHARED_PREFIX = "recorder-bulk-"


@contextmanager
def shared_folder():
    """A private folder in shared memory (/dev/shm) for the workers' rows, removed after (with
    any rows left in it), or None where there is none. Its name holds the loading process's
    id: a load killed outright (SIGKILL, no clean-up) leaves its folder, and the next load
    removes the folders of loads that are no longer running (:func:`remove_stale_folders`)."""
    import tempfile

    if not os.path.isdir(SHARED) or not os.access(SHARED, os.W_OK | os.X_OK):
        yield None
        return
    remove_stale_folders()
    prefix = f"{SHARED_PREFIX}{os.getpid()}-"
    with tempfile.TemporaryDirectory(dir=SHARED, prefix=prefix) as folder:
        yield folder


def remove_stale_folders() -> None:
    """Remove this user's shared-memory folders left by loads whose process has ended. A
    folder whose process still runs (or whose id another process now has) is left."""
    import shutil

    for name in os.listdir(SHARED):
        if not name.startswith(SHARED_PREFIX):
            continue
        pid = name[len(SHARED_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError):
            continue
        path = os.path.join(SHARED, name)
        try:
            if os.stat(path).st_uid == os.getuid():
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue
