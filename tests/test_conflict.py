"""Two people, one draft (issue 5, part 5), on SQLite and PostgreSQL.

Two ``Services`` objects on the same store stand for two terminals. A save made from a stale
copy of a draft is refused with a message saying where the text went, and the text is kept
as a separate draft by the same author for the same child; nothing is overwritten."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from recorder.domain.workflow import VisitState
from recorder.services import caseloads, visits
from recorder.services.errors import Conflict, NotAllowed
from recorder.services.visits import DraftConflict
from recorder.store.models import AuditEvent, Visit
from tests.support.factories import complete_content
from tests.support.race import Rendezvous
from tests.support.stores import make_services
from tests.support.world import build_world


@pytest.fixture
def two(db_url, clock):
    """Two terminals on one store, and a team built through the first."""
    a = make_services(db_url, clock)
    b = make_services(db_url, clock)
    world = build_world(a)
    yield a, b, world
    a.engine.dispose()
    b.engine.dispose()


def obs(text):
    return {"seen": text}


def section_text(svc, actor, visit_id, section="observations"):
    return visits.load_visit(svc, actor, visit_id).content[section]


def audit(svc, action):
    with svc.reading() as s:
        return s.exec(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()


def drafts_of(svc, child_id, author_id):
    with svc.reading() as s:
        return s.exec(
            select(Visit)
            .where(Visit.child_id == child_id, Visit.author_id == author_id, Visit.state == "draft")
            .order_by(Visit.id)
        ).all()


def test_second_terminal_stale_save_is_kept_as_a_separate_draft(two):
    a, b, w = two
    vid = visits.start_visit(a, w.sw, w.child)
    base = visits.save_section(a, w.sw, vid, "details", complete_content()["details"])
    # both terminals open the record at the same version
    assert visits.load_visit(b, w.sw, vid).version == base
    v_a = visits.save_section(
        a,
        w.sw,
        vid,
        "observations",
        obs("Terminal A: the kitchen was clean."),
        expected_version=base,
    )
    assert v_a == base + 1
    with pytest.raises(DraftConflict) as e:
        visits.save_section(
            b, w.sw, vid, "observations", obs("Terminal B: Ĳ 晓明 كتب"), expected_version=base
        )
    err = e.value
    assert isinstance(err, Conflict)  # screens that catch Conflict still catch it
    assert f"visit record {err.copy_visit_id}" in err.message and "Nothing is lost" in err.message
    assert "Observations" in err.message
    # the original is untouched by the refused save
    original = visits.load_visit(a, w.sw, vid)
    assert original.content["observations"] == obs("Terminal A: the kitchen was clean.")
    assert original.version == v_a
    # the refused text is in the copy, with the rest of the record as last saved
    copy = visits.load_visit(b, w.sw, err.copy_visit_id)
    assert copy.state is VisitState.DRAFT and copy.author_id == w.sw and copy.child_id == w.child
    assert copy.content["observations"] == obs("Terminal B: Ĳ 晓明 كتب")
    assert copy.content["details"] == original.content["details"]
    assert copy.version == err.copy_version
    # terminal B can carry on in the copy, at the version it was given
    assert (
        visits.save_section(
            b,
            w.sw,
            err.copy_visit_id,
            "analysis",
            {"analysis": "More to say."},
            expected_version=err.copy_version,
        )
        == err.copy_version + 1
    )
    # the worker sees both drafts on the child's page
    view = caseloads.child_view(a, w.sw, w.child)
    assert {v.id for v in view.visits} == {vid, err.copy_visit_id}
    # and can tell them apart: the copy says when it was kept, the original nothing
    kept_at = {v.id: v.copy_kept_at for v in view.visits}
    assert kept_at[vid] is None
    assert kept_at[err.copy_visit_id] is not None
    # audited: the refused save, then the copy (no case text in either)
    refused = [e for e in audit(a, "save_section") if e.outcome == "refused"][-1]
    assert (refused.outcome, refused.detail, refused.entity_id) == ("refused", "stale_version", vid)
    kept = audit(a, "keep_conflict_copy")
    assert [(k.outcome, k.entity_id) for k in kept] == [("ok", err.copy_visit_id)]
    assert kept[0].detail == f"conflict_copy_of={vid};section=observations"
    assert kept_at[err.copy_visit_id] == kept[0].at


def test_stale_save_after_the_other_terminal_submitted_keeps_the_text(two):
    a, b, w = two
    vid = visits.start_visit(a, w.sw, w.child)
    for section, data in complete_content().items():
        version = visits.save_section(a, w.sw, vid, section, data)
    visits.submit(a, w.sw, vid, expected_version=version)
    with pytest.raises(DraftConflict) as e:
        visits.save_section(
            b,
            w.sw,
            vid,
            "observations",
            obs("Typed in the other window."),
            expected_version=version,
        )
    assert visits.load_visit(a, w.sw, vid).state is VisitState.AWAITING_OVERSIGHT
    assert (
        visits.load_visit(a, w.sw, vid).content["observations"]
        == complete_content()["observations"]
    )
    assert section_text(b, w.sw, e.value.copy_visit_id) == obs("Typed in the other window.")


def test_a_stale_save_by_someone_else_is_refused_and_copies_nothing(two):
    a, b, w = two
    vid = visits.start_visit(a, w.sw, w.child)
    visits.save_section(a, w.sw, vid, "observations", obs("mine"))
    before = len(drafts_of(a, w.child, w.sw2))
    with pytest.raises(NotAllowed):
        visits.save_section(b, w.sw2, vid, "observations", obs("not mine"), expected_version=1)
    assert len(drafts_of(a, w.child, w.sw2)) == before
    assert section_text(a, w.sw, vid) == obs("mine")


def test_current_version_saves_normally_and_no_copy_is_made(two):
    a, b, w = two
    vid = visits.start_visit(a, w.sw, w.child)
    v1 = visits.save_section(a, w.sw, vid, "observations", obs("one"), expected_version=1)
    v2 = visits.save_section(b, w.sw, vid, "observations", obs("two"), expected_version=v1)
    assert v2 == v1 + 1 and section_text(a, w.sw, vid) == obs("two")
    assert [d.id for d in drafts_of(a, w.child, w.sw)] == [vid]


def test_simultaneous_saves_at_the_same_version_one_wins_one_is_copied(two, monkeypatch):
    """Both terminals read the draft before either writes. Without a row lock on PostgreSQL
    both would pass the version check and the second would silently overwrite the first."""
    a, b, w = two
    vid = visits.start_visit(a, w.sw, w.child)
    together = Rendezvous(2, a.engine)
    real_visit = visits.get_visit

    def slow_visit(s, visit_id, **kw):
        v = real_visit(s, visit_id, **kw)
        if kw.get("lock"):
            # wait for the other terminal to have read it too (or give up after 2 s, or when
            # PostgreSQL shows it waiting for this one's lock)
            together.wait()
        return v

    monkeypatch.setattr(visits, "get_visit", slow_visit)
    results: dict[str, object] = {}

    def save(name, svc):
        try:
            results[name] = visits.save_section(
                svc, w.sw, vid, "observations", obs(f"from {name}"), expected_version=1
            )
        except Exception as e:  # noqa: BLE001 - recorded for the assertions
            results[name] = e

    threads = [threading.Thread(target=save, args=(n, s)) for n, s in (("A", a), ("B", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    won = [n for n, r in results.items() if r == 2]
    lost = [r for r in results.values() if isinstance(r, DraftConflict)]
    assert len(won) == 1 and len(lost) == 1, results
    monkeypatch.undo()
    assert section_text(a, w.sw, vid) == obs(f"from {won[0]}")
    loser = "B" if won[0] == "A" else "A"
    assert section_text(a, w.sw, lost[0].copy_visit_id) == obs(f"from {loser}")


def test_stale_text_that_could_never_be_saved_is_refused_without_a_copy(two):
    a, b, w = two
    vid = visits.start_visit(a, w.sw, w.child)
    visits.save_section(a, w.sw, vid, "observations", obs("one"), expected_version=1)
    too_long = "x" * (a.policy.long_text_max_chars + 1)
    from recorder.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as e:
        visits.save_section(b, w.sw, vid, "observations", obs(too_long), expected_version=1)
    assert "limit" in e.value.message and not isinstance(e.value, Conflict)
    assert [d.id for d in drafts_of(a, w.child, w.sw)] == [vid]


def _race(monkeypatch, calls, engine):
    """Run ``calls`` (name -> fn) in threads that all read the visit before any writes
    (each waits up to 2 s for the others once it has loaded the visit row, or until
    PostgreSQL shows one waiting for its lock: tests/support/race.py)."""
    together = Rendezvous(len(calls), engine)
    real_visit = visits.get_visit

    def slow_visit(s, visit_id, **kw):
        v = real_visit(s, visit_id, **kw)
        together.wait()
        return v

    monkeypatch.setattr(visits, "get_visit", slow_visit)
    results: dict[str, object] = {}

    def run(name, fn):
        try:
            results[name] = fn()
        except Exception as e:  # noqa: BLE001 - recorded for the assertions
            results[name] = e

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    monkeypatch.undo()
    return results


@pytest.mark.parametrize("transition", ["countersign", "sign_off"])
def test_two_signers_at_the_same_moment_sign_once(two, monkeypatch, transition):
    """Two colleagues in two terminals countersign (or two managers sign off) the same record
    at the same moment: one signs, the other is told it has moved on; never two signatures."""
    from recorder.services.errors import ServiceError
    from recorder.store.models import Countersign, Signature
    from tests.support.records import COUNTERSIGN_COMMENT, countersigned, note_for, submitted
    from tests.support.world import PASSWORD

    a, b, w = two
    if transition == "countersign":
        vid = submitted(a, w.student, w.child)
        calls = {
            "A": lambda: visits.countersign(a, w.sw, vid, COUNTERSIGN_COMMENT, PASSWORD),
            "B": lambda: visits.countersign(b, w.sw2, vid, COUNTERSIGN_COMMENT, PASSWORD),
        }
    else:
        vid = countersigned(a, w.student, w.child, w.sw)
        note = note_for(a, vid)
        calls = {
            "A": lambda: visits.sign_off(a, w.manager, vid, note, PASSWORD),
            "B": lambda: visits.sign_off(b, w.manager2, vid, note, PASSWORD),
        }
    results = _race(monkeypatch, calls, a.engine)
    ok = [n for n, r in results.items() if r is None]
    refused = [r for r in results.values() if isinstance(r, ServiceError)]
    assert len(ok) == 1 and len(refused) == 1, results
    meaning = "Qualified countersign" if transition == "countersign" else "Management oversight"
    with a.reading() as s:
        sigs = s.exec(
            select(Signature).where(Signature.visit_id == vid, Signature.meaning == meaning)
        ).all()
        countersigns = s.exec(select(Countersign).where(Countersign.visit_id == vid)).all()
    assert len(sigs) == 1 and len(countersigns) == 1
