"""Contacts as a state machine (issue 13 "Tests": a contact has exactly one outcome once
decided; the domestic-abuse alert (a ``child_alert`` row for the team manager) appears exactly
when the Nth notification inside the window is signed).

A machine of its own beside tests/test_stateful.py's visit workflow, on the same template
store (``_fresh_store``): contacts share no state with a visit's life, and keeping them apart
keeps each machine's examples short. Rules record contacts and notifications (received on any
day of the last two years), decide them as anyone with any outcome (a list of several, none,
or an unknown one among them) and the right or wrong password, record the referrer told, and
move the clock. The model keeps which contacts are decided with what; the invariants read
the store.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from recorder.domain import contacts as C
from recorder.domain.policy import Policy
from recorder.services import contacts
from recorder.services.errors import ServiceError
from tests.support.clock import FrozenClock
from tests.support.stores import open_services
from tests.support.world import PASSWORD
from tests.test_stateful import STATEFUL_SETTINGS, _fresh_store, _tmp_base

N, MONTHS = 3, 12  # the policy's defaults
OUTCOMES = st.sampled_from(
    [o.value for o in C.Outcome] + [["nfa", "early_help"], None, "nfa_and_step_down"]  # type: ignore[list-item]
)


@dataclass
class Known:
    child: str  # which child: "north" | "south"
    kind: str
    received: date
    outcome: str | None = None
    alert: bool = False


class ContactMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="recorder-contacts-", dir=_tmp_base())
        url, self.w = _fresh_store(self.folder)
        self.clock = FrozenClock()
        # registrations are kept current with a 31 March deadline (the clock moves at most 100
        # days from 26 Nov 2026, past Social Work England's 30 November; see test_stateful)
        self.svc = open_services(
            url, self.clock, Policy(registration_renewal_month=3, registration_renewal_day=31)
        )
        self.moved = 0
        self.path = url.removeprefix("sqlite:///")
        self.known: dict[int, Known] = {}
        self.people = {
            "sw": self.w.sw,
            "manager": self.w.manager,
            "manager2": self.w.manager2,
            "student": self.w.student,
            "admin": self.w.admin,
            "southsw": self.w.other_team_sw,
            "head": self.w.head,
        }

    def teardown(self) -> None:
        self.svc.engine.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _today(self) -> date:
        return self.svc.today()

    @rule(
        days_ago=st.integers(0, 400),
        da=st.sampled_from([True, True, True, False]),
        south=st.sampled_from([False, False, False, True]),
    )
    def record(self, days_ago, da, south):
        received = datetime.combine(self._today() - timedelta(days=days_ago), datetime.min.time())
        ci = C.ContactInput(
            received_at=received + timedelta(hours=8),
            source_code="6" if da else "2A",
            referrer="PC Jones" if da else "Hill Primary",
            concern="Argument at home." if da else "Often hungry.",
            checked="Our records.",
            kind=C.ContactKind.DOMESTIC_ABUSE if da else C.ContactKind.CONTACT,
            incident_date=received.date() if da else None,
            risk_level="standard" if da else "",
            children_present="Amira." if da else "",
        )
        who, ref = (self.w.smgr, "S0001") if south else (self.w.sw, "C0001")
        cid = contacts.record_contact(self.svc, who, ref, ci)
        self.known[cid] = Known("south" if south else "north", ci.kind.value, received.date())

    @rule(
        data=st.data(),
        who=st.sampled_from(["manager", "manager", "manager2", "head", "sw", "student", "admin"]),
        outcome=OUTCOMES,
        good_password=st.sampled_from([True, True, True, False]),
    )
    def decide(self, data, who, outcome, good_password):
        if not self.known:
            return
        cid = data.draw(st.sampled_from(sorted(self.known)))
        self._decide(cid, who, outcome, good_password)

    def _decide(self, cid, who, outcome, good_password):
        k = self.known[cid]
        may = (
            k.outcome is None
            and good_password
            and isinstance(outcome, str)
            and outcome in {o.value for o in C.Outcome}
            and (who == "head" or (who in ("manager", "manager2") and k.child == "north"))
        )
        try:
            result = contacts.decide_contact(
                self.svc,
                self.people[who],
                cid,
                outcome,  # type: ignore[arg-type]
                "Decided.",
                PASSWORD if good_password else "wrong",
            )
        except ServiceError:
            assert not may, f"decision on contact {cid} by {who} refused"
            return
        assert may, f"decision on contact {cid} by {who} ({outcome!r}) allowed"
        expected_alert = False
        if k.kind == "domestic_abuse":
            start = C.da_window_start(k.received, MONTHS)
            inside = [
                o
                for i, o in self.known.items()
                if i != cid
                and o.child == k.child
                and o.kind == "domestic_abuse"
                and o.outcome is not None
                and start <= o.received <= k.received
            ]
            expected_alert = len(inside) + 1 >= N
        assert result.alert_raised == expected_alert, (cid, k, result)
        k.outcome, k.alert = str(outcome), expected_alert

    @rule(outcome=st.sampled_from([o.value for o in C.Outcome]))
    def manager_works_through_the_queue(self, outcome):
        """The team manager decides every North contact waiting, oldest first (what makes
        three notifications inside a year likely)."""
        for cid in sorted(self.known):
            if self.known[cid].outcome is None and self.known[cid].child == "north":
                self._decide(cid, "manager", outcome, True)

    @rule(data=st.data(), who=st.sampled_from(["sw", "manager", "student"]))
    def referrer_told(self, data, who):
        decided = [i for i, k in self.known.items() if k.outcome is not None]
        if not decided:
            return
        cid = data.draw(st.sampled_from(sorted(decided)))
        try:
            contacts.record_referrer_told(self.svc, self.people[who], cid, self._today())
        except ServiceError:
            pass

    @rule(days=st.integers(1, 20))
    def time_passes(self, days):
        if self.moved + days <= 100:
            self.moved += days
            self.clock.advance(days=days)

    @invariant()
    def each_decided_contact_has_exactly_one_outcome(self):
        db = sqlite3.connect(self.path)
        try:
            rows = db.execute(
                "SELECT c.id, c.outcome, c.decided_at, c.signature_id, s.meaning "
                "FROM contact c LEFT JOIN signature s ON s.id = c.signature_id"
            ).fetchall()
            alerts = db.execute(
                "SELECT entity_id FROM audit_event WHERE action = 'decide_contact' "
                "AND outcome = 'ok' AND detail LIKE '% da_alert'"
            ).fetchall()
            raised = db.execute(
                "SELECT key, for_role FROM child_alert WHERE kind = 'domestic_abuse'"
            ).fetchall()
        finally:
            db.close()
        assert len(rows) == len(self.known)
        for cid, outcome, decided_at, sig, meaning in rows:
            k = self.known[cid]
            if k.outcome is None:
                assert outcome is None and decided_at is None and sig is None, cid
            else:
                assert outcome == k.outcome and outcome in {o.value for o in C.Outcome}
                assert decided_at is not None and meaning == "Contact decision", cid
        expected = sorted(i for i, k in self.known.items() if k.alert)
        assert sorted(a for (a,) in alerts) == expected
        # the alert itself, for the team manager, one per qualifying notification
        assert sorted(raised) == sorted((f"contact:{i}", "team_manager") for i in expected)


@pytest.mark.slow
def test_contact_state_machine():
    run_state_machine_as_test(
        ContactMachine,
        settings=settings(STATEFUL_SETTINGS, max_examples=25, stateful_step_count=30),
    )
