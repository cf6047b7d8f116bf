"""The life of a visit record through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import select

from recorder.domain.workflow import VisitState
from recorder.services import visits
from recorder.services.errors import Conflict, Incomplete, InvalidInput, NotAllowed
from recorder.store.models import AuditEvent, Signature, Visit
from tests.support.factories import complete_content
from tests.support.records import fill, flag_codes, good_note  # noqa: F401 (importers)
from tests.support.world import PASSWORD, build_world


def audit_rows(svc):
    with svc.reading() as s:
        return s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()


@pytest.fixture
def world(svc):
    return build_world(svc)


def test_social_worker_visit_goes_to_oversight_then_signed_off(svc, world):
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid)
    result = visits.submit(svc, world.sw, vid)
    assert result.state is VisitState.AWAITING_OVERSIGHT
    assert result.counts_as_statutory
    view = visits.load_visit(svc, world.manager, vid)
    with svc.reading() as s:
        codes = [f.code for f in visits.flags_for(s, svc, s.get(Visit, vid))]
    visits.sign_off(svc, world.manager, vid, good_note(codes), PASSWORD)
    with svc.reading() as s:
        v = s.get(Visit, vid)
        assert v.state == VisitState.SIGNED_OFF
        sigs = s.exec(select(Signature).where(Signature.visit_id == vid)).all()
    assert [g.meaning for g in sigs] == ["Recorded and submitted", "Management oversight"]
    assert sigs[0].signer_id == world.sw and sigs[0].registration_number == "SW200001"
    assert sigs[1].registration_number == "SW100001"
    assert len(sigs[1].content_sha256) == 64 and sigs[0].content_sha256 != sigs[1].content_sha256
    assert view.state is VisitState.AWAITING_OVERSIGHT


def test_student_needs_countersign_then_oversight(svc, world):
    vid = visits.start_visit(svc, world.student, world.child)
    fill(svc, world.student, vid)
    result = visits.submit(svc, world.student, vid)
    assert result.state is VisitState.AWAITING_COUNTERSIGN
    assert not result.counts_as_statutory  # no registered worker attended jointly
    # refusals: the author, another unqualified worker, a wrong password, a short comment
    comment = "I checked every section and the child's words are quoted; agreed with the plan."
    with pytest.raises(NotAllowed, match="your own"):
        visits.countersign(svc, world.student, vid, comment, PASSWORD)
    with pytest.raises(NotAllowed, match="Students"):
        visits.countersign(svc, world.awaiting, vid, comment, PASSWORD)
    with pytest.raises(NotAllowed, match="password"):
        visits.countersign(svc, world.sw, vid, comment, "wrong password!")
    with pytest.raises(InvalidInput, match="words"):
        visits.countersign(svc, world.sw, vid, "ok", PASSWORD)
    with pytest.raises(NotAllowed, match="not waiting for management"):
        visits.sign_off(svc, world.manager, vid, good_note(), PASSWORD)
    visits.countersign(svc, world.manager2, vid, comment, PASSWORD)
    with svc.reading() as s:
        codes = [f.code for f in visits.flags_for(s, svc, s.get(Visit, vid))]
    assert "unqualified_author" in codes
    with pytest.raises(NotAllowed, match="countersigned"):
        visits.sign_off(svc, world.manager2, vid, good_note(codes), PASSWORD)
    with pytest.raises(InvalidInput, match="Answer this flag"):
        visits.sign_off(svc, world.manager, vid, good_note(), PASSWORD)
    visits.sign_off(svc, world.manager, vid, good_note(codes), PASSWORD)
    with svc.reading() as s:
        assert s.get(Visit, vid).state == VisitState.SIGNED_OFF
        meanings = [g.meaning for g in s.exec(select(Signature).where(Signature.visit_id == vid))]
    # three signatures: the student's own, the qualified countersign, management oversight
    assert meanings == ["Recorded and submitted", "Qualified countersign", "Management oversight"]


def test_incomplete_record_cannot_be_submitted_and_nothing_changes(svc, world):
    vid = visits.start_visit(svc, world.sw, world.child)
    with pytest.raises(Incomplete) as e:
        visits.submit(svc, world.sw, vid)
    assert e.value.findings
    with svc.reading() as s:
        assert s.get(Visit, vid).state == VisitState.DRAFT
    last = audit_rows(svc)[-1]
    assert (last.action, last.outcome) == ("submit", "refused")
    assert "Amira" not in last.detail


def test_return_for_changes_goes_back_to_draft_and_resubmits(svc, world):
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid)
    visits.submit(svc, world.sw, vid)
    with pytest.raises(InvalidInput):
        visits.return_for_changes(svc, world.manager, vid, "   ")
    visits.return_for_changes(svc, world.manager, vid, "Please add what the school said.")
    view = visits.load_visit(svc, world.sw, vid)
    assert view.state is VisitState.DRAFT
    assert [r.comment for r in view.returns] == ["Please add what the school said."]
    assert view.returned_by == {world.manager: "Maya Manager, team manager"}
    assert visits.submit(svc, world.sw, vid).state is VisitState.AWAITING_OVERSIGHT


def test_manager_cannot_sign_off_own_visit(svc, world):
    vid = visits.start_visit(svc, world.manager, world.child)
    fill(svc, world.manager, vid)
    visits.submit(svc, world.manager, vid)
    with pytest.raises(NotAllowed, match="own record"):
        visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
    visits.sign_off(svc, world.manager2, vid, good_note(flag_codes(svc, vid)), PASSWORD)


def test_only_author_edits_and_only_drafts(svc, world):
    vid = visits.start_visit(svc, world.sw, world.child)
    with pytest.raises(NotAllowed):
        visits.save_section(svc, world.sw2, vid, "observations", {"seen": "x"})
    fill(svc, world.sw, vid)
    visits.submit(svc, world.sw, vid)
    with pytest.raises(NotAllowed, match="only a draft"):
        visits.save_section(svc, world.sw, vid, "observations", {"seen": "x"})


def test_other_team_and_admin_cannot_start_or_read(svc, world):
    with pytest.raises(NotAllowed):
        visits.start_visit(svc, world.other_team_sw, world.child)
    with pytest.raises(NotAllowed, match="Administrators"):
        visits.start_visit(svc, world.admin, world.child)
    vid = visits.start_visit(svc, world.sw, world.child)
    with pytest.raises(NotAllowed):
        visits.load_visit(svc, world.admin, vid)


def test_stale_version_is_refused_and_keeps_newer_text(svc, world):
    vid = visits.start_visit(svc, world.sw, world.child)
    v1 = visits.save_section(svc, world.sw, vid, "observations", {"seen": "first"}, None)
    visits.save_section(svc, world.sw, vid, "observations", {"seen": "second"}, v1)
    with pytest.raises(Conflict):
        visits.save_section(svc, world.sw, vid, "observations", {"seen": "stale"}, v1)
    assert visits.load_visit(svc, world.sw, vid).content["observations"]["seen"] == "second"


def test_saved_text_is_cleaned_and_audit_has_no_case_text(svc, world):
    vid = visits.start_visit(svc, world.sw, world.child)
    visits.save_section(
        svc,
        world.sw,
        vid,
        "observations",
        {"seen": "Mum said \x1b]0;pwned\x07 hello \u202eevil [bold]x[/]"},
    )
    seen = visits.load_visit(svc, world.sw, vid).content["observations"]["seen"]
    assert "\x1b" not in seen and "\u202e" not in seen and "[bold]x[/]" in seen
    assert all("Mum" not in a.detail for a in audit_rows(svc))


def test_too_long_text_is_refused_with_message(svc, world):
    vid = visits.start_visit(svc, world.sw, world.child)
    with pytest.raises(InvalidInput, match="limit"):
        visits.save_section(svc, world.sw, vid, "observations", {"seen": "x" * 100_001})


def test_every_action_leaves_one_audit_event(svc, world):
    before = len(audit_rows(svc))
    vid = visits.start_visit(svc, world.sw, world.child)
    with pytest.raises(NotAllowed):
        visits.start_visit(svc, world.admin, world.child)
    visits.save_section(svc, world.sw, vid, "observations", {"seen": "x"})
    rows = audit_rows(svc)[before:]
    assert [(r.action, r.outcome) for r in rows] == [
        ("start_visit", "ok"),
        ("start_visit", "refused"),
        ("save_section", "ok"),
    ]
    assert rows[0].entity_id == vid and rows[0].actor_id == world.sw


def test_lateness_is_the_first_submission_and_failed_access_does_not_count(svc, world, clock):
    content = complete_content()
    content["details"]["visit_at"] = "2026-11-25T15:00"  # yesterday: on time when submitted today
    for a in content["actions"]["actions"]:
        a["by_when"] = "2026-12-20"
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid, content)
    assert visits.submit(svc, world.sw, vid).counts_as_statutory
    assert "recorded_late" not in flag_codes(svc, vid)
    visits.return_for_changes(svc, world.manager, vid, "Please add the school's view.")
    clock.advance(days=14)
    visits.submit(svc, world.sw, vid)
    assert "recorded_late" not in flag_codes(svc, vid)

    late = complete_content()  # a 2025 visit recorded now is late
    vid2 = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid2, late)
    visits.submit(svc, world.sw, vid2)
    assert "recorded_late" in flag_codes(svc, vid2)


def test_failed_access_visit_keeps_the_statutory_visit_due(svc, world):
    content = complete_content()
    content["seen"] = {
        "child_seen": "no",
        "failed_what_happened": "No answer at the door; curtains drawn.",
        "failed_attempts": ["phone", "neighbours"],
        "failed_attempts_detail": "Rang mother twice; neighbour had not seen the family.",
        "failed_action": ["manager_informed"],
        "failed_action_detail": "Told Maya Manager at 16:00.",
        "failed_next_seen": "2026-11-27",
    }
    content["voice"] = {"views_from_others": "School say Amira has seemed settled this week."}
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid, content)
    result = visits.submit(
        svc,
        world.sw,
        vid,
        query_reasons={
            f.code: "reason given" for f in visits.load_visit(svc, world.sw, vid).findings
        },
    )
    assert not result.counts_as_statutory
    assert "child_not_seen" in flag_codes(svc, vid)


def test_a_countersigner_of_an_earlier_round_still_cannot_sign_off(svc, world, clock):
    comment = "I checked every section and the child's words are quoted; agreed with the plan."
    vid = visits.start_visit(svc, world.student, world.child)
    fill(svc, world.student, vid)
    visits.submit(svc, world.student, vid)
    visits.countersign(svc, world.manager, vid, comment, PASSWORD)
    visits.return_for_changes(svc, world.manager2, vid, "Please add the school's view.")
    clock.advance(minutes=5)
    visits.submit(svc, world.student, vid)
    visits.countersign(svc, world.sw, vid, comment, PASSWORD)
    with pytest.raises(NotAllowed, match="You countersigned"):
        visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
    visits.sign_off(svc, world.manager2, vid, good_note(flag_codes(svc, vid)), PASSWORD)


def test_lone_surrogates_are_stripped_so_signing_works(svc, world):
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    content["observations"]["seen"] += " broken \ud800 text"
    fill(svc, world.sw, vid, content)
    assert "\ud800" not in visits.load_visit(svc, world.sw, vid).content["observations"]["seen"]
    visits.submit(svc, world.sw, vid)
    visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
