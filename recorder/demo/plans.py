"""The demo's plans as records (issue 12): a looked-after child whose placement moved last
week, so the first-week visit of reg 28 is due again, and a child-protection child whose
review conference set visits every 5 working days. (Tolu's private fostering arrangement
comes with the CSV import, notified three working days ago: its first visit is due within 7
working days of that.) Dates are relative to the demo's today, like everything else."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from recorder.services import plans

if TYPE_CHECKING:
    from recorder.demo.team import _DemoRun

#: Semhar moved to new foster carers five days ago (last week, whatever today is)
MOVED_CHILD, MOVED_DAYS_AGO = "RV-1027", 5
#: Hamza's review conference, 10 working days ago, set visits (and seen alone) every 5
CONFERENCE_CHILD, CONFERENCE_WD_AGO, CONFERENCE_EVERY = "RV-1006", 10, 5


def schedule(run: _DemoRun) -> None:
    svc = run.svc
    moved = run.today - timedelta(days=MOVED_DAYS_AGO)
    run.at(
        datetime.combine(moved, time(17, 10)),
        lambda: plans.record_placement(svc, run.ids["manager"], MOVED_CHILD, "foster_care", moved),
    )
    conference = run.day(CONFERENCE_WD_AGO)
    run.at(
        datetime.combine(conference, time(16, 40)),
        lambda: plans.record_frequency(
            svc,
            run.ids["manager"],
            CONFERENCE_CHILD,
            visit_every_working_days=CONFERENCE_EVERY,
            seen_alone_every_working_days=CONFERENCE_EVERY,
            set_by="Review child protection conference",
            set_on=conference,
        ),
    )
