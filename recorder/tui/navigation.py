"""Opening screens: the one module that knows which screen shows what.

A screen that wants another (the child's record, a visit, a queue) asks here and never imports
that screen's module, so screens stay independent rooms (the import-linter contract in
pyproject.toml holds it). Each screen module is imported when first opened, which keeps the
first paint light; the home screen's is imported behind the sign-in screen (:func:`warm_up`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from recorder.tui.calls import Outcome, run_call

if TYPE_CHECKING:
    from textual.app import App


def first_screen(app: App) -> Any:
    """The first screen: sign-in (painted before the store is open), the app's default screen
    (``RecorderApp.get_default_screen``)."""
    from recorder.tui.screens.signin import SignInScreen

    return SignInScreen(app.demo_accounts)


def warm_up(svc: Any) -> None:
    """Import, behind the sign-in screen (the store's worker calls this once it is open), what
    signing in and the home screen then need: the password hasher (argon2), the screen's
    module and the services its reads use, which the first sign-in of the day otherwise
    imported after Enter (issue 15, sign-in). Reads nothing from the store."""
    from recorder.services.accounts import hasher

    hasher(svc)
    import recorder.services.caseloads
    import recorder.services.directions
    import recorder.services.escalation
    import recorder.services.joint
    import recorder.tui.screens.home  # noqa: F401


def home(app: App, first: Any = None, first_as_of: int | None = None) -> Any:
    """The signed-in person's home (their caseload), in place of whatever is shown; ``first``
    is its read made with the sign-in (:func:`signed_in_read`), if any."""
    from recorder.tui.screens.home import HomeScreen

    return app.switch_screen(HomeScreen(first, first_as_of))


#: how home's read is named when it fails ("Reading your children did not work: ...")
READING_CHILDREN = "Reading your children"


def home_read(svc: Any, actor: Any) -> tuple:
    """What home shows of the store: the caseload, a manager's whole reach (for find), the
    records waiting for their attention, in words, and "For you" (joint visits to confirm,
    open directions). One read, so that home draws once with all of it. Called in a thread
    worker."""
    from recorder.domain.workflow import finds_whole_team, may_oversee_team
    from recorder.services.caseloads import caseload, team_children
    from recorder.services.directions import open_directions
    from recorder.services.escalation import attention
    from recorder.services.joint import awaiting_confirmation

    return (
        caseload(svc, actor.id),
        team_children(svc, actor.id) if finds_whole_team(actor) else None,
        attention(svc, actor.id).words if may_oversee_team(actor) else "",
        (awaiting_confirmation(svc, actor.id), open_directions(svc, actor.id)),
    )


def signed_in_read(svc: Any, actor: Any) -> Outcome | None:
    """Home's first read, for ``actor`` whose password has just been checked, made in the
    sign-in's own worker (never before the check): home is then built with its caseload and
    drawn once, not first empty and again when its own read answers (issue 15, sign-in).
    None for an account that reads no cases. Never raises: a failure is the Outcome home
    shows, as its own read's would be."""
    if not actor.reads_cases:
        return None
    from recorder.tui.calls import call_now

    return call_now(READING_CHILDREN, lambda: home_read(svc, actor))


def sign_in(app: App) -> Any:
    from recorder.tui.screens.signin import SignInScreen

    return app.switch_screen(SignInScreen(app.demo_accounts))


def child(app: App, child_id: int) -> Any:
    """A child's profile and records."""
    from recorder.tui.screens.child import ChildScreen

    return app.push_screen(ChildScreen(child_id))


def visit(app: App, visit_id: int) -> Any:
    """One visit record: a draft of the reader's to edit, or any other to read."""
    from recorder.tui.screens.visit import VisitScreen

    return app.push_screen(VisitScreen(visit_id))


def new_visit(app: App, child_id: int, done: Callable[[], Any] | None = None) -> None:
    """Start a new draft for a child (in a thread worker), then show it, or say why not."""
    from recorder.services.visits import start_visit
    from recorder.tui.session import signed_in

    actor = signed_in(app)
    if actor is None:
        return
    if any(w.group == "new-visit" and not w.is_finished for w in app.workers):
        return  # one at a time: a second "new visit" while the first starts makes no draft
    svc = app.services

    def started(visit_id: int) -> None:
        if done is not None:
            done()
        if signed_in(app) is actor:  # not if they signed out meanwhile
            visit(app, visit_id)

    def not_started(outcome: Outcome) -> None:
        if done is not None:
            done()
        app.notify(outcome.message, title="New visit record", severity="error")

    run_call(
        app,
        "Starting the new visit record",
        lambda: start_visit(svc, actor.id, child_id),
        started,
        not_started,
        group="new-visit",
    )


def queue(app: App, kind: str) -> Any:
    """The team's countersign queue (``kind="countersign"``) or oversight queue."""
    from recorder.tui.screens.queues import QueueScreen

    return app.push_screen(QueueScreen(kind))


def team(app: App) -> Any:
    from recorder.tui.screens.team import TeamScreen

    return app.push_screen(TeamScreen())


def worker_caseload(app: App, worker_id: int, worker_name: str) -> Any:
    """A worker's caseload, for a manager of their team (from the team view)."""
    from recorder.tui.screens.caseload import WorkerCaseloadScreen

    return app.push_screen(WorkerCaseloadScreen(worker_id, worker_name))


def review(app: App, kind: str, visit_id: int) -> Any:
    """A record under countersign (``kind="countersign"``) or management oversight."""
    if kind == "countersign":
        from recorder.tui.screens.review.countersign import CountersignScreen

        return app.push_screen(CountersignScreen(visit_id))
    from recorder.tui.screens.review.oversight import OversightScreen

    return app.push_screen(OversightScreen(visit_id))


def oversight_note(app: App, note: Any, child_name: str, about: str = "") -> Any:
    """A signed oversight note, read-only."""
    from recorder.tui.screens.note import NoteScreen

    if about:
        return app.push_screen(NoteScreen(note, child_name, about=about))
    return app.push_screen(NoteScreen(note, child_name))


def case_note(app: App, child_id: int, child_name: str, child_reference: str) -> Any:
    """A new management oversight note on a child's case, with one answer box for each open
    alert on the child that the manager must answer (read first, in a thread worker)."""
    from recorder.services.alerts import open_alerts_for
    from recorder.tui.session import signed_in

    actor = signed_in(app)
    if actor is None:
        return None
    svc = app.services

    def show(alerts: list) -> None:
        from recorder.tui.screens.case_note import CaseNoteScreen

        if signed_in(app) is actor:
            app.push_screen(
                CaseNoteScreen(child_id, child_name, child_reference, tuple(a.flag for a in alerts))
            )

    def not_shown(outcome: Outcome) -> None:
        app.notify(outcome.message, title="Oversight note", severity="error", markup=False)

    return run_call(
        app,
        "Reading the child's alerts",
        lambda: open_alerts_for(svc, actor.id, child_id),
        show,
        not_shown,
        group="case-note",
    )


def supervision(app: App, worker_id: int, worker_name: str = "") -> Any:
    """A team manager's new supervision record of a worker."""
    from recorder.tui.screens.supervision import SupervisionScreen

    return app.push_screen(SupervisionScreen(worker_id, worker_name))


def supervision_record(app: App, supervision_id: int) -> Any:
    """A signed supervision record, read-only."""
    from recorder.tui.screens.supervision import SupervisionRecordScreen

    return app.push_screen(SupervisionRecordScreen(supervision_id))


def case_discussion(app: App, discussion: Any, child_name: str) -> Any:
    """One child's case discussion from a signed supervision, read-only (as the child's
    record shows it: without the worker's personal items)."""
    from recorder.tui.screens.supervision import SupervisionRecordScreen

    return app.push_screen(
        SupervisionRecordScreen(discussion.supervision_id, discussion, child_name)
    )


def chronology(app: App, child_id: int, child_name: str = "") -> Any:
    """A child's chronology: every signed record, newest first, filtered by kind and date."""
    from recorder.tui.screens.chronology import ChronologyScreen

    return app.push_screen(ChronologyScreen(child_id, child_name))


def contact_form(app: App, children: str = "", household: bool = False, about: str = "") -> Any:
    """A new contact (or, ``household``, a police notification about several children);
    ``children`` prefills the children it is about (a reference)."""
    from recorder.tui.screens.contact import ContactScreen

    return app.push_screen(ContactScreen(children, household, about))


def contacts(
    app: App,
    child_id: int | None = None,
    child_name: str = "",
    child_reference: str = "",
    may_record: bool = False,
) -> Any:
    """A child's contacts (N there records a new one when ``may_record``), or (no child) a
    manager's contacts to decide and referrers not told in time."""
    from recorder.tui.screens.contacts import ContactsScreen

    return app.push_screen(ContactsScreen(child_id, child_name, child_reference, may_record))
