"""The second team and the service manager above both teams (issue 11): ``head`` manages the
Riverside and Hillside teams, sees both teams' queues, the Hillside record whose oversight is
overdue and escalated to her, and the team managers' own records, which she signs off
(Riverside's manager has no other manager to do it).

Scheduled into the scripted team's run (``recorder.demo.team``), so it is made through the
services with the same moving clock: accounts, children, and visits in each state.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from recorder.demo import census
from recorder.demo.caseload import Kid
from recorder.demo.people import SECOND_TEAM, SERVICE_ACCOUNTS, TEAM
from recorder.demo.record import Spec, date_of_birth
from recorder.services import accounts, carers, children

if TYPE_CHECKING:
    from recorder.demo.team import _DemoRun

KIDS: tuple[Kid, ...] = (
    Kid(
        "HS-2001",
        "Ruby Thornton",
        "Ruby",
        "f",
        (8, 1),
        "White British",
        "None",
        "English",
        "child_in_need",
        70,
        ("Neglect of basic care",),
        "ben",
        (("Kerry Thornton", "mother"), ("Alfie Thornton", "brother, aged 5")),
        (("Dean Thornton", "father (lives apart, has contact)"),),
        carer="Ms Thornton",
        school="Hillside Primary School",
        needs="Ruby loves drawing and is proud of being a big sister.",
        how_met="Her school's art club is part of the plan; her mother takes her on Thursdays.",
        days_old=20,
    ),
    Kid(
        "HS-2002",
        "Kai Mensah-Reid",
        "Kai",
        "m",
        (11, 6),
        "Mixed - White and Black African",
        "Christian",
        "English",
        "child_protection",
        14,
        ("Emotional harm", "Domestic abuse"),
        "ben",
        (("Abena Mensah", "mother"),),
        (("Craig Reid", "father (expected, did not attend)"),),
        carer="Ms Mensah",
        school="Hillside Academy",
        needs="Kai's Ghanaian heritage through his mother matters to him; he goes to church "
        "with his grandmother.",
        how_met="His grandmother's church youth group is a safe place named in the plan.",
        days_old=55,
    ),
    Kid(
        "HS-2003",
        "Ellie Marsh",
        "Ellie",
        "f",
        (6, 9),
        "White British",
        "None",
        "English",
        "child_in_need",
        15,
        ("Parental mental ill-health",),
        "josie",
        (("Sarah Marsh", "mother"),),
        (),
        carer="Ms Marsh",
        school="Hillside Primary School",
        needs="Ellie is close to her mother and worries about her.",
        how_met="A young carers' group meets after school; Ellie started in October.",
        days_old=3,
    ),
    Kid(
        "HS-2004",
        "Jayden Price",
        "Jayden",
        "m",
        (14, 2),
        "White British",
        "None",
        "English",
        "child_protection",
        9,
        ("Physical harm", "Exploitation"),
        "amal",
        (("Lorraine Price", "grandmother"),),
        (("Nicole Price", "mother (whereabouts unknown)"),),
        carer="Mrs Price",
        school="Hillside Academy",
        needs="Jayden plays football for a local club and wants to be a mechanic.",
        how_met="The club's coach is part of his safety plan; a college taster day is booked.",
        days_old=70,
    ),
)

VISITS: tuple[Spec, ...] = (
    Spec("HS-2001", 9, "signed", trend="reduced"),
    # oversight due 6 working days ago and not recorded: escalated to the service manager
    Spec("HS-2002", 12, "oversight", trend="unchanged"),
    Spec("HS-2003", 3, "oversight"),
    # the team manager's own case: their visit is signed off by the service manager
    Spec("HS-2004", 2, "oversight", author="amal"),
)


def schedule_second_team(run: _DemoRun) -> None:
    """Add the second team, its people and children, the service manager and the visits to
    the demo's run (made in the past, before the scripted team's first visit)."""
    svc = run.svc
    setup = datetime.combine(run.day(64), time(9, 0))
    checked = setup.date() - timedelta(days=14)
    run.passwords.update({a[0]: a[5] for a in SERVICE_ACCOUNTS})
    for k in KIDS:
        run.kids[k.ref] = k
        run.dobs[k.ref] = date_of_birth(k, run.today)

    run.at(setup, lambda: accounts.add_team(svc, run.ids["admin"], SECOND_TEAM))
    for n, (username, full, role, kind, number, pw, _) in enumerate(SERVICE_ACCOUNTS, 1):
        above = role == "service_manager"

        def add(
            username=username, full=full, role=role, kind=kind, number=number, pw=pw, above=above
        ):
            run.ids[username] = accounts.add_user(
                svc,
                run.ids["admin"],
                username=username,
                full_name=full,
                role=role,
                password=pw,
                team=None if above else SECOND_TEAM,
                registration_number=number,
                unqualified_kind=kind,
                registration_checked_on=checked,
                manages=(TEAM, SECOND_TEAM) if above else (),
            )

        run.at(setup + timedelta(minutes=5 + 3 * n), add)
    run.at(setup + timedelta(minutes=30), lambda: _add_children(run))
    for spec in VISITS:
        run.schedule_visit(spec, manager="amal")


def _add_children(run: _DemoRun) -> None:
    for k in KIDS:
        run.child_ids[k.ref] = children.add_child(
            run.svc,
            run.ids["admin"],
            children.ChildInput(
                reference=k.ref,
                full_name=k.name,
                date_of_birth=run.dobs[k.ref],
                ethnicity=census.ethnicity(k.ethnicity),
                religion=k.religion,
                first_language=k.language,
                interpreter_needed=k.interpreter_for in ("child", "both"),
                disability=census.disability(k.disability),
                communication_needs=census.communication_needs(k.disability),
                sex=census.sex(k.sex),
                plan_type=k.plan,
                plan_start=run.day(k.plan_start),
                placement_long_term=k.long_term,
                plan_risks=k.risks,
                team=SECOND_TEAM,
                allocated_worker=k.worker,
            ),
        )
        for name, who, language, needs in census.carers(k):
            carers.add_carer(
                run.svc, run.ids["admin"], k.ref, carers.CarerInput(name, who, language, needs)
            )
