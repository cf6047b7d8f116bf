"""``recorder chronology REF --format csv|text`` (issue 13, item 4), run as a worker would
run it: audited as a view, CSV safe against formula injection, text cleaned of escapes."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlmodel import select

from recorder.domain.chronology import SignificantEventInput
from recorder.services import chronology
from recorder.services.bootstrap import open_services
from recorder.store.models import AuditEvent
from tests.support.records import signed_off
from tests.support.world import PASSWORD, build_world
from tests.test_cli import ok, refused, run  # noqa: F401  (fixtures)


def _store(tmp_path):
    data = tmp_path / "data"
    svc = open_services(data)
    w = build_world(svc, checked_on=date.today())
    signed_off(svc, w.sw, w.child, w.manager)
    chronology.add_significant_event(
        svc,
        w.sw,
        w.child,
        SignificantEventInput(
            date(2026, 11, 20),
            '=HYPERLINK("http://evil.example","click")',
            "+police \x1b]0;owned\x07",
            "-Amira saw the arrest.\nShe has not slept well since.",
        ),
        PASSWORD,
    )
    svc.engine.dispose()
    return data, svc


def test_csv_and_text_as_the_childs_worker(run, tmp_path):  # noqa: F811
    data, _ = _store(tmp_path)
    env = {"RECORDER_USER": "sw", "RECORDER_PASSWORD": PASSWORD}
    out = ok(run(data, "chronology", "C0001", "--format", "csv", env=env))
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["date", "time", "kind", "entry", "detail", "by", "source", "source_id"]
    kinds = {r[2] for r in rows[1:]}
    assert {"Visit", "Oversight decision", "Plan", "Significant event"} <= kinds
    event = next(r for r in rows if r[2] == "Significant event")
    assert event[3].startswith("'=HYPERLINK")  # never a formula
    assert "\x1b" not in out and "\x07" not in out
    assert "She has not slept well since." in event[4]
    assert all(not c or c[0] not in "=+-@" for r in rows for c in r)

    text = ok(run(data, "chronology", "C0001", "--kind", "event", "--kind", "visit", env=env))
    assert "Chronology of Amira Khan (C0001): 2 entries, newest first" in text
    assert "Child seen alone" in text and "HYPERLINK" in text and "\x1b" not in text
    # each read is audited as a view of the child's record, by the worker
    svc = open_services(data)
    with svc.reading() as s:
        views = s.exec(select(AuditEvent).where(AuditEvent.action == "view_chronology")).all()
    svc.engine.dispose()
    assert len(views) == 2 and all(v.outcome == "ok" and v.entity_id == 1 for v in views)


def test_refusals_are_words(run, tmp_path):  # noqa: F811
    data, _ = _store(tmp_path)
    other = {"RECORDER_USER": "southsw", "RECORDER_PASSWORD": PASSWORD}
    assert "not on your team's caseload" in refused(run(data, "chronology", "C0001", env=other))
    admin = {"RECORDER_USER": "admin", "RECORDER_PASSWORD": PASSWORD}
    assert "Administrators" in refused(run(data, "chronology", "C0001", env=admin))
    sw = {"RECORDER_USER": "sw", "RECORDER_PASSWORD": PASSWORD}
    assert "not a kind" in refused(run(data, "chronology", "C0001", "--kind", "gossip", env=sw))
    assert "not a date" in refused(run(data, "chronology", "C0001", "--since", "soon", env=sw))
    assert "--user" in refused(run(data, "chronology", "C0001"))
    nobody = refused(run(data, "chronology", "NOPE", env=sw))
    assert nobody == refused(run(data, "chronology", "C0001", env=other))  # no probing
