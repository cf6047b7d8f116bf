"""The permissions matrix (issue 5, part 8), on SQLite and PostgreSQL.

Every service operation is tried by every role (administrator, team manager, social worker,
and the three kinds of unqualified worker: student, trainee, awaiting registration), as the
record's author or not, in the record's team or not. Only the cells the table below allows
may succeed; every other cell must be refused with ``NotAllowed`` and leave exactly one new
audit event, with outcome "refused", by that actor, and nothing else.

The table ``ALLOWED`` is written from /work/shared/DOMAIN.md ("Who uses it", "Management
oversight", "The life of a visit record"), not from ``recorder.domain``:

- administrator: manage accounts, roles, registration, teams, allocations (and children);
  may not read case content, so every case operation is refused;
- unqualified worker: write and submit visits for children of their team; may not
  countersign, sign off, or oversee;
- social worker: as above, and countersign an unqualified colleague's visit in their team
  (not their own); add addenda to their own signed-off visits;
- team manager: everything a social worker may; management oversight, sign-off, return for
  changes, case-level notes and acknowledging addenda for their team; never on their own work;
- the author of a signed-off record, whatever their role, may add an addendum ("Corrections are
  addenda: reason, text, author's signature"); a manager of the team may too (issue 5).

The world is built once per backend and every cell runs in it. Reads share their targets;
an operation that changes a record gets a fresh record for each cell the table allows, so one
allowed cell cannot change what the next cell sees. Refused cells share records: a refusal
changes nothing (checked), so sharing them is safe.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Callable

import pytest
from sqlalchemy import bindparam
from sqlmodel import func, select

from recorder.domain.chronology import SignificantEventInput
from recorder.domain.contacts import ContactInput
from recorder.domain.supervision import SupervisionInput
from recorder.services import (
    accounts,
    addenda,
    alerts,
    carers,
    caseloads,
    children,
    chronology,
    contact_reads,
    contacts,
    coworkers,
    directions,
    discard,
    escalation,
    joint,
    notices,
    oversight,
    plans,
    supervision,
    visits,
)
from recorder.services import team as team_service
from recorder.services.errors import NotAllowed, ServiceError
from recorder.store.models import AuditEvent
from tests.support.factories import PLAN_RISKS, complete_content
from tests.support.records import (
    COUNTERSIGN_COMMENT,
    answer_progress,
    draft,
    note_for,
    oversight_note,
    submitted,
)
from tests.support.world import PASSWORD

CONTACT = ContactInput(
    received_at=datetime(2026, 11, 25, 9),
    source_code="2A",
    referrer="Hill Primary",
    concern="Often hungry.",
    checked="Our records.",
)

ADMIN, TM, SW = "administrator", "team_manager", "social_worker"
SM = "service_manager"  # above North (not South): "same" is a team they manage
STUDENT, TRAINEE, AWAITING = "student", "trainee", "awaiting_registration"
UNQUALIFIED = (STUDENT, TRAINEE, AWAITING)
QUALIFIED = (TM, SW)
# a registered social worker whose register check is older than the last renewal deadline
# (issue 12, defect 7): works like an unqualified worker, and sees the countersign queue
# (the countersign itself is refused, saying what fixes it)
UNVERIFIED = "unverified"
WORKERS = QUALIFIED + UNQUALIFIED + (UNVERIFIED,)
ROLES = (ADMIN,) + WORKERS + (SM,)

# relations of the actor to the target: "-" (the operation has no target in a team),
# "same"/"other" (a child of the actor's team or another team), or, for a visit record,
# "author" (they wrote it), "colleague" (someone else in their team wrote it) or
# "outsider" (it belongs to another team).
VISIT = ("author", "colleague", "outsider")


def cells(roles, *relations):
    return {(r, rel) for r in roles for rel in relations}


PLAN_OPS = (
    "record_plan",
    "end_plan",
    "record_placement",
    "record_first_review",
    "record_frequency",
)
# naming and ending a co-worker on a child (issue 12, "Case holding")
CO_WORKER_OPS = ("add_co_worker", "end_co_worker")
# contacts (issue 13): recorded by a social worker or a manager of the child's team (an
# unverified registration records, it signs nothing); decided by a manager of the team
CONTACT_OPS = (
    "record_contact",
    "record_household_notification",
    "record_referrer_told",
    "add_contact_addendum",
)
CONTACT_RECORDERS = (TM, SW, UNVERIFIED, SM)

# op -> the cells that are allowed (everything else must be refused)
ALLOWED: dict[str, set[tuple[str, str]]] = {
    # accounts and children administration: administrators only
    "add_user": cells([ADMIN], "-"),
    "set_role": cells([ADMIN], "-"),
    "set_registration": cells([ADMIN], "-"),
    "unlock": cells([ADMIN], "-"),
    "reset_password": cells([ADMIN], "-"),
    "list_users": cells([ADMIN], "-"),
    "add_team": cells([ADMIN], "-"),
    "add_child": cells([ADMIN], "-"),
    "import_csv": cells([ADMIN], "-"),
    "allocate": cells([ADMIN], "-"),
    # a worker's own caseload; a child's record within their team
    "caseload": cells(WORKERS + (SM,), "-"),
    # what find and the palette search: a worker their caseload, a manager the whole team
    "team_children": cells(WORKERS + (SM,), "-"),
    # a colleague's caseload (the team view's Enter on a worker): a manager of their team
    "worker_caseload": cells([TM, SM], "same"),
    # a service manager reads every child of the teams they manage, and holds no case
    "child_view": cells(WORKERS + (SM,), "same"),
    "start_visit": cells(WORKERS, "same"),
    # a draft is the author's own
    "save_section": cells(WORKERS, "author"),
    "save_query_reasons": cells(WORKERS, "author"),
    "submit": cells(WORKERS, "author"),
    "discard_draft": cells(WORKERS, "author"),
    # a record is read by its author and its team (countersign and oversight need it)
    "load_visit": cells(WORKERS, "author", "colleague") | cells([SM], "colleague"),
    "review": cells(WORKERS, "author", "colleague") | cells([SM], "colleague"),
    # qualified countersign: a registered colleague of the team (or the service manager
    # above it), never the author
    "countersign": cells(QUALIFIED + (SM,), "colleague"),
    "return_from_countersign": cells(QUALIFIED + (SM,), "colleague"),
    "countersign_queue": cells(QUALIFIED + (SM, UNVERIFIED), "-"),
    # management oversight: a registered manager of the team (its team manager or the
    # service manager above it), never on their own work
    "sign_off": cells([TM, SM], "colleague"),
    "return_from_oversight": cells([TM, SM], "colleague"),
    # a team manager's own record: the service manager above the team, or another team
    # manager of the team (the North actor signing their fellow manager's)
    "sign_off_managers_record": cells([TM, SM], "same"),
    "oversight_queue": cells([TM, SM], "-"),
    "team_view": cells([TM, SM], "-"),
    "attention": cells([TM, SM], "-"),
    "add_case_note": cells([TM, SM], "same"),
    "case_notes": cells(WORKERS + (SM,), "same"),
    # addenda: the author (any role), or a manager of the team; acknowledged by a manager of
    # the team who did not write the addendum
    "add_addendum": cells(WORKERS, "author") | cells([TM, SM], "colleague"),
    "acknowledge_addendum": cells([TM, SM], "colleague"),
    "addenda_queue": cells([TM, SM], "-"),
    # the ASYE flag is account administration
    "set_asye": cells([ADMIN], "-"),
    # recording a register check (issue 12): account administration
    "check_registration": cells([ADMIN], "-"),
    # supervision: a registered team manager of the worker's team ("same": a worker of the
    # actor's team, "other": of another team), never their own
    "supervision_form": cells([TM], "same"),
    "record_supervision": cells([TM], "same"),
    "team_supervision": cells([TM, SM], "-"),
    # directions: each person's own list; marked done by the person it is for ("author") or
    # a team manager of their team ("colleague")
    "open_directions": cells(WORKERS + (SM,), "-"),
    "mark_done": cells(WORKERS, "author") | cells([TM], "colleague"),
    # attended jointly (issue 12): only the registered worker the unqualified author named,
    # of the child's team ("colleague": a colleague's record naming the actor, when the
    # actor may be named; else naming someone else); each person's own list of them
    "confirm_joint_attendance": cells(QUALIFIED, "colleague"),
    "awaiting_confirmation": cells(WORKERS + (SM,), "-"),
    # plans and placements (issue 12): an administrator, or a manager of the child's team
    **{op: cells([ADMIN], "same", "other") | cells([TM, SM], "same") for op in PLAN_OPS},
    # co-workers (issue 12): an administrator, or a manager of the child's team
    **{op: cells([ADMIN], "same", "other") | cells([TM, SM], "same") for op in CO_WORKER_OPS},
    # parents and carers on the child's record (issue 12): as the child's other details
    "add_carer": cells([ADMIN], "same", "other") | cells([TM, SM], "same"),
    **{op: cells(CONTACT_RECORDERS, "same") for op in CONTACT_OPS},
    "decide_contact": cells([TM, SM], "same"),
    "contacts_for_child": cells(WORKERS + (SM,), "same"),
    "contacts_awaiting_decision": cells([TM, SM], "-"),
    "contacts_awaiting_referrer": cells([TM, SM], "-"),
    # the child's chronology (issue 13): read by the child's team and the managers above it;
    # a significant event added by anyone who may read it; never an administrator
    "chronology": cells(WORKERS + (SM,), "same"),
    # another page of a chronology opened (a filter's, the next): as reading it
    "page": cells(WORKERS + (SM,), "same"),
    "add_significant_event": cells(WORKERS + (SM,), "same"),
    # alerts on a child (issue 13): the managers who answer them
    "open_alerts_for": cells([TM, SM], "-"),
}

# which relations each operation is tried in
RELATIONS = {op: ("-",) for op in ALLOWED}
RELATIONS.update(
    {
        op: ("same", "other")
        for op in (
            "child_view",
            "start_visit",
            "add_case_note",
            "case_notes",
            "worker_caseload",
            "sign_off_managers_record",
            "supervision_form",
            "record_supervision",
            *PLAN_OPS,
            *CO_WORKER_OPS,
            "add_carer",
            *CONTACT_OPS,
            "decide_contact",
            "contacts_for_child",
            "chronology",
            "page",
            "add_significant_event",
        )
    }
)
RELATIONS.update(
    {
        op: VISIT
        for op in (
            "save_section",
            "save_query_reasons",
            "submit",
            "discard_draft",
            "load_visit",
            "review",
            "countersign",
            "return_from_countersign",
            "sign_off",
            "return_from_oversight",
            "add_addendum",
            "acknowledge_addendum",
            "mark_done",
            "confirm_joint_attendance",
        )
    }
)

# operations that change the target when allowed (each allowed cell gets a fresh one)
READS = {
    "caseload",
    "team_children",
    "worker_caseload",
    "child_view",
    "load_visit",
    "review",
    "countersign_queue",
    "oversight_queue",
    "team_view",
    "attention",
    "case_notes",
    "addenda_queue",
    "list_users",
    "supervision_form",
    "team_supervision",
    "open_directions",
    "awaiting_confirmation",
    "contacts_for_child",
    "contacts_awaiting_decision",
    "contacts_awaiting_referrer",
    "chronology",
    "page",
    "open_alerts_for",
}


@dataclass
class People:
    ids: dict[str, int]  # username -> id
    role_actor: dict[str, str]  # role -> username of the North actor for that role
    north_child: int
    south_child: int


def build(svc) -> People:
    admin = accounts.create_first_admin(svc, "admin", "Ada Admin", PASSWORD)
    accounts.add_team(svc, admin, "North")
    accounts.add_team(svc, admin, "South")
    ids = {"admin": admin}

    def add(username, role, team, reg=None, kind=None, checked=date(2026, 10, 1)):
        ids[username] = accounts.add_user(
            svc,
            admin,
            username=username,
            full_name=username.title(),
            role=role,
            password=PASSWORD,
            team=team,
            registration_number=reg,
            unqualified_kind=kind,
            registration_checked_on=checked,
        )

    n = itertools.count(100001)
    for team, p in (("North", "n"), ("South", "s")):
        for suffix in ("", "b"):
            add(f"{p}mgr{suffix}", TM, team, reg=f"SW{next(n)}")
            add(f"{p}sw{suffix}", SW, team, reg=f"SW{next(n)}")
        for kind in UNQUALIFIED:
            add(f"{p}{kind}", "unqualified", team, kind=kind)
    add("spare", SW, "North", reg=f"SW{next(n)}")
    # checked before the renewal deadline of 30 Nov 2025 (today is 26 Nov 2026)
    add("nunverified", SW, "North", reg=f"SW{next(n)}", checked=date(2025, 8, 18))
    ids["head"] = accounts.add_user(
        svc,
        admin,
        username="head",
        full_name="Head",
        role=SM,
        password=PASSWORD,
        registration_number=f"SW{next(n)}",
        registration_checked_on=date(2026, 10, 1),
        manages=("North",),
    )

    def child(ref, team, worker):
        return children.add_child(
            svc,
            admin,
            children.ChildInput(
                reference=ref,
                full_name=f"Child {ref}",
                date_of_birth=date(2016, 5, 4),
                plan_type="child_protection",
                plan_start=date(2026, 9, 1),
                plan_risks=PLAN_RISKS,
                team=team,
                allocated_worker=worker,
            ),
        )

    return People(
        ids=ids,
        role_actor={
            ADMIN: "admin",
            TM: "nmgr",
            SW: "nsw",
            STUDENT: "nstudent",
            TRAINEE: "ntrainee",
            AWAITING: "nawaiting_registration",
            UNVERIFIED: "nunverified",
            SM: "head",
        },
        north_child=child("N1", "North", "nsw"),
        south_child=child("S1", "South", "ssw"),
    )


class Targets:
    """Records in the state an operation needs, written by the right people."""

    def __init__(self, svc, people: People) -> None:
        self.svc, self.p = svc, people
        self.shared: dict[tuple, object] = {}
        self.serial = itertools.count(1)

    def id(self, username: str) -> int:
        return self.p.ids[username]

    def _author(self, actor: str, relation: str, *, unqualified: bool = False) -> tuple[str, int]:
        """Who wrote the target, and for which child."""
        if relation == "author":
            return actor, self.p.north_child
        if relation == "colleague":
            prefer = ["nstudent", "ntrainee"] if unqualified else ["nsw", "nswb"]
            return next(u for u in prefer if u != actor), self.p.north_child
        return ("sstudent" if unqualified else "ssw"), self.p.south_child

    def _countersigner(self, author: str, actor: str) -> str:
        team = author[0]
        return next(u for u in (f"{team}swb", f"{team}sw") if u not in (author, actor))

    def _manager(self, author: str, actor: str) -> str:
        team = author[0]
        return next(u for u in (f"{team}mgrb", f"{team}mgr") if u not in (author, actor))

    def visit(self, state: str, actor: str, relation: str, fresh: bool):
        """A visit in ``state`` for (actor, relation); None when no such record can exist
        (a qualified author's record never waits for a countersign)."""
        unq_needed = state == "awaiting_countersign"
        author, child = self._author(actor, relation, unqualified=unq_needed)
        if unq_needed and not any(author.endswith(k) for k in UNQUALIFIED + (UNVERIFIED,)):
            return None
        if author in ("admin", "head"):  # no visit of theirs can exist
            return None
        key = (state, author, child)
        if not fresh and key in self.shared:
            return self.shared[key]
        svc, a = self.svc, self.id(author)
        needs_cs = any(author.endswith(k) for k in UNQUALIFIED + (UNVERIFIED,))
        if state == "empty_draft":
            vid = draft(svc, a, child, complete=False)
        elif state == "draft":
            vid = draft(svc, a, child)
        elif state == "awaiting_countersign":
            vid = submitted(svc, a, child)
        elif state in ("awaiting_oversight", "signed_off"):
            vid = submitted(svc, a, child)
            if needs_cs:
                visits.countersign(
                    svc,
                    self.id(self._countersigner(author, actor)),
                    vid,
                    COUNTERSIGN_COMMENT,
                    PASSWORD,
                )
            if state == "signed_off":
                visits.sign_off(
                    svc, self.id(self._manager(author, actor)), vid, note_for(svc, vid), PASSWORD
                )
        else:  # pragma: no cover
            raise AssertionError(state)
        if not fresh:
            self.shared[key] = vid
        return vid

    def addendum(self, actor: str, relation: str, fresh: bool):
        """An addendum written by (actor, relation)'s author on their signed-off visit."""
        author, _ = self._author(actor, relation)
        if author in ("admin", "head"):
            return None
        vid = self.visit("signed_off", actor, relation, fresh)
        key = ("addendum", author, vid)
        if not fresh and key in self.shared:
            return self.shared[key]
        aid = addenda.add_addendum(
            self.svc,
            self.id(author),
            vid,
            "A date was wrong",
            "The visit was on the 12th.",
            PASSWORD,
        )
        if not fresh:
            self.shared[key] = aid
        return aid

    def direction(self, actor: str, relation: str, fresh: bool):
        """An open direction for (actor, relation)'s person: an action of a case note."""
        if actor in ("admin", "head") and relation == "author":
            return None  # no case note's action is for them
        if relation == "author":
            person, child = actor, self.p.north_child
        elif relation == "colleague":
            person, child = next(u for u in ("nsw", "nswb") if u != actor), self.p.north_child
        else:
            person, child = "ssw", self.p.south_child
        key = ("direction", person)
        if not fresh and key in self.shared:
            return self.shared[key]
        writer = next(u for u in (f"{person[0]}mgrb", f"{person[0]}mgr") if u != person)
        note = replace(
            oversight_note(),
            actions=({"what": "Ring the school", "who": person, "by_when": "2026-12-10"},),
        )
        oversight.add_case_note(self.svc, self.id(writer), child, note, PASSWORD)
        (d,) = [
            x
            for x in directions.open_directions(self.svc, self.id(person))
            if x.child_id == child and x.what == "Ring the school"
        ][-1:]
        if not fresh:
            self.shared[key] = d.id
        return d.id

    def joint_visit(self, actor: str, relation: str, fresh: bool):
        """A record awaiting countersign by an unqualified author naming a joint worker: the
        actor for a colleague's record when they may be named (registered, of the team), else
        a registered colleague of the author."""
        if relation == "author":
            if not any(actor.endswith(k) for k in UNQUALIFIED):
                return None  # only an unqualified author names a joint worker
            author, child, joint = actor, self.p.north_child, "nsw"
        elif relation == "colleague":
            author, child = "nstudent" if actor != "nstudent" else "ntrainee", self.p.north_child
            joint = actor if actor in ("nmgr", "nsw") else "nswb"
        else:
            author, child, joint = "sstudent", self.p.south_child, "ssw"
        key = ("joint", author, joint)
        if not fresh and key in self.shared:
            return self.shared[key]
        svc, a = self.svc, self.id(author)
        vid = visits.start_visit(svc, a, child)
        content = complete_content()
        content["details"]["joint_worker"] = self.id(joint)
        for section, data in answer_progress(svc, vid, content).items():
            visits.save_section(svc, a, vid, section, data)
        visits.submit(svc, a, vid)
        if not fresh:
            self.shared[key] = vid
        return vid

    def worker(self, relation: str) -> str:
        return "nsw" if relation == "same" else "ssw"

    def plan_child(self, relation: str, fresh: bool) -> str:
        """A looked-after child (plan and placement from 1 Sep 2026) of the actor's team
        ("same") or another ("other"); a new one for each allowed cell."""
        key = ("plan_child", relation)
        if not fresh and key in self.shared:
            return str(self.shared[key])
        ref = self.unique("P")
        children.add_child(
            self.svc,
            self.id("admin"),
            children.ChildInput(
                reference=ref,
                full_name=f"Child {ref}",
                date_of_birth=date(2014, 5, 4),
                plan_type="looked_after",
                plan_start=date(2026, 9, 1),
                team="North" if relation == "same" else "South",
            ),
        )
        if not fresh:
            self.shared[key] = ref
        return ref

    def child(self, relation: str) -> int:
        return self.p.north_child if relation == "same" else self.p.south_child

    def contact(self, relation: str, fresh: bool, *, decided: bool) -> int:
        """A school's contact about the North ("same") or South child, recorded by its
        team's social worker and, when ``decided``, decided NFA by its team manager."""
        key = ("contact", relation, decided)
        if not fresh and key in self.shared:
            return int(self.shared[key])  # type: ignore[call-overload]
        team = "n" if relation == "same" else "s"
        ref = "N1" if relation == "same" else "S1"
        cid = contacts.record_contact(self.svc, self.id(f"{team}sw"), ref, CONTACT)
        if decided:
            contacts.decide_contact(
                self.svc, self.id(f"{team}mgr"), cid, "nfa", "No concern.", PASSWORD
            )
        if not fresh:
            self.shared[key] = cid
        return cid

    def unique(self, prefix: str) -> str:
        return f"{prefix}{next(self.serial)}"


def operation(op: str, t: Targets, actor: str, relation: str, fresh: bool) -> Callable | None:
    """The call for one cell, with its target made ready; None when the cell cannot exist."""
    svc, me = t.svc, t.id(actor)
    if op == "add_user":
        name = t.unique("new")
        return lambda: accounts.add_user(
            svc,
            me,
            username=name,
            full_name="New Person",
            role=SW,
            password=PASSWORD,
            team="North",
            registration_number="SW999999",
        )
    if op == "set_role":
        return lambda: accounts.set_role(svc, me, "spare", SW, registration_number="SW777777")
    if op == "set_registration":
        return lambda: accounts.set_registration(svc, me, "spare", "SW777777", date(2026, 11, 1))
    if op == "unlock":
        return lambda: accounts.unlock(svc, me, "spare")
    if op == "reset_password":
        return lambda: accounts.reset_password(svc, me, "spare", PASSWORD)
    if op == "list_users":
        return lambda: accounts.list_users(svc, me)
    if op == "add_team":
        name = t.unique("Team ")
        return lambda: accounts.add_team(svc, me, name)
    if op == "add_child":
        ref = t.unique("X")
        return lambda: children.add_child(
            svc,
            me,
            children.ChildInput(
                reference=ref, full_name="Ola Nowak", date_of_birth=date(2019, 1, 1), team="North"
            ),
        )
    if op == "import_csv":
        ref = t.unique("I")
        text = (
            ",".join(children.CSV_COLUMNS) + f"\n{ref},Ana Popescu,2018-02-03,,,,,,none,,,,North,\n"
        )
        return lambda: children.import_csv(svc, me, text)
    if op == "allocate":
        return lambda: children.allocate(svc, me, "N1", "nsw")
    if op == "caseload":
        return lambda: caseloads.caseload(svc, me)
    if op == "team_children":
        return lambda: caseloads.team_children(svc, me)
    if op == "worker_caseload":
        worker = t.id("nswb" if relation == "same" else "ssw")  # a colleague, never the actor
        return lambda: caseloads.caseload(svc, me, worker)
    if op == "child_view":
        return lambda: caseloads.child_view(svc, me, t.child(relation))
    if op == "start_visit":
        return lambda: visits.start_visit(svc, me, t.child(relation))
    if op == "countersign_queue":
        return lambda: oversight.countersign_queue(svc, me)
    if op == "oversight_queue":
        return lambda: oversight.oversight_queue(svc, me)
    if op == "team_view":
        return lambda: team_service.team_view(svc, me)
    if op == "add_case_note":
        return lambda: oversight.add_case_note(
            svc, me, t.child(relation), oversight_note(), PASSWORD
        )
    if op == "case_notes":
        return lambda: oversight.case_notes(svc, me, t.child(relation))
    if op == "addenda_queue":
        return lambda: addenda.unacknowledged(svc, me)
    if op == "attention":
        return lambda: escalation.attention(svc, me)
    if op == "sign_off_managers_record":
        if fresh or ("managers_record", relation) not in t.shared:
            author, child = (
                ("nmgrb", t.p.north_child) if relation == "same" else ("smgr", t.p.south_child)
            )
            vid = submitted(svc, t.id(author), child)
            if not fresh:
                t.shared[("managers_record", relation)] = vid
        else:
            vid = t.shared[("managers_record", relation)]
        note = note_for(svc, vid)
        return lambda: visits.sign_off(svc, me, vid, note, PASSWORD)
    if op == "check_registration":
        return lambda: accounts.check_registration(svc, me, "spare", date(2026, 11, 2))
    if op == "set_asye":
        return lambda: accounts.set_asye(svc, me, "spare", True, date(2026, 11, 2))
    if op == "supervision_form":
        return lambda: supervision.supervision_form(svc, me, t.id(t.worker(relation)))
    if op == "record_supervision":
        sup = SupervisionInput(date(2026, 11, 20), "both", "well", "full", "courses")
        return lambda: supervision.record_supervision(
            svc, me, t.id(t.worker(relation)), sup, PASSWORD
        )
    if op == "team_supervision":
        return lambda: supervision.team_supervision(svc, me)
    if op == "open_directions":
        return lambda: directions.open_directions(svc, me)
    if op == "mark_done":
        did = t.direction(actor, relation, fresh)
        return None if did is None else (lambda: directions.mark_done(svc, me, did, "Rang them."))
    if op == "add_carer":
        ref = t.plan_child(relation, fresh)
        mother = carers.CarerInput("Hodan Ali", "mother", "Somali", interpreter_needed=True)
        return lambda: carers.add_carer(svc, me, ref, mother)
    if op in PLAN_OPS:
        ref = t.plan_child(relation, fresh)
        day = date(2026, 11, 20)
        return {
            "record_plan": lambda: plans.record_plan(
                svc, me, ref, plans.PlanInput("child_in_need", day)
            ),
            "end_plan": lambda: plans.end_plan(svc, me, ref, day),
            "record_placement": lambda: plans.record_placement(svc, me, ref, "residential", day),
            "record_first_review": lambda: plans.record_first_review(svc, me, ref, day),
            "record_frequency": lambda: plans.record_frequency(
                svc,
                me,
                ref,
                visit_every_working_days=5,
                seen_alone_every_working_days=None,
                set_by="Looked-after review",
                set_on=day,
            ),
        }[op]
    if op in CO_WORKER_OPS:
        ref = t.plan_child(relation, fresh)
        who = "ntrainee" if relation == "same" else "strainee"
        if op == "end_co_worker":
            key = ("co_worker", ref)
            if fresh or key not in t.shared:
                coworkers.add_co_worker(svc, t.id("admin"), ref, who)
                t.shared[key] = True
            return lambda: coworkers.end_co_worker(svc, me, ref, who)
        return lambda: coworkers.add_co_worker(svc, me, ref, who)
    if op == "confirm_joint_attendance":
        vid = t.joint_visit(actor, relation, fresh)
        return (
            None
            if vid is None
            else (lambda: joint.confirm_joint_attendance(svc, me, vid, PASSWORD))
        )
    if op == "awaiting_confirmation":
        return lambda: joint.awaiting_confirmation(svc, me)
    if op == "record_contact":
        ref = "N1" if relation == "same" else "S1"
        return lambda: contacts.record_contact(svc, me, ref, CONTACT)
    if op == "record_household_notification":
        ref = "N1" if relation == "same" else "S1"
        return lambda: contacts.record_household_notification(svc, me, [ref], CONTACT)
    if op == "decide_contact":
        cid = t.contact(relation, fresh, decided=False)
        return lambda: contacts.decide_contact(svc, me, cid, "advice", "Advice.", PASSWORD)
    if op == "record_referrer_told":
        cid = t.contact(relation, fresh, decided=True)
        return lambda: contacts.record_referrer_told(svc, me, cid, date(2026, 11, 26))
    if op == "add_contact_addendum":
        cid = t.contact(relation, fresh, decided=True)
        return lambda: contacts.add_contact_addendum(svc, me, cid, "why", "what", PASSWORD)
    if op == "contacts_for_child":
        return lambda: contact_reads.contacts_for_child(svc, me, t.child(relation))
    if op == "contacts_awaiting_decision":
        return lambda: contact_reads.contacts_awaiting_decision(svc, me)
    if op == "contacts_awaiting_referrer":
        return lambda: contact_reads.contacts_awaiting_referrer(svc, me)
    if op == "chronology":
        return lambda: chronology.chronology(svc, me, t.child(relation))
    if op == "page":
        view = chronology.Chronology(t.child(relation), "", "", (), False, {}, 0)
        return lambda: chronology.page(svc, me, view, limit=1)
    if op == "add_significant_event":
        event = SignificantEventInput(
            date(2026, 11, 20), "Moved school", "The school", "Settled; misses her friends."
        )
        return lambda: chronology.add_significant_event(svc, me, t.child(relation), event, PASSWORD)
    if op == "open_alerts_for":
        return lambda: alerts.open_alerts_for(svc, me)
    if op == "acknowledge_addendum":
        aid = t.addendum(actor, relation, fresh)
        return None if aid is None else (lambda: addenda.acknowledge(svc, me, aid, PASSWORD))

    state = {
        "save_section": "empty_draft",
        "save_query_reasons": "draft",
        "submit": "draft",
        "discard_draft": "draft",
        "load_visit": "awaiting_oversight",
        "review": "awaiting_oversight",
        "countersign": "awaiting_countersign",
        "return_from_countersign": "awaiting_countersign",
        "sign_off": "awaiting_oversight",
        "return_from_oversight": "awaiting_oversight",
        "add_addendum": "signed_off",
    }[op]
    vid = t.visit(state, actor, relation, fresh)
    if vid is None:
        return None
    if op == "save_section":
        data = complete_content()["observations"]
        return lambda: visits.save_section(svc, me, vid, "observations", data)
    if op == "save_query_reasons":
        return lambda: visits.save_query_reasons(
            svc, me, vid, {"identity.interpreter_not_professional": "The uncle interpreted."}
        )
    if op == "submit":
        return lambda: visits.submit(svc, me, vid)
    if op == "discard_draft":
        return lambda: discard.discard_draft(svc, me, vid)
    if op == "load_visit":
        return lambda: visits.load_visit(svc, me, vid)
    if op == "review":
        return lambda: oversight.review(svc, me, vid)
    if op == "countersign":
        return lambda: visits.countersign(svc, me, vid, COUNTERSIGN_COMMENT, PASSWORD)
    if op in ("return_from_countersign", "return_from_oversight"):
        return lambda: visits.return_for_changes(svc, me, vid, "Please add the school's view.")
    if op == "sign_off":
        note = note_for(svc, vid)
        return lambda: visits.sign_off(svc, me, vid, note, PASSWORD)
    if op == "add_addendum":
        return lambda: addenda.add_addendum(
            svc, me, vid, "Information came later", "The school confirmed attendance.", PASSWORD
        )
    raise AssertionError(op)  # pragma: no cover


class Ledger:
    """The test's own reads of the store, on one connection held for the whole test (not a
    session checked out, pinged and begun for each read): the last audit event's id, the
    events after it, and what a refused call must leave as it was (:meth:`state`). The
    statements are built once; each point of a cell is one transaction."""

    def __init__(self, svc) -> None:
        from recorder.store import models as m
        from recorder.store.models import Visit, Worker

        self.conn = svc.engine.connect()
        self._last = select(func.coalesce(func.max(AuditEvent.id), 0))
        # one statement for every table's count (a query per table made this test the
        # suite's slowest on PostgreSQL: about 40 round trips for each of 300 refusals)
        self._counts = select(
            *(
                select(func.count()).select_from(t).scalar_subquery()
                for t in m.ALL_TABLES
                if t is not AuditEvent
            )
        )
        self._versions = select(Visit.id, Visit.version, Visit.state).order_by(Visit.id)
        self._workers = select(
            Worker.id,
            Worker.role,
            Worker.registration_number,
            Worker.registration_checked_on,
            Worker.password_hash,
            Worker.locked,
            Worker.team_id,
        ).order_by(Worker.id)
        self._tail = (
            select(AuditEvent.actor_id, AuditEvent.outcome)
            .where(AuditEvent.id > bindparam("after"))
            .order_by(AuditEvent.id)
        )

    def close(self) -> None:
        self.conn.close()

    def _state(self) -> tuple:
        """Row counts of every table but the audit trail, every visit's version and every
        worker's account fields."""
        c = self.conn
        counts = tuple(c.execute(self._counts).one())
        versions = tuple(tuple(r) for r in c.execute(self._versions).all())
        workers = tuple(tuple(r) for r in c.execute(self._workers).all())
        return counts, versions, workers

    def before(self, *, with_state: bool) -> tuple[int, tuple | None]:
        """The last audit event's id, and the store's state when ``with_state``."""
        with self.conn.begin():
            last = self.conn.execute(self._last).scalar_one()
            return last, (self._state() if with_state else None)

    def after(self, before: int, *, with_state: bool) -> tuple[list, tuple | None]:
        """(actor, outcome) of every audit event after ``before``, and the store's state
        when ``with_state``."""
        with self.conn.begin():
            events = [tuple(r) for r in self.conn.execute(self._tail, {"after": before})]
            return events, (self._state() if with_state else None)


# The matrix runs as two tests, each on its own store and world, so that pytest-xdist runs
# them side by side (on PostgreSQL it was the suite's longest test); together they try every
# cell. Refused cells share their target with the refused cells of the other operations on a
# record in the same state, so the operations on drafts, on records awaiting countersign, on
# signed-off records (their addenda) and on records naming a joint worker make up the first
# part, and every other operation the second: no shared record is made twice.
FIRST_PART = {
    "save_section",
    "save_query_reasons",
    "submit",
    "discard_draft",
    "countersign",
    "return_from_countersign",
    "add_addendum",
    "acknowledge_addendum",
    "confirm_joint_attendance",
}
PARTS = (
    [op for op in RELATIONS if op in FIRST_PART],
    [op for op in RELATIONS if op not in FIRST_PART],
)


def cell_count(ops) -> int:
    return sum(len(ROLES) * len(RELATIONS[op]) for op in ops)


def test_the_parts_hold_every_operation_once():
    held = [op for part in PARTS for op in part]
    assert FIRST_PART <= set(RELATIONS)
    assert sorted(held) == sorted(RELATIONS) and len(held) == len(set(held))


@pytest.mark.parametrize("part", range(len(PARTS)), ids=lambda n: f"part{n + 1}of{len(PARTS)}")
def test_every_operation_by_every_role_author_and_team(svc, part):
    people = build(svc)
    t = Targets(svc, people)
    ledger = Ledger(svc)
    wrong: list[str] = []
    tried = refused = 0
    ops = PARTS[part]
    try:
        for op in ops:
            relations = RELATIONS[op]
            for role, relation in itertools.product(ROLES, relations):
                actor = people.role_actor[role]
                expected = (role, relation) in ALLOWED[op]
                call = operation(op, t, actor, relation, fresh=expected and op not in READS)
                if call is None:
                    continue  # e.g. a qualified author's record never waits for a countersign
                tried += 1
                before, snapshot = ledger.before(with_state=not expected)
                try:
                    call()
                    _outcome, error = "ok", None
                except ServiceError as e:
                    _outcome, error = "refused", e
                events, state = ledger.after(before, with_state=not expected and error is not None)
                cell = f"{op} by {role} ({relation})"
                if expected and error is not None:
                    wrong.append(
                        f"{cell}: refused ({type(error).__name__}: {error.message}), "
                        "expected allowed"
                    )
                elif not expected and error is None:
                    wrong.append(f"{cell}: ALLOWED, expected refused")
                elif not expected:
                    refused += 1
                    if not isinstance(error, NotAllowed):
                        wrong.append(
                            f"{cell}: refused with {type(error).__name__} "
                            f"({error.message}), expected NotAllowed"
                        )
                    if events != [(t.id(actor), "refused")]:
                        wrong.append(
                            f"{cell}: refusal left audit events {events}, expected exactly "
                            "one 'refused' by the actor"
                        )
                    if state != snapshot:
                        wrong.append(f"{cell}: the refusal changed the store")
                elif op not in READS and (not events or events[-1] != (t.id(actor), "ok")):
                    wrong.append(f"{cell}: allowed but audit events were {events}")
    finally:
        ledger.close()
    print(f"\npermission matrix: {tried} cells tried, {refused} refused as expected")
    assert not wrong, f"{len(wrong)} of {tried} cells are wrong:\n" + "\n".join(wrong)
    # every role and every relation was exercised for the visit operations: at least 200
    # cells in all, each part its share (by the cells it holds) of them
    assert tried >= math.ceil(200 * cell_count(ops) / cell_count(RELATIONS))


def test_the_table_covers_every_public_operation():
    """A new service operation must be added to the table (and so to the matrix)."""
    import inspect

    covered = {
        "add_user",
        "set_role",
        "set_registration",
        "unlock",
        "reset_password",
        "list_users",
        "add_team",
        "add_child",
        "import_csv",
        "allocate",
        "caseload",
        "team_children",
        "child_view",
        "start_visit",
        "save_section",
        "save_query_reasons",
        "submit",
        "load_visit",
        "countersign",
        "return_for_changes",
        "sign_off",
        "countersign_queue",
        "oversight_queue",
        "review",
        "team_view",
        "add_case_note",
        "case_notes",
        "add_addendum",
        "acknowledge",
        "unacknowledged",
        "attention",
        "set_asye",
        "check_registration",
        "supervision_form",
        "record_supervision",
        "team_supervision",
        "open_directions",
        "mark_done",
        "confirm_joint_attendance",
        "awaiting_confirmation",
        *PLAN_OPS,
        *CO_WORKER_OPS,
        "add_carer",
        *CONTACT_OPS,
        "decide_contact",
        "contacts_for_child",
        "contacts_awaiting_decision",
        "contacts_awaiting_referrer",
        "chronology",
        "page",
        "add_significant_event",
        "open_alerts_for",
    }
    not_role_checked = {
        # before anyone can sign in, or sign-in itself; pure helpers and read models
        "create_first_admin",
        "has_any_account",
        "sign_in",
        # the idle lock: a person locks and unlocks only their own session, with their own
        # password, counted like a sign-in (tests/test_idle_lock_service.py)
        "lock_session",
        "resume_session",
        "check_password",
        "check_password_strength",
        "hasher",
        "audit_count",
        "parse_csv",
        "flags_for",
        "notes_for_child",
        "addenda_for_visit",
        # written inside the use case that signs their source, which checks who may
        "record_direction",
        "record_actions",
        "direct_author",
        "directions_for_visit",
        "raise_alert",
        "answer_alerts",
        "child_not_seen_alert",
        "not_seen_ladder",  # inside submit's transaction, and attention's own short write
        "at_sign_off",
        "frequency",
        # read models of a supervision: the worker and their manager (tests/test_services_supervision)
        "supervision_view",
        # printed by `recorder` as it opens the store, before anyone signs in (audited)
        "take_upgrade_notices",
        # a read model inside the caseload and the manager's home, which check who may read
        "referrals_to_see",
    }
    public = set()
    for module in (
        accounts,
        children,
        caseloads,
        team_service,
        visits,
        oversight,
        addenda,
        escalation,
        supervision,
        directions,
        plans,
        coworkers,
        notices,
        joint,
        carers,
        contacts,
        contact_reads,
        chronology,
        alerts,
    ):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                params = list(inspect.signature(fn).parameters)
                if params[:1] == ["svc"]:
                    public.add(name)
    missing = public - covered - not_role_checked
    assert not missing, f"operations missing from the permission matrix: {sorted(missing)}"
