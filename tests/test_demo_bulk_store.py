"""A store made by the bulk loader behaves as one made otherwise (issue 15, item 1), on SQLite
and PostgreSQL: every trigger is there afterwards and does its work, and the search index
finds the bulk children. (On SQLite the loader sets the insert triggers aside inside its one
transaction and fills the search index once at the end.)"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from recorder.demo import bulk
from recorder.services import accounts, children, search
from recorder.store import models as m
from recorder.store.engine import writer


def _triggers(svc) -> set[tuple[str, str]]:
    with svc.engine.connect() as c:
        if c.dialect.name == "sqlite":
            sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        else:
            sql = (
                "SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace "
                "WHERE n.nspname = current_schema() AND NOT t.tgisinternal"
            )
        return {(name, body) for name, body in c.execute(text(sql))}


def _manager_of_team_1(svc) -> int:
    with svc.reading() as s:
        return s.scalar(select(m.Worker.id).where(m.Worker.username == "team001.manager"))


def test_a_bulk_store_has_every_trigger_and_finds_its_children(svc):
    before = _triggers(svc)
    assert len(before) >= 40  # migrations 0003-0016: guards on every protected table
    bulk.populate_bulk(svc, children=20, visits_per_child=3, busiest_child_visits=12)
    assert _triggers(svc) == before
    with svc.engine.connect() as c:
        if c.dialect.name == "sqlite":
            # the load looked no reference up per row: every one holds
            assert c.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1

    # the search index holds the bulk children: part of a name, case folded; a reference
    manager = _manager_of_team_1(svc)
    with svc.reading() as s:
        kid = s.get(m.Child, 7)
        name, ref = kid.full_name, kid.reference
    surname = name.split()[-1]
    part = surname[1:4].upper() if len(surname) >= 4 else surname.upper()
    hits = search.find_children(svc, manager, part)
    assert 7 in [h.id for h in hits] and all(part.lower() in h.name.lower() for h in hits)
    assert [h.id for h in search.find_children(svc, manager, ref[-5:])] == [7]

    # the triggers set aside during the load work again: a signed-off visit takes no new
    # section, and a visit cannot go in signed off
    with svc.reading() as s:
        signed = s.scalar(select(m.Visit.id).where(m.Visit.state == "signed_off").limit(1))
    with pytest.raises(Exception, match="signed-off visit cannot be changed"):
        with writer(svc.engine).begin() as c:
            c.execute(
                text(
                    "INSERT INTO visit_section (visit_id, section, data, updated_at) "
                    "VALUES (:v, 'extra', '{}', CURRENT_TIMESTAMP)"
                ),
                {"v": signed},
            )
    columns = [c.name for c in m.Visit.__table__.columns if c.name != "id"]
    with pytest.raises(Exception, match="cannot be created signed off"):
        with writer(svc.engine).begin() as c:
            c.execute(
                text(
                    f"INSERT INTO visit ({', '.join(columns)}) SELECT {', '.join(columns)} "
                    "FROM visit WHERE id = :v"
                ),
                {"v": signed},
            )

    # and a child added afterwards is indexed as it is added
    admin = accounts.sign_in(svc, "admin", bulk.BULK_PASSWORD).id
    children.add_child(
        svc,
        admin,
        children.ChildInput(
            reference="LATE-1",
            full_name="Zofia Wójcik",
            date_of_birth=date(2016, 5, 1),
            team="Bulk team 001",
        ),
    )
    assert [h.name for h in search.find_children(svc, manager, "wojc")] == ["Zofia Wójcik"]


def test_a_bulk_load_that_fails_part_way_leaves_every_trigger(svc, monkeypatch):
    before = _triggers(svc)
    monkeypatch.setattr(bulk, "BATCH", 24)  # several jobs from a small load
    real = bulk._flush
    flushed = []

    def fail_on_the_second(conn, rows, *args):
        if flushed:
            raise RuntimeError("the disk is full")
        flushed.append(1)
        real(conn, rows, *args)

    monkeypatch.setattr(bulk, "_flush", fail_on_the_second)
    with pytest.raises(RuntimeError, match="disk is full"):
        bulk.populate_bulk(svc, children=60, visits_per_child=3, workers=1)
    assert flushed and _triggers(svc) == before
    with svc.reading() as s:  # the rows went with the transaction they were in
        assert s.scalar(select(func.count()).select_from(m.Visit)) == 0
        assert s.scalar(select(func.count()).select_from(m.Child)) == 0
