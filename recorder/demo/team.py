"""The scripted team: ``recorder demo`` and ``recorder --demo``.

``populate(svc)`` fills an empty store with one realistic team: an administrator, a team
manager, three registered social workers, a student and a newly qualified worker awaiting
registration, about forty children and visit records in every state. Everything is made
through the services, so it is validated and audited exactly as real use would be. To make
the store look lived-in, the services' clock is moved through the past while it runs: a
visit is recorded the day it happened, submitted the next working day, countersigned and
signed off a few days later. Every moment is in the past relative to ``svc.now()``, so the
demo always looks current; the clock is put back when it finishes.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, time, timedelta
from typing import Callable

from sqlalchemy import func, select

from recorder.demo import census
from recorder.demo.caseload import KIDS, Kid
from recorder.demo.chronology import schedule as schedule_chronology
from recorder.demo.common import refuse_non_empty, utc
from recorder.demo.people import (
    ACCOUNTS,
    NAMES,
    OVERDUE_CHECK,
    SERVICE_ACCOUNTS,
    TEAM,
    DemoAccount,
    demo_accounts,
)
from recorder.demo.phrases import COUNTERSIGN_COMMENTS
from recorder.demo.plans import schedule as schedule_plans
from recorder.demo.progress import answer_and_save
from recorder.demo.record import Spec, compose, date_of_birth, oversight_note
from recorder.demo.service import schedule_second_team
from recorder.demo.supervision import JOINTLY
from recorder.demo.supervision import schedule as schedule_supervision
from recorder.demo.writer import Writer
from recorder.domain.content import clean_content
from recorder.domain.roles import last_renewal_deadline
from recorder.domain.timescales import working_days_for
from recorder.domain.validation import Severity, VisitContext, validate
from recorder.services import accounts, children, visits
from recorder.services.core import Services
from recorder.services.joint import confirm_joint_attendance
from recorder.store.models import Child, Visit

_S = Spec
_VISITS: tuple[Spec, ...] = (
    # Kayden: last signed-off visit 16 working days ago (child protection: every 10) -> overdue;
    # the worker saw him yesterday and has only started the record.
    _S("RV-1001", 16, "signed", announced="unannounced", trend="unchanged"),
    _S("RV-1001", 1, "partial", announced="unannounced"),
    _S("RV-1002", 7, "signed", tool="three_houses"),
    # Leon: a failed-access visit (missing from home), then seen but not alone
    _S(
        "RV-1007",
        8,
        "signed",
        seen="not_seen",
        announced="unannounced",
        failed={
            "present": (("Michelle Campbell", "mother"),),
            "what": "Unannounced visit at 16:10. Ms Campbell answered the door and said Leon had not "
            "come home from school and was not answering his phone. She had not reported "
            "him missing because he has come back late before.",
            "attempts": ["phone", "school", "other"],
            "attempts_detail": "Phoned Leon twice (no answer; messages left). School confirmed he "
            "left at 15:20 with two older boys. Ms Campbell rang his friends' "
            "parents while I was there; none had seen him.",
            "action": ["manager_informed", "police_welfare", "other"],
            "action_detail": "Ms Campbell reported Leon missing to police at 16:45 with my support "
            "(reference given to her). Told the exploitation team and his youth "
            "worker; my manager agreed a return-home interview.",
            "next_days": 1,
            "views": "Ms Campbell said Leon told her last week he is “sick of everyone checking up "
            "on him”. His youth worker said Leon has told him he wants to stay at his "
            "school and does not want to be moved away from his mum.",
            "observed": "The house was tidy and warm. Ms Campbell was tearful and said she is "
            "frightened for Leon. His bedroom was not seen because he was not at home.",
        },
    ),
    _S(
        "RV-1007",
        2,
        "oversight",
        seen="not_alone",
        not_alone="refused",
        not_alone_detail="Leon said he would only talk with his mum in the room after last week; "
        "I offered to see him at school instead and he said he would think "
        "about it.",
        tool="mind_of_my_own",
    ),
    _S("RV-1013", 6, "signed", tool="mind_of_my_own", location="home"),
    _S(
        "RV-1013",
        3,
        "returned",
        tool="mind_of_my_own",
        returned="Please record what Ellie-Mae told you about the man she met at the bus "
        "station, in her own words, and rate the risk of child sexual exploitation "
        "against what the exploitation team told you on Monday. Then resubmit.",
    ),
    _S(
        "RV-1003",
        9,
        "resubmitted",
        interpreter_mode="phone",
        tool="signs_of_safety",
        returned="The analysis does not yet say what the arguments at home mean for Zofia, and "
        "the risk of parental alcohol misuse needs the school's view. Please add both "
        "and resubmit.",
        fix="Since the manager's comments I have spoken to Zofia's school: staff say the "
        "arguments at home show in tiredness on Monday mornings, which fits what Zofia told "
        "me. The risk from parental alcohol misuse stays as rated until the alcohol service "
        "confirms Mr Wiśniewski's attendance.",
    ),
    # Ioana: the booked interpreter did not come and her uncle interpreted (a query, overridden)
    _S(
        "RV-1005",
        5,
        "signed",
        interpreter="family",
        family_interpreter="Florin Popescu",
        reasons={
            "identity.interpreter_not_professional": "The booked Romanian interpreter did not arrive and the agency had nobody else "
            "that afternoon. Mrs Popescu asked her brother Florin to interpret so that the "
            "visit could go ahead. I kept to practical matters and did not discuss the "
            "conference concerns through him. A professional interpreter is booked in "
            "person for the next visit."
        },
    ),
    _S(
        "RV-1011",
        8,
        "signed",
        bedroom="no",
        bedroom_reason="Siobhán's older sister was asleep in their shared bedroom after a night "
        "shift and Mrs O'Connor asked me not to go in. I will see it at the next "
        "visit.",
    ),
    _S("RV-1015", 18, "signed", interpreter_mode="video", tool="my_star"),
    _S(
        "RV-1004",
        6,
        "signed",
        seen="not_alone",
        not_alone="inappropriate",
        awake="yes",
        announced="unannounced",
    ),
    # Omar: his father would not leave the room (a query, overridden)
    _S(
        "RV-1012",
        7,
        "signed",
        seen="not_alone",
        not_alone="unable",
        trend="unchanged",
        not_alone_detail="Mr Al-Hassan said it was not acceptable for Omar to talk to a stranger "
        "alone and stayed in the room throughout.",
        reasons={
            "seen.not_alone_unable": "Mr Al-Hassan would not leave the room and Omar looked anxious, so I did not "
            "insist at home. I have arranged to see Omar alone at school with the "
            "interpreter within the week, and the conference chair knows."
        },
    ),
    # Ali: non-verbal (a query for no quoted words, overridden); recorded late
    _S(
        "RV-1017",
        13,
        "signed",
        seen="not_alone",
        not_alone="inappropriate",
        late=True,
        not_alone_detail="Ali needs his mother to help him use his PECS book; seeing him alone "
        "would not have given him a voice.",
        reasons={
            "voice.no_quoted_words": "Ali is non-verbal. His views were gathered by observation and with his PECS "
            "book, as recorded above: there are no spoken words to quote."
        },
    ),
    # Aisha: last visit 35 working days ago, 6-weekly visits -> overdue
    _S("RV-1031", 35, "signed", tool="my_star"),
    _S("RV-1020", 30, "signed", author="priya", interpreter_mode="phone"),
    _S("RV-1020", 2, "oversight", countersigner="priya"),
    _S("RV-1027", 19, "signed", advocate="Beth Murray, National Youth Advocacy Service"),
    _S("RV-1029", 50, "signed", tool="three_houses"),
    _S("RV-1006", 4, "signed", tool="three_houses", announced="unannounced"),
    # the student's visits: a joint visit that counts as statutory, then one sent back
    _S(
        "RV-1008",
        8,
        "signed",
        joint="Sam Whitfield",
        countersigner="sam",
        countersign_comment=JOINTLY,
    ),
    _S(
        "RV-1008",
        2,
        "returned_cs",
        countersigner="sam",
        returned="Chloe, please quote what Maisie said or showed in her own words, and add what "
        "nursery told you. You went on your own this time, so this is not a statutory "
        "visit: book the next one with me.",
    ),
    # awaiting registration: a joint visit; the infant was asleep (a query, overridden)
    _S(
        "RV-1009",
        6,
        "signed",
        joint="Tom Okafor",
        countersigner="tom",
        seen="not_alone",
        not_alone="inappropriate",
        awake="no",
        reasons={
            "seen.infant_not_awake": "Ayaan had just gone down for his nap after a disturbed night and Mrs Hussain "
            "was worried about waking him. I saw him breathing easily in his cot. I will "
            "see him awake at a visit booked for after his nap later this week."
        },
    ),
    # Kai: the student visited alone, so it does not count: his statutory visit is overdue
    _S("RV-1030", 12, "signed", countersigner="priya"),
    _S("RV-1016", 3, "oversight", tool="my_star"),
    _S("RV-1018", 3, "oversight"),
    _S(
        "RV-1040",
        2,
        "oversight",
        seen="not_alone",
        not_alone="inappropriate",
        announced="unannounced",
        trend="unchanged",
    ),
    # the manager's own case: no other manager to sign it off, and it is overdue
    _S("RV-1010", 1, "oversight", author="manager"),
    _S("RV-1021", 2, "countersign", seen="not_alone", not_alone="inappropriate"),
    _S("RV-1014", 1, "countersign", joint="Tom Okafor", tool="three_houses"),
    _S(
        "RV-1024",
        4,
        "returned",
        interpreter="not_used",
        why_not_used="The telephone interpreter line dropped twice and could not reconnect. "
        "Şahin offered to interpret for his mother but I did not let him.",
        reasons={
            "identity.interpreter_not_used": "I could not reconnect the phone interpreter and would not use Şahin to "
            "interpret for his mother; I kept to arranging the next visit."
        },
        returned="Mrs Yıldız could not follow the discussion about Şahin's attendance. Please "
        "rebook with an interpreter in person this week and record what she says.",
    ),
    _S("RV-1026", 2, "draft"),
    _S("RV-1022", 1, "partial"),
    _S("RV-1025", 1, "draft"),
    _S("RV-1037", 3, "partial", partial=("details", "seen")),
    _S("RV-1028", 1, "draft", interpreter_mode="phone"),
    _S("RV-1034", 2, "draft", location="placement"),
)

_COUNTERSIGNER = {"student": "sam", "awaiting": "tom"}


class _Clock:
    """The services' clock while the demo is made: moved through the past, one event at a time."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def __call__(self) -> datetime:
        return self.current


class _DemoRun:
    def __init__(self, svc: Services, rng: random.Random, base: datetime, clock: _Clock) -> None:
        self.svc = svc
        self.rng = rng
        self.clock = clock
        self.limit = base.astimezone().replace(tzinfo=None) - timedelta(minutes=5)
        self.today = base.astimezone().date()
        self.wd = working_days_for(svc.policy.bank_holiday_region)
        self.events: list[tuple[datetime, int, Callable[[], None]]] = []
        self.ids: dict[str, int] = {}
        self.child_ids: dict[str, int] = {}
        self.kids = {k.ref: k for k in KIDS}
        self.dobs = {k.ref: date_of_birth(k, self.today) for k in KIDS}
        self.passwords = {a[0]: a[5] for a in ACCOUNTS}
        self.writer = Writer(rng)

    # -- time -------------------------------------------------------------------------
    def day(self, wd_ago: int) -> date:
        return self.wd.add_working_days(self.today, -wd_ago)

    def at(self, when: datetime, fn: Callable[[], None]) -> None:
        self.events.append((when, len(self.events), fn))

    def later(self, prev: datetime, working_days: int, hh: int, mm: int) -> datetime:
        """``working_days`` after ``prev`` at hh:mm, never in the future and always after prev."""
        d = self.wd.add_working_days(prev.date(), working_days)
        t = datetime.combine(d, time(hh, mm)) if d < self.today else prev + timedelta(minutes=25)
        t = min(t, self.limit)
        return max(t, prev + timedelta(seconds=30))

    def play(self) -> None:
        for when, _, fn in sorted(self.events, key=lambda e: (e[0], e[1])):
            self.clock.current = utc(when)
            fn()

    # -- the team -------------------------------------------------------------------------
    def schedule(self) -> None:
        svc = self.svc
        setup = datetime.combine(self.day(65), time(9, 0))
        checked = setup.date() - timedelta(days=14)
        admin_pw = self.passwords["admin"]

        def first_admin() -> None:
            self.ids["admin"] = accounts.create_first_admin(svc, "admin", NAMES["admin"], admin_pw)

        self.at(setup, first_admin)
        self.at(
            setup + timedelta(minutes=4), lambda: accounts.add_team(svc, self.ids["admin"], TEAM)
        )
        deadline = last_renewal_deadline(
            self.today,
            svc.policy.registration_renewal_month,
            svc.policy.registration_renewal_day,
        )
        for n, (username, full, role, kind, number, pw, _) in enumerate(ACCOUNTS[1:], 1):
            # one worker's register check is from before the last renewal deadline (issue 12)
            on = (
                min(checked, deadline - timedelta(days=104))
                if username == OVERDUE_CHECK
                else checked
            )

            def add(
                username=username, full=full, role=role, kind=kind, number=number, pw=pw, on=on
            ):
                self.ids[username] = accounts.add_user(
                    svc,
                    self.ids["admin"],
                    username=username,
                    full_name=full,
                    role=role,
                    password=pw,
                    team=TEAM,
                    registration_number=number,
                    unqualified_kind=kind,
                    registration_checked_on=on,
                )

            self.at(setup + timedelta(minutes=8 + 3 * n), add)
        self._recheck_after(deadline, checked)
        # the children arrive as a CSV import, as they would from the council's old system
        self.at(setup + timedelta(minutes=40), self._import_children)
        for spec in _VISITS:
            self.schedule_visit(spec)
        schedule_second_team(self)
        schedule_supervision(self)  # ASYE, supervision histories, old directions done
        schedule_plans(self)  # a placement move, a conference's frequency (issue 12)
        schedule_chronology(self)  # Hamza's story: a few dozen entries (issue 13)

    def _recheck_after(self, deadline: date, checked: date) -> None:
        """Everyone else's register was checked again the morning after the last renewal
        deadline (when the demo's first checks came before it), so they still countersign
        and sign off today; the overdue worker's was not."""
        if checked > deadline:
            return
        when = datetime.combine(deadline + timedelta(days=1), time(8, 0))
        # after the second team's accounts are made (recorder.demo.service), and never later
        # than the demo's now
        when = min(max(when, datetime.combine(self.day(63), time(8, 0))), self.limit)
        for username, _, _, _, number, _, _ in ACCOUNTS + SERVICE_ACCOUNTS:
            if number and username != OVERDUE_CHECK:
                self.at(
                    when,
                    lambda username=username: accounts.check_registration(
                        self.svc, self.ids["admin"], username, self.svc.today()
                    ),
                )

    def _import_children(self) -> None:
        out = io.StringIO()
        csv_out = csv.DictWriter(out, fieldnames=children.CSV_COLUMNS, restval="")
        csv_out.writeheader()
        for kid in KIDS:
            # a student or a worker awaiting registration never holds a case: their
            # countersigner holds it, and they are its named co-worker (issue 12)
            holder = _COUNTERSIGNER.get(kid.worker, kid.worker)
            csv_out.writerow(
                {
                    "reference": kid.ref,
                    "full_name": kid.name,
                    "date_of_birth": self.dobs[kid.ref].isoformat(),
                    "ethnicity": census.ethnicity(kid.ethnicity),
                    "religion": kid.religion,
                    "first_language": kid.language,
                    "interpreter_needed": "yes"
                    if kid.interpreter_for in ("child", "both")
                    else "no",
                    "disability": census.disability(kid.disability),
                    "plan_type": kid.plan,
                    "plan_start": self.day(kid.plan_start).isoformat(),
                    "placement_long_term": "yes" if kid.long_term else "no",
                    "plan_risks": ";".join(kid.risks),
                    "team": TEAM,
                    "allocated_worker": holder,
                    "co_worker": kid.worker if holder != kid.worker else "",
                    "sex": census.sex(kid.sex),
                    "communication_needs": census.communication_needs(kid.disability),
                }
            )
        children.import_csv(self.svc, self.ids["admin"], out.getvalue())
        census.add_carers(self.svc, self.ids["admin"], KIDS)
        with self.svc.reading() as s:
            self.child_ids = dict(s.execute(select(Child.reference, Child.id)).all())

    # -- one visit ---------------------------------------------------------------------------
    def schedule_visit(self, spec: Spec, manager: str = "manager") -> None:
        rng, svc = self.rng, self.svc
        kid = self.kids[spec.kid]
        author = spec.author or kid.worker
        unqualified = author in _COUNTERSIGNER
        day = self.day(spec.wd_ago)
        hour = spec.hour or rng.choice((9, 10, 11, 13, 14, 15))
        visit_at = datetime.combine(day, time(hour, rng.choice((0, 10, 15, 20, 30, 40, 45))))
        content = compose(self.writer, kid, self.dobs[kid.ref], spec, visit_at, NAMES[author], rng)
        joint = next((u for u, name in NAMES.items() if spec.joint and name == spec.joint), "")
        state: dict[str, int] = {}

        def actor(username: str) -> int:
            return self.ids[username]

        def start() -> None:
            state["vid"] = visits.start_visit(svc, actor(author), self.child_ids[kid.ref])
            if joint:  # chosen from the team's registered staff, as the form's picker does
                content["details"]["joint_worker"] = actor(joint)

        t = visit_at + timedelta(minutes=rng.randint(70, 120))
        self.at(t, start)
        sections = spec.partial if spec.end == "partial" else tuple(content)
        for section in sections:
            t += timedelta(minutes=3)
            self.at(
                t,
                lambda section=section: visits.save_section(
                    svc, actor(author), state["vid"], section, content[section]
                ),
            )
        if spec.end in ("draft", "partial"):
            return

        def submit() -> None:
            answer_and_save(svc, actor(author), state["vid"], content)  # the child's actions
            reasons = self._reasons(kid, spec, content)
            visits.submit(svc, actor(author), state["vid"], query_reasons=reasons)

        t = self.later(t, 4 if spec.late else 1, 10, 5)
        self.at(t, submit)
        if joint and spec.end != "countersign":  # one still waits on its worker's "for you"
            t += timedelta(minutes=40)
            confirm = confirm_joint_attendance
            self.at(t, lambda: confirm(svc, actor(joint), state["vid"], self.passwords[joint]))
        countersigner = spec.countersigner or _COUNTERSIGNER.get(author, "")
        if unqualified:
            if spec.end == "countersign":
                return
            t = self.later(t, 1, 11, 20)
            if spec.end == "returned_cs":
                self.at(
                    t,
                    lambda: visits.return_for_changes(
                        svc, actor(countersigner), state["vid"], spec.returned
                    ),
                )
                return
            comment = rng.choice(COUNTERSIGN_COMMENTS).replace("{name}", kid.known_as)
            comment = spec.countersign_comment or comment
            self.at(
                t,
                lambda: visits.countersign(
                    svc, actor(countersigner), state["vid"], comment, self.passwords[countersigner]
                ),
            )
        if spec.end == "oversight":
            return
        t = self.later(t, 1, 14, 10)
        if spec.end in ("returned", "resubmitted"):
            self.at(
                t,
                lambda: visits.return_for_changes(svc, actor(manager), state["vid"], spec.returned),
            )
            if spec.end == "returned":
                return
            t = self.later(t, 1, 9, 30)
            self.at(t, lambda: self._fix_and_resubmit(kid, spec, content, author, state["vid"]))
            t = self.later(t, 1, 15, 0)
        else:
            t = self.later(t, 1, 15, 0)

        def sign_off() -> None:
            vid = state["vid"]
            with svc.reading() as s:
                flags = visits.flags_for(s, svc, s.get(Visit, vid))
            note = oversight_note(
                rng,
                kid,
                spec,
                flags,
                content["analysis"]["risks"],
                day,
                NAMES[author],
                NAMES.get(countersigner, ""),
                self.wd,
            )
            visits.sign_off(svc, actor(manager), vid, note, self.passwords[manager])

        self.at(t, sign_off)

    def _fix_and_resubmit(self, kid: Kid, spec: Spec, content, author: str, vid: int) -> None:
        analysis = dict(content["analysis"])
        analysis["analysis"] += " " + spec.fix
        content["analysis"] = analysis
        visits.save_section(self.svc, self.ids[author], vid, "analysis", analysis)
        answer_and_save(self.svc, self.ids[author], vid, content)
        visits.submit(
            self.svc, self.ids[author], vid, query_reasons=self._reasons(kid, spec, content)
        )

    def _reasons(self, kid: Kid, spec: Spec, content) -> dict[str, str]:
        """A reason for each query the record raises; the demo's content has no errors."""
        ctx = VisitContext(kid.name, self.dobs[kid.ref], self.svc.now_local(), kid.risks)
        findings = validate(clean_content(content, self.svc.policy), ctx)
        errors = [f.code for f in findings if f.severity is Severity.ERROR]
        missing = [
            f.code for f in findings if f.severity is Severity.QUERY and f.code not in spec.reasons
        ]
        if errors or missing:  # a mistake in this module's data, not the user's
            raise RuntimeError(f"demo visit for {kid.ref} is not complete: {errors + missing}")
        return {f.code: spec.reasons[f.code] for f in findings if f.severity is Severity.QUERY}


def populate(svc: Services, *, seed: int = 2026) -> list[DemoAccount]:
    """Fill an empty store with the demo team; return the accounts to sign in with.

    Everything goes through the services (validated and audited), with the services' clock
    moved through the past so that visits were recorded, countersigned and signed off on
    plausible days before ``svc.now()``; the clock is restored afterwards.
    """
    with svc.reading() as s:
        refuse_non_empty(lambda model: s.scalar(select(func.count()).select_from(model)))
    base = svc.now()
    original_clock, original_hasher = svc.clock, svc.hasher
    clock = _Clock(base)
    svc.clock = clock
    svc.hasher = _RememberingHasher(accounts.hasher(svc))
    try:
        run = _DemoRun(svc, random.Random(seed), base, clock)
        run.schedule()
        run.play()
    finally:
        svc.clock, svc.hasher = original_clock, original_hasher
    return demo_accounts()


class _RememberingHasher:
    """The store's hasher, remembering the passwords it has hashed while the demo is made.

    Countersign and sign-off ask for the signer's password again; the demo signs about
    twenty-five records with four people's passwords. Each account's hash is made here with
    the store's real hasher (argon2 defaults), and checking the password it was just made
    from could only succeed, so those checks are answered from memory instead of costing
    argon2's time again. Anything else is checked by the real hasher. Only for populate().
    """

    def __init__(self, inner) -> None:
        self._inner = inner
        self._known: set[tuple[str, str]] = set()

    def hash(self, password: str) -> str:
        hashed = self._inner.hash(password)
        self._known.add((hashed, password))
        return hashed

    def verify(self, hashed: str, password: str) -> bool:
        if (hashed, password) in self._known:
            return True
        ok = self._inner.verify(hashed, password)
        if ok:
            self._known.add((hashed, password))
        return ok
