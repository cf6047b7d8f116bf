"""F8 on a visit draft: discard it, after asking (issue 15, item 7). The service decides who
may (``services.discard``); the screen asks first, stops saving, and closes once it is gone."""

from __future__ import annotations

from typing import Any

from recorder.tui.calls import Outcome, run_call


class DiscardDraft:
    """For the visit screen: F8 (``action_discard`` and its answers) and F7 and Ctrl+L (the
    guidance pane and the sections list). The screen provides
    ``editable``, ``view``, ``svc``, ``actor``, ``visit_id``, ``_lock`` and ``_set_status``."""

    editable: bool
    view: Any
    visit_id: int

    def may_discard(self) -> bool:
        """Offered on the author's draft never submitted (a returned one is on the file)."""
        return self.editable and self.view is not None and not self.view.returns

    def action_sections(self) -> None:
        if self.has_class("-narrow"):  # the sections are where the guidance was
            self.remove_class("-guidance")
        self.query_one("#sections").focus()  # type: ignore[attr-defined]

    def action_guidance(self) -> None:
        self.toggle_class("-guidance")  # type: ignore[attr-defined]

    def action_discard(self) -> None:
        from recorder.tui.dialogs.confirm import ConfirmDialog

        if not self.check_action("discard", ()):
            return
        self.app.push_screen(
            ConfirmDialog(
                "Discard this draft?",
                "Everything typed in this record is deleted and cannot be brought back. "
                "The audit trail keeps only that a draft was discarded.",
                "Discard the draft",
            ),
            self._discard_answered,
        )

    def _discard_answered(self, yes: bool | None) -> None:
        from recorder.services.discard import discard_draft

        if not yes:
            return
        self.editable = False  # nothing more is saved into what is being deleted
        self.refresh_bindings()
        svc, actor_id, visit_id, lock = self.svc, self.actor.id, self.visit_id, self._lock

        def discard() -> None:
            with lock:  # after any save already on its way
                discard_draft(svc, actor_id, visit_id)

        run_call(
            self,
            "Discarding the draft",
            discard,
            self._discarded,
            self._not_discarded,
            group="discard",
        )

    def _discarded(self, _none: None) -> None:
        self.notify("The draft was discarded.", title="Discarded", markup=False)
        self.dismiss()

    def _not_discarded(self, outcome: Outcome) -> None:
        self.editable = True
        self.refresh_bindings()
        self._set_status(f"Not discarded: {outcome.message} The draft is kept.")
        self.notify(outcome.message, title="Not discarded", severity="error", markup=False)
