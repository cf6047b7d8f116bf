"""Accounts, sign-in and administration of workers and teams."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from recorder.domain.roles import (
    Actor,
    InvalidRegistration,
    Role,
    UnqualifiedKind,
    check_role_registration,
    normalise_swe_number,
)
from recorder.domain.text import clean_line
from recorder.services.access import require_admin
from recorder.services.core import Op, Services, actor_of, as_utc, registration_problem_of
from recorder.services.errors import (
    AccountLocked,
    Conflict,
    InvalidInput,
    NotAllowed,
    ServiceError,
    SignInDelayed,
    SignInFailed,
)
from recorder.services.queries import team_id_named, worker_by_username
from recorder.store.models import AuditEvent, Team, Worker

MIN_PASSWORD = 10


class Hasher:
    """argon2id with argon2-cffi's defaults; imported on first use."""

    def __init__(self, **params) -> None:
        from argon2 import PasswordHasher

        self._ph = PasswordHasher(**params)

    def hash(self, password: str) -> str:
        return self._ph.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        try:
            return self._ph.verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        except UnicodeEncodeError:  # not text (a lone surrogate): cannot be anyone's password
            return False

    def needs_rehash(self, hashed: str) -> bool:
        """True when ``hashed`` was made with other parameters (or another argon2 type) than
        this hasher's: it is then rehashed at the next successful sign-in."""
        from argon2.exceptions import InvalidHashError

        try:
            return self._ph.check_needs_rehash(hashed)
        except (InvalidHashError, ValueError):
            return True


_default_hasher: Hasher | None = None


def hasher(svc: Services) -> Hasher:
    global _default_hasher
    h = getattr(svc, "hasher", None)
    if h is not None:
        return h
    if _default_hasher is None:
        _default_hasher = Hasher()
    return _default_hasher


def check_password_strength(password: str) -> None:
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            "That password holds characters that are not text; type it again."
        ) from None
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD} characters.")
    if password.strip() != password or not password.strip():
        raise InvalidInput("A password may not start or end with spaces.")


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    role: str
    unqualified_kind: str | None
    registration_number: str | None
    registration_checked_on: date | None
    team: str | None
    locked: bool
    failed_signins: int
    active: bool
    manages: tuple[str, ...] = ()  # a service manager's teams
    #: why the registration is unverified today ("" while current; domain.roles)
    registration_problem: str = ""
    asye: bool = False
    asye_start: date | None = None


# -- sign-in -------------------------------------------------------------------


def has_any_account(svc: Services) -> bool:
    with svc.reading() as s:
        return (s.exec(select(func.count()).select_from(Worker)).one() or 0) > 0


def sign_in(svc: Services, username: str, password: str) -> Actor:
    """Check a username and password. Failures are counted and audited.

    After ``failed_signins_before_delay`` failures in a row each further attempt must wait
    a growing delay; after ``failed_signins_before_lock`` the account is locked until an
    administrator unlocks it. The message never says whether the username exists.
    """
    return _authenticate(svc, username, password, "sign_in")


def _authenticate(svc: Services, username: str, password: str, action: str) -> Actor:
    """Check the password outside the write transaction, then count and audit in one.

    The argon2 check takes a tenth of a second or more; done inside ``svc.writing()`` it
    held SQLite's write lock (BEGIN IMMEDIATE) all that time and every other terminal's
    autosave waited for it. The account is read first, the password checked with no
    transaction open, and the write transaction then reads the account again, locked
    (PostgreSQL: FOR UPDATE), and decides on what it finds there: an account locked,
    delayed or made inactive meanwhile is refused as before, a password changed meanwhile
    is checked again, and the failure count goes up from its latest value.
    """
    username = clean_line(username).lower()
    h = hasher(svc)
    with svc.reading() as s:
        first = s.exec(select(Worker).where(Worker.username == username)).first()
        checked_hash = first.password_hash if first is not None else None
        may_check = _may_check(svc, first)
    if first is None or not first.active:
        h.verify(_DUMMY_HASH(svc), password)  # same time as a real check
    matched = bool(may_check and checked_hash and h.verify(checked_hash, password))
    rehashed = None
    if (
        matched
        and checked_hash
        and getattr(h, "needs_rehash", None)
        and h.needs_rehash(checked_hash)
    ):
        # the hashing parameters have risen since this hash was made: the password is
        # known now, so it is rehashed and stored by this same sign-in
        rehashed = h.hash(password)
    with svc.writing() as s:
        w = s.exec(select(Worker).where(Worker.username == username).with_for_update()).first()
        if (
            w is not None
            and _may_check(svc, w)
            and (not may_check or w.password_hash != checked_hash)
        ):
            # the password changed (or the account was unlocked) since it was read: checked again
            matched, rehashed = h.verify(w.password_hash, password), None
        outcome = _decide(svc, s, w, matched, rehashed, action)
    if isinstance(outcome, ServiceError):
        raise outcome  # once its audit event and the failure count are committed
    return outcome


def _may_check(svc: Services, w: Worker | None) -> bool:
    """Is this account's password to be checked (it exists, is active, is not locked and is
    not waiting out a delay)?"""
    return (
        w is not None
        and w.active
        and not w.locked
        and not (w.signin_blocked_until and as_utc(w.signin_blocked_until) > svc.now())
    )


def _decide(
    svc: Services, s: Session, w: Worker | None, matched: bool, rehashed: str | None, action: str
) -> Actor | ServiceError:
    """The sign-in's outcome on the account as it is now (in the write transaction): counted
    and audited; the actor, or the refusal to raise once that is committed."""
    p = svc.policy
    now = svc.now()
    wrong = SignInFailed(
        "That username and password do not match. Check them and try again.",
        audit_detail="bad_credentials",
    )
    if w is None or not w.active:
        svc.audit(s, None, action, "worker", None, "refused", "unknown_or_inactive")
        error: ServiceError = wrong
    elif w.locked:
        svc.audit(s, w.id, action, "worker", w.id, "refused", "locked")
        error = AccountLocked(
            "This account is locked after too many wrong passwords. Ask an administrator "
            "to unlock it.",
            audit_detail="locked",
        )
    elif w.signin_blocked_until and as_utc(w.signin_blocked_until) > now:
        wait = (as_utc(w.signin_blocked_until) - now).total_seconds()
        svc.audit(s, w.id, action, "worker", w.id, "refused", "delayed")
        error = SignInDelayed(
            f"Too many wrong passwords. Wait {int(wait) + 1} seconds and try again.",
            wait,
            audit_detail="delayed",
        )
    elif matched:
        w.failed_signins = 0
        w.signin_blocked_until = None
        detail = ""
        if rehashed is not None:
            w.password_hash = rehashed
            detail = "rehashed"
        s.add(w)
        svc.audit(s, w.id, action, "worker", w.id, "ok", detail)
        return actor_of(w, s, today=svc.today(), policy=svc.policy)
    else:
        w.failed_signins += 1
        detail = f"bad_password:{w.failed_signins}"
        error = wrong
        if w.failed_signins >= p.failed_signins_before_lock:
            w.locked = True
            detail += ":locked"
            error = AccountLocked(
                "That password is wrong, and this account is now locked after "
                f"{w.failed_signins} wrong passwords in a row. Ask an administrator to "
                "unlock it.",
                audit_detail="locked",
            )
        elif w.failed_signins >= p.failed_signins_before_delay:
            delay = p.signin_delay_seconds(w.failed_signins)
            w.signin_blocked_until = now + timedelta(seconds=delay)
            error = SignInDelayed(
                f"That username and password do not match. Wait {int(delay + 0.999)} "
                "seconds before trying again.",
                delay,
                audit_detail="delayed",
            )
        s.add(w)
        svc.audit(s, w.id, action, "worker", w.id, "refused", detail)
    return error


def lock_session(svc: Services, worker_id: int, idle_minutes: int) -> None:
    """The person's session locked itself after ``idle_minutes`` without a key (audited).
    Anyone signed in may lock their own session: it only hides the screen."""
    with svc.writing() as s:
        svc.audit(s, worker_id, "lock_session", "worker", worker_id, "ok", f"idle:{idle_minutes}")


def resume_session(svc: Services, worker_id: int, password: str) -> Actor:
    """Unlock a locked session with its owner's password: checked, counted, delayed and
    locked exactly as at sign-in (a locked screen is no way round the limits), audited as
    ``resume_session``. An account made inactive or locked meanwhile stays out."""
    with svc.reading() as s:
        w = s.get(Worker, worker_id)
        username = w.username if w is not None else ""
    try:
        return _authenticate(svc, username, password, "resume_session")
    except (AccountLocked, SignInDelayed):
        raise
    except SignInFailed:
        raise SignInFailed(
            "That password is not right, so the screen stays locked. Try again, or quit.",
            audit_detail="bad_credentials",
        ) from None


_dummy: dict[int, str] = {}


def _DUMMY_HASH(svc: Services) -> str:
    h = hasher(svc)
    key = id(h)
    if key not in _dummy:
        _dummy[key] = h.hash("not a real password, only for timing")
    return _dummy[key]


def check_password(svc: Services, s: Session, worker_id: int, password: str) -> None:
    """Ask again for the signer's password before a signature (raises NotAllowed)."""
    w = s.get(Worker, worker_id)
    if w is None or w.locked or not hasher(svc).verify(w.password_hash, password or ""):
        raise NotAllowed(
            "That password is not right, so nothing was signed. Try again.",
            audit_detail="wrong_signing_password",
        )


# -- administration --------------------------------------------------------------


def _parse_role(role: str, kind: str | None, number: str | None):
    try:
        r = Role(role)
    except ValueError:
        raise InvalidInput(
            f"'{role}' is not a role. Use one of: " + ", ".join(x.value for x in Role)
        ) from None
    try:
        k = UnqualifiedKind(kind) if kind else None
    except ValueError:
        raise InvalidInput(
            f"'{kind}' is not a kind of unqualified worker. Use one of: "
            + ", ".join(x.value for x in UnqualifiedKind)
        ) from None
    try:
        n = normalise_swe_number(number)
        check_role_registration(r, n, k)
    except InvalidRegistration as e:
        raise InvalidInput(str(e)) from None
    return r, k, n


def _new_worker(
    svc,
    s,
    *,
    username,
    full_name,
    role,
    password,
    team=None,
    registration_number=None,
    unqualified_kind=None,
    registration_checked_on=None,
):
    username = clean_line(username).lower()
    full_name = clean_line(full_name)
    if not username or not full_name:
        raise InvalidInput("A username and a full name are needed.")
    if len(username) > 100 or len(full_name) > 200:
        raise InvalidInput("The username or name is too long.")
    if s.exec(select(Worker).where(Worker.username == username)).first():
        raise Conflict(f"The username '{username}' is already taken.")
    r, k, n = _parse_role(role, unqualified_kind, registration_number)
    check_password_strength(password)
    w = Worker(
        username=username,
        full_name=full_name,
        role=r.value,
        unqualified_kind=k.value if k else None,
        registration_number=n,
        registration_checked_on=registration_checked_on if n else None,
        team_id=team_id_named(s, team),
        password_hash=hasher(svc).hash(password),
        created_at=svc.now(),
    )
    s.add(w)
    s.flush()
    return w


def create_first_admin(svc: Services, username: str, full_name: str, password: str) -> int:
    """On an empty store, the first administrator. Refused once any account exists."""

    def run(op: Op) -> int:
        if op.session.exec(select(func.count()).select_from(Worker)).one():
            raise NotAllowed("This store already has accounts; ask an administrator for one.")
        w = _new_worker(
            svc,
            op.session,
            username=username,
            full_name=full_name,
            role=Role.ADMINISTRATOR.value,
            password=password,
        )
        op.entity_id = op.actor_id = w.id
        return w.id

    return svc.change(None, "create_first_admin", "worker", None, run)


def _manage_teams(s: Session, w: Worker, teams: Sequence[str]) -> None:
    """Make ``w`` the service manager above exactly the named teams (a team has one)."""
    if teams and w.role != Role.SERVICE_MANAGER.value:
        raise InvalidInput("Only a service manager manages teams: use --role service_manager.")
    ids = {team_id_named(s, t) for t in teams}
    for t in s.exec(select(Team).where(Team.service_manager_id == w.id)):
        if t.id not in ids:
            t.service_manager_id = None
            s.add(t)
    for t in s.exec(select(Team).where(col(Team.id).in_(ids))):
        t.service_manager_id = w.id
        s.add(t)


def add_user(svc: Services, admin_id: int, *, manages: Sequence[str] = (), **fields) -> int:
    """A new account; a service manager with the teams they manage (``manages``)."""

    def run(op: Op) -> int:
        require_admin(svc, op)
        w = _new_worker(svc, op.session, **fields)
        _manage_teams(op.session, w, manages)
        op.entity_id = w.id
        op.detail = f"role={w.role}"
        return w.id

    return svc.change(admin_id, "add_user", "worker", None, run)


def set_role(
    svc: Services,
    admin_id: int,
    username: str,
    role: str,
    unqualified_kind: str | None = None,
    registration_number: str | None = None,
    team: str | None = None,
    manages: Sequence[str] | None = None,
) -> None:
    """A new role; ``manages`` names a service manager's teams (left as they are when None;
    a role other than service manager manages none)."""

    def run(op: Op) -> None:
        admin = require_admin(svc, op)
        w = worker_by_username(op.session, username)
        op.entity_id = w.id
        number = registration_number or w.registration_number
        r, k, n = _parse_role(
            role, unqualified_kind, number if role != Role.UNQUALIFIED else registration_number
        )
        if w.id == admin.id and r is not Role.ADMINISTRATOR:
            raise NotAllowed("You cannot remove your own administrator role.")
        if n and registration_number and n != w.registration_number:
            w.registration_checked_on = svc.today()  # a number given now was looked up now
        w.role, w.unqualified_kind, w.registration_number = r.value, k.value if k else None, n
        if team is not None:
            w.team_id = team_id_named(op.session, team)
        if manages is not None or r is not Role.SERVICE_MANAGER:
            _manage_teams(op.session, w, manages or ())
        op.detail = f"role={w.role}"
        op.session.add(w)

    svc.change(admin_id, "set_role", "worker", None, run)


def set_registration(
    svc: Services, admin_id: int, username: str, number: str | None, checked_on: date
) -> None:
    """Record a Social Work England number and the date it was last checked on the register."""

    def run(op: Op) -> None:
        require_admin(svc, op)
        w = worker_by_username(op.session, username)
        op.entity_id = w.id
        try:
            n = normalise_swe_number(number)
            kind = UnqualifiedKind(w.unqualified_kind) if w.unqualified_kind else None
            check_role_registration(Role(w.role), n, kind)
        except InvalidRegistration as e:
            raise InvalidInput(str(e)) from None
        if checked_on > svc.today():
            raise InvalidInput("The date the register was checked cannot be in the future.")
        w.registration_number, w.registration_checked_on = n, checked_on
        op.session.add(w)

    svc.change(admin_id, "set_registration", "worker", None, run)


def check_registration(svc: Services, admin_id: int, username: str, checked_on: date) -> None:
    """Record that the register was checked on ``checked_on`` and still shows the account's
    Social Work England number (after the renewal deadline; DOMAIN.md "Who uses it")."""

    def run(op: Op) -> None:
        require_admin(svc, op)
        w = worker_by_username(op.session, username)
        op.entity_id = w.id
        if not w.registration_number:
            raise InvalidInput(
                f"'{w.username}' has no Social Work England number to check; record one with "
                f"recorder user set-registration {w.username} SWNUMBER."
            )
        if checked_on > svc.today():
            raise InvalidInput("The date the register was checked cannot be in the future.")
        if w.registration_checked_on and checked_on < w.registration_checked_on:
            raise InvalidInput(
                f"'{w.username}' was already checked on {w.registration_checked_on}, after "
                f"{checked_on}."
            )
        w.registration_checked_on = checked_on
        op.session.add(w)

    svc.change(admin_id, "check_registration", "worker", None, run)


def set_asye(
    svc: Services, admin_id: int, username: str, asye: bool, start: date | None = None
) -> None:
    """Flag a registered worker in their Assessed and Supported Year in Employment (ASYE),
    from ``start``, or clear the flag: it sets how often they are supervised."""

    def run(op: Op) -> None:
        require_admin(svc, op)
        w = worker_by_username(op.session, username)
        op.entity_id = w.id
        if asye:
            if w.role not in (Role.SOCIAL_WORKER.value, Role.TEAM_MANAGER.value):
                raise InvalidInput(
                    "Only a registered social worker is in the ASYE (newly qualified and "
                    "registered); an unqualified worker is not yet."
                )
            if start is None or start > svc.today():
                raise InvalidInput("Give the date the ASYE started (not in the future).")
        w.asye, w.asye_start = asye, start if asye else None
        op.detail = f"asye={asye}"
        op.session.add(w)

    svc.change(admin_id, "set_asye", "worker", None, run)


def unlock(svc: Services, admin_id: int, username: str) -> None:
    def run(op: Op) -> None:
        require_admin(svc, op)
        w = worker_by_username(op.session, username)
        op.entity_id = w.id
        w.locked, w.failed_signins, w.signin_blocked_until = False, 0, None
        op.session.add(w)

    svc.change(admin_id, "unlock", "worker", None, run)


def reset_password(svc: Services, admin_id: int, username: str, password: str) -> None:
    def run(op: Op) -> None:
        require_admin(svc, op)
        w = worker_by_username(op.session, username)
        op.entity_id = w.id
        check_password_strength(password)
        w.password_hash = hasher(svc).hash(password)
        w.locked, w.failed_signins, w.signin_blocked_until = False, 0, None
        op.session.add(w)

    svc.change(admin_id, "reset_password", "worker", None, run)


def list_users(svc: Services, admin_id: int) -> list[UserInfo]:
    def run(op: Op) -> list[UserInfo]:
        require_admin(svc, op)
        all_teams = op.session.exec(select(Team).order_by(col(Team.name))).all()
        teams: dict[int | None, str] = {t.id: t.name for t in all_teams}
        above: dict[int, tuple[str, ...]] = {}
        for t in all_teams:
            if t.service_manager_id is not None:
                above[t.service_manager_id] = above.get(t.service_manager_id, ()) + (t.name,)
        rows = op.session.exec(select(Worker).order_by(col(Worker.username))).all()
        return [
            UserInfo(
                w.id,
                w.username,
                w.full_name,
                w.role,
                w.unqualified_kind,
                w.registration_number,
                w.registration_checked_on,
                teams.get(w.team_id),
                w.locked,
                w.failed_signins,
                w.active,
                above.get(w.id, ()),
                registration_problem_of(w, svc.today(), svc.policy),
                w.asye,
                w.asye_start,
            )
            for w in rows
        ]

    return svc.change(admin_id, "list_users", "worker", None, run)


def add_team(svc: Services, admin_id: int, name: str) -> int:
    def run(op: Op) -> int:
        require_admin(svc, op)
        n = clean_line(name)
        if not n or len(n) > 200:
            raise InvalidInput("A team needs a name of up to 200 characters.")
        if op.session.exec(select(Team).where(Team.name == n)).first():
            raise Conflict(f"There is already a team called '{n}'.")
        t = Team(name=n, created_at=svc.now())
        op.session.add(t)
        op.session.flush()
        op.entity_id = t.id
        return t.id

    return svc.change(admin_id, "add_team", "team", None, run)


def audit_count(svc: Services) -> int:
    with svc.reading() as s:
        return s.exec(select(func.count()).select_from(AuditEvent)).one()
