"""Children: profiles, CSV import and allocation (administrators). What workers read of them
is in ``caseloads``."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from recorder.domain import identity, plans
from recorder.domain.text import clean, clean_line
from recorder.domain.workflow import may_hold_cases
from recorder.services.access import require_admin
from recorder.services.core import Op, Services, actor_of
from recorder.services.errors import Conflict, InvalidInput, NotFound
from recorder.services.queries import (
    team_id_named,
    worker_by_username,
)
from recorder.store.models import Child, Worker

PLAN_TYPES = {
    "child_protection": "Child protection",
    "child_in_need": "Child in need",
    "looked_after": "Looked after",
    "private_fostering": "Private fostering",
    "none": "No plan",
}

CSV_COLUMNS = (
    "reference",
    "full_name",
    "date_of_birth",
    "ethnicity",
    "religion",
    "first_language",
    "interpreter_needed",
    "disability",
    "plan_type",
    "plan_start",
    "placement_long_term",
    "plan_risks",
    "team",
    "allocated_worker",
    "placement_type",
    "notified_on",
    "co_worker",
    "sex",
    "gender_identity",
    "communication_needs",
)
REQUIRED_COLUMNS = ("reference", "full_name", "date_of_birth")
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class ChildInput:
    reference: str
    full_name: str
    date_of_birth: date
    ethnicity: str = ""
    religion: str = ""
    first_language: str = ""
    interpreter_needed: bool = False
    disability: str = ""
    plan_type: str = "none"
    plan_start: date | None = None
    placement_long_term: bool = False
    plan_risks: tuple[str, ...] = ()
    team: str | None = None
    allocated_worker: str | None = None
    #: a looked-after child's placement type (``domain.plans.PLACEMENT_TYPES``; default foster
    #: care, or a long-term placement when ``placement_long_term``)
    placement_type: str | None = None
    #: private fostering: the day the council was notified (default: the plan's start)
    notified_on: date | None = None
    #: an unqualified worker (username) named co-worker on the child from today
    co_worker: str | None = None
    #: ethnicity, disability (comma-separated) and sex as CIN census codes or their names
    #: (``domain.identity``); gender identity and communication needs are free text
    sex: str = ""
    gender_identity: str = ""
    communication_needs: str = ""


def _codes(ci: ChildInput) -> tuple[str, str, str]:
    """The child's ethnicity, disability and sex as census codes; a clear refusal otherwise."""
    try:
        return (
            identity.ethnicity_code(clean_line(ci.ethnicity)),
            identity.join_codes(identity.disability_codes(clean_line(ci.disability))),
            identity.sex_code(clean_line(ci.sex)),
        )
    except identity.IdentityError as e:
        raise InvalidInput(str(e)) from None


def _check(ci: ChildInput, today: date) -> None:
    _codes(ci)
    if len(clean_line(ci.gender_identity)) > 200:
        raise InvalidInput("Gender identity holds at most 200 characters.")
    if not clean_line(ci.reference) or not clean_line(ci.full_name):
        raise InvalidInput("A child needs a reference and a full name.")
    if len(clean_line(ci.reference)) > 50 or len(clean_line(ci.full_name)) > 200:
        raise InvalidInput("The reference (50) or name (200 characters) is too long.")
    if ci.date_of_birth > today:
        raise InvalidInput("The date of birth cannot be in the future.")
    if ci.plan_type not in PLAN_TYPES:
        raise InvalidInput(
            f"'{ci.plan_type}' is not a plan type. Use one of: " + ", ".join(PLAN_TYPES)
        )
    if ci.plan_type != "none" and ci.plan_start is None:
        raise InvalidInput("A child with a plan needs the plan's start date.")
    if ci.plan_start and ci.plan_start < ci.date_of_birth:
        raise InvalidInput("The plan cannot start before the child was born.")
    if ci.placement_type is not None:
        if ci.plan_type != "looked_after":
            raise InvalidInput("Only a looked-after child has a placement type.")
        if ci.placement_type not in plans.PLACEMENT_TYPES:
            raise InvalidInput(
                f"'{ci.placement_type}' is not a placement type. Use one of: "
                + ", ".join(plans.PLACEMENT_TYPES)
            )
    if ci.notified_on is not None:
        if ci.plan_type != "private_fostering":
            raise InvalidInput("Only a private fostering arrangement has a notification date.")
        if ci.notified_on > today:
            raise InvalidInput("The notification date cannot be in the future.")
        if ci.notified_on < ci.date_of_birth:
            raise InvalidInput("The notification date cannot be before the child was born.")


def _insert(svc: Services, s: Session, ci: ChildInput, recorded_by: int | None = None) -> Child:
    _check(ci, svc.today())
    ref = clean_line(ci.reference)
    if s.exec(select(Child).where(Child.reference == ref)).first():
        raise Conflict(f"A child with reference '{ref}' already exists.")
    worker_id = None
    team_id = team_id_named(s, ci.team)
    if ci.allocated_worker:
        w = worker_by_username(s, ci.allocated_worker)
        _check_allocatable(svc, w, ref)
        worker_id = w.id
        team_id = team_id or w.team_id
    ethnicity, disability, sex = _codes(ci)
    c = Child(
        reference=ref,
        full_name=clean_line(ci.full_name),
        date_of_birth=ci.date_of_birth,
        ethnicity=ethnicity,
        religion=clean_line(ci.religion),
        first_language=clean_line(ci.first_language),
        interpreter_needed=ci.interpreter_needed,
        disability=disability,
        sex=sex,
        gender_identity=clean_line(ci.gender_identity),
        communication_needs=clean(ci.communication_needs),
        plan_type=ci.plan_type,
        plan_start=ci.plan_start,
        placement_long_term=ci.placement_long_term,
        plan_risks=[clean_line(r) for r in ci.plan_risks if clean_line(r)],
        team_id=team_id,
        allocated_worker_id=worker_id,
        created_at=svc.now(),
    )
    if ci.plan_type == "looked_after":
        kind = ci.placement_type or ("long_term" if ci.placement_long_term else "foster_care")
        c.placement_long_term = kind == "long_term"
    s.add(c)
    s.flush()
    if ci.plan_type != "none" and ci.plan_start is not None:
        from recorder.store.models import ChildPlan, Placement

        pf = ci.plan_type == "private_fostering"
        row = ChildPlan(
            child_id=c.id,
            plan_type=ci.plan_type,
            start_on=ci.plan_start,
            notified_on=(ci.notified_on or ci.plan_start) if pf else None,
            recorded_by_id=recorded_by,
            created_at=svc.now(),
        )
        s.add(row)
        s.flush()
        if ci.plan_type == "looked_after":
            s.add(
                Placement(
                    child_id=c.id,
                    plan_id=row.id,
                    placement_type=kind,
                    start_on=ci.plan_start,
                    recorded_by_id=recorded_by,
                    created_at=svc.now(),
                )
            )
            s.flush()
    if ci.co_worker:
        from recorder.services.coworkers import add_row

        add_row(s, c, worker_by_username(s, ci.co_worker), svc.today(), recorded_by, svc.now())
    return c


def _check_allocatable(svc: Services, w: Worker, child_reference: str) -> None:
    """Only a registered social worker or a manager, their registration current, holds a
    case (``may_hold_cases``)."""
    if not w.active:
        raise InvalidInput(f"'{w.username}' cannot hold cases (inactive account).")
    actor = actor_of(w, today=svc.today(), policy=svc.policy)
    decision = may_hold_cases(actor, w.username, child_reference)
    if not decision:
        raise InvalidInput(decision.reason, audit_detail=decision.code)


def add_child(svc: Services, admin_id: int, ci: ChildInput) -> int:
    def run(op: Op) -> int:
        require_admin(svc, op)
        c = _insert(svc, op.session, ci, op.actor_id)
        op.entity_id = c.id
        return c.id

    return svc.change(admin_id, "add_child", "child", None, run)


class CsvError(InvalidInput):
    code = "csv_invalid"


def parse_csv(text: str) -> list[tuple[ChildInput, int]]:
    """Parse the children CSV. Any bad row raises CsvError naming its line; nothing partial."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if missing:
        raise CsvError("The CSV has no column " + ", ".join(missing) + " (line 1).")
    if unknown:
        raise CsvError(
            "Line 1: unknown column "
            + ", ".join(unknown)
            + ". Columns are: "
            + ", ".join(CSV_COLUMNS)
        )
    reader.fieldnames = header
    rows: list[tuple[ChildInput, int]] = []
    refs: set[str] = set()
    for row in reader:
        line = reader.line_num
        try:
            if None in row:
                raise ValueError("it has more values than the header has columns")
            get = lambda k, row=row: clean_line(row.get(k) or "")  # noqa: E731
            ci = ChildInput(
                reference=get("reference"),
                full_name=get("full_name"),
                date_of_birth=_date(get("date_of_birth"), "date_of_birth"),
                ethnicity=get("ethnicity"),
                religion=get("religion"),
                first_language=get("first_language"),
                interpreter_needed=_bool(get("interpreter_needed"), "interpreter_needed"),
                disability=get("disability"),
                plan_type=get("plan_type") or "none",
                plan_start=_date(get("plan_start"), "plan_start") if get("plan_start") else None,
                placement_long_term=_bool(get("placement_long_term"), "placement_long_term"),
                plan_risks=tuple(r.strip() for r in get("plan_risks").split(";") if r.strip()),
                team=get("team") or None,
                allocated_worker=get("allocated_worker") or None,
                placement_type=get("placement_type") or None,
                notified_on=_date(get("notified_on"), "notified_on")
                if get("notified_on")
                else None,
                co_worker=get("co_worker") or None,
                sex=get("sex"),
                gender_identity=get("gender_identity"),
                communication_needs=get("communication_needs"),
            )
            if ci.reference in refs:
                raise ValueError(f"reference '{ci.reference}' appears twice in the file")
            refs.add(ci.reference)
            if not ci.reference or not ci.full_name:
                raise ValueError("reference and full_name are required")
        except ValueError as e:
            raise CsvError(f"Line {line}: {e}. Nothing was imported.") from None
        rows.append((ci, line))
    if not rows:
        raise CsvError("The CSV has a header but no children. Nothing was imported.")
    return rows


def _date(value: str, column: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{column} '{value}' is not a date like 2015-03-31") from None


def _bool(value: str, column: str) -> bool:
    v = value.lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ValueError(f"{column} '{value}' should be yes or no")


def import_csv(svc: Services, admin_id: int, text: str) -> int:
    """Import every row, or none: a bad row names its line and nothing is written."""
    parsed = parse_csv(text)
    rows, lines = [ci for ci, _ in parsed], [line for _, line in parsed]

    def run(op: Op) -> int:
        require_admin(svc, op)
        for ci, line in zip(rows, lines):
            try:
                _insert(svc, op.session, ci, op.actor_id)
            except (InvalidInput, NotFound, Conflict) as e:
                raise type(e)(
                    f"Line {line} (reference '{ci.reference}'): {e.message} Nothing was imported."
                ) from None
        op.detail = f"rows={len(rows)}"
        return len(rows)

    return svc.change(admin_id, "import_children", "child", None, run)


def allocate(svc: Services, admin_id: int, child_reference: str, username: str) -> None:
    def run(op: Op) -> None:
        require_admin(svc, op)
        c = op.session.exec(
            select(Child).where(Child.reference == clean_line(child_reference))
        ).first()
        if c is None:
            raise NotFound(f"There is no child with reference '{clean_line(child_reference)}'.")
        w = worker_by_username(op.session, username)
        _check_allocatable(svc, w, c.reference)
        c.allocated_worker_id = w.id
        c.team_id = w.team_id or c.team_id
        op.entity_id = c.id
        op.detail = f"worker={w.id}"  # the chronology's allocation change names them
        op.session.add(c)

    svc.change(admin_id, "allocate", "child", None, run)
