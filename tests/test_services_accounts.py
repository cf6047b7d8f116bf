"""Accounts, sign-in lockout, administration and the children CSV, on both backends."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from recorder.services import accounts, caseloads, children
from recorder.services.errors import (
    AccountLocked,
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
    SignInDelayed,
    SignInFailed,
)
from recorder.store.models import AuditEvent, Child, Worker
from tests.support.world import PASSWORD, build_world


@pytest.fixture
def world(svc):
    return build_world(svc)


def audit(svc, action=None):
    with svc.reading() as s:
        q = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            q = q.where(AuditEvent.action == action)
        return s.exec(q).all()


def test_password_is_argon2id_and_never_stored_plain(svc, world):
    with svc.reading() as s:
        w = s.exec(select(Worker).where(Worker.username == "sw")).one()
    assert w.password_hash.startswith("$argon2id$")
    assert PASSWORD not in w.password_hash


def test_sign_in_returns_the_actor(svc, world):
    actor = accounts.sign_in(svc, "Student ", PASSWORD)
    assert actor.id == world.student and actor.needs_countersign
    assert accounts.sign_in(svc, "sw", PASSWORD).is_registered


def test_unknown_user_and_wrong_password_say_the_same(svc, world):
    with pytest.raises(SignInFailed) as a:
        accounts.sign_in(svc, "nobody", PASSWORD)
    with pytest.raises(SignInFailed) as b:
        accounts.sign_in(svc, "sw", "wrong password")
    assert a.value.message == b.value.message


def test_failures_delay_then_lock_and_each_is_audited(svc, world, clock):
    for i in range(4):
        with pytest.raises(SignInFailed) as e:
            accounts.sign_in(svc, "sw", f"wrong {i}")
        assert type(e.value) is SignInFailed
    with pytest.raises(SignInDelayed) as e:  # fifth failure: a delay starts
        accounts.sign_in(svc, "sw", "wrong 5")
    first_delay = e.value.seconds
    with pytest.raises(SignInDelayed):  # even the right password waits
        accounts.sign_in(svc, "sw", PASSWORD)
    delays = [first_delay]
    for i in range(6, 10):
        clock.advance(seconds=delays[-1] + 1)
        with pytest.raises(SignInFailed) as e:
            accounts.sign_in(svc, "sw", f"wrong {i}")
        if i < 10 and isinstance(e.value, SignInDelayed):
            delays.append(e.value.seconds)
    assert delays == sorted(delays) and delays[-1] > delays[0]  # growing
    clock.advance(seconds=delays[-1] + 1)
    with pytest.raises(AccountLocked):
        accounts.sign_in(svc, "sw", "wrong 10")
    with pytest.raises(AccountLocked):
        accounts.sign_in(svc, "sw", PASSWORD)
    events = audit(svc, "sign_in")
    refused = [e for e in events if e.outcome == "refused" and e.actor_id == world.sw]
    assert len(refused) == 12  # ten wrong passwords, one delayed attempt, one while locked
    assert all(PASSWORD not in e.detail and "wrong" not in e.detail for e in events)
    accounts.unlock(svc, world.admin, "sw")
    assert accounts.sign_in(svc, "sw", PASSWORD).id == world.sw


def test_only_administrators_administer(svc, world):
    with pytest.raises(NotAllowed):
        accounts.add_team(svc, world.manager, "East")
    with pytest.raises(NotAllowed):
        accounts.unlock(svc, world.sw, "sw2")
    assert audit(svc)[-1].outcome == "refused"


def test_first_admin_only_on_an_empty_store(svc, world):
    with pytest.raises(NotAllowed):
        accounts.create_first_admin(svc, "again", "Again", PASSWORD)


def test_roles_need_the_right_registration(svc, world):
    add = lambda **kw: accounts.add_user(svc, world.admin, password=PASSWORD, **kw)  # noqa: E731
    with pytest.raises(InvalidInput, match="Social Work England"):
        add(username="x1", full_name="X", role="social_worker")
    with pytest.raises(InvalidInput, match="SW followed by digits"):
        add(username="x2", full_name="X", role="social_worker", registration_number="12345")
    with pytest.raises(InvalidInput, match="which kind"):
        add(username="x3", full_name="X", role="unqualified")
    with pytest.raises(InvalidInput, match="not a role"):
        add(username="x4", full_name="X", role="wizard")
    with pytest.raises(InvalidInput, match="10 characters"):
        accounts.add_user(
            svc, world.admin, username="x5", full_name="X", role="administrator", password="short"
        )
    with pytest.raises(Conflict):
        add(username="sw", full_name="X", role="administrator")
    uid = add(username="x6", full_name="X", role="social_worker", registration_number="sw 123")
    with svc.reading() as s:
        assert s.get(Worker, uid).registration_number == "SW123"


def test_set_registration_and_role(svc, world, clock):
    accounts.set_registration(svc, world.admin, "sw", "SW999", date(2026, 11, 20))
    with pytest.raises(InvalidInput, match="future"):
        accounts.set_registration(svc, world.admin, "sw", "SW999", date(2027, 1, 1))
    accounts.set_role(svc, world.admin, "awaiting", "social_worker", registration_number="SW555")
    actor = accounts.sign_in(svc, "awaiting", PASSWORD)
    assert actor.is_registered and not actor.needs_countersign
    users = {u.username: u for u in accounts.list_users(svc, world.admin)}
    assert users["sw"].registration_number == "SW999"
    assert users["sw"].registration_checked_on == date(2026, 11, 20)
    with pytest.raises(NotFound):
        accounts.unlock(svc, world.admin, "ghost")


def test_reset_password(svc, world):
    accounts.reset_password(svc, world.admin, "sw", "a brand new password")
    with pytest.raises(SignInFailed):
        accounts.sign_in(svc, "sw", PASSWORD)
    assert accounts.sign_in(svc, "sw", "a brand new password").id == world.sw


CSV_HEADER = ",".join(children.CSV_COLUMNS)


def child_count(svc) -> int:
    with svc.reading() as s:
        return s.exec(select(func.count()).select_from(Child)).one()


def test_csv_import_all_rows(svc, world):
    text = (
        CSV_HEADER + "\n"
        "C100,Zofia Wiśniewska,2014-02-03,WOTH,Catholic,Polish,yes,,child_in_need,2026-06-01,no,Neglect;School attendance,North,sw\n"
        'C101,"Okafor, Chidi",2020-07-08,Black African,Christian,English,no,Autism,none,,,,North,\n'
    )
    assert children.import_csv(svc, world.admin, text) == 2
    with svc.reading() as s:
        c = s.exec(select(Child).where(Child.reference == "C100")).one()
    assert c.full_name == "Zofia Wiśniewska" and c.interpreter_needed
    assert c.plan_risks == ["Neglect", "School attendance"] and c.allocated_worker_id == world.sw


@pytest.mark.parametrize(
    "row, line_message",
    [
        ("C200,Ann,2014-13-01,,,,,,none,,,,,", "Line 3: date_of_birth '2014-13-01'"),
        ("C200,Ann,2014-01-01,,,,maybe,,none,,,,,", "Line 3: interpreter_needed 'maybe'"),
        # one value more than the header has columns, however many columns there are
        (
            "C200,Ann,2014-01-01,,,,,,none" + "," * (len(children.CSV_COLUMNS) - 9) + ",extra",
            "Line 3: it has more values",
        ),
        ("C100,Ann,2014-01-01,,,,,,none,,,,,", "Line 3: reference 'C100' appears twice"),
    ],
)
def test_csv_bad_row_names_its_line_and_writes_nothing(svc, world, row, line_message):
    before = child_count(svc)
    text = CSV_HEADER + "\nC100,Bob,2015-01-01,,,,,,none,,,,,\n" + row + "\n"
    with pytest.raises(InvalidInput) as e:
        children.import_csv(svc, world.admin, text)
    assert line_message in e.value.message and "Nothing was imported" in e.value.message
    assert child_count(svc) == before


def test_csv_row_refused_by_the_store_rules_writes_nothing(svc, world):
    before = child_count(svc)
    text = (
        CSV_HEADER
        + "\nC300,Bob,2015-01-01,,,,,,none,,,,,\nC301,Eve,2015-01-01,,,,,,none,,,,,ghost\n"
    )
    with pytest.raises(NotFound) as e:
        children.import_csv(svc, world.admin, text)
    assert "Line 3" in e.value.message and child_count(svc) == before


def test_csv_unknown_column(svc, world):
    with pytest.raises(InvalidInput, match="unknown column"):
        children.import_csv(svc, world.admin, "reference,full_name,date_of_birth,shoe_size\n")


def test_allocate(svc, world):
    children.allocate(svc, world.admin, "C0001", "sw2")
    with svc.reading() as s:
        assert s.get(Child, world.child).allocated_worker_id == world.sw2
    with pytest.raises(InvalidInput):
        children.allocate(svc, world.admin, "C0001", "admin")


def test_caseload_lists_allocated_children_and_refuses_administrators(svc, world):
    rows = caseloads.caseload(svc, world.sw)
    assert [(r.reference, r.name, r.plan) for r in rows] == [
        ("C0001", "Amira Khan", "Child protection")
    ]
    assert rows[0].age == 10  # born 2016-05-04, today 2026-11-26 in London
    assert caseloads.caseload(svc, world.sw2) == []
    with pytest.raises(NotAllowed):
        caseloads.caseload(svc, world.admin)


def test_today_is_england_not_the_server(svc, clock):
    from datetime import datetime, timezone

    clock.current = datetime(2026, 7, 1, 23, 30, tzinfo=timezone.utc)  # 00:30 BST on 2 July
    assert svc.today() == date(2026, 7, 2)


def test_a_password_that_is_not_text_is_refused_not_a_crash(svc, world):
    with pytest.raises(SignInFailed):
        accounts.sign_in(svc, "sw", "wrong \udcff password")
    with pytest.raises(InvalidInput, match="not text"):
        accounts.reset_password(svc, world.admin, "sw", "long enough \udcff password")


def test_caseload_due_dates_drafts_and_returns(svc, world):
    from recorder.services import visits
    from tests.support.factories import complete_content

    row = caseloads.caseload(svc, world.sw)[0]
    # plan started 2026-09-01 and no visit yet: 10 working days later, long overdue
    assert row.next_due == date(2026, 9, 15) and row.due_words.startswith("overdue by ")
    assert row.drafts == 0
    vid = visits.start_visit(svc, world.sw, world.child)
    for section, data in complete_content().items():
        visits.save_section(svc, world.sw, vid, section, data)
    visits.submit(svc, world.sw, vid)
    visits.return_for_changes(svc, world.manager, vid, "More on the school, please.")
    visits.start_visit(svc, world.sw, world.child)
    row = caseloads.caseload(svc, world.sw)[0]
    assert (row.drafts, row.returned) == (2, 1)


def test_child_view_shows_own_drafts_only_and_is_audited(svc, world):
    from recorder.services import visits

    mine = visits.start_visit(svc, world.sw, world.child)
    visits.start_visit(svc, world.sw2, world.child)
    view = caseloads.child_view(svc, world.sw, world.child)
    assert [v.id for v in view.visits] == [mine]
    assert view.name == "Amira Khan" and view.plan == "Child protection"
    assert view.interpreter_needed and view.plan_risks
    with svc.reading() as s:
        last = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.entity_id, last.actor_id) == ("view_child", world.child, world.sw)
    with pytest.raises(NotAllowed):
        caseloads.child_view(svc, world.other_team_sw, world.child)
    with pytest.raises(NotAllowed):
        caseloads.child_view(svc, world.admin, world.child)
