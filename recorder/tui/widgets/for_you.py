"""The worker's "for you" list on home: visits that name them as attending jointly and wait
for their confirmation (Enter signs "Attended jointly" with their password), then their open
directions (countersign and return comments, oversight and supervision actions), soonest due
first, each marked done with a note (Enter). Hidden while there is nothing open, so home
stays as it was.

It reads through ``recorder.services.directions`` in a thread worker and shows nothing of
its own rules: who may mark one done is the service's answer on each row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from recorder.tui.calls import Outcome, run_call
from recorder.tui.format import day, line, local_time
from recorder.tui.session import signed_in

if TYPE_CHECKING:
    from recorder.services.directions import DirectionView
    from recorder.services.joint import JointConfirmationView


def confirmation_content(c: "JointConfirmationView") -> Content:
    """A visit waiting for the reader's "Attended jointly", in words."""
    when = day(c.visit_at.date()) if c.visit_at else "a visit"
    return Content("\n").join(
        [
            line(f"Confirm you attended jointly: {c.child_name} ({c.child_reference})", "bold"),
            line(
                f"Visit of {when} recorded by {c.author_name}; it counts as statutory once "
                "you sign. Enter to sign with your password."
            ),
        ]
    )


def direction_content(d: "DirectionView", *, with_child: bool = True) -> Content:
    """One direction in words: what, then from whom, where, when and by when."""
    where = f" on {d.child_name} ({d.child_reference})" if with_child and d.child_name else ""
    given = day(local_time(d.created_at).date())
    due = d.due_words
    if d.due_on is None and d.due_text:
        due = f"by {d.due_text}"
    first = line(d.what, "bold" if d.overdue else "")
    second = line(f"{d.kind_label} from {d.from_name}{where}, {given}; {due}")
    if d.overdue:
        # line() strips its ends: the space is its own piece ("OVERDUEVisit action ...")
        second = Content.assemble(line("OVERDUE:", "bold"), " ", second)
    return Content("\n").join([first, second])


class ForYou(Vertical):
    """Open directions for the signed-in worker; Enter marks the highlighted one done."""

    DEFAULT_CSS = """
    ForYou { height: auto; max-height: 12; margin: 1 2 0 2; padding: 0 1;
             border: round $accent; display: none; }
    ForYou.-shown { display: block; }
    ForYou #for-you-title { text-style: bold; }
    ForYou #for-you-list { height: auto; max-height: 8; border: none; padding: 0; }
    ForYou #for-you-status { color: $text-muted; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.rows: list[DirectionView | JointConfirmationView] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(line("For you"), id="for-you-title")
        yield OptionList(id="for-you-list")
        yield Static(
            line("Enter on one to mark it done with a note. F5 comes here."), id="for-you-status"
        )

    def reload(self) -> None:
        from recorder.services.directions import open_directions
        from recorder.services.joint import awaiting_confirmation

        actor = signed_in(self)
        if actor is None or not actor.reads_cases:
            return
        svc = self.app.services
        run_call(
            self,
            "Reading your directions",
            lambda: (awaiting_confirmation(svc, actor.id), open_directions(svc, actor.id)),
            self.show,
            self._failed,
            group="for-you",
        )

    def show(self, found) -> None:
        """Show what was read: (joint visits to confirm, open directions). Home reads them
        with its caseload (navigation.home_read); :meth:`reload` reads them alone."""
        from recorder.services.directions import DirectionView

        confirmations, directions = found
        self.rows = [*confirmations, *directions]
        self.loaded = True
        ol = self.query_one("#for-you-list", OptionList)
        keep = ol.highlighted
        ol.clear_options()
        ol.add_options(
            [
                Option(direction_content(d), id=str(d.id))
                if isinstance(d, DirectionView)
                else Option(confirmation_content(d), id=f"joint-{d.visit_id}")
                for d in self.rows
            ]
        )
        n, j = len(directions), len(confirmations)
        overdue = sum(1 for d in directions if d.overdue)
        title = f"For you: {n} open direction{'s' if n != 1 else ''}"
        if overdue:
            title += f", {overdue} overdue"
        if j:
            title += f"; {j} joint visit{'s' if j != 1 else ''} to confirm"
        n += j
        self.query_one("#for-you-title", Static).update(line(title))
        if n:
            ol.highlighted = min(keep or 0, n - 1)
        self.set_class(bool(n), "-shown")
        self.screen.refresh_bindings()  # F5 is offered while there is something to go to

    def _failed(self, outcome: Outcome) -> None:
        # a list that cannot be read says so where it would be, and home goes on
        self.loaded = True
        self.query_one("#for-you-title", Static).update(
            line("For you: your directions could not be read. " + outcome.message)
        )
        self.add_class("-shown")

    def focus_list(self) -> None:
        if self.rows:
            self.query_one("#for-you-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#for-you-list")
    def action_mark_done(self) -> None:
        ol = self.query_one("#for-you-list", OptionList)
        if ol.highlighted is None or not self.rows:
            return
        d = self.rows[ol.highlighted]
        from recorder.services.directions import DirectionView

        if not isinstance(d, DirectionView):
            self._confirm_joint(d)
            return
        if not d.may_mark_done:
            self.app.notify("You cannot mark this one done.", title="Not done", markup=False)
            return
        from recorder.services.directions import mark_done
        from recorder.tui.dialogs.done import DoneDialog

        actor = signed_in(self)
        if actor is None:
            return
        svc = self.app.services

        def answered(result) -> None:
            if result:
                self.app.notify("Marked done.", title="For you", markup=False)
                self.reload()

        self.app.push_screen(
            DoneDialog(direction_content(d), lambda note: mark_done(svc, actor.id, d.id, note)),
            answered,
        )

    def _confirm_joint(self, c: "JointConfirmationView") -> None:
        """Sign "Attended jointly" (the signing dialog asks for the password again)."""
        from recorder.domain.signing import JOINT_MEANING
        from recorder.services.joint import confirm_joint_attendance
        from recorder.tui.dialogs.signing import SigningDialog

        actor = signed_in(self)
        if actor is None:
            return
        svc = self.app.services
        when = day(c.visit_at.date()) if c.visit_at else "this visit"
        what = (
            f"You confirm that you attended the visit to {c.child_name} on {when}, recorded by "
            f"{c.author_name}, as the registered social worker attending jointly. Your name, "
            "role and registration number are signed with the record; from then on the visit "
            "counts as statutory."
        )

        def answered(result) -> None:
            if result:
                self.app.notify("Signed: attended jointly.", title="For you", markup=False)
                self.reload()

        self.app.push_screen(
            SigningDialog(
                JOINT_MEANING,
                what,
                lambda password: confirm_joint_attendance(svc, actor.id, c.visit_id, password),
            ),
            answered,
        )
