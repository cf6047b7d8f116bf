"""Saving a draft visit record: the part of the visit screen that makes sure nothing typed
is lost.

The machinery is :class:`recorder.tui.autosave.AutoSave` (shared with every other form); the
visit form saves one part per section, a field losing focus saves too, and what is special to
a visit record is here: a stale save's text is kept as a separate draft of the child and
saving carries on there, and the query reasons typed in the submit dialog are kept with the
draft.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from textual import work

from recorder.tui.autosave import (
    AUTOSAVE_SECONDS,
    LEAVE_AGAIN_SECONDS,
    RETRY_FIRST_SECONDS,
    RETRY_MAX_SECONDS,
    AutoSave,
)
from recorder.tui.calls import Outcome, call_now

__all__ = [
    "AUTOSAVE_SECONDS",
    "LEAVE_AGAIN_SECONDS",
    "RETRY_FIRST_SECONDS",
    "RETRY_MAX_SECONDS",
    "DraftSaving",
]


class DraftSaving(AutoSave):
    """Mixed into the visit screen, which provides ``content``, ``editable``, ``visit_id``,
    ``version``, ``conflict``, ``actor``, ``svc``, ``_set_status`` and Textual's screen API."""

    content: dict[str, dict[str, Any]]
    loaded: bool
    visit_id: int

    def init_saving(self) -> None:
        super().init_saving()
        #: query reasons typed in the submit dialog that are not yet stored
        self._reasons_unsaved: dict[str, str] | None = None

    def _autosave_after(self) -> float:
        return AUTOSAVE_SECONDS  # this module's, so a test can hold it off

    def _autosave_more(self) -> None:
        if self._reasons_unsaved is not None:
            self._save_reasons(dict(self._reasons_unsaved))

    def _snapshot(self, key: str) -> Any:
        return copy.deepcopy(self.content.get(key, {}))

    def _save_call(self, key: str, data: Any) -> Callable[[], Any]:
        from recorder.services import visits

        svc, actor_id = self.svc, self.actor.id  # type: ignore[attr-defined]
        return lambda: visits.save_section(
            svc, actor_id, self.visit_id, key, data, expected_version=self.version
        )

    def _saved_status(self) -> str:
        return f"Saved {self.svc.now_local():%H:%M}"  # type: ignore[attr-defined]

    def _special_outcome(self, key: str, edits: int, outcome: Outcome, reports: list) -> bool:
        from recorder.services import visits

        e = outcome.error
        if not isinstance(e, visits.DraftConflict):
            return False
        # the text went into a new draft of this child: carry on there, so what is still
        # unsaved in the other sections follows it instead of being lost
        self.visit_id, self.version = e.copy_visit_id, e.copy_version
        self._saved[key] = max(self._saved.get(key, 0), edits)
        reports.append(
            (self._set_status, f"Now saving to visit record {e.copy_visit_id}: {e.message}")  # type: ignore[attr-defined]
        )
        reports.append((self._conflict_copied, e.message))
        return True

    def _conflict_copied(self, message: str) -> None:
        self.notify(  # type: ignore[attr-defined]
            message, title="Kept as a separate draft", severity="warning", timeout=20, markup=False
        )
        for s in self._dirty():  # the rest of what was typed goes to the copy too
            self._flush(s)

    @work(thread=True, exclusive=True, group="save-reasons", exit_on_error=False)
    def _save_reasons(self, reasons: dict[str, str]) -> None:
        """Keep the query reasons typed in the submit dialog with the draft."""
        self._reasons_unsaved = dict(reasons)
        self._store_reasons(from_thread=True)

    def _store_reasons(self, *, from_thread: bool) -> str:
        from recorder.services import visits
        from recorder.services.errors import Conflict

        reasons = self._reasons_unsaved
        if reasons is None:
            return ""
        svc, actor_id = self.svc, self.actor.id  # type: ignore[attr-defined]
        reports: list = []
        problem = ""
        if not self._locked(from_thread):
            return "A save is still waiting for the database, so the reasons are not saved yet."
        try:
            if self.conflict:
                return f"Reasons not saved: {self.conflict}"
            outcome = call_now(
                "Saving the reasons",
                lambda: visits.save_query_reasons(
                    svc, actor_id, self.visit_id, reasons, expected_version=self.version
                ),
            )
            if outcome.ok:
                self.version = outcome.value  # type: ignore[assignment]
                if self._reasons_unsaved == reasons:
                    self._reasons_unsaved = None
            elif isinstance(outcome.error, Conflict):
                self.conflict = outcome.message
                problem = f"Reasons not saved: {outcome.message}"
                reports.append((self._set_status, problem))  # type: ignore[attr-defined]
            elif outcome.refused:
                problem = f"Reasons not saved: {outcome.refused}"
                reports.append((self._set_status, problem))  # type: ignore[attr-defined]
            else:
                problem = f"Reasons not saved: {outcome.failed}"
                reports.append((self._save_failed, problem))
        finally:
            self._lock.release()
        self._report(from_thread, reports)
        return problem

    def save_all_now(self) -> str:
        """Save every unsaved section (and unsaved query reasons) now, on the UI thread.
        Returns "" when all is saved, else what could not be saved, in words."""
        problems = [super().save_all_now(), self._store_reasons(from_thread=False)]
        return next((p for p in problems if p), "")

    def action_save_now(self) -> None:
        if self.editable:
            self.save_all_now()

    def action_back(self) -> None:
        if getattr(self, "submitting", False):
            self.notify("Submitting: wait a moment for the answer.", title="Submitting")  # type: ignore[attr-defined]
            return
        if self.may_leave():
            self.dismiss()  # type: ignore[attr-defined]
