"""The demo's supervision histories and directions (issue 11).

- Tom is in his ASYE (it started 12 weeks ago): supervised weekly for six weeks, then
  fortnightly; Sam and Daniel monthly; Priya's last supervision was six weeks ago, so she is
  overdue; Chloe (the student) was supervised last week. The latest supervisions discuss the
  worker's children, with actions for them.
- Directions: every countersign comment, return and oversight action the demo made is a
  tracked action; older ones are marked done by the worker with a note, so each home shows
  what is open now: for Chloe, Sam's "book the next visit jointly with me" (set in
  ``team.py``'s countersign of RV-1008), and one overdue action left open for Sam.

Everything goes through the services at the demo's moving clock, as ``team.py`` does.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from recorder.domain.supervision import CaseDiscussionInput, SupervisionInput
from recorder.services import accounts, directions, supervision
from recorder.store.models import TrackedAction, Worker

if TYPE_CHECKING:
    from recorder.demo.team import _DemoRun

JOINTLY = (
    "A careful record: what Maisie showed you is described and the risks are rated with "
    "evidence. Book the next visit jointly with me, and bring nursery's attendance figures."
)
KEEP_OPEN = "jointly with me"

PERSONAL = {
    "sam": (
        "Well; one late night after a strategy meeting, time back taken on Friday.",
        "Twelve children, two in proceedings. No new allocations until the Hassan court date.",
        "Booked the Signs of Safety refresher; reflected on a difficult family-time visit.",
    ),
    "priya": (
        "Well, though the duty week was heavy; agreed a protected afternoon for recording.",
        "Ten children; one transfer in from the assessment team next week.",
        "Wants to shadow a child-protection conference chair; arranged for January.",
    ),
    "tom": (
        "Settling in; anxious before his first core group, which went well.",
        "Protected caseload for the ASYE: six children, none in proceedings.",
        "ASYE portfolio: the reflective log on the RV-1014 joint visit is good evidence.",
    ),
    "awaiting": (
        "Frustrated by the registration wait; reassured the countersign is routine.",
        "Four children as co-worker; no statutory visits alone.",
        "Registration documents sent; reading on reg 28 visiting requirements.",
    ),
    "student": (
        "Enjoying the placement; finds the commute tiring.",
        "Three children as co-worker with Sam and Priya.",
        "Placement portfolio: direct observation booked with the practice educator.",
    ),
}
CASE_DECISIONS = (
    "Continue the plan; nothing to change before the next review.",
    "Continue the plan; escalate to a strategy discussion if the next visit is missed.",
)
CASE_VOICE = (
    "Their own words from the last visit were read out and shape the next steps.",
    "What they showed on the last visit (drawing and scaling) was discussed first.",
)


def schedule(run: _DemoRun) -> None:
    """Add the ASYE flag, the supervisions and the tidying of old directions to ``run``."""
    svc = run.svc
    today = run.today
    asye_start = today - timedelta(weeks=12)

    def set_asye() -> None:
        accounts.set_asye(svc, run.ids["admin"], "tom", True, asye_start)

    run.at(datetime.combine(asye_start, time(9, 30)), set_asye)

    held: dict[str, list[date]] = {
        "tom": [asye_start + timedelta(weeks=w) for w in range(1, 7)]
        + [asye_start + timedelta(weeks=6 + 2 * i) for i in range(1, 4)],
        "sam": [today - timedelta(days=d) for d in (72, 42, 12)],
        "priya": [today - timedelta(days=d) for d in (80, 44)],
        "awaiting": [today - timedelta(days=d) for d in (50, 20)],
        "student": [today - timedelta(days=d) for d in (36, 7)],
    }
    for username, days in held.items():
        days = [d for d in days if d < today]
        for i, d in enumerate(days):
            discuss = 2 if i == len(days) - 1 else (1 if i == len(days) - 2 else 0)
            run.at(
                datetime.combine(d, time(15, 30)),
                lambda u=username, d=d, n=discuss: _supervise(run, u, d, n),
            )
    for wd in (10, 5, 2):
        run.at(datetime.combine(run.day(wd), time(17, 15)), lambda wd=wd: _tidy(run, wd + 5))


def _supervise(run: _DemoRun, username: str, held_on: date, discuss: int) -> None:
    svc, manager = run.svc, run.ids["manager"]
    worker = run.ids[username]
    form = supervision.supervision_form(svc, manager, worker)
    wellbeing, workload, learning = PERSONAL[username]
    cases = tuple(
        CaseDiscussionInput(
            c.id,
            CASE_DECISIONS[i % 2],
            (
                {
                    "what": f"Visit {c.name.split()[0]} and update the plan's actions",
                    "who": form.worker_name,
                    "by_when": (held_on + timedelta(days=14)).isoformat(),
                },
            ),
            CASE_VOICE[i % 2],
        )
        for i, c in enumerate(form.children[:discuss])
    )
    supervision.record_supervision(
        svc,
        manager,
        worker,
        SupervisionInput(
            held_on,
            f"{form.manager_name}, {form.worker_name}",
            wellbeing,
            workload,
            learning,
            cases,
        ),
        run.passwords["manager"],
    )


def _tidy(run: _DemoRun, older_than_wd: int) -> None:
    """Mark done, by the person each is for, the directions given more than N working days
    ago; the joint-visit direction and the most recently overdue one stay open."""
    svc = run.svc
    before = datetime.combine(run.day(older_than_wd), time(0))
    with svc.reading() as s:
        rows = s.exec(
            select(TrackedAction)
            .where(TrackedAction.done_at == None)  # noqa: E711
            .where(TrackedAction.assignee_id != None)  # noqa: E711
            .order_by(col(TrackedAction.id))
        ).all()
        users = {w.id: w.username for w in s.exec(select(Worker))}
    overdue = sorted(
        (r for r in rows if r.due_on is not None and r.due_on < run.today),
        key=lambda r: (r.due_on, r.id),
    )
    keep = {overdue[-1].id} if overdue else set()  # the latest due: "overdue by a day or two"
    for r in rows:
        if r.id in keep or KEEP_OPEN in r.what:
            continue
        if r.created_at.replace(tzinfo=None) >= before or r.assignee_id not in users:
            continue
        note = {
            "countersign": "Read and talked through with my countersigner.",
            "return": "Changed as asked and resubmitted.",
        }.get(r.source_kind, "Done; recorded on the child's record.")
        directions.mark_done(svc, r.assignee_id, r.id, note)
