"""Drafts of notes, comments and addenda through the services, on SQLite and PostgreSQL:
saved and loaded by their writer only, versioned, cleaned, audited without their text, and
removed by the signing that uses them."""

from __future__ import annotations

import pytest
from sqlmodel import select

from recorder.domain.drafts import DraftKind
from recorder.services import addenda, drafts, oversight, visits
from recorder.services.errors import Conflict, InvalidInput, NotAllowed
from recorder.store.models import AuditEvent, FormDraft
from tests.support.records import COUNTERSIGN_COMMENT, note_for, signed_off, submitted
from tests.support.world import PASSWORD, build_world

NOTE = {
    "decision": "Continue the plan;\n  no change.",
    "analysis": "Half an analysis",
    "actions": [{"what": "Book a joint visit", "who": "Sam", "by_when": ""}],
    "flags": {"late": "Discussed"},
}


@pytest.fixture
def world(svc):
    return build_world(svc)


def rows(svc):
    with svc.reading() as s:
        return s.exec(select(FormDraft)).all()


def test_the_writer_saves_and_loads_their_draft_and_nobody_else_sees_it(svc, world):
    vid = submitted(svc, world.sw, world.child)
    assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid) is None
    v1 = drafts.save(svc, world.manager, DraftKind.OVERSIGHT, vid, NOTE, 0)
    assert v1 == 1
    got = drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid)
    assert got is not None and got.content == NOTE and got.version == 1
    assert got.saved_at == svc.now()
    # another manager of the same team, who could sign it off too, finds nothing
    assert drafts.load(svc, world.manager2, DraftKind.OVERSIGHT, vid) is None
    # their own draft is theirs: the first manager's is untouched by it
    drafts.save(svc, world.manager2, DraftKind.OVERSIGHT, vid, {"decision": "Mine"}, 0)
    assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid).content == NOTE
    assert drafts.load(svc, world.manager2, DraftKind.OVERSIGHT, vid).content == {
        "decision": "Mine"
    }
    # a discard by someone else removes only their own
    drafts.discard(svc, world.manager2, DraftKind.OVERSIGHT, vid)
    assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid).content == NOTE
    assert drafts.load(svc, world.manager2, DraftKind.OVERSIGHT, vid) is None
    # the same subject under another kind is another draft
    assert drafts.load(svc, world.manager, DraftKind.RETURN, vid) is None


def test_saving_needs_the_forms_own_rule_and_admins_read_no_drafts(svc, world):
    vid = submitted(svc, world.sw, world.child)
    for who in (world.sw, world.sw2, world.other_team_sw):  # not a manager of the team
        with pytest.raises(NotAllowed):
            drafts.save(svc, who, DraftKind.OVERSIGHT, vid, NOTE, 0)
    with pytest.raises(NotAllowed):
        drafts.load(svc, world.admin, DraftKind.OVERSIGHT, vid)
    with pytest.raises(NotAllowed):
        drafts.save(svc, world.admin, DraftKind.CASE_NOTE, world.child, NOTE, 0)
    # a case note: a manager of the child's team only
    drafts.save(svc, world.manager, DraftKind.CASE_NOTE, world.child, NOTE, 0)
    with pytest.raises(NotAllowed):
        drafts.save(svc, world.sw, DraftKind.CASE_NOTE, world.child, NOTE, 0)
    assert rows(svc)[0].child_id == world.child and rows(svc)[0].visit_id is None


def test_a_stale_save_is_refused_and_an_empty_one_removes_the_draft(svc, world):
    vid = submitted(svc, world.student, world.child)
    k = DraftKind.COUNTERSIGN
    assert drafts.save(svc, world.sw, k, vid, {"comment": "one"}, 0) == 1
    assert drafts.save(svc, world.sw, k, vid, {"comment": "one two"}, 1) == 2
    with pytest.raises(Conflict):
        drafts.save(svc, world.sw, k, vid, {"comment": "from an old window"}, 1)
    with pytest.raises(Conflict):  # a window that saw no draft, when there is one
        drafts.save(svc, world.sw, k, vid, {"comment": "from a new window"}, 0)
    assert drafts.load(svc, world.sw, k, vid).content == {"comment": "one two"}
    assert drafts.save(svc, world.sw, k, vid, {"comment": "  \n "}, 2) == 0
    assert drafts.load(svc, world.sw, k, vid) is None and rows(svc) == []


def test_text_is_cleaned_checked_and_never_copied_into_the_audit_trail(svc, world):
    vid = submitted(svc, world.sw, world.child)
    secret = "She told me \x1b]52;c;aGk=\x07 about [bold]dad[/]   "
    drafts.save(svc, world.manager, DraftKind.OVERSIGHT, vid, {"decision": secret}, 0)
    got = drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid).content["decision"]
    assert got == "She told me ]52;c;aGk= about [bold]dad[/]   "  # escapes gone, spaces kept
    with svc.reading() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.entity == "form_draft")).all()
    assert [e.action for e in events] == ["save_draft", "view_draft"]
    assert all("dad" not in e.detail and "She" not in e.detail for e in events)
    assert events[0].detail == "kind=oversight" and events[0].outcome == "ok"
    too_long = "x" * (svc.policy.long_text_max_chars + 1)
    for bad in ({"decision": too_long}, {"decision": 3}, {"a": {"b": {"c": {"d": ["e"]}}}}):
        with pytest.raises(InvalidInput):
            drafts.save(svc, world.manager, DraftKind.OVERSIGHT, vid, bad, 1)
    assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid).version == 1


def test_signing_removes_the_signers_drafts_of_that_form(svc, world):
    vid = submitted(svc, world.student, world.child)
    drafts.save(svc, world.sw, DraftKind.COUNTERSIGN, vid, {"comment": "checked"}, 0)
    drafts.save(svc, world.sw, DraftKind.RETURN, vid, {"comments": "or return"}, 0)
    drafts.save(svc, world.manager, DraftKind.COUNTERSIGN, vid, {"comment": "mine"}, 0)
    visits.countersign(svc, world.sw, vid, COUNTERSIGN_COMMENT, PASSWORD)
    assert drafts.load(svc, world.sw, DraftKind.COUNTERSIGN, vid) is None
    assert drafts.load(svc, world.sw, DraftKind.RETURN, vid) is None
    assert drafts.load(svc, world.manager, DraftKind.COUNTERSIGN, vid) is not None

    drafts.save(svc, world.manager, DraftKind.OVERSIGHT, vid, NOTE, 0)
    drafts.save(svc, world.manager, DraftKind.RETURN, vid, {"comments": "Add the school"}, 0)
    visits.return_for_changes(svc, world.manager, vid, "Add what the school said.")
    assert drafts.load(svc, world.manager, DraftKind.RETURN, vid) is None
    # the half-written note waits for the record to come back
    assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid).content == NOTE
    visits.submit(svc, world.student, vid)
    visits.countersign(svc, world.sw, vid, COUNTERSIGN_COMMENT, PASSWORD)
    visits.sign_off(svc, world.manager, vid, note_for(svc, vid), PASSWORD)
    assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid) is None

    drafts.save(svc, world.manager, DraftKind.CASE_NOTE, world.child, NOTE, 0)
    oversight.add_case_note(svc, world.manager, world.child, note_for(svc, vid), PASSWORD)
    assert drafts.load(svc, world.manager, DraftKind.CASE_NOTE, world.child) is None

    done = signed_off(svc, world.sw, world.child, world.manager)
    drafts.save(svc, world.sw, DraftKind.ADDENDUM, done, {"reason": "r", "text": "t"}, 0)
    addenda.add_addendum(svc, world.sw, done, "The date was wrong", "It was Tuesday.", PASSWORD)
    assert drafts.load(svc, world.sw, DraftKind.ADDENDUM, done) is None


def test_a_refused_signing_keeps_the_draft(svc, world):
    vid = submitted(svc, world.sw, world.child)
    drafts.save(svc, world.manager, DraftKind.OVERSIGHT, vid, NOTE, 0)
    with pytest.raises(NotAllowed):
        visits.sign_off(svc, world.manager, vid, note_for(svc, vid), "not my password")
    assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid).content == NOTE


def test_integrity_check_is_quiet_about_drafts(svc, world):
    from recorder.services import integrity

    vid = submitted(svc, world.sw, world.child)
    drafts.save(svc, world.manager, DraftKind.OVERSIGHT, vid, NOTE, 0)
    drafts.save(svc, world.manager, DraftKind.OVERSIGHT, vid, {"decision": "changed"}, 1)
    report = integrity.check_store(svc)
    assert report.ok, report
