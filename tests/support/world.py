"""A small team built through the services, for service, stateful and TUI tests."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date

from recorder.services import accounts, children
from tests.support.factories import PLAN_RISKS

PASSWORD = "correct horse battery"


@dataclass
class World:
    admin: int
    manager: int
    manager2: int
    sw: int
    sw2: int
    student: int
    awaiting: int
    other_team_sw: int
    child: int
    child_ref: str = "C0001"


def build_world(svc, checked_on: date = date(2026, 10, 1)) -> World:
    """The team. Registration is checked on 1 Oct 2026, current on the frozen clock's day; a
    harness that runs the services or the app on the real clock passes ``date.today()``, since
    a check before Social Work England's last renewal deadline makes an account unverified.

    Built through the services the first time in a test process; after that, on another
    freshly migrated, empty store with the same schema, frozen time, policy and hasher, the
    rows that build left are written back as they were (``_Replay``): the same team, ids,
    password hashes and audit chain, for a few milliseconds instead of eleven use cases."""
    replay = _Replay.of(svc, checked_on)
    if replay is not None and replay.restore():
        return dataclasses.replace(replay.world)
    w = _build_world(svc, checked_on)
    if replay is not None:
        replay.record(w)
    return w


def _build_world(svc, checked_on: date) -> World:
    admin = accounts.create_first_admin(svc, "admin", "Ada Admin", PASSWORD)
    accounts.add_team(svc, admin, "North")
    accounts.add_team(svc, admin, "South")

    def add(username, name, role, team="North", reg=None, kind=None):
        return accounts.add_user(
            svc,
            admin,
            username=username,
            full_name=name,
            role=role,
            password=PASSWORD,
            team=team,
            registration_number=reg,
            unqualified_kind=kind,
            registration_checked_on=checked_on,
        )

    w = World(
        admin=admin,
        manager=add("manager", "Maya Manager", "team_manager", reg="SW100001"),
        manager2=add("manager2", "Mo Manager", "team_manager", reg="SW100002"),
        sw=add("sw", "Sam Social", "social_worker", reg="SW200001"),
        sw2=add("sw2", "Sol Social", "social_worker", reg="SW200002"),
        student=add("student", "Stu Student", "unqualified", kind="student"),
        awaiting=add("awaiting", "Ava Awaiting", "unqualified", kind="awaiting_registration"),
        other_team_sw=add("southsw", "Sid South", "social_worker", team="South", reg="SW300001"),
        child=0,
    )
    w.child = children.add_child(
        svc,
        admin,
        children.ChildInput(
            reference="C0001",
            full_name="Amira Khan",
            date_of_birth=date(2016, 5, 4),
            ethnicity="Pakistani",
            religion="Muslim",
            first_language="Urdu",
            interpreter_needed=True,
            plan_type="child_protection",
            plan_start=date(2026, 9, 1),
            plan_risks=PLAN_RISKS,
            team="North",
            allocated_worker="sw",
        ),
    )
    return w


# -- replaying a recorded world ----------------------------------------------------------------
# Building the world costs about 45 ms of CPU and 100 ms or more of wall time (eleven use cases,
# each with its audit event and commit), and some 500 tests build it. What it leaves in a
# freshly migrated, empty store depends only on the schema, the frozen time, the policy, the
# hasher's parameters and ``checked_on``: so the first build in a process is recorded and later
# ones on an equally fresh store are written back. SQLite: the store's file is a copy of the
# recorded store, made with SQLite's backup (header, WAL state and user_version included).
# PostgreSQL: every table's rows are copied back with COPY (triggers and foreign keys off for
# that transaction, as the rows are the ones they let in) and the sequences set where they
# were. A store that is not fresh (a row anywhere, a sequence used) is built as before.

_recorded: dict[tuple, tuple[World, object]] = {}  # key -> the world and its recorded rows


class _Replay:
    def __init__(self, svc, key: tuple, tables: list[str]) -> None:
        self.svc, self.key, self.tables = svc, key, tables
        self.world = World(0, 0, 0, 0, 0, 0, 0, 0, 0)

    @classmethod
    def of(cls, svc, checked_on: date) -> "_Replay | None":
        """The replay for ``svc``'s store when it is freshly migrated and empty, on a frozen
        clock and the tests' hasher; None otherwise (built through the services)."""
        from recorder.services.accounts import Hasher
        from tests.support.clock import FrozenClock

        if not isinstance(svc.clock, FrozenClock) or not isinstance(svc.hasher, Hasher):
            return None
        ph = svc.hasher._ph
        hasher = (ph.time_cost, ph.memory_cost, ph.parallelism, ph.hash_len, ph.salt_len, ph.type)
        dialect = svc.engine.dialect.name
        if dialect not in ("sqlite", "postgresql"):
            return None
        if dialect == "sqlite":
            engine = svc.engine
        else:
            from tests.support.stores import _admin_engine

            with svc.engine.connect() as c:  # the copy turns triggers off: superusers only
                if c.exec_driver_sql("SHOW is_superuser").scalar() != "on":
                    return None
            # a kept connection, whose catalog caches are warm (a new one's made this ~50 ms)
            engine = _admin_engine(svc.engine.url)
        with engine.connect() as c:
            tables, schema = (_sqlite_schema if dialect == "sqlite" else _pg_schema)(c)
            if not tables or "alembic_version" not in tables:
                return None
            tables = [t for t in tables if t != "alembic_version"]
            if not _fresh(c, tables):
                return None
            c.rollback()
        key = (dialect, schema, svc.clock(), repr(svc.policy), hasher, checked_on)
        return cls(svc, key, tables)

    def restore(self) -> bool:
        hit = _recorded.get(self.key)
        if hit is None:
            return False
        self.world, rows = hit
        if self.key[0] == "sqlite":
            _sqlite_restore(self.svc, rows)
        else:
            _pg_restore(self.svc, rows)
        return True

    def record(self, world: World) -> None:
        rows = (_sqlite_record if self.key[0] == "sqlite" else _pg_record)(self.svc, self.tables)
        _recorded[self.key] = (dataclasses.replace(world), rows)


def _sqlite_schema(c) -> tuple[list[str], str]:
    rows = c.exec_driver_sql(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name"
    ).all()
    version = c.exec_driver_sql("PRAGMA user_version").scalar()
    digest = hashlib.sha256(repr((rows, version)).encode()).hexdigest()
    # a full-text index's own tables hold its settings even when it is empty: the index
    # itself is counted instead
    virtual = [name for _, name, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE")]
    return [
        name
        for kind, name, _ in rows
        if kind == "table" and not any(name.startswith(f"{v}_") for v in virtual)
    ], digest


def _pg_schema(c) -> tuple[list[str], str]:
    from tests.support.stores import _fingerprint

    tables = (
        c.exec_driver_sql(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' "
            "ORDER BY tablename"
        )
        .scalars()
        .all()
    )
    if "alembic_version" not in tables:
        return list(tables), ""
    return list(tables), _fingerprint(c) or ""


def _fresh(c, tables: list[str]) -> bool:
    """No row in any table (but the revision), and on PostgreSQL no sequence used yet."""
    rows = c.exec_driver_sql(
        "SELECT " + " + ".join(f"(SELECT count(*) FROM {t})" for t in tables)
    ).scalar()
    if rows:
        return False
    if c.dialect.name == "postgresql":
        used = c.exec_driver_sql(
            "SELECT count(*) FROM pg_sequences WHERE schemaname = 'public' "
            "AND last_value IS NOT NULL"
        ).scalar()
        return not used
    return True


def _sqlite_path(svc) -> str:
    return svc.engine.url.database


_folder: list[str] = []


def _sqlite_record(svc, _tables) -> str:
    """A copy of the store just built, in a private folder (RAM-backed when there is one)."""
    import atexit
    import os
    import shutil
    import sqlite3
    import tempfile

    if not _folder:
        base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        _folder.append(tempfile.mkdtemp(prefix="recorder-world-", dir=base))
        atexit.register(shutil.rmtree, _folder[0], True)
    path = os.path.join(_folder[0], f"world-{len(_recorded)}.sqlite3")
    src, dst = sqlite3.connect(_sqlite_path(svc)), sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return path


def _sqlite_restore(svc, path: str) -> None:
    import sqlite3

    src, dst = sqlite3.connect(path), sqlite3.connect(_sqlite_path(svc))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _pg_record(svc, tables: list[str]):
    raw = svc.engine.raw_connection()
    try:
        with raw.cursor() as cur:
            data = {}
            for t in tables:
                with cur.copy(f"COPY {t} TO STDOUT") as copy:
                    chunk = b"".join(bytes(b) for b in copy)
                if chunk:
                    data[t] = chunk
            cur.execute(
                "SELECT quote_literal(quote_ident(sequencename)), last_value FROM pg_sequences "
                "WHERE schemaname = 'public' AND last_value IS NOT NULL"
            )
            sequences = cur.fetchall()
        raw.rollback()
    finally:
        raw.close()
    return data, sequences


def _pg_restore(svc, rows) -> None:
    data, sequences = rows
    raw = svc.engine.raw_connection()
    try:
        with raw.cursor() as cur:
            cur.execute("SET LOCAL session_replication_role = replica")
            for t, chunk in data.items():
                with cur.copy(f"COPY {t} FROM STDIN") as copy:
                    copy.write(chunk)
            if sequences:
                cur.execute("SELECT " + ", ".join(f"setval({n}, {v}, true)" for n, v in sequences))
        raw.commit()
    finally:
        raw.close()
