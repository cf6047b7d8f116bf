"""The registered social worker who attended jointly (issue 12, defect 8; DOMAIN.md, "Who
uses it": a statutory visit by an unqualified worker counts only if a named registered social
worker attended it jointly and confirmed that with their own signature, "Attended jointly";
the joint worker is chosen from the registered staff, never typed as free text; e.g.
Nottingham City's protocol for child-protection statutory visits)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from recorder.services import integrity, oversight, visits
from recorder.services.errors import Incomplete, InvalidInput, NotAllowed
from recorder.store.models import AuditEvent, Signature, Visit
from tests.support.factories import complete_content
from tests.support.records import fill
from tests.support.world import PASSWORD, build_world


@pytest.fixture
def world(svc):
    return build_world(svc)


def joint_visit(svc, world, joint):
    content = complete_content()
    content["details"]["joint_worker"] = joint
    vid = visits.start_visit(svc, world.student, world.child)
    fill(svc, world.student, vid, content)
    visits.submit(svc, world.student, vid)
    return vid


def row(svc, vid) -> Visit:
    with svc.reading() as s:
        return s.get(Visit, vid)


def test_defect_8_a_typed_name_is_never_the_joint_worker(svc, world):
    """Issue 12, defect 8: on e26c997 "Bob Fake" was accepted as the joint worker (free text
    matched to a name). The joint worker is chosen from the team's registered staff: a typed
    name is refused when it is saved, in words naming the list."""
    vid = visits.start_visit(svc, world.student, world.child)
    content = complete_content()
    content["details"]["joint_worker"] = "Bob Fake"
    with pytest.raises(InvalidInput, match="choose them from the list of your team's registered"):
        fill(svc, world.student, vid, content)
    with pytest.raises(InvalidInput):
        visits.save_section(svc, world.student, vid, "details", {"joint_worker": "Sam Social"})


def test_only_the_teams_registered_staff_may_be_named(svc, world):
    """The picker offers the registered, active staff of the child's team (not the author,
    not an unqualified worker, not another team); anyone else is an error at submit."""
    vid = visits.start_visit(svc, world.student, world.child)
    offered = dict(visits.load_visit(svc, world.student, vid).joint_workers)
    assert set(offered) == {world.manager, world.manager2, world.sw, world.sw2}
    assert offered[world.sw] == "Sam Social, social worker (SW200001)"
    for not_allowed in (world.awaiting, world.other_team_sw, world.student, 99999):
        content = complete_content()
        content["details"]["joint_worker"] = not_allowed
        fill(svc, world.student, vid, content)
        with pytest.raises(Incomplete) as err:
            visits.submit(svc, world.student, vid)
        assert [f.code for f in err.value.findings] == ["details.joint_worker_unknown"]


def test_the_visit_counts_only_once_the_joint_worker_confirms_with_their_signature(svc, world):
    """Until the named worker signs "Attended jointly" (password asked again) the visit is
    not statutory and its flag says whose confirmation it awaits; then it counts."""
    vid = joint_visit(svc, world, world.sw)
    v = row(svc, vid)
    assert v.joint_worker_id == world.sw and not v.counts_as_statutory
    (flag,) = [
        f for f in oversight.review(svc, world.sw2, vid).flags if f.code == "unqualified_author"
    ]
    assert "awaiting confirmation by Sam Social" in flag.detail
    from recorder.services.joint import awaiting_confirmation, confirm_joint_attendance

    (item,) = awaiting_confirmation(svc, world.sw)
    assert (item.visit_id, item.child_name, item.author_name) == (vid, "Amira Khan", "Stu Student")
    assert awaiting_confirmation(svc, world.sw2) == []
    with pytest.raises(NotAllowed, match="password"):
        confirm_joint_attendance(svc, world.sw, vid, "not the password")
    assert not row(svc, vid).counts_as_statutory
    confirm_joint_attendance(svc, world.sw, vid, PASSWORD)
    assert row(svc, vid).counts_as_statutory
    assert awaiting_confirmation(svc, world.sw) == []
    (flag,) = [
        f for f in oversight.review(svc, world.sw2, vid).flags if f.code == "unqualified_author"
    ]
    assert "(confirmed, signed)" in flag.detail
    from recorder.domain.signing import JOINT_MEANING

    with svc.reading() as s:
        (sig,) = s.exec(select(Signature).where(Signature.meaning == JOINT_MEANING)).all()
        assert (sig.signer_id, sig.signer_name, sig.registration_number) == (
            world.sw,
            "Sam Social",
            "SW200001",
        )
    with pytest.raises(NotAllowed, match="already confirmed"):
        confirm_joint_attendance(svc, world.sw, vid, PASSWORD)


def test_nobody_else_confirms_and_every_attempt_is_audited(svc, world):
    from recorder.services.joint import confirm_joint_attendance

    vid = joint_visit(svc, world, world.sw)
    for other in (world.sw2, world.manager, world.student):
        with pytest.raises(NotAllowed, match="Only the registered social worker named"):
            confirm_joint_attendance(svc, other, vid, PASSWORD)
    assert not row(svc, vid).counts_as_statutory
    with svc.reading() as s:
        outcomes = [
            e.outcome
            for e in s.exec(
                select(AuditEvent).where(AuditEvent.action == "confirm_joint_attendance")
            )
        ]
    assert len(outcomes) == 3 and all(o != "ok" for o in outcomes)


def test_recorder_check_verifies_the_joint_signature(svc, world):
    """The "Attended jointly" signature is hashed like every other, and ``recorder check``
    recomputes it from the submission it confirms; a changed hash is found."""
    from recorder.domain.signing import JOINT_MEANING
    from recorder.services.joint import confirm_joint_attendance

    vid = joint_visit(svc, world, world.sw)
    confirm_joint_attendance(svc, world.sw, vid, PASSWORD)
    before = integrity.check_store(svc)
    assert before.ok, before.problems
    from tests.test_integrity import drop_triggers, raw

    drop_triggers(svc, "signature")
    raw(
        svc, f"UPDATE signature SET content_sha256 = '{'0' * 64}' WHERE meaning = '{JOINT_MEANING}'"
    )
    after = integrity.check_store(svc)
    assert not after.ok
    assert any("joint attendance of visit" in p for p in after.problems)


def test_a_record_returned_and_submitted_again_unchanged_needs_a_new_confirmation(svc, world):
    """Found by tests/test_stateful.py: the submission's digest does not change when a
    returned record is submitted again as it was, so the first round's "Attended jointly"
    matched the second round's payload and the joint worker was refused ("already
    confirmed") while the visit did not count. A confirmation is of the latest submission
    and made after it."""
    from recorder.services.joint import awaiting_confirmation, confirm_joint_attendance

    vid = joint_visit(svc, world, world.sw)
    confirm_joint_attendance(svc, world.sw, vid, PASSWORD)
    assert row(svc, vid).counts_as_statutory
    visits.return_for_changes(svc, world.sw2, vid, "Please say more about the child's views.")
    visits.submit(svc, world.student, vid)  # nothing changed
    assert not row(svc, vid).counts_as_statutory
    assert [i.visit_id for i in awaiting_confirmation(svc, world.sw)] == [vid]
    confirm_joint_attendance(svc, world.sw, vid, PASSWORD)
    assert row(svc, vid).counts_as_statutory
    assert awaiting_confirmation(svc, world.sw) == []
    with pytest.raises(NotAllowed, match="already confirmed"):
        confirm_joint_attendance(svc, world.sw, vid, PASSWORD)
    report = integrity.check_store(svc)
    assert report.ok, report.problems
