"""``recorder contact add`` (issue 13): a contact, or a police notification about a household,
recorded from the command line by a worker of the child's team; refusals in words."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from recorder.services.bootstrap import open_services
from recorder.store.models import Child, Contact
from tests.support.world import PASSWORD, build_world
from tests.test_cli import ok, refused, run  # noqa: F401  (fixtures)

SW = {"RECORDER_USER": "sw", "RECORDER_PASSWORD": PASSWORD}


def _store(tmp_path):
    data = tmp_path / "data"
    svc = open_services(data)
    build_world(svc, checked_on=date.today())
    svc.engine.dispose()
    return data


def _contacts(data) -> list[Contact]:
    svc = open_services(data)
    try:
        with svc.reading() as s:
            return list(s.exec(select(Contact).order_by(col(Contact.id))).all())
    finally:
        svc.engine.dispose()


def test_contact_add_records_one_and_a_household(run, tmp_path):  # noqa: F811
    data = _store(tmp_path)
    out = ok(
        run(
            data,
            "contact", "add", "C0001",
            "--source", "2A", "--referrer", "Hill Primary",
            "--concern", "Often hungry.", "--checked", "Our records.",
            "--received", "2026-11-25 09:15",
            env=SW,
        )
    )  # fmt: skip
    assert out.strip() == "Recorded contact 1; a manager of the child's team decides it."
    out = ok(
        run(
            data,
            "contact", "add", "C0001", "Yusuf Khan, 2021-06-01",
            "--source", "6", "--referrer", "PC Jones", "--domestic-abuse",
            "--incident", "2026-11-24", "--risk", "standard", "--present", "both",
            "--concern", "Argument.", "--checked", "Police notification.",
            "--received", "2026-11-25 07:00",
            env=SW,
        )
    )  # fmt: skip
    assert "Recorded 2 contacts (2, 3), one per child, linked" in out
    rows = _contacts(data)
    assert [r.kind for r in rows] == ["contact", "domestic_abuse", "domestic_abuse"]
    assert rows[1].household_id == rows[2].household_id == rows[1].id
    svc = open_services(data)
    with svc.reading() as s:
        assert s.get(Child, rows[2].child_id).full_name == "Yusuf Khan"
    svc.engine.dispose()


def test_contact_add_refuses_in_words(run, tmp_path):  # noqa: F811
    data = _store(tmp_path)
    said = refused(
        run(
            data,
            "contact", "add", "C0001", "--source", "99", "--referrer", "x",
            "--concern", " ", "--checked", "y",
            env=SW,
        )
    )  # fmt: skip
    assert "census list" in said and "concern in words" in said
    said = refused(
        run(
            data,
            "contact", "add", "Bad Name", "--source", "2A", "--referrer", "x",
            "--concern", "c", "--checked", "y",
            env=SW,
        )
    )  # fmt: skip
    assert "name, date of birth" in said
    assert _contacts(data) == []
