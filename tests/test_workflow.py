"""Every transition of a visit record and every refusal, as pure domain rules."""

from __future__ import annotations

import pytest

from recorder.domain.roles import (
    Actor,
    InvalidRegistration,
    Role,
    UnqualifiedKind,
    check_role_registration,
    normalise_swe_number,
)
from recorder.domain.sections import VisitType
from recorder.domain.workflow import (
    Action,
    VisitFacts,
    VisitState,
    counts_as_statutory,
    decide,
    may_acknowledge_addendum,
    may_add_addendum,
    may_add_case_note,
    may_read_child,
    may_see_addenda_queue,
    may_start_visit,
    submitted_state,
)

TEAM, OTHER = 1, 2
sw = Actor(1, "Sam", Role.SOCIAL_WORKER, TEAM, "SW1")
sw2 = Actor(2, "Sol", Role.SOCIAL_WORKER, TEAM, "SW2")
student = Actor(3, "Stu", Role.UNQUALIFIED, TEAM, None, unqualified_kind=UnqualifiedKind.STUDENT)
awaiting = Actor(
    4, "Ava", Role.UNQUALIFIED, TEAM, None, unqualified_kind=UnqualifiedKind.AWAITING_REGISTRATION
)
manager = Actor(5, "Maya", Role.TEAM_MANAGER, TEAM, "SW5")
manager2 = Actor(6, "Mo", Role.TEAM_MANAGER, TEAM, "SW6")
admin = Actor(7, "Ada", Role.ADMINISTRATOR, TEAM)
south_sw = Actor(8, "Sid", Role.SOCIAL_WORKER, OTHER, "SW8")
south_manager = Actor(9, "Sue", Role.TEAM_MANAGER, OTHER, "SW9")


def facts(state, author=sw, countersigner=None):
    return VisitFacts(
        state=state,
        author_id=author.id,
        author_role=author.role,
        author_needs_countersign=author.needs_countersign,
        team_id=TEAM,
        countersigner_ids=frozenset({countersigner.id} if countersigner else ()),
        allocated_worker_id=author.id,
    )


D, AC, AO, SO = (
    VisitState.DRAFT,
    VisitState.AWAITING_COUNTERSIGN,
    VisitState.AWAITING_OVERSIGHT,
    VisitState.SIGNED_OFF,
)


def test_qualification():
    assert sw.is_registered and not sw.needs_countersign
    assert student.needs_countersign and not student.is_registered
    assert awaiting.needs_countersign
    assert Actor(10, "X", Role.SOCIAL_WORKER, TEAM, None).needs_countersign  # no number on file
    assert manager.is_registered and not admin.reads_cases
    assert student.role_label == "Unqualified worker (student)"


def test_swe_number():
    assert normalise_swe_number(" sw 0123 ") == "SW0123"
    assert normalise_swe_number("") is None
    for bad in ("SW", "123", "SWX1", "SW12a"):
        with pytest.raises(InvalidRegistration):
            normalise_swe_number(bad)
    with pytest.raises(InvalidRegistration):
        check_role_registration(Role.TEAM_MANAGER, None, None)
    with pytest.raises(InvalidRegistration):
        check_role_registration(Role.SOCIAL_WORKER, "SW1", UnqualifiedKind.STUDENT)
    check_role_registration(Role.UNQUALIFIED, None, UnqualifiedKind.TRAINEE)


def test_submit_goes_where_the_author_needs():
    assert submitted_state(True) is AC and submitted_state(False) is AO


# (action, actor, facts, allowed, words in the refusal)
CASES = [
    (Action.EDIT, sw, facts(D), True, ""),
    (Action.EDIT, sw2, facts(D), False, "Only the worker who wrote"),
    (Action.EDIT, sw, facts(AO), False, "only a draft"),
    (Action.EDIT, sw, facts(SO), False, "only a draft"),
    (Action.SUBMIT, sw, facts(D), True, ""),
    (Action.SUBMIT, manager, facts(D), False, "Only the worker who wrote"),
    (Action.SUBMIT, sw, facts(AC), False, "only a draft"),
    (Action.COUNTERSIGN, sw, facts(AC, student), True, ""),
    (Action.COUNTERSIGN, manager, facts(AC, student), True, ""),
    (Action.COUNTERSIGN, student, facts(AC, student), False, "your own"),
    (Action.COUNTERSIGN, awaiting, facts(AC, student), False, "Students, trainees"),
    (Action.COUNTERSIGN, south_sw, facts(AC, student), False, "author's team"),
    (Action.COUNTERSIGN, admin, facts(AC, student), False, "Administrators"),
    (Action.COUNTERSIGN, sw, facts(D, student), False, "not waiting for a countersign"),
    (Action.COUNTERSIGN, sw, facts(AO, student), False, "not waiting for a countersign"),
    (Action.SIGN_OFF, manager, facts(AO), True, ""),
    (Action.SIGN_OFF, manager, facts(AO, student, countersigner=sw), True, ""),
    (Action.SIGN_OFF, sw, facts(AO), False, "team manager"),
    (Action.SIGN_OFF, student, facts(AO, sw), False, "team manager"),
    (Action.SIGN_OFF, manager, facts(AO, manager), False, "your own record"),
    (Action.SIGN_OFF, manager2, facts(AO, manager), True, ""),
    (
        Action.SIGN_OFF,
        manager,
        facts(AO, student, countersigner=manager),
        False,
        "You countersigned",
    ),
    (Action.SIGN_OFF, south_manager, facts(AO), False, "author's team"),
    (Action.SIGN_OFF, manager, facts(AC, student), False, "not waiting for management"),
    (Action.SIGN_OFF, manager, facts(SO), False, "not waiting for management"),
    (Action.SIGN_OFF, manager, facts(D), False, "not waiting for management"),
    (Action.RETURN, sw, facts(AC, student), True, ""),
    (Action.RETURN, student, facts(AC, student), False, "your own"),
    (Action.RETURN, manager, facts(AO), True, ""),
    (Action.RETURN, sw2, facts(AO), False, "team manager"),
    (Action.RETURN, manager, facts(D), False, "Only a record waiting"),
    (Action.RETURN, manager, facts(SO), False, "Only a record waiting"),
    (Action.VIEW, sw2, facts(SO), True, ""),
    (Action.VIEW, south_sw, facts(SO), False, "another team"),
    (Action.VIEW, admin, facts(SO), False, "Administrators"),
]


@pytest.mark.parametrize(
    "action, actor, f, allowed, words",
    CASES,
    ids=[f"{c[0].value}-{c[1].name}-{c[2].state.value}-{i}" for i, c in enumerate(CASES)],
)
def test_transitions(action, actor, f, allowed, words):
    d = decide(action, actor, f)
    assert bool(d) is allowed
    assert words in d.reason


def test_read_child():
    assert may_read_child(sw, TEAM, sw.id)
    assert may_read_child(sw2, TEAM, sw.id)  # same team
    assert may_read_child(south_sw, TEAM, south_sw.id)  # allocated, though in another team
    d = may_read_child(south_sw, TEAM, sw.id)
    assert not d and d.reason == "This child is not on your team's caseload."
    assert not may_read_child(sw, None, None)  # no such child: the same refusal
    assert "Administrators" in may_read_child(admin, TEAM, admin.id).reason


@pytest.mark.parametrize(
    "actor, state, allowed, code",
    [
        (sw, SO, True, ""),  # the author
        (student, SO, True, ""),  # an unqualified author too (student wrote it below)
        (manager, SO, True, ""),  # a registered manager of the team
        (sw2, SO, False, "denied"),  # a colleague who is not a manager
        (south_manager, SO, False, "denied"),
        (Actor(11, "Una", Role.TEAM_MANAGER, TEAM, None), SO, False, "denied"),  # unregistered
        (admin, SO, False, "denied"),
        (sw, AO, False, "not_signed_off"),
        (manager, D, False, "not_signed_off"),
    ],
)
def test_add_addendum(actor, state, allowed, code):
    author = student if actor is student else sw
    d = may_add_addendum(actor, facts(state, author=author))
    assert bool(d) is allowed
    assert (d.code if not d else "") == code


def test_acknowledge_addendum_and_its_queue():
    assert may_acknowledge_addendum(manager, TEAM, sw.id)
    own = may_acknowledge_addendum(manager, TEAM, manager.id)
    assert not own and own.code == "own_addendum"
    assert not may_acknowledge_addendum(south_manager, TEAM, sw.id)
    assert not may_acknowledge_addendum(sw, TEAM, sw2.id)
    assert may_see_addenda_queue(manager) and not may_see_addenda_queue(sw)
    assert not may_see_addenda_queue(Actor(12, "Nat", Role.TEAM_MANAGER, None, "SW12"))


def test_add_case_note():
    assert may_add_case_note(manager, TEAM)
    assert not may_add_case_note(south_manager, TEAM)
    assert not may_add_case_note(sw, TEAM)


def test_start_visit():
    assert may_start_visit(sw, TEAM, sw.id)
    assert may_start_visit(sw2, TEAM, sw.id)  # same team
    assert not may_start_visit(south_sw, TEAM, sw.id)
    assert not may_start_visit(admin, TEAM, sw.id)


@pytest.mark.parametrize(
    "visit_type, author, joint, counts",
    [
        (VisitType.CP_STATUTORY, sw, None, True),
        (VisitType.CP_STATUTORY, student, None, False),
        (VisitType.CP_STATUTORY, student, sw, True),
        (VisitType.CP_STATUTORY, student, awaiting, False),
        (VisitType.LAC_STATUTORY, awaiting, manager, True),
        (VisitType.OTHER, sw, None, False),
        (None, sw, None, False),
    ],
)
def test_statutory_rule_for_unqualified_authors(visit_type, author, joint, counts):
    assert counts_as_statutory(visit_type, author, joint, joint_confirmed=True) is counts


def test_a_joint_visit_counts_only_once_the_joint_worker_confirmed_it():
    """DOMAIN.md "Who uses it": the registered social worker confirms attending jointly with
    their own signature ("Attended jointly"); until then the visit is not statutory."""
    assert not counts_as_statutory(VisitType.CP_STATUTORY, student, sw)
    assert counts_as_statutory(VisitType.CP_STATUTORY, student, sw, joint_confirmed=True)
    assert counts_as_statutory(VisitType.CP_STATUTORY, sw, None)  # a registered author


def test_only_the_named_registered_worker_confirms_while_the_record_is_reviewed():
    from recorder.domain.workflow import may_confirm_joint_attendance

    waiting = VisitState.AWAITING_COUNTERSIGN
    assert may_confirm_joint_attendance(sw, sw.id, waiting, False)
    assert may_confirm_joint_attendance(sw, sw.id, VisitState.AWAITING_OVERSIGHT, False)
    assert not may_confirm_joint_attendance(sw2, sw.id, waiting, False)
    assert not may_confirm_joint_attendance(sw, None, waiting, False)
    assert not may_confirm_joint_attendance(sw, sw.id, waiting, True)
    for state in (VisitState.DRAFT, VisitState.SIGNED_OFF):
        assert not may_confirm_joint_attendance(sw, sw.id, state, False)
    assert not may_confirm_joint_attendance(awaiting, awaiting.id, waiting, False)


def test_a_visit_where_the_child_was_not_seen_never_counts():
    assert not counts_as_statutory(VisitType.CP_STATUTORY, sw, None, child_seen=False)
    assert not counts_as_statutory(VisitType.CP_STATUTORY, student, sw, child_seen=False)
