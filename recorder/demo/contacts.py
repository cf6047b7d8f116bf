"""The demo's contacts (issue 13 item 7): Hamza Farah (RV-1006) has two police domestic-abuse
notifications earlier this year, each decided "no further action", and a third received and
decided today, which raises the alert his team manager must answer in an oversight note; a
school's contact about Zofia Wiśniewska (RV-1003) was decided a referral for assessment and
her school has not been told, past the policy's working days. Dates are relative to the
demo's today; everything goes through the services (recorded by the child's worker, decided
by the team manager with the password asked again)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from recorder.domain.contacts import ContactInput, ContactKind
from recorder.services import contacts

if TYPE_CHECKING:
    from recorder.demo.team import _DemoRun

DA_CHILD = "RV-1006"
REFERRAL_CHILD = "RV-1003"

#: (working days ago, hour, risk, what the police said, who was present)
NOTIFICATIONS = (
    (48, 23, "standard", "Neighbours heard shouting; Mr Farah had left before officers came.",
     "Hamza and Ayan were asleep upstairs."),
    (21, 21, "standard", "Argument between Mr Farah and Ms Ali on the doorstep; no injuries.",
     "Hamza saw it from the hallway; Ayan was in bed."),
    (0, 1, "medium", "Mr Farah returned drunk and banged on the door for an hour; Ms Ali "
     "called 999. He was arrested and released with a warning.",
     "Hamza and Ayan were in the house; Hamza let the officers in."),
)  # fmt: skip


def schedule(run: _DemoRun) -> None:
    svc = run.svc
    manager = "manager"
    for n, (wd, hour, risk, concern, present) in enumerate(NOTIFICATIONS):
        day = run.day(wd)
        received = datetime.combine(day, time(hour, 10))
        if wd == 0:  # today's came in the night; recorded and decided this morning
            received = min(datetime.combine(day, time(0, 40)), run.limit - timedelta(hours=2))
        recorded = min(max(received + timedelta(hours=8), received), run.limit - timedelta(hours=1))
        decided = min(recorded + timedelta(hours=3), run.limit)
        ci = ContactInput(
            received_at=received,
            source_code="6",
            referrer="PC 2291 Okafor, Public Protection Unit",
            concern=concern,
            checked="The police notification; our records (child protection plan, the "
            "chronology); the school's safeguarding lead by phone.",
            kind=ContactKind.DOMESTIC_ABUSE,
            incident_date=received.date(),
            risk_level=risk,
            children_present=present,
        )
        state: dict[str, int] = {}
        worker = run.kids[DA_CHILD].worker

        def record(ci=ci, state=state, worker=worker) -> None:
            state["id"] = contacts.record_contact(svc, run.ids[worker], DA_CHILD, ci)

        def decide(state=state, n=n) -> None:
            reason = (
                "Known to us on a child protection plan; the police dealt with the incident and "
                "the plan's safety work continues. No further action on this notification."
            )
            if n == len(NOTIFICATIONS) - 1:
                reason += " Third notification this year: see the alert."
            contacts.decide_contact(
                svc, run.ids[manager], state["id"], "nfa", reason, run.passwords[manager]
            )

        next_day = run.wd.add_working_days(decided.date(), 1)

        def told(state=state, on=next_day) -> None:
            contacts.record_referrer_told(svc, run.ids[manager], state["id"], on)

        run.at(recorded, record)
        run.at(decided, decide)
        if n < len(NOTIFICATIONS) - 1:  # the police were told the next working morning
            run.at(min(datetime.combine(next_day, time(9, 30)), run.limit), told)
    _school_referral(run)


def _school_referral(run: _DemoRun) -> None:
    svc, manager = run.svc, "manager"
    day = run.day(7)
    worker = run.kids[REFERRAL_CHILD].worker
    ci = ContactInput(
        received_at=datetime.combine(day, time(10, 5)),
        source_code="2A",
        referrer="Mrs Kowalczyk, designated safeguarding lead, St Mary's Catholic Primary",
        concern="Zofia came to school with a cut on her lip and said her mum's boyfriend "
        "'pushed her into the door'. She asked the teacher not to tell anyone.",
        checked="Our records (child in need plan); the school nurse; the police (no calls to "
        "the address).",
    )
    state: dict[str, int] = {}

    def record() -> None:
        state["id"] = contacts.record_contact(svc, run.ids[worker], REFERRAL_CHILD, ci)

    def decide() -> None:
        contacts.decide_contact(
            svc,
            run.ids[manager],
            state["id"],
            "referral",
            "An injury with an account that the mother's partner caused it: an assessment, "
            "seeing Zofia alone at school first.",
            run.passwords[manager],
        )

    run.at(datetime.combine(day, time(10, 40)), record)
    run.at(datetime.combine(day, time(12, 15)), decide)
