"""Countersign and oversight queues, a record under review, the team view and case-level
oversight notes, through the services on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import select

from recorder.domain.roles import COUNTERSIGN_BADGE
from recorder.domain.workflow import VisitState
from recorder.services import caseloads, children, oversight, team, visits
from recorder.services.errors import InvalidInput, NotAllowed
from recorder.store.models import AuditEvent, OversightNote, Signature, Visit
from tests.support.factories import complete_content
from tests.support.records import fill, flag_codes, good_note
from tests.support.world import PASSWORD, build_world

COMMENT = "I checked every section and the child's words are quoted; agreed with the plan."


@pytest.fixture
def world(svc):
    return build_world(svc)


def last_audit(svc):
    with svc.reading() as s:
        return s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def submitted(svc, author, child, content=None, reasons=None):
    vid = visits.start_visit(svc, author, child)
    fill(svc, author, vid, content)
    visits.submit(svc, author, vid, query_reasons=reasons)
    return vid


def test_countersign_queue_is_for_registered_team_members_sorted_by_due(svc, world, clock):
    first = submitted(svc, world.student, world.child)
    clock.advance(days=1)  # a Friday: the second record is due a working day later
    second = submitted(svc, world.awaiting, world.child)
    own = submitted(svc, world.sw, world.child)  # a qualified author's record never waits here

    rows = oversight.countersign_queue(svc, world.sw)
    assert [r.visit_id for r in rows] == [first, second]
    assert own not in [r.visit_id for r in rows]
    assert rows[0].author_name == "Stu Student" and rows[0].author_needs_countersign
    assert rows[0].due == date(2026, 11, 30)
    assert rows[0].due_words == "due in 1 working day"  # frozen clock: Friday 27 Nov
    assert rows[0].child_name == "Amira Khan" and rows[0].visit_type.startswith("Child protection")
    assert last_audit(svc).action == "view_countersign_queue"
    assert last_audit(svc).outcome == "ok"
    # a manager sees the same; the other team does not
    assert [r.visit_id for r in oversight.countersign_queue(svc, world.manager)] == [first, second]
    assert oversight.countersign_queue(svc, world.other_team_sw) == []


def test_countersign_queue_refuses_unqualified_and_admin_and_excludes_the_author(svc, world):
    vid = submitted(svc, world.student, world.child)
    for who in (world.student, world.awaiting):
        with pytest.raises(NotAllowed, match="Students"):
            oversight.countersign_queue(svc, who)
        assert (last_audit(svc).action, last_audit(svc).outcome) == (
            "view_countersign_queue",
            "refused",
        )
    with pytest.raises(NotAllowed, match="Administrators"):
        oversight.countersign_queue(svc, world.admin)
    # the author is never offered their own record, whatever their role becomes
    accounts_rows = oversight.countersign_queue(svc, world.sw2)
    assert [r.visit_id for r in accounts_rows] == [vid]
    assert all(r.author_id != world.sw2 for r in accounts_rows)


def test_oversight_queue_rows_carry_flags_with_reasons_and_who_may_sign(svc, world, clock):
    late = complete_content()  # a 2025 visit recorded in 2026: late
    late["seen"]["seen_alone"] = "no"
    late["seen"]["not_alone_reason"] = "unable"
    late["seen"]["not_alone_detail"] = "She wanted her mum with her [bold]today[/]."
    vid = visits.start_visit(svc, world.student, world.child)
    fill(svc, world.student, vid, late)
    findings = visits.load_visit(svc, world.student, vid).findings
    reasons = {f.code: f"Reason for {f.code}: [/ not markup" for f in findings}
    visits.submit(svc, world.student, vid, query_reasons=reasons)
    visits.countersign(svc, world.manager2, vid, COMMENT, PASSWORD)
    clock.advance(days=4)
    sw_vid = submitted(svc, world.sw, world.child)

    with pytest.raises(NotAllowed, match="team manager"):
        oversight.oversight_queue(svc, world.sw)
    rows = oversight.oversight_queue(svc, world.manager)
    assert [r.visit_id for r in rows] == [vid, sw_vid]
    first = rows[0]
    codes = [f.code for f in first.flags]
    assert "not_seen_alone" in codes and "unqualified_author" in codes and "recorded_late" in codes
    alone = next(f for f in first.flags if f.code == "not_seen_alone")
    assert "[bold]today[/]" in alone.detail  # the worker's words, kept as text
    queries = [f for f in first.flags if f.code.startswith("query:")]
    assert len(queries) == len(reasons) > 0
    assert all(f.detail.endswith("[/ not markup") for f in queries)
    assert first.author_needs_countersign and first.can_act
    # submitted Thu 26 Nov, due 5 working days later (Thu 3 Dec); today is Mon 30 Nov
    assert first.due == date(2026, 12, 3) and first.due_words == "due in 3 working days"
    # manager2 countersigned it: listed, with the reason they cannot sign it off
    mine = oversight.oversight_queue(svc, world.manager2)[0]
    assert mine.visit_id == vid and not mine.can_act and "countersigned" in mine.why_not
    clock.advance(days=4)  # Friday 4 Dec
    assert oversight.oversight_queue(svc, world.manager)[0].due_words == "overdue by 1 working day"
    assert oversight.oversight_queue(svc, world.manager)[0].overdue


def test_review_says_whether_a_statutory_visit_counts(svc, world):
    alone = submitted(svc, world.student, world.child)
    r = oversight.review(svc, world.sw, alone)
    assert r.statutory_type and not r.counts_as_statutory
    assert r.statutory_note == oversight.NON_STATUTORY_NOTE
    assert r.may_countersign and r.may_return and not r.may_sign_off
    assert r.comment_min_words == svc.policy.countersign_comment_min_words
    assert not oversight.review(svc, world.student, alone).may_countersign

    joint = complete_content()
    joint["details"]["joint_worker"] = world.sw  # chosen from the team's registered staff
    jv = submitted(svc, world.student, world.child, joint)
    r = oversight.review(svc, world.sw2, jv)
    assert not r.counts_as_statutory and "Sam Social" in r.joint_worker
    assert "awaiting confirmation by Sam Social" in r.statutory_note
    from recorder.services.joint import confirm_joint_attendance

    confirm_joint_attendance(svc, world.sw, jv, PASSWORD)
    r = oversight.review(svc, world.sw2, jv)
    assert r.counts_as_statutory and "counts as statutory" in r.statutory_note
    with pytest.raises(NotAllowed):
        oversight.review(svc, world.other_team_sw, jv)
    # a qualified author's record says nothing about joint attendance
    assert (
        oversight.review(svc, world.manager, submitted(svc, world.sw, world.child)).statutory_note
        == ""
    )


def test_full_path_countersign_then_oversight_then_signed_off_on_child_view(svc, world):
    vid = submitted(svc, world.student, world.child)
    visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)
    assert oversight.countersign_queue(svc, world.manager) == []
    r = oversight.review(svc, world.manager, vid)
    assert [c.signer_name for c in r.countersigns] == ["Sam Social"]
    assert r.countersigns[0].comment == COMMENT
    visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
    assert oversight.oversight_queue(svc, world.manager) == []
    view = caseloads.child_view(svc, world.sw, world.child)
    row = next(v for v in view.visits if v.id == vid)
    assert row.state == VisitState.SIGNED_OFF
    assert row.signatures == (
        "Recorded and submitted: Stu Student, Unqualified worker (student)",
        "Qualified countersign: Sam Social, Social worker",
        "Management oversight: Maya Manager, Team manager",
    )


def test_every_refusal_is_refused_and_audited(svc, world):
    vid = submitted(svc, world.student, world.child)
    cases = [
        (
            lambda: visits.countersign(svc, world.awaiting, vid, COMMENT, PASSWORD),
            NotAllowed,
            "Students",
        ),
        (
            lambda: visits.countersign(svc, world.student, vid, COMMENT, PASSWORD),
            NotAllowed,
            "your own",
        ),
        (lambda: visits.countersign(svc, world.sw, vid, COMMENT, "wrong!"), NotAllowed, "password"),
    ]
    for call, error, words in cases:
        with pytest.raises(error, match=words):
            call()
        assert last_audit(svc).outcome == "refused"
    visits.countersign(svc, world.manager2, vid, COMMENT, PASSWORD)
    codes = flag_codes(svc, vid)
    empty = replace(good_note(codes), risk="   ")
    unanswered = good_note([c for c in codes if c != "unqualified_author"])
    cases = [
        (
            lambda: visits.sign_off(svc, world.manager2, vid, good_note(codes), PASSWORD),
            NotAllowed,
            "countersigned",
        ),
        (
            lambda: visits.sign_off(svc, world.manager, vid, good_note(codes), "wrong!"),
            NotAllowed,
            "password",
        ),
        (
            lambda: visits.sign_off(svc, world.manager, vid, empty, PASSWORD),
            InvalidInput,
            "Risk may not be empty",
        ),
        (
            lambda: visits.sign_off(svc, world.manager, vid, unanswered, PASSWORD),
            InvalidInput,
            "Written by an unqualified worker: Answer this flag",
        ),
        (
            lambda: visits.sign_off(svc, world.sw, vid, good_note(codes), PASSWORD),
            NotAllowed,
            "team manager",
        ),
    ]
    for call, error, words in cases:
        with pytest.raises(error, match=words):
            call()
        assert (last_audit(svc).action, last_audit(svc).outcome) == ("sign_off", "refused")
    with svc.reading() as s:
        assert s.get(Visit, vid).state == VisitState.AWAITING_OVERSIGHT
    own = submitted(svc, world.manager, world.child)
    with pytest.raises(NotAllowed, match="own record"):
        visits.sign_off(svc, world.manager, own, good_note(flag_codes(svc, own)), PASSWORD)


def test_return_from_oversight_and_resubmission_comes_back_to_the_queue(svc, world):
    vid = submitted(svc, world.sw, world.child)
    visits.return_for_changes(svc, world.manager, vid, "Add what the school said, please.")
    assert oversight.oversight_queue(svc, world.manager) == []
    visits.submit(svc, world.sw, vid)
    assert [r.visit_id for r in oversight.oversight_queue(svc, world.manager)] == [vid]


def test_case_level_note_has_the_headings_and_a_signature_on_the_child(svc, world, clock):
    note = replace(good_note(), flag_responses={})
    with pytest.raises(NotAllowed, match="team manager"):
        oversight.add_case_note(svc, world.sw, world.child, note, PASSWORD)
    with pytest.raises(NotAllowed, match="password"):
        oversight.add_case_note(svc, world.manager, world.child, note, "wrong!")
    with pytest.raises(InvalidInput, match="Decision may not be empty"):
        oversight.add_case_note(
            svc, world.manager, world.child, replace(note, decision=""), PASSWORD
        )
    with pytest.raises(InvalidInput, match="at least 30"):
        oversight.add_case_note(
            svc, world.manager, world.child, replace(note, analysis="Too short."), PASSWORD
        )
    with pytest.raises(InvalidInput, match="Action 1 needs who"):
        oversight.add_case_note(
            svc,
            world.manager,
            world.child,
            replace(note, actions=({"what": "Review", "by_when": "Friday"},)),
            PASSWORD,
        )
    with pytest.raises(NotAllowed):
        oversight.add_case_note(svc, world.manager, 999_999, note, PASSWORD)
    assert last_audit(svc).outcome == "refused"
    with svc.reading() as s:
        assert s.exec(select(OversightNote)).all() == []

    nid = oversight.add_case_note(
        svc,
        world.manager,
        world.child,
        replace(note, decision="No further action [bold]now[/] \x1b]0;x\x07"),
        PASSWORD,
    )
    with svc.reading() as s:
        row = s.get(OversightNote, nid)
        sig = s.get(Signature, row.signature_id)
    assert row.visit_id is None and row.child_id == world.child
    assert row.decision == "No further action [bold]now[/] ]0;x"  # cleaned, not parsed
    assert sig.visit_id is None and sig.child_id == world.child
    assert sig.meaning == "Management oversight" and sig.registration_number == "SW100001"
    assert len(sig.content_sha256) == 64
    assert (last_audit(svc).action, last_audit(svc).outcome) == ("add_case_note", "ok")

    view = caseloads.child_view(svc, world.sw, world.child)
    assert [n.id for n in view.notes] == [nid]
    assert view.notes[0].manager_name == "Maya Manager"
    assert view.notes[0].signature.signer_name == "Maya Manager"
    listed = oversight.case_notes(svc, world.student, world.child)
    assert [n.id for n in listed] == [nid]
    with pytest.raises(NotAllowed):
        oversight.case_notes(svc, world.other_team_sw, world.child)
    # the child screen offers the note key from this answer; add_case_note enforces the same
    assert caseloads.child_view(svc, world.manager, world.child).may_add_case_note
    assert not view.may_add_case_note
    assert "registered team manager" in view.may_add_case_note.reason


def test_team_view_counts_per_worker_and_lists_manager_and_unqualified_cases_apart(
    svc, world, clock
):
    for ref, who in (
        ("C0101", "manager"),
        ("C0102", None),  # held by the student: only as a store from before issue 12 had it
        ("C0103", "manager"),
        ("C0104", None),
    ):
        children.add_child(
            svc,
            world.admin,
            children.ChildInput(
                reference=ref,
                full_name=f"Child {ref}",
                date_of_birth=date(2018, 1, 1),
                plan_type="child_in_need",
                plan_start=date(2026, 9, 1),
                team="North",
                allocated_worker=who,
            ),
        )
    from sqlalchemy import text
    from sqlmodel import Session

    from recorder.store.engine import writer

    with Session(writer(svc.engine)) as s, s.begin():
        s.execute(
            text("UPDATE child SET allocated_worker_id = :w WHERE reference = 'C0102'"),
            {"w": world.student},
        )
    waiting_cs = submitted(svc, world.student, world.child)
    submitted(svc, world.sw, world.child)
    clock.advance(days=10)  # the sw's record is now past its oversight due date

    with pytest.raises(NotAllowed, match="team manager"):
        team.team_view(svc, world.sw)
    t = team.team_view(svc, world.manager)
    assert t.team_name == "North"
    by = {w.name: w for w in t.workers}
    assert set(by) == {
        "Maya Manager",
        "Mo Manager",
        "Sam Social",
        "Sol Social",
        "Stu Student",
        "Ava Awaiting",
    }
    sam, stu = by["Sam Social"], by["Stu Student"]
    assert (
        sam.children,
        sam.awaiting_countersign,
        sam.awaiting_oversight,
        sam.oversight_overdue,
    ) == (1, 0, 1, 1)
    assert sam.statutory_overdue == 1  # Amira: plan from 1 Sep, never visited
    assert (stu.children, stu.awaiting_countersign, stu.awaiting_oversight) == (1, 1, 0)
    assert stu.needs_countersign and not sam.needs_countersign
    assert stu.oversight_overdue == 1
    assert t.allocated_to_social_workers == 1
    assert [c.reference for c in t.allocated_to_managers] == ["C0101", "C0103"]
    assert [c.reference for c in t.allocated_to_unqualified] == ["C0102"]
    assert [c.reference for c in t.unallocated] == ["C0104"]
    assert (last_audit(svc).action, last_audit(svc).outcome) == ("view_team", "ok")
    assert waiting_cs


def test_badge_text_is_the_domain_one():
    assert oversight.COUNTERSIGN_BADGE == COUNTERSIGN_BADGE == "Needs qualified countersign"
