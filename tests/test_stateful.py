"""A stateful property test of the life of a visit record (DOMAIN.md, "Who uses it",
"Management oversight", "The life of a visit record").

A Hypothesis ``RuleBasedStateMachine`` drives the workflow only through
``recorder.services.visits``: start_visit, save_section, submit, countersign,
return_for_changes and sign_off. Each example gets a fresh SQLite store holding the world of
``tests.world`` (a copy of a template built once through the services, with cheap argon2).
Actors are drawn from every role (the administrator, both managers, both social workers,
the student, the worker awaiting registration, the other team's worker), sometimes the
visit's author and sometimes not. Section contents are complete, empty, complete variants
that raise queries and flags, or complete with one or two fields removed or replaced by
drawn values (text with control characters and markup, wrong choices, wrong types, dates
out of range, unknown fields); passwords right and wrong; oversight notes complete or
with an empty heading, a short analysis, an unanswered flag or no actions; query reasons
and comments random. Every call must succeed or raise a ``ServiceError``: anything else
fails the test.

Each rule checks the call's outcome against a small model of the rules (``CHECK_RULES``);
around each call the audit trail is checked; after every step the database is read
directly (plain SQL) and the invariants checked, numbered as in the assertion messages:

1. nothing incomplete leaves the draft state: a visit waiting for countersign or oversight,
   or signed off, has ``blocking(validate(content, ctx), query_reasons) == []``;
2. every Countersign is by a registered worker (social worker or team manager with a
   registration number) of the visit's team, or the service manager above it, with its
   "Qualified countersign" signature;
   an unqualified author's visit has one per round that got past countersign (a qualified
   author's none), so a signed-off one has a countersign by a different registered worker;
3. a signed-off visit has exactly one OversightNote and one "Management oversight"
   signature, by a registered team manager of its team or the service manager above it,
   who is neither the author nor a countersigner; no other visit has either;
4. nobody approves their own work: no Signature, Countersign or OversightNote by the
   visit's author;
5. every call, accepted or refused, left exactly one new AuditEvent (rows counted before
   and after) with the call's actor and action and outcome "ok" or "refused"; a refused
   call changed nothing else;
6. states are only the four VisitState values (a draft is never in a queue): a draft has
   no submission date, a queued or signed-off visit has one, only an unqualified author's
   visit waits for countersign, and only a signed-off visit has a sign-off time;
7. a submitted visit counts as statutory only when the child was seen, its type is
   statutory and its author is qualified or a registered colleague (not the author)
   attended jointly and confirmed it with their signature after the latest submission;
8. a signed-off visit never changes afterwards;
9. a team manager's own record waiting for oversight is in the service manager's oversight
   queue, which they may sign off: South is a one-manager team (``smgr``), whose manager's
   records only the service manager (``head``, above North and South) can sign off.

``RECORDER_STATEFUL_EXAMPLES`` sets the number of examples (default 200, run as four tests
of 50 so that they share the cores).
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from recorder.domain import workflow
from recorder.domain.content import LIST_ITEM_KEYS, clean_content
from recorder.domain.oversight import OversightInput, word_count
from recorder.domain.policy import Policy
from recorder.domain.roles import Role
from recorder.domain.sections import (
    RISK_CHANGES,
    SECTION_BY_KEY,
    SECTIONS,
    STATUTORY_VISIT_TYPES,
    SectionKey,
    VisitType,
)
from recorder.domain.text import clean
from recorder.domain.validation import (
    QUERY_TITLES,
    Severity,
    VisitContext,
    blocking,
    validate,
)
from recorder.domain.workflow import VisitState, submitted_state
from recorder.services import visits
from recorder.services.errors import InvalidInput, ServiceError
from recorder.services.joint import confirm_joint_attendance
from recorder.store.models import Visit
from tests.support.clock import FrozenClock
from tests.support.factories import PLAN_RISKS, complete_content
from tests.support.stores import make_services, open_services
from tests.support.world import PASSWORD, World, build_world

EXAMPLES = int(os.environ.get("RECORDER_STATEFUL_EXAMPLES", "200"))
# The examples are run as SHARDS tests of about EXAMPLES / SHARDS each, so pytest-xdist
# spreads the machine over every core instead of leaving one worker with all of it.
SHARDS = max(1, min(4, EXAMPLES))

STATEFUL_SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

ACTORS = (
    "admin",
    "manager",
    "manager2",
    "sw",
    "sw2",
    "student",
    "awaiting",
    "other_team_sw",
    "head",  # the service manager above North and South
    "smgr",  # South's one team manager, who holds the South child
)
MANAGERS = ("manager", "manager2", "head", "smgr")
NO_SUCH_VISIT = 999_999
MAX_VISITS = 3  # per example: enough for interleaving, few enough for records to progress
MAX_STARTS = 5  # start_visit calls per example, refusals included
SECTION_KEYS = frozenset(s.key.value for s in SECTIONS)
AUTHOR_MEANING = "Recorded and submitted"  # the author signs what they submit
COUNTERSIGN_MEANING = "Qualified countersign"
OVERSIGHT_MEANING = "Management oversight"
JOINT_MEANING = "Attended jointly"  # the joint worker confirms they were there


# -- the store: one template, copied for each example ------------------------------------------


def _tmp_base() -> str | None:
    """RAM-backed when there is one: every commit is an fsync (synchronous=FULL)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


@dataclass
class StatefulWorld(World):
    head: int = 0
    smgr: int = 0
    south_child: int = 0


def _above_and_south(svc, w: World) -> StatefulWorld:
    """The test world, with a service manager above North and South, and South's one team
    manager holding a South child (made like North's, so that the same content is complete)."""
    from recorder.services import accounts, children

    def add(username, name, role, team, reg, manages=()):
        return accounts.add_user(
            svc,
            w.admin,
            username=username,
            full_name=name,
            role=role,
            password=PASSWORD,
            team=team,
            registration_number=reg,
            registration_checked_on=date(2026, 10, 1),
            manages=manages,
        )

    head = add("head", "Hana Head", "service_manager", None, "SW400001", ("North", "South"))
    smgr = add("smgr", "Sue South", "team_manager", "South", "SW300009")
    south = children.add_child(
        svc,
        w.admin,
        children.ChildInput(
            reference="S0001",
            full_name="Amira Khan",
            date_of_birth=date(2016, 5, 4),
            plan_type="child_protection",
            plan_start=date(2026, 9, 1),
            plan_risks=PLAN_RISKS,
            team="South",
            allocated_worker="smgr",
        ),
    )
    return StatefulWorld(**dataclasses.asdict(w), head=head, smgr=smgr, south_child=south)


@lru_cache(maxsize=None)
def _template() -> tuple[str, StatefulWorld]:
    """A store with the migration applied and the world built through the services (cheap
    argon2), made once per test session. Each example gets its own copy: a fresh store
    with a fresh world, without paying for the migration and the world every time."""
    folder = tempfile.mkdtemp(prefix="recorder-stateful-template-", dir=_tmp_base())
    atexit.register(shutil.rmtree, folder, True)
    path = os.path.join(folder, "template.sqlite3")
    svc = make_services(f"sqlite:///{path}", FrozenClock())
    world = _above_and_south(svc, build_world(svc))
    svc.engine.dispose()
    return path, world


def _fresh_store(folder: str) -> tuple[str, StatefulWorld]:
    """A copy of the template in ``folder``: its URL and its world (ids as in the copy)."""
    template, world = _template()
    path = os.path.join(folder, "recorder.sqlite3")
    src, dst = sqlite3.connect(template), sqlite3.connect(path)
    try:
        src.backup(dst)  # consistent even if the template's WAL was not checkpointed
    finally:
        dst.close()
        src.close()
    os.chmod(path, 0o600)
    return f"sqlite:///{path}", dataclasses.replace(world)


# -- hostile and ordinary values ----------------------------------------------------------------

NASTY = (
    "[bold]x[/]",
    "[/]",
    "[red]alert[/red]",
    "[link=file:///etc/passwd]x[/link]",
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;pwned\x07",
    "\u202eevil\u202c",
    "\u2066isolated\u2069",
    "Robert'); DROP TABLE visit;--",
    "{{7*7}}",
    "%s%n%x",
    "\x00\x01\x02",
    "\r\n\r\n",
    "\t",
    "   ",
    "",
    "\u200b",
    "“quoted”",
    '"no"',
    "'tis",
    "👩‍👧 ﷺ",
    "y" * 500,
    "y" * 501,
)
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x9F) | st.sampled_from(
    list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff\u2028")
)
SURROGATES = st.characters(categories=["Cs"])  # what surrogateescape makes of bad bytes
TEXT = st.one_of(
    st.text(max_size=30),  # every script (Hypothesis leaves out lone surrogates here)
    st.text(alphabet=CONTROL | SURROGATES | st.characters(max_codepoint=0x7F), max_size=30),
    # the last one is over the long-text limit (built here so that its repr stays short)
    st.integers(0, len(NASTY)).map(lambda i: NASTY[i] if i < len(NASTY) else "x" * 100_001),
)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)
DATES = st.dates(min_value=date(2014, 1, 1), max_value=date(2028, 1, 1))
LOCAL_DATETIMES = st.datetimes(min_value=datetime(2014, 1, 1), max_value=datetime(2028, 1, 1))


def _item_value(key: str) -> st.SearchStrategy[Any]:
    if key == "by_when":
        return st.one_of(DATES.map(date.isoformat), DATES, LOCAL_DATETIMES, TEXT, ANY_JSON)
    if key == "change":
        return st.one_of(st.sampled_from([k for k, _ in RISK_CHANGES]), TEXT, ANY_JSON)
    if key == "risk":
        return st.one_of(st.sampled_from(PLAN_RISKS), TEXT, ANY_JSON)
    return st.one_of(TEXT, ANY_JSON)


def _items(kind: str) -> st.SearchStrategy[Any]:
    keys = LIST_ITEM_KEYS[kind]
    item = st.fixed_dictionaries({}, optional={k: _item_value(k) for k in keys})
    odd_item = st.dictionaries(st.sampled_from(list(keys) + ["extra", "Name"]), TEXT, max_size=3)
    return st.one_of(
        st.lists(item, max_size=3), st.lists(odd_item | ANY_JSON, max_size=2), TEXT, ANY_JSON
    )


def value_for(spec) -> st.SearchStrategy[Any]:
    """A replacement value for one field: sometimes valid, often hostile or of a wrong type."""
    choices = [str(k) for k, _ in spec.choices]
    kind = spec.kind
    if kind == "choice":
        return st.one_of(st.sampled_from(choices), TEXT, ANY_JSON)
    if kind == "multi":
        return st.one_of(
            st.lists(st.sampled_from(choices), max_size=3),
            st.lists(TEXT, max_size=2),
            TEXT,
            ANY_JSON,
        )
    if kind == "int":
        return st.one_of(
            st.integers(-3, 13),
            st.integers(),
            st.sampled_from(["7", " 7 ", "007", "1e3", "１２", "-1", "9" * 10]),
            ANY_JSON,
        )
    if kind == "date":
        return st.one_of(DATES.map(date.isoformat), DATES, LOCAL_DATETIMES, TEXT)
    if kind == "datetime":
        return st.one_of(
            LOCAL_DATETIMES.map(lambda d: d.isoformat(timespec="minutes")),
            LOCAL_DATETIMES,
            st.datetimes(timezones=st.just(timezone.utc)).map(datetime.isoformat),
            DATES.map(date.isoformat),
            DATES,
            TEXT,
        )
    if kind == "worker":  # a worker's id (the picker's), or a typed name (refused)
        return st.one_of(st.integers(-2, 14), st.sampled_from(["Bob Fake", "sw"]), ANY_JSON)
    if kind in LIST_ITEM_KEYS:
        return _items(kind)
    return st.one_of(TEXT, ANY_JSON)


def _with(section: str, **changes: Any) -> dict[str, Any]:
    data = complete_content()[section]
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


#: Complete sections, most of which raise a query or a flag the oversight note must answer.
VARIANTS: dict[str, list[dict[str, Any]]] = {
    "details": [
        # "@name": that worker's id, as the picker gives it (resolved by the machine)
        _with("details", joint_worker="@sw"),
        _with("details", joint_worker="@sw2"),
        _with("details", joint_worker="@student"),
        _with("details", joint_worker="@other_team_sw"),
        _with("details", joint_worker="@awaiting"),
        _with("details", joint_worker="Bob Fake"),  # typed, never chosen: refused (defect 8)
        _with("details", visit_type="other", location="other", location_other="Library"),
        _with("details", visit_type="child_in_need", absent=None, none_absent="yes"),
    ],
    "seen": [
        _with(
            "seen",
            seen_alone="no",
            not_alone_reason="unable",
            not_alone_detail="Mother stayed in the room.",
        ),
        _with("seen", seen_alone="no", not_alone_reason="refused"),
        _with("seen", bedroom_seen="no", bedroom_reason="Mother said it was being painted."),
        {
            "child_seen": "no",
            "failed_what_happened": "No answer at the door.",
            "failed_attempts": ["phone", "neighbours"],
            "failed_action": ["manager_informed"],
            "failed_next_seen": "2025-03-14",
        },
        {
            "child_seen": "no",
            "failed_what_happened": "No answer at the door.",
            "failed_attempts": ["calling_card", "school"],
            "failed_action": ["police_welfare"],
            "failed_next_seen": "2025-03-01",
        },  # before the visit: a query
    ],
    "voice": [
        _with("voice", said="She talked about school and her brother."),  # no quoted words
        _with("voice", views_from_others="Her mother says she is happier."),
    ],
    "identity": [
        _with(
            "identity",
            interpreter_relationship="family",
            interpreter_agency=None,
            interpreter_name="Her uncle",
        ),
        _with(
            "identity",
            interpreter_used="no",
            interpreter_not_used_why="None was available at short notice.",
            interpreter_language=None,
            interpreter_name=None,
            interpreter_agency=None,
            interpreter_mode=None,
            interpreter_relationship=None,
        ),
    ],
    "actions": [
        _with(
            "actions",
            actions=[{"what": "Chase the school", "who": "Sam Social", "by_when": "2025-03-01"}],
        ),  # before the visit: a query
        _with(
            "actions",
            actions=None,
            no_new_actions="yes",
            no_actions_why="The plan's actions are on track.",
        ),
    ],
}


@st.composite
def mutated(draw, section: str) -> dict[str, Any]:
    """The complete section with one or two fields removed or replaced."""
    data = complete_content()[section]
    spec = SECTION_BY_KEY[SectionKey(section)]
    for _ in range(draw(st.integers(1, 2))):
        op = draw(st.sampled_from(["remove", "replace", "replace", "replace", "unknown"]))
        if op == "remove" and data:
            data.pop(draw(st.sampled_from(sorted(data))))
        elif op == "unknown":
            data[draw(st.sampled_from(["bogus", "Visit_at", "notes", ""]))] = draw(TEXT)
        else:
            f = draw(st.sampled_from(spec.fields))
            data[f.key] = draw(value_for(f))
    return data


def section_content(section: str) -> st.SearchStrategy[dict[str, Any]]:
    complete = st.builds(lambda: complete_content()[section])
    return st.one_of(
        complete,
        complete,
        st.sampled_from(VARIANTS.get(section, [{}])),
        st.just({}),
        mutated(section),
    )


GOOD_REASON = "Discussed with my manager; explained in the observations."
QUERY_REASONS = st.one_of(
    st.none(),
    st.just({code: GOOD_REASON for code in QUERY_TITLES}),
    st.just({code: GOOD_REASON for code in QUERY_TITLES}),
    st.dictionaries(
        st.sampled_from(sorted(QUERY_TITLES) + ["bogus.code"]),
        st.one_of(st.just(GOOD_REASON), TEXT),
        max_size=4,
    ),
)
GOOD_COMMENT = "I checked every section and the child's words are quoted; agreed with the plan."
COMMENTS = st.one_of(
    st.just(GOOD_COMMENT),
    st.just(GOOD_COMMENT),
    st.sampled_from(
        [
            "ok",
            "Checked.",
            "   ",
            "\x1b\x07\x00",
            "one two three four five six seven eight nine ten",  # exactly the minimum
            "one two three four five six seven eight nine",
        ]
    ),
    TEXT,
)
RETURN_COMMENTS = st.one_of(st.just("Please add what the school said."), TEXT)
PASSWORDS = st.one_of(
    st.just(PASSWORD),
    st.just(PASSWORD),
    st.just(PASSWORD),
    st.sampled_from(
        [
            "",
            PASSWORD + " ",
            PASSWORD.upper(),
            "correct horse battery\x00",
            "\x1b[31m",
            "[bold]x[/]",
            "x" * 1000,
        ]
    ),
    # no lone surrogates: see test_password_with_a_lone_surrogate_is_refused_not_a_crash
    st.text(alphabet=CONTROL | st.characters(), max_size=30).filter(lambda p: p != PASSWORD),
)
NOTE_KINDS = st.sampled_from(
    ["complete"] * 5
    + [
        "empty_heading",
        "short_analysis",
        "unanswered_flag",
        "control_only_flag_answer",
        "no_actions",
        "action_without_who",
    ]
)
VERSIONS = st.sampled_from([None, None, "current", "current", "stale", "ahead"])
SIGNERS = st.one_of(
    st.sampled_from(MANAGERS),
    st.sampled_from(["sw", "sw2"]),
    st.sampled_from(ACTORS + ("author",)),
)
HOURS = st.sampled_from([0, 0, 0, 1, 30, 24 * 3, 24 * 8])  # time passing before an action
MOSTLY_AUTHOR = st.one_of(
    st.just("author"), st.just("author"), st.just("author"), st.sampled_from(ACTORS)
)


def oversight_note(kind: str, flag_codes: list[str]) -> tuple[OversightInput, bool]:
    """A note of ``kind`` answering ``flag_codes``, and whether it should be accepted."""
    analysis = ("I have read the whole record and the child's own words. " * 6).strip()
    responses = {code: "Discussed in supervision and acceptable for now." for code in flag_codes}
    fields: dict[str, Any] = dict(
        decision="Continue the child protection plan; no change this month.",
        analysis=analysis,
        risk="Neglect reduced; domestic abuse unchanged while father is away.",
        actions=({"what": "Review contact plan", "who": "Sam Social", "by_when": "2026-12-10"},),
        timeframe="Next supervision on 10 December.",
        child_voice="Her wish to see her father at her nan's house is now the contact plan.",
    )
    ok = True
    if kind == "empty_heading":
        fields["risk"] = " \n\t"
        ok = False
    elif kind == "short_analysis":
        fields["analysis"] = "Seen. Fine."
        ok = False
    elif kind in ("unanswered_flag", "control_only_flag_answer") and flag_codes:
        if kind == "unanswered_flag":
            del responses[flag_codes[0]]
        else:
            responses[flag_codes[-1]] = "\x1b\x07\u202e "
        ok = False
    elif kind == "no_actions":
        fields["actions"] = ()
        ok = False
    elif kind == "action_without_who":
        fields["actions"] = ({"what": "Review", "who": "  ", "by_when": "2026-12-10"},)
        ok = False
    return OversightInput(flag_responses=responses, **fields), ok


# -- reading the store directly -----------------------------------------------------------------


class Store:
    """Plain SQL on the store's file, beside the services' own engine: what is really there."""

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    def rows(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(sql, args)]

    def one(self, sql: str, *args: Any) -> tuple:
        return tuple(self.conn.execute(sql, args).fetchone())

    def counts(self) -> tuple:
        return self.one(
            "SELECT (SELECT count(*) FROM visit), (SELECT count(*) FROM visit_section),"
            " (SELECT count(*) FROM signature), (SELECT count(*) FROM countersign),"
            " (SELECT count(*) FROM oversight_note),"
            " (SELECT count(*) FROM return_comment)"
        )

    def visits(self, vid: int | None = None) -> dict[int, "VisitNow"]:
        where, args = ("WHERE visit_id = ?", (vid,)) if vid is not None else ("", ())
        out: dict[int, VisitNow] = {}
        for r in self.rows(
            "SELECT * FROM visit " + ("WHERE id = ?" if vid is not None else "") + " ORDER BY id",
            *args,
        ):
            r["query_reasons"] = json.loads(r["query_reasons"])
            out[r["id"]] = VisitNow(r, {spec.key.value: {} for spec in SECTIONS})
        for r in self.rows(f"SELECT visit_id, section, data FROM visit_section {where}", *args):
            out[r["visit_id"]].content[r["section"]] = json.loads(r["data"])
        for table, attr in (
            ("countersign", "countersigns"),
            ("signature", "signatures"),
            ("oversight_note", "notes"),
            ("return_comment", "returns"),
        ):
            for r in self.rows(f"SELECT * FROM {table} {where} ORDER BY id", *args):
                if r["visit_id"] is not None:
                    getattr(out[r["visit_id"]], attr).append(r)
        return out

    def visit(self, vid: int) -> "VisitNow | None":
        return self.visits(vid).get(vid)


@dataclass
class VisitNow:
    """One visit as the database holds it (rows as dicts)."""

    row: dict[str, Any]
    content: dict[str, dict[str, Any]]
    countersigns: list[dict[str, Any]] = field(default_factory=list)
    signatures: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    returns: list[dict[str, Any]] = field(default_factory=list)

    @property
    def author_id(self) -> int:
        return self.row["author_id"]

    @property
    def state(self) -> str:
        return self.row["state"]

    def fingerprint(self) -> str:
        return json.dumps(
            [self.row, self.content, self.countersigns, self.signatures, self.notes, self.returns],
            sort_keys=True,
            default=str,
        )


QUALIFIED_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)


def _registered(w: dict) -> bool:
    return w["role"] in QUALIFIED_ROLES and bool(w["registration_number"])


def _needs_countersign(w: dict) -> bool:
    return w["role"] == Role.UNQUALIFIED or (
        w["role"] in QUALIFIED_ROLES and not w["registration_number"]
    )


# -- the machine ----------------------------------------------------------------------------------


class VisitWorkflow(RuleBasedStateMachine):
    #: Check each call's outcome against the model of the rules in the rule itself. The
    #: broken-rule test turns this off to show that the database invariants alone catch it.
    CHECK_RULES = True

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="recorder-stateful-", dir=_tmp_base())
        self.done_actions: set[int] = set()
        url, self.world = _fresh_store(self.folder)
        self.clock = FrozenClock()
        # the clock moves past 30 November, Social Work England's renewal deadline, where
        # every account's register check (1 Oct 2026) would become unverified; this model
        # keeps every registration current by a deadline of 31 March (issue 12, defect 7, is
        # held by tests/test_registration.py and the permission matrix's unverified worker)
        # the copy is migrated already: open_services, not make_services (whose check of the
        # revision read alembic's scripts again for every example)
        self.svc = open_services(
            url,
            self.clock,
            Policy(registration_renewal_month=3, registration_renewal_day=31),
        )
        self.db = Store(url.removeprefix("sqlite:///"))
        self.ids = {name: getattr(self.world, name) for name in ACTORS}
        self.workers = {w["id"]: w for w in self.db.rows("SELECT * FROM worker")}
        #: team id -> the service manager above it (invariant 9; the rules' model)
        self.above = {t["id"]: t["service_manager_id"] for t in self.db.rows("SELECT * FROM team")}
        self.children = {}
        for child in self.db.rows("SELECT * FROM child"):
            self.children[child["id"]] = dict(
                child,
                date_of_birth=date.fromisoformat(child["date_of_birth"]),
                plan_risks=tuple(json.loads(child["plan_risks"])),
            )
        self.child = self.children[self.world.child]  # both are alike: one context
        self.vids: list[int] = []
        self.starts = 0  # start_visit calls, accepted or refused
        self.states: dict[int, str] = {}  # as of the last invariant check
        self.ready: dict[int, bool] = {}  # drafts without errors, as of the last check
        self.signed_off: dict[int, str] = {}  # visit id -> fingerprint when first seen signed off

    def teardown(self) -> None:
        self.db.close()
        self.svc.engine.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers ------------------------------------------------------------------------------
    def _who(self, name: str, v: VisitNow | None) -> int:
        if name == "author":
            return v.author_id if v else self.world.sw
        if name == "joint":  # the worker the record names as attending jointly
            return (v.row["joint_worker_id"] if v else None) or self.world.sw
        return self.ids[name]

    def _ctx(self, v: VisitNow | None = None) -> VisitContext:
        joint = None
        if v is not None and _needs_countersign(self.workers[v.author_id]):
            joint = {  # who the picker offers: the team's registered, active staff
                w["id"]: w["full_name"]
                for w in self.workers.values()
                if w["team_id"] == v.row["team_id"]
                and w["active"]
                and _registered(w)
                and w["id"] != v.author_id
            }
        return VisitContext(
            child_name=self.child["full_name"],
            child_dob=self.child["date_of_birth"],
            now=self.svc.now_local(),
            plan_risks=self.child["plan_risks"],
            joint_workers=joint,
            open_actions=self._open_actions(v),
        )

    def _open_actions(self, v: VisitNow | None):
        """The child's open actions the visit is asked about (issue 13): read as the service
        reads them (which ones is tested in tests/test_services_actions.py)."""
        if v is None:
            return ()
        from recorder.services.action_progress import open_actions_for

        with self.svc.reading() as s:
            row = s.get(Visit, v.row["id"])
            return open_actions_for(s, self.svc, row) if row is not None else ()

    def _answer_progress(self, vid: int) -> None:
        """The author says progress on each open action before submitting, as a worker does."""
        v = self.db.visit(vid)
        if v is None or v.state != VisitState.DRAFT:
            return
        opens = self._open_actions(v)
        section = dict(v.content.get("actions") or {})
        answers = dict(section.get("progress") or {})
        missing = [a for a in opens if a.key not in answers]
        if not missing:
            return
        for a in missing:
            answers[a.key] = {"what": a.what, "status": "in_progress", "note": "Still in hand."}
        section["progress"] = answers
        visits.save_section(self.svc, v.author_id, vid, "actions", section)

    def _complete(self, content, reasons, v: VisitNow | None = None) -> bool:
        return not blocking(validate(content, self._ctx(v)), reasons)

    def _joint_confirmed(self, v: VisitNow) -> bool:
        """A "Attended jointly" signature by the named worker after the latest submission."""
        subs = [g["id"] for g in v.signatures if g["meaning"] == AUTHOR_MEANING]
        return bool(subs) and any(
            g["meaning"] == JOINT_MEANING
            and g["signer_id"] == v.row["joint_worker_id"]
            and g["id"] > max(subs)
            for g in v.signatures
        )

    def _version(self, kind: str | None, v: VisitNow | None) -> int | None:
        if kind is None or v is None:
            return None
        return {"current": 0, "stale": -1, "ahead": 5}[kind] + v.row["version"]

    def _call(
        self, action: str, actor_id: int, vid: int | None, fn: Callable[[], Any]
    ) -> tuple[bool, Any]:
        """Call a service; check its audit event (invariant 5) and that a refusal changed
        nothing. Any exception other than a ServiceError propagates and fails the test."""
        audit_before, last_id = self.db.one(
            "SELECT count(*), coalesce(max(id), 0) FROM audit_event"
        )
        before = (self.db.counts(), self.db.visit(vid) if vid else None)
        try:
            result, ok = fn(), True
        except ServiceError as e:
            result, ok = e, False
            assert isinstance(e.message, str) and e.message.strip(), "a refusal needs a message"
        (audit_after,) = self.db.one("SELECT count(*) FROM audit_event")
        new = self.db.rows(
            "SELECT action, actor_id, outcome FROM audit_event WHERE id > ? ORDER BY id", last_id
        )
        outcome = "ok" if ok else "refused"
        if isinstance(result, visits.DraftConflict):
            # a stale save of the author's own record: refused, and its text kept as a new
            # draft (issue 5, part 5) -- the refusal's event, then the copy's, and nothing
            # else changed but the copy's visit and its sections
            got = [(e["action"], e["actor_id"], e["outcome"]) for e in new]
            assert got == [(action, actor_id, "refused"), ("keep_conflict_copy", actor_id, "ok")], (
                f"conflict copy audit {got}"
            )
            after = (self.db.counts(), self.db.visit(vid))
            added = tuple(x - y for x, y in zip(after[0], before[0]))
            assert added == (1, len(SECTIONS), 0, 0, 0, 0), f"conflict copy added {added}"
            assert before[1].fingerprint() == after[1].fingerprint(), "stale save changed the visit"
            assert self.db.visit(result.copy_visit_id).state == VisitState.DRAFT
            self.vids.append(result.copy_visit_id)
            return ok, result
        if action == "sign_off" and ok and len(new) == 2:
            # identity confirmed on the visit updates the child's profile in the sign-off's
            # own transaction, audited as a change of its own (issue 12), by the same signer
            # (written as the profile changes, so before the sign-off's own event)
            profile = [e for e in new if e["action"] == "update_profile"]
            assert [(e["actor_id"], e["outcome"]) for e in profile] == [(actor_id, "ok")], (
                f"invariant (5): sign_off left {[e['action'] for e in new]}"
            )
            new, audit_after = [e for e in new if e["action"] != "update_profile"], audit_after - 1
        assert audit_after - audit_before == 1 and len(new) == 1, (
            f"invariant (5): {action} ({outcome}) left {audit_after - audit_before} audit events"
        )
        got = (new[0]["action"], new[0]["actor_id"], new[0]["outcome"])
        assert got == (action, actor_id, outcome), (
            f"invariant (5): audit event {got} for {action} by {actor_id} ({outcome})"
        )
        if not ok:
            after = (self.db.counts(), self.db.visit(vid) if vid else None)
            assert after[0] == before[0], f"invariant (5): refused {action} changed row counts"
            b_visit, a_visit = before[1], after[1]
            assert (b_visit and b_visit.fingerprint()) == (a_visit and a_visit.fingerprint()), (
                f"invariant (5): refused {action} changed visit {vid}"
            )
        return ok, result

    def _same_team(self, actor: dict, v: VisitNow) -> bool:
        return actor["team_id"] is not None and actor["team_id"] == v.row["team_id"]

    def _barred_from_sign_off(self, v: VisitNow) -> set[int]:
        """Who may not sign off ``v``: its author and whoever countersigned any round."""
        return {v.author_id} | {c["worker_id"] for c in v.countersigns}

    def _manages(self, actor: dict, v: VisitNow) -> bool:
        """A registered team manager of the visit's team, or the service manager above it."""
        if not _registered(actor):
            return False
        if actor["role"] == Role.TEAM_MANAGER:
            return self._same_team(actor, v)
        return (
            actor["role"] == Role.SERVICE_MANAGER
            and self.above.get(v.row["team_id"]) == (actor["id"])
        )

    def _may_countersign(self, actor: dict, v: VisitNow) -> bool:
        return (
            actor["id"] != v.author_id
            and _registered(actor)
            and (self._same_team(actor, v) or self._manages(actor, v))
        )

    def _may_sign_off(self, actor: dict, v: VisitNow) -> bool:
        return actor["id"] not in self._barred_from_sign_off(v) and self._manages(actor, v)

    def _waiting(self, *states: VisitState) -> bool:
        """Some record is in one of ``states``. The signers' rules run only then: otherwise
        they would mostly be refused for the state (which they still are, on other visits)."""
        return any(state in states for state in self.states.values())

    def _expect(self, ok: bool, result: Any, expected: bool, what: str) -> None:
        """The model of the rules agrees with the service (unless CHECK_RULES is off)."""
        if self.CHECK_RULES and ok != expected:
            said = f" ({result.message!r})" if isinstance(result, ServiceError) else ""
            raise AssertionError(
                f"{what}: {'accepted' if ok else 'refused'}{said}, expected "
                f"{'accepted' if expected else 'refused'}"
            )

    def _pick_visit(self, data, *prefer: VisitState, ready: bool | None = None) -> int:
        """A visit started so far: mostly the oldest one in a state the rule can act on
        (and, for drafts, ``ready`` to submit or not), so that one record often goes all
        the way; sometimes any; now and then one that does not exist."""
        choice = data.draw(st.integers(0, 19), label="pick")
        if choice == 19:
            return NO_SUCH_VISIT
        preferred = [
            vid
            for vid in self.vids
            if self.states.get(vid) in prefer and (ready is None or self.ready.get(vid) is ready)
        ]
        if preferred and choice < 12:
            return preferred[0]
        if preferred and choice < 16:
            return data.draw(st.sampled_from(preferred), label="visit")
        return data.draw(st.sampled_from(self.vids), label="visit")

    # -- rules ----------------------------------------------------------------------------------
    @initialize(
        who=st.one_of(
            st.sampled_from(["student", "awaiting"]),
            st.sampled_from(["sw", "sw2", "manager", "manager2", "smgr"]),
        )
    )
    def first_visit(self, who):
        """Every example starts with a draft, as often by a worker who needs a qualified
        countersign as by one who does not; now and then by South's one team manager, on
        the South child they hold."""
        self._start(who, south=who == "smgr")

    @precondition(lambda self: len(self.vids) < MAX_VISITS and self.starts < MAX_STARTS)
    @rule(who=st.sampled_from(ACTORS), south=st.sampled_from([False, False, True]))
    def start_visit(self, who, south):
        self._start(who, south)

    def _start(self, who: str, south: bool = False) -> None:
        self.starts += 1
        actor = self.workers[self.ids[who]]
        child = self.children[self.world.south_child if south else self.world.child]
        ok, vid = self._call(
            "start_visit",
            actor["id"],
            None,
            lambda: visits.start_visit(self.svc, actor["id"], child["id"]),
        )
        self._expect(
            ok,
            vid,
            actor["role"] != Role.ADMINISTRATOR
            and (
                actor["id"] == child["allocated_worker_id"]
                or (actor["team_id"] is not None and actor["team_id"] == child["team_id"])
            ),
            f"start_visit by {who}",
        )
        if ok:
            self.vids.append(vid)
            self.states[vid] = VisitState.DRAFT

    def _save(self, who: str, vid: int, section: str, data: dict, version_kind) -> tuple[bool, Any]:
        chosen = data.get("joint_worker") if section == "details" else None
        if isinstance(chosen, str) and chosen.startswith("@"):  # the picker's id for that name
            data = {**data, "joint_worker": self.ids[chosen[1:]]}
        v = self.db.visit(vid)
        actor_id = self._who(who, v)
        version = self._version(version_kind, v)
        ok, result = self._call(
            "save_section",
            actor_id,
            vid,
            lambda: visits.save_section(self.svc, actor_id, vid, section, data, version),
        )
        try:
            cleaned = clean_content({section: data}, self.svc.policy)
        except ValueError:  # ContentError, TextTooLong
            cleaned = None
        self._expect(
            ok,
            result,
            v is not None
            and actor_id == v.author_id
            and v.state == VisitState.DRAFT
            and version in (None, v.row["version"])
            and cleaned is not None,
            f"save_section {section} by {who}",
        )
        if ok and self.CHECK_RULES:
            after = self.db.visit(vid)
            assert after.content[section] == cleaned[section], "stored is not the cleaned input"
            assert after.row["version"] == v.row["version"] + 1
        return ok, result

    @precondition(lambda self: self.vids)
    @rule(
        data=st.data(), who=st.one_of(st.just("author"), st.sampled_from(ACTORS)), version=VERSIONS
    )
    def save_section(self, data, who, version):
        vid = self._pick_visit(data, VisitState.DRAFT)
        section = data.draw(
            st.one_of(
                st.sampled_from([s.key.value for s in SECTIONS]),
                st.sampled_from(["bogus", "Details", ""]),
            ),
            label="section",
        )
        content = data.draw(
            section_content(section) if section in SECTION_KEYS else st.just({"x": "y"}),
            label="content",
        )
        self._save(who, vid, section, content, version)

    @precondition(lambda self: any(not ready for ready in self.ready.values()))
    @rule(
        data=st.data(),
        who=MOSTLY_AUTHOR,
        mode=st.sampled_from(["complete", "variant", "variant", "random"]),
        then_submit=st.booleans(),
    )
    def fill_record(self, data, who, mode, then_submit):
        """Fill in the whole record, as a worker does: complete, complete with variants that
        raise queries or flags, or each section at random; then perhaps submit it. Like
        autosave, only sections that differ from what is stored are saved."""
        vid = self._pick_visit(data, VisitState.DRAFT, ready=False)
        content = complete_content()
        if mode == "variant":
            for section in data.draw(
                st.lists(st.sampled_from(sorted(VARIANTS)), min_size=1, max_size=3, unique=True),
                label="varied",
            ):
                content[section] = data.draw(st.sampled_from(VARIANTS[section]), label=section)
        elif mode == "random":
            content = {s: data.draw(section_content(s), label=s) for s in content}
        stored = self.db.visit(vid)
        for section, values in content.items():
            if stored is None or stored.content.get(section) != values:
                ok, error = self._save(who, vid, section, values, "current")
                if not ok and not isinstance(error, InvalidInput):
                    return  # not theirs, not a draft, or no such record: the worker stops
        if then_submit:
            self._submit(who, vid, data.draw(QUERY_REASONS, label="reasons"), "current")

    @precondition(lambda self: self._waiting(VisitState.DRAFT))
    @rule(
        data=st.data(),
        who=MOSTLY_AUTHOR,
        reasons=QUERY_REASONS,
        version=VERSIONS,
        hours_later=HOURS,
    )
    def submit(self, data, who, reasons, version, hours_later):
        self.clock.advance(hours=hours_later)  # visits may be recorded late
        self._submit(who, self._pick_visit(data, VisitState.DRAFT, ready=True), reasons, version)

    def _submit(self, who: str, vid: int, reasons, version) -> None:
        self._answer_progress(vid)
        v = self.db.visit(vid)
        actor_id = self._who(who, v)
        expected_version = self._version(version, v)
        ok, result = self._call(
            "submit",
            actor_id,
            vid,
            lambda: visits.submit(self.svc, actor_id, vid, reasons, expected_version),
        )
        expected = False
        if v is not None:
            merged = {
                k: clean(r).strip()
                for k, r in {**v.row["query_reasons"], **(reasons or {})}.items()
                if clean(r or "").strip()
            }
            expected = (
                actor_id == v.author_id
                and v.state == VisitState.DRAFT
                and expected_version in (None, v.row["version"])
                and all(len(r) <= self.svc.policy.long_text_max_chars for r in merged.values())
                and self._complete(v.content, merged, v)
            )
        self._expect(ok, result, expected, f"submit by {who}")
        if ok and self.CHECK_RULES:
            author = self.workers[v.author_id]
            assert result.state is submitted_state(_needs_countersign(author))
            assert self.db.visit(vid).state == result.state

    @precondition(lambda self: self._waiting(VisitState.AWAITING_COUNTERSIGN))
    @rule(data=st.data(), who=SIGNERS, comment=COMMENTS, password=PASSWORDS)
    def countersign(self, data, who, comment, password):
        self._countersign(
            who, self._pick_visit(data, VisitState.AWAITING_COUNTERSIGN), comment, password
        )

    @precondition(
        lambda self: self._waiting(VisitState.AWAITING_COUNTERSIGN, VisitState.AWAITING_OVERSIGHT)
    )
    @rule(data=st.data(), who=SIGNERS, comment=RETURN_COMMENTS)
    def return_for_changes(self, data, who, comment):
        self._return(
            who,
            self._pick_visit(data, VisitState.AWAITING_COUNTERSIGN, VisitState.AWAITING_OVERSIGHT),
            comment,
        )

    @precondition(lambda self: self._waiting(VisitState.AWAITING_OVERSIGHT))
    @rule(data=st.data(), who=SIGNERS, kind=NOTE_KINDS, password=PASSWORDS)
    def sign_off(self, data, who, kind, password):
        self._sign_off(who, self._pick_visit(data, VisitState.AWAITING_OVERSIGHT), kind, password)

    # Careful colleagues and managers. Hypothesis switches whole rules off in some examples
    # (swarm testing); these two keep records moving when the hostile rules above are off.
    @precondition(lambda self: self._waiting(VisitState.AWAITING_COUNTERSIGN))
    @rule(
        data=st.data(),
        who=st.one_of(st.sampled_from(["sw", "sw2", "manager", "manager2", "head"]), SIGNERS),
        careful=st.lists(st.sampled_from([True, True, True, False]), min_size=2, max_size=2),
    )
    def colleague_countersigns(self, data, who, careful):
        """A colleague countersigns the next record, usually with a proper comment and the
        right password; now and then returns it instead."""
        vid = self._pick_visit(data, VisitState.AWAITING_COUNTERSIGN)
        if data.draw(st.integers(0, 5), label="return instead") == 5:
            self._return(who, vid, data.draw(RETURN_COMMENTS, label="comment"))
            return
        comment = GOOD_COMMENT if careful[0] else data.draw(COMMENTS, label="comment")
        password = PASSWORD if careful[1] else data.draw(PASSWORDS, label="password")
        self._countersign(who, vid, comment, password)

    @precondition(lambda self: self._waiting(VisitState.AWAITING_OVERSIGHT))
    @rule(
        data=st.data(),
        who=st.one_of(st.sampled_from(MANAGERS), SIGNERS),
        careful=st.lists(st.sampled_from([True, True, True, False]), min_size=2, max_size=2),
        hours_later=HOURS,
    )
    def manager_reviews(self, data, who, careful, hours_later):
        """Some time later, a manager signs off the next record, usually with a complete
        note and the right password; now and then returns it for changes instead."""
        self.clock.advance(hours=hours_later)
        vid = self._pick_visit(data, VisitState.AWAITING_OVERSIGHT)
        if data.draw(st.integers(0, 5), label="return instead") == 5:
            self._return(who, vid, data.draw(RETURN_COMMENTS, label="comment"))
            return
        kind = "complete" if careful[0] else data.draw(NOTE_KINDS, label="note")
        password = PASSWORD if careful[1] else data.draw(PASSWORDS, label="password")
        self._sign_off(who, vid, kind, password)

    @precondition(
        lambda self: self._waiting(VisitState.AWAITING_COUNTERSIGN, VisitState.AWAITING_OVERSIGHT)
    )
    @rule(
        data=st.data(),
        who=st.one_of(st.just("joint"), st.just("joint"), SIGNERS),
        password=st.one_of(st.just(PASSWORD), PASSWORDS),
    )
    def confirm_joint(self, data, who, password):
        """The worker named as attending jointly (or anyone else) confirms it with a
        signature; only the named registered worker, once per submission, with their
        password, while the record is with the countersigner or the manager."""
        vid = self._pick_visit(data, VisitState.AWAITING_COUNTERSIGN, VisitState.AWAITING_OVERSIGHT)
        v = self.db.visit(vid)
        actor_id = self._who(who, v)
        ok, result = self._call(
            "confirm_joint_attendance",
            actor_id,
            vid,
            lambda: confirm_joint_attendance(self.svc, actor_id, vid, password),
        )
        self._expect(
            ok,
            result,
            v is not None
            and v.state in (VisitState.AWAITING_COUNTERSIGN, VisitState.AWAITING_OVERSIGHT)
            and v.row["joint_worker_id"] == actor_id
            and _registered(self.workers[actor_id])
            and not self._joint_confirmed(v)
            and password == PASSWORD,
            f"confirm_joint_attendance by {who}",
        )

    def _countersign(self, who: str, vid: int, comment: str, password: str) -> None:
        v = self.db.visit(vid)
        actor_id = self._who(who, v)
        ok, result = self._call(
            "countersign",
            actor_id,
            vid,
            lambda: visits.countersign(self.svc, actor_id, vid, comment, password),
        )
        self._expect(
            ok,
            result,
            v is not None
            and v.state == VisitState.AWAITING_COUNTERSIGN
            and self._may_countersign(self.workers[actor_id], v)
            and word_count(clean(comment).strip()) >= self.svc.policy.countersign_comment_min_words
            and password == PASSWORD,
            f"countersign by {who}",
        )

    def _return(self, who: str, vid: int, comment: str) -> None:
        v = self.db.visit(vid)
        actor_id = self._who(who, v)
        ok, result = self._call(
            "return_for_changes",
            actor_id,
            vid,
            lambda: visits.return_for_changes(self.svc, actor_id, vid, comment),
        )
        expected = False
        text = clean(comment).strip()
        if v is not None and text and len(text) <= self.svc.policy.long_text_max_chars:
            actor = self.workers[actor_id]
            if v.state == VisitState.AWAITING_COUNTERSIGN:
                expected = self._may_countersign(actor, v)
            elif v.state == VisitState.AWAITING_OVERSIGHT:
                expected = self._may_sign_off(actor, v)
        self._expect(ok, result, expected, f"return_for_changes by {who}")
        if ok and self.CHECK_RULES:
            assert self.db.visit(vid).state == VisitState.DRAFT

    def _sign_off(self, who: str, vid: int, kind: str, password: str) -> None:
        v = self.db.visit(vid)
        actor_id = self._who(who, v)
        codes: list[str] = []
        if v is not None:
            with self.svc.reading() as s:
                codes = [f.code for f in visits.flags_for(s, self.svc, s.get(Visit, vid))]
        note, note_ok = oversight_note(kind, codes)
        ok, result = self._call(
            "sign_off",
            actor_id,
            vid,
            lambda: visits.sign_off(self.svc, actor_id, vid, note, password),
        )
        expected = False
        if v is not None:
            author = self.workers[v.author_id]
            expected = (
                v.state == VisitState.AWAITING_OVERSIGHT
                and self._may_sign_off(self.workers[actor_id], v)
                and self._complete(v.content, v.row["query_reasons"])
                and (bool(v.countersigns) or not _needs_countersign(author))
                and note_ok
                and password == PASSWORD
            )
        self._expect(ok, result, expected, f"sign_off by {who} with a {kind} note")

    # -- invariants -----------------------------------------------------------------------------
    @invariant()
    def actions_never_move_back(self):
        """Issue 13: an action moves open -> done (with who, when and a note) or stays open
        (overdue is only its due date passing); once done it never moves back."""
        rows = self.db.rows("SELECT id, done_at, done_by_id, done_note FROM tracked_action")
        done = {r["id"] for r in rows if r["done_at"] is not None}
        for r in rows:
            if r["done_at"] is not None:
                assert r["done_by_id"] is not None and r["done_note"].strip(), r
        assert self.done_actions <= done, "a done action moved back to open"
        self.done_actions = done

    @invariant()
    def database_invariants(self):
        all_visits = self.db.visits()
        ctx = self._ctx()
        for vid, v in all_visits.items():
            self._check_visit(vid, v, ctx)
        self.states = {vid: v.state for vid, v in all_visits.items()}
        self.ready = {
            vid: not [f for f in validate(v.content, ctx) if f.severity is Severity.ERROR]
            for vid, v in all_visits.items()
            if v.state == VisitState.DRAFT
        }
        orphans = self.db.one("SELECT count(*) FROM signature WHERE visit_id IS NULL")[0]
        assert orphans == 0, "a signature on no visit (no rule signs a case)"
        self._managers_records_reach_the_service_manager(all_visits)

    def _managers_records_reach_the_service_manager(self, all_visits) -> None:
        """(9) a team manager's own record waiting for oversight is in the oversight queue of
        the service manager above its team, who may sign it off (even in one-manager South)."""
        waiting = {
            vid
            for vid, v in all_visits.items()
            if v.state == VisitState.AWAITING_OVERSIGHT
            and self.workers[v.author_id]["role"] == Role.TEAM_MANAGER
        }
        if not waiting:
            return
        from recorder.services import oversight

        rows = {r.visit_id: r for r in oversight.oversight_queue(self.svc, self.world.head)}
        for vid in waiting:
            row = rows.get(vid)
            assert row is not None and row.manager_record and row.can_act, (
                f"invariant (9): team manager's record {vid} is not the service manager's to "
                f"sign off ({row.why_not if row else 'not in the queue'})"
            )

    def _check_visit(self, vid: int, v: VisitNow, ctx: VisitContext) -> None:
        row, workers = v.row, self.workers
        author = workers[v.author_id]
        state = v.state

        # (6) only the four states, and the record's dates agree with its state
        assert state in {s.value for s in VisitState}, f"invariant (6): visit {vid} is {state!r}"
        if state == VisitState.DRAFT:
            assert row["submitted_at"] is None and row["oversight_due"] is None, (
                f"invariant (6): draft {vid} looks submitted"
            )
        else:
            assert row["submitted_at"] is not None and row["oversight_due"] is not None, (
                f"invariant (6): visit {vid} is {state} but was never submitted"
            )
        if state == VisitState.AWAITING_COUNTERSIGN:
            assert _needs_countersign(author), (
                f"invariant (6): visit {vid} by a qualified author waits for countersign"
            )
        assert (row["signed_off_at"] is not None) == (state == VisitState.SIGNED_OFF), (
            f"invariant (6): visit {vid} signed_off_at disagrees with state {state}"
        )

        # (1) nothing incomplete is queued or signed off
        if state != VisitState.DRAFT:
            open_ = blocking(validate(v.content, ctx), row["query_reasons"])
            assert not open_, (
                f"invariant (1): visit {vid} is {state} with open findings "
                f"{sorted({f.code for f in open_})}"
            )

        # (4) nobody approves their own work: the author's only signatures are their own
        # submissions, one per time the record was submitted
        own = [s for s in v.signatures if s["meaning"] == AUTHOR_MEANING]
        assert all(
            s["signer_id"] != v.author_id for s in v.signatures if s["meaning"] != AUTHOR_MEANING
        ), f"invariant (4): the author signed an approval of visit {vid}"
        assert all(s["signer_id"] == v.author_id for s in own), (
            f"invariant (4): someone else signed the submission of visit {vid}"
        )
        submissions = len(v.returns) + (0 if state == VisitState.DRAFT else 1)
        assert len(own) == submissions, (
            f"invariant (4): visit {vid} ({state}) has {len(own)} submission signatures for "
            f"{submissions} submissions"
        )
        assert all(c["worker_id"] != v.author_id for c in v.countersigns), (
            f"invariant (4): the author countersigned visit {vid}"
        )
        assert all(n["manager_id"] != v.author_id for n in v.notes), (
            f"invariant (4): the author wrote the oversight of visit {vid}"
        )

        # (2) every countersign is by a registered worker of the team, with its signature
        sig_by_id = {s["id"]: s for s in v.signatures}
        for c in v.countersigns:
            w = workers[c["worker_id"]]
            assert _registered(w) and (
                w["team_id"] == row["team_id"] or self.above.get(row["team_id"]) == w["id"]
            ), f"invariant (2): visit {vid} countersigned by {w['username']} ({w['role']})"
            sig = sig_by_id.get(c["signature_id"])
            assert (
                sig is not None
                and sig["meaning"] == COUNTERSIGN_MEANING
                and sig["signer_id"] == c["worker_id"]
            ), f"invariant (2): countersign {c['id']} on visit {vid} has no matching signature"
        # one countersign per round that got past countersign: a round ends in a return,
        # and the current round has one once the record is past countersign
        past = sum(r["from_state"] == VisitState.AWAITING_OVERSIGHT for r in v.returns)
        if state in (VisitState.AWAITING_OVERSIGHT, VisitState.SIGNED_OFF):
            past += 1
        expected_countersigns = past if _needs_countersign(author) else 0
        assert len(v.countersigns) == expected_countersigns, (
            f"invariant (2): visit {vid} ({state}) by {author['username']} has "
            f"{len(v.countersigns)} countersigns, expected {expected_countersigns}"
        )
        if state == VisitState.SIGNED_OFF and _needs_countersign(author):
            assert v.countersigns and any(
                s["meaning"] == COUNTERSIGN_MEANING for s in v.signatures
            ), (
                f"invariant (2): visit {vid} by {author['username']} signed off without a "
                "qualified countersign"
            )

        # (3) oversight: exactly one note and signature on a signed-off visit, by a manager
        oversight_sigs = [s for s in v.signatures if s["meaning"] == OVERSIGHT_MEANING]
        if state == VisitState.SIGNED_OFF:
            assert len(v.notes) == 1 and len(oversight_sigs) == 1, (
                f"invariant (3): signed-off visit {vid} has {len(v.notes)} notes and "
                f"{len(oversight_sigs)} oversight signatures"
            )
            note, sig = v.notes[0], oversight_sigs[0]
            manager = workers[note["manager_id"]]
            assert note["signature_id"] == sig["id"] and sig["signer_id"] == manager["id"], (
                f"invariant (3): visit {vid}: the oversight note and its signature disagree"
            )
            assert self._manages(manager, v), (
                f"invariant (3): visit {vid} signed off by {manager['username']} ({manager['role']})"
            )
            assert manager["id"] not in self._barred_from_sign_off(v), (
                f"invariant (3): visit {vid} signed off by its author or countersigner "
                f"{manager['username']}"
            )
        else:
            assert not v.notes and not oversight_sigs, (
                f"invariant (3): visit {vid} is {state} but has management oversight"
            )

        # (7) statutory only when the child was seen and the author qualified or joined by a
        # registered colleague (decided at submission; a draft returned for changes keeps
        # its last decision until resubmitted)
        if row["counts_as_statutory"] and state != VisitState.DRAFT:
            assert v.content["seen"].get("child_seen") == "yes", (
                f"invariant (7): visit {vid}, child not seen, counts as statutory"
            )
            assert row["visit_type"] is not None and (
                VisitType(row["visit_type"]) in STATUTORY_VISIT_TYPES
            ), f"invariant (7): visit {vid} of type {row['visit_type']} counts as statutory"
            if _needs_countersign(author):
                joint = workers.get(row["joint_worker_id"])
                assert joint is not None and _registered(joint) and joint["id"] != author["id"], (
                    f"invariant (7): visit {vid} by {author['username']} counts as statutory"
                )
                assert self._joint_confirmed(v), (
                    f"invariant (7): visit {vid} counts before its joint worker confirmed it"
                )

        # (8) a signed-off visit never changes
        if state == VisitState.SIGNED_OFF:
            fp = v.fingerprint()
            assert self.signed_off.setdefault(vid, fp) == fp, (
                f"invariant (8): signed-off visit {vid} changed"
            )
        else:
            assert vid not in self.signed_off, f"invariant (8): visit {vid} left signed off"


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS), ids=lambda n: f"part{n + 1}of{SHARDS}")
def test_visit_workflow_state_machine(shard):
    examples = EXAMPLES // SHARDS + (shard < EXAMPLES % SHARDS)
    run_state_machine_as_test(
        VisitWorkflow, settings=settings(STATEFUL_SETTINGS, max_examples=examples)
    )


class _InvariantsOnly(VisitWorkflow):
    """The machine without the per-rule checks, starting with a record already waiting
    for management oversight (so that a broken sign-off rule is reached in a few steps)."""

    CHECK_RULES = False

    @initialize()
    def a_record_waits_for_oversight(self):
        self._start("sw")
        vid = self.vids[-1]
        for section, data in complete_content().items():
            self._save("author", vid, section, data, None)
        self._submit("author", vid, None, None)


@pytest.mark.slow
def test_machine_catches_a_broken_sign_off_rule(monkeypatch):
    """With the sign-off rule broken (anyone may sign off anything waiting for oversight),
    the database invariants alone, without the per-rule checks, must fail the machine."""
    monkeypatch.setattr(workflow, "_may_sign_off", lambda *args: workflow.ALLOW)
    broken = settings(
        max_examples=100,
        stateful_step_count=30,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        print_blob=False,
        suppress_health_check=list(HealthCheck),
    )
    with pytest.raises(AssertionError, match=r"invariant \("):
        run_state_machine_as_test(_InvariantsOnly, settings=broken)


# -- product bugs found while writing this machine ------------------------------------------------


def _world():
    folder = tempfile.mkdtemp(prefix="recorder-stateful-", dir=_tmp_base())
    url, world = _fresh_store(folder)
    return folder, open_services(url, FrozenClock()), world


def _student_visit_waiting_for_countersign(svc, w, content=None) -> int:
    vid = visits.start_visit(svc, w.student, w.child)
    for section, data in (content or complete_content()).items():
        visits.save_section(svc, w.student, vid, section, data)
    visits.submit(svc, w.student, vid)
    return vid


def test_manager_who_countersigned_an_earlier_round_cannot_sign_off():
    """Fixed in 8707ea8: only the latest countersigner used to be barred from sign-off."""
    folder, svc, w = _world()
    try:
        vid = _student_visit_waiting_for_countersign(svc, w)
        visits.countersign(svc, w.manager2, vid, GOOD_COMMENT, PASSWORD)  # round 1
        visits.return_for_changes(svc, w.manager, vid, "Please add what the school said.")
        visits.submit(svc, w.student, vid)
        visits.countersign(svc, w.sw, vid, GOOD_COMMENT, PASSWORD)  # round 2
        with svc.reading() as s:
            codes = [f.code for f in visits.flags_for(s, svc, s.get(Visit, vid))]
        note, _ = oversight_note("complete", codes)
        with pytest.raises(ServiceError, match="countersigned"):
            visits.sign_off(svc, w.manager2, vid, note, PASSWORD)
        visits.sign_off(svc, w.manager, vid, note, PASSWORD)
    finally:
        svc.engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def test_lone_surrogate_in_saved_text_does_not_crash_signing():
    """Fixed in 8707ea8: a lone surrogate was stored, then content_digest's UTF-8 encoding
    crashed countersign and sign-off (with no audit event)."""
    folder, svc, w = _world()
    try:
        content = complete_content()
        content["observations"]["seen"] = "Kitchen clean \udcff (pasted from a bad file)"
        vid = _student_visit_waiting_for_countersign(svc, w, content)
        visits.countersign(svc, w.sw, vid, GOOD_COMMENT + " \udcff", PASSWORD)
    finally:
        svc.engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def test_password_with_a_lone_surrogate_is_refused_not_a_crash():
    folder, svc, w = _world()
    try:
        vid = _student_visit_waiting_for_countersign(svc, w)
        with pytest.raises(ServiceError):
            visits.countersign(svc, w.sw, vid, GOOD_COMMENT, "wrong \udcff password")
    finally:
        svc.engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
