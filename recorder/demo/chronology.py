"""The demo's chronology (issue 13, item 4): Hamza Farah (RV-1006), on a child-protection
plan, has a story of a few dozen entries: significant events from his life before and since
the plan (what happened, the source and the impact on him, signed by the worker who added
them), three more signed-off statutory visits before the latest, and the case notes,
conference and supervision discussions the rest of the demo gives him. Dates are relative
to the demo's today, like everything else; everything goes through the services."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from recorder.domain.chronology import SignificantEventInput
from recorder.services import chronology

if TYPE_CHECKING:
    from recorder.demo.team import _DemoRun

CHILD = "RV-1006"

#: (days ago, what happened, source, impact on Hamza)
EVENTS: tuple[tuple[int, str, str, str], ...] = (
    (
        3420,
        "Ayan, Hamza's sister, born",
        "Health visitor",
        "Hamza, then three, had a new baby "
        "sister; the health visitor noted he was proud and gentle with her.",
    ),
    (
        2900,
        "Family moved from Bristol to the area",
        "Mother",
        "Hamza left his nursery and his "
        "grandmother's daily care; Ms Ali said he cried for his grandmother for weeks.",
    ),
    (
        2550,
        "Started at Northgate Primary School",
        "School",
        "Settled well; the school noted "
        "his English grew quickly and he made friends in the first term.",
    ),
    (
        1980,
        "Police called to the home: argument between the parents",
        "Police notification",
        "Hamza was at home and told officers he hid under his bed. No further action was taken "
        "then; this is the first notification on record.",
    ),
    (
        1700,
        "School referral: Hamza said his father hits his mother",
        "School (designated safeguarding lead)",
        "Hamza was anxious about going home; a single assessment followed "
        "and the family were offered early help, which Mr Farah declined.",
    ),
    (
        1410,
        "Mr Farah left the family home for six months",
        "Mother",
        "Hamza's attendance rose "
        "to 97% and his teacher described him as 'lighter'; he missed his father and asked to "
        "see him.",
    ),
    (
        1180,
        "Mr Farah returned to the family home",
        "Mother",
        "Hamza became quieter at school; his attendance fell to 88% over the next term.",
    ),
    (
        760,
        "Hamza joined a Somali youth football team",
        "Mother and the club's youth worker",
        "A protective factor: a trusted adult outside the home and a place he is proud of.",
    ),
    (
        420,
        "Police domestic-abuse notification, medium risk",
        "Police notification",
        "Hamza and Ayan were present. Hamza told his teacher he was tired because 'Dad was "
        "shouting all night'. No further action by children's social care.",
    ),
    (
        300,
        "Hamza began weekend madrasa",
        "Mother",
        "Ms Ali pays for it from her own wages; "
        "Hamza says he likes the teacher and the friends he has there.",
    ),
    (
        110,
        "Hamza arrived at school with a bruise to his cheek",
        "School (designated safeguarding lead)",
        "Hamza said his father slapped him when he would not stop the "
        "game console. A strategy discussion followed the same day.",
    ),
    (
        100,
        "Section 47 enquiry concluded: significant harm substantiated",
        "Children's social care",
        "Physical harm and exposure to domestic abuse found; an initial child "
        "protection conference was convened.",
    ),
    (
        92,
        "Mr Farah bailed with conditions not to contact Ms Ali or enter the home",
        "Police",
        "Hamza asked whether his father was in prison and whether it was his fault; the worker "
        "explained in words he chose that it was not.",
    ),
    (
        70,
        "Ms Ali began the Freedom Programme",
        "Women's Aid",
        "Ms Ali says she understands "
        "better how the abuse affected the children; Hamza noticed she 'smiles more'.",
    ),
    (
        55,
        "Initial child protection conference: a child protection plan",
        "Conference chair's record",
        "Hamza's wishes were shared by his worker: to stay at home with his mother and sister "
        "and to see his father only somewhere safe. Category: physical abuse.",
    ),
    (
        45,
        "First core group meeting",
        "Core group minutes",
        "School, the football club, the health visitor and Ms Ali agreed the safety plan; "
        "Hamza's trusted adult at school is his class teacher.",
    ),
    (
        40,
        "Hamza told his football coach he saw his father outside school",
        "Football club youth worker",
        "A possible breach of bail: reported to police; Hamza was frightened "
        "and did not want to go to school the next day. Safety plan with the school reviewed.",
    ),
    (
        25,
        "Attendance for the half term: 94%",
        "School",
        "Up from 88%; his teacher says he is "
        "concentrating better and is reading at the expected level again.",
    ),
    (
        30,
        "Second core group meeting",
        "Core group minutes",
        "Ms Ali asked for help with a non-molestation order; the worker referred her to the "
        "family solicitor scheme. Hamza asked that his football coach keep coming.",
    ),
    (
        18,
        "Mr Farah charged with assault; case adjourned",
        "Police",
        "Bail conditions continue. Hamza was told in a way he could understand and said he "
        "was relieved he would not have to give evidence yet.",
    ),
    (
        12,
        "Hamza started seeing the school counsellor weekly",
        "School",
        "He chose to go; he told the worker it helps to 'say the worries out loud'.",
    ),
    (
        3,
        "Ayan told her nursery that Daddy came to the house",
        "Nursery",
        "If true a breach of "
        "the bail conditions; Hamza said he did not see his father. Police informed; the "
        "manager asked for a visit within two working days.",
    ),
)

#: more signed-off statutory visits before the latest (working days ago)
EARLIER_VISITS = (34, 24, 14)


def schedule(run: _DemoRun) -> None:
    from dataclasses import replace

    from recorder.demo.team import _VISITS

    svc, kid = run.svc, run.kids[CHILD]
    latest = next(s for s in _VISITS if s.kid == CHILD and s.end == "signed")
    for n, wd in enumerate(EARLIER_VISITS):
        run.schedule_visit(
            replace(latest, wd_ago=wd, tool=("", "three_houses", "")[n], trend="unchanged")
        )
    worker = kid.worker
    first_day = run.day(64)
    for days_ago, what, source, impact in sorted(EVENTS, key=lambda e: -e[0]):
        occurred = run.today - timedelta(days=days_ago)
        # what the council knew before the team's records began is added on the first day
        added = max(occurred, first_day)
        event = SignificantEventInput(occurred, what, source, impact)
        run.at(
            datetime.combine(added, time(16, 30)),
            lambda event=event: chronology.add_significant_event(
                svc,
                run.ids[worker],
                run.child_ids[CHILD],
                event,
                run.passwords[worker],
            ),
        )
    from recorder.demo.contacts import schedule as schedule_contacts

    schedule_contacts(run)  # his police notifications, a school's referral (issue 13)
