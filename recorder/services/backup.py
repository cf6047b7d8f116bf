"""``recorder backup`` and ``recorder restore``: SQLite stores only (PostgreSQL: pg_dump and
pg_restore). Both are for administrators and are audited; a restore checks the copy first
(``integrity.check_store``)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlmodel import select

from recorder.services.core import Services
from recorder.services.errors import InvalidInput
from recorder.services.integrity import (
    PG_MESSAGE,
    CheckReport,
    Progress,
    audit_store,
    authorise_admin,
    check_store,
)
from recorder.services.queries import stored
from recorder.store.models import Worker


def store_path(svc: Services) -> Path:
    from recorder.store.engine import sqlite_path

    if svc.engine.dialect.name != "sqlite":
        raise InvalidInput(PG_MESSAGE, audit_detail="postgresql")
    path = sqlite_path(str(svc.engine.url))
    if path is None:
        raise InvalidInput("This store is not a file, so it cannot be backed up here.")
    return path


def _new_private_file(dest: Path) -> None:
    try:
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise InvalidInput(
            f"{dest} already exists; give a new file name. Nothing was written.",
            audit_detail="dest_exists",
        ) from None
    except OSError as e:
        raise InvalidInput(
            f"Cannot create {dest}: {e.strerror}. Nothing was written.",
            audit_detail="dest_unwritable",
        ) from None
    os.close(fd)
    os.chmod(dest, 0o600)


def _copy(src: Path, dest: Path, progress: Progress | None, what: str) -> int:
    """SQLite's online backup from ``src`` into ``dest``; returns the pages copied."""
    pages = [0]

    def step(_status, remaining, total):
        pages[0] = total
        if progress:
            progress(total - remaining, total, what)

    source = sqlite3.connect(src, timeout=10)
    target = sqlite3.connect(dest)
    try:
        source.backup(target, pages=256, progress=step)
        # the copy is a plain file: no WAL beside it
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()
    os.chmod(dest, 0o600)
    return pages[0]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    pages: int


def backup(
    svc: Services, admin_id: int, dest: Path, progress: Progress | None = None
) -> BackupResult:
    """Copy the live store to ``dest`` (a new file, 0600) while it is in use."""
    authorise_admin(svc, admin_id, "backup")
    try:
        src = store_path(svc)
        dest = Path(dest).expanduser()
        _new_private_file(dest)
    except InvalidInput as e:
        audit_store(svc, admin_id, "backup", "refused", e.audit_detail)
        raise
    try:
        pages = _copy(src, dest, progress, "pages")
        c = sqlite3.connect(f"file:{dest}?mode=ro", uri=True)
        try:
            quick = c.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            c.close()
        if quick != "ok":
            raise sqlite3.DatabaseError("quick_check")
    except (OSError, sqlite3.Error) as e:
        dest.unlink(missing_ok=True)
        audit_store(svc, admin_id, "backup", "refused", f"copy_failed:{type(e).__name__}")
        raise InvalidInput(
            "The backup could not be written completely, so it was removed. "
            "Check the free space and try again."
        ) from None
    size = dest.stat().st_size
    audit_store(svc, admin_id, "backup", "ok", f"pages={pages} bytes={size}")
    return BackupResult(dest, size, pages)


@dataclass(frozen=True)
class RestoreResult:
    replaced: Path
    report: CheckReport


def restore(
    svc: Services, admin_id: int, src: Path, progress: Progress | None = None
) -> RestoreResult:
    """Replace the store with the backup ``src``, after checking it as ``check`` does.

    The store's current contents are first copied beside it as
    ``<name>.replaced-<UTC time>`` (0600). The backup is copied into a private temporary
    file, brought to the current schema and checked there; only a clean copy is written
    into the store (with SQLite's backup API, so open connections see it whole).
    """
    from recorder.store.engine import make_engine
    from recorder.store.migrate import upgrade

    authorise_admin(svc, admin_id, "restore")
    live = store_path(svc)
    src = Path(src).expanduser()
    with svc.reading() as s:
        admin_username = stored(s, Worker, admin_id).username
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    staged = live.with_name(f"{live.name}.restoring-{stamp}")

    def refuse(message: str, detail: str):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{staged}{suffix}").unlink(missing_ok=True)
        audit_store(svc, admin_id, "restore", "refused", detail)
        raise InvalidInput(message)

    if not src.is_file():
        refuse(f"{src} is not a file. Nothing was changed.", "no_source")
    _new_private_file(staged)
    try:
        _copy(src, staged, progress, "pages read")
    except (OSError, sqlite3.Error):
        refuse(
            f"{src} is not a recorder backup (not a readable SQLite database). Nothing "
            "was changed.",
            "not_sqlite",
        )
    engine = make_engine(f"sqlite:///{staged}")
    try:
        try:
            upgrade(engine)
        except Exception:  # noqa: BLE001 - an unknown or damaged schema
            engine.dispose()
            refuse(
                f"{src} is not a backup this version of recorder can read. Nothing was changed.",
                "unknown_schema",
            )
        report = check_store(Services(engine=engine, policy=svc.policy), progress)
    finally:
        engine.dispose()
    for old in staged.parent.glob(f"{staged.name}.before-*"):
        old.unlink()  # upgrade's own copy of the staged file
    if not report.ok:
        refuse(
            f"{src} failed the check, so the store was not replaced. First problem: "
            f"{report.problems[0]}",
            "check_failed",
        )
    replaced = live.with_name(f"{live.name}.replaced-{stamp}")
    _new_private_file(replaced)
    audit_store(svc, admin_id, "restore", "ok", "store_replaced_by_backup")  # kept in `replaced`
    svc.engine.dispose()
    _copy(live, replaced, progress, "pages kept")
    _copy_into_live(staged, live, progress)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{staged}{suffix}").unlink(missing_ok=True)
    with svc.reading() as s:
        actor = s.exec(select(Worker.id).where(Worker.username == admin_username)).first()
    audit_store(svc, actor, "restore", "ok", f"restored events={report.events}")
    return RestoreResult(replaced, report)


def _copy_into_live(staged: Path, live: Path, progress: Progress | None) -> None:
    source = sqlite3.connect(staged)
    target = sqlite3.connect(live, timeout=10)
    try:
        target.execute("PRAGMA journal_mode=WAL")
        source.backup(
            target,
            pages=256,
            progress=(lambda _s, r, t: progress(t - r, t, "pages restored")) if progress else None,
        )
    finally:
        target.close()
        source.close()
    os.chmod(live, 0o600)
