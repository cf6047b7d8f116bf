"""The demo shows a chronology of a few dozen entries (issue 13, item 7): Hamza Farah's,
with significant events added by hand, his signed-off visits, oversight and his plan; and
``recorder chronology`` writes it as CSV and as text."""

from __future__ import annotations

from collections import Counter

from sqlmodel import select

from recorder.demo import chronology as demo_chronology
from recorder.demo import team
from recorder.services import chronology, integrity
from recorder.store import models as m
from tests.test_cli import ok, run  # noqa: F401  (fixtures)


def test_the_demo_child_has_a_chronology_of_a_few_dozen_entries(sqlite_svc):
    svc = sqlite_svc
    team.populate(svc)
    with svc.reading() as s:
        child = s.exec(select(m.Child).where(m.Child.reference == demo_chronology.CHILD)).one()
        tom = s.exec(select(m.Worker).where(m.Worker.username == "tom")).one().id
    chron = chronology.chronology(svc, tom, child.id)
    kinds = Counter(e.kind for e in chron.entries)
    assert 30 <= len(chron.entries) <= 60, kinds
    assert kinds["event"] == len(demo_chronology.EVENTS)
    assert kinds["visit"] == 1 + len(demo_chronology.EARLIER_VISITS)
    assert kinds["oversight"] >= 4 and kinds["plan"] >= 1
    assert all("not recorded" not in e.summary for e in chron.entries if e.kind == "visit")
    report = integrity.check_store(svc)
    assert report.ok, report.problems


def test_recorder_chronology_writes_the_demo_childs_as_csv_and_text(run, tmp_path_factory):  # noqa: F811
    import csv
    import io

    from tests.support.demo_store import demo_store

    # recorder demo's store (made once per test process; `recorder demo` itself is
    # tests/test_demo.py's), not a demo made here with production argon2 (about 6 s of CPU)
    data = demo_store(tmp_path_factory, "data")
    env = {"RECORDER_USER": "tom", "RECORDER_PASSWORD": "demo-tom-1"}
    out = ok(run(data, "chronology", demo_chronology.CHILD, "--format", "csv", env=env))
    rows = list(csv.reader(io.StringIO(out)))
    assert len(rows) - 1 >= 30 and rows[0][0] == "date"
    assert any(r[3] == "Initial child protection conference: a child protection plan" for r in rows)
    text = ok(run(data, "chronology", demo_chronology.CHILD, "--since", "2026-01-01", env=env))
    assert text.startswith("Chronology of Hamza Farah (RV-1006): ")
    assert "Child seen alone" in text
