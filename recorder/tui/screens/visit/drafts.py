"""Saving a draft visit record: the part of the visit screen that makes sure nothing typed
is lost.

Each change is saved in a thread worker within AUTOSAVE_SECONDS of being typed (continuous
typing does not postpone it), when a field loses focus, and synchronously when the screen is
left or the app quits. A save carries the version it was based on; a Conflict stops saving and
says why (a stale save's text is kept as a separate draft and saving carries on there). When a
save fails for another reason (the database has gone, the disk is full) the text stays in the
form, the status line says so in words, and the save is tried again with back-off until it
works; leaving or quitting first asks again.
"""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

from textual import work
from textual.timer import Timer

from recorder.tui.calls import call_now

# Every change reaches the store within this many seconds (plus the save itself), so a
# crash or kill -9 loses under 2 s of typing (tests/tui/test_kill.py measures it).
AUTOSAVE_SECONDS = 1.5
#: After a failed save, the next try waits this long, doubling up to RETRY_MAX_SECONDS.
RETRY_FIRST_SECONDS = 1.0
RETRY_MAX_SECONDS = 30.0
#: A second Escape within this many seconds leaves although the last changes are not saved.
LEAVE_AGAIN_SECONDS = 5.0


class DraftSaving:
    """Mixed into the visit screen, which provides ``content``, ``editable``, ``visit_id``,
    ``version``, ``conflict``, ``actor``, ``svc``, ``_set_status`` and Textual's screen API."""

    content: dict[str, dict[str, Any]]
    editable: bool
    loaded: bool
    visit_id: int
    version: int
    conflict: str

    def init_saving(self) -> None:
        self._edits: dict[str, int] = {}
        self._saved: dict[str, int] = {}
        self._lock = threading.Lock()
        self._timer: Timer | None = None
        self._retry_seconds = 0.0
        self._retry_timer: Timer | None = None
        self._leave_armed_at: float | None = None
        #: the person chose to leave although something could not be saved
        self._abandoned = False
        #: query reasons typed in the submit dialog that are not yet stored
        self._reasons_unsaved: dict[str, str] | None = None

    def changed(self, section: str) -> None:
        """``section`` was edited: save it within AUTOSAVE_SECONDS (a timer that typing does
        not push back, so continuous typing is saved too)."""
        self._edits[section] = self._edits.get(section, 0) + 1
        if self.conflict:
            return
        if self._timer is None:
            self._timer = self.set_timer(AUTOSAVE_SECONDS, self._autosave)  # type: ignore[attr-defined]

    # -- saving -------------------------------------------------------------------------
    def _dirty(self) -> list[str]:
        return [s for s, n in self._edits.items() if n > self._saved.get(s, 0)]

    def _autosave(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for section in self._dirty():
            self._flush(section)
        if self._reasons_unsaved is not None:
            self._save_reasons(dict(self._reasons_unsaved))

    def _flush(self, section: str) -> None:
        if not self.editable or self.conflict or section not in self._dirty():
            return
        self._set_status("Saving...")
        # the data is copied here, on the UI thread, so the worker never reads a dict
        # that typing is changing
        edits = self._edits.get(section, 0)
        data = copy.deepcopy(self.content.get(section, {}))
        self.run_worker(
            lambda: self._save(section, data=data, edits=edits),
            thread=True,
            exclusive=True,
            group=f"save-{section}",
            exit_on_error=False,
        )

    def _report(self, from_thread: bool, reports: list) -> None:
        """Show what a save found, on the UI thread. Called with the lock released: a
        worker waiting on the UI thread while holding the lock would deadlock with a save
        the UI thread starts (leaving, quitting, submitting)."""
        for fn, *args in reports:
            if from_thread:
                try:
                    self.app.call_from_thread(fn, *args)  # type: ignore[attr-defined]
                except Exception:  # noqa: BLE001 - the app has gone (quitting)
                    return
            else:
                fn(*args)

    def _locked(self, from_thread: bool) -> bool:
        """Take the save lock: a worker waits for it; the UI thread waits a bounded time
        (a save still running in a worker against a database that does not answer)."""
        return self._lock.acquire() if from_thread else self._lock.acquire(timeout=10)

    def _save(
        self,
        section: str,
        *,
        from_thread: bool = True,
        data: dict | None = None,
        edits: int | None = None,
    ) -> str:
        """Save one section (in a worker thread, or directly when leaving). Returns "" when
        it is saved (or there was nothing to save), else what went wrong, in words."""
        from recorder.services import visits
        from recorder.services.errors import Conflict

        svc, actor_id = self.svc, self.actor.id  # type: ignore[attr-defined]
        reports: list = []
        problem = ""
        if not self._locked(from_thread):
            return "A save is still waiting for the database, so this was not saved yet."
        try:
            if self.conflict:
                # saving stopped: whatever was typed since is not stored, and must be said
                return f"Not saved: {self.conflict}" if section in self._dirty() else ""
            if data is None or edits is None:
                edits = self._edits.get(section, 0)
                data = copy.deepcopy(self.content.get(section, {}))
            if edits <= self._saved.get(section, 0):
                return ""
            outcome = call_now(
                "Saving",
                lambda: visits.save_section(
                    svc, actor_id, self.visit_id, section, data, expected_version=self.version
                ),
            )
            e = outcome.error
            if outcome.ok:
                self.version = outcome.value  # type: ignore[assignment]
                self._saved[section] = max(self._saved.get(section, 0), edits)
                reports.append((self._save_worked, f"Saved {svc.now_local():%H:%M}"))
            elif isinstance(e, visits.DraftConflict):
                # the text went into a new draft of this child: carry on there, so what is
                # still unsaved in the other sections follows it instead of being lost
                self.visit_id, self.version = e.copy_visit_id, e.copy_version
                self._saved[section] = max(self._saved.get(section, 0), edits)
                reports.append(
                    (self._set_status, f"Now saving to visit record {e.copy_visit_id}: {e.message}")
                )
                reports.append((self._conflict_copied, e.message))
            elif isinstance(e, Conflict):
                self.conflict = outcome.message
                problem = f"Not saved: {outcome.message}"
                reports.append((self._set_status, problem))
            elif outcome.refused:
                problem = f"Not saved: {outcome.refused}"
                reports.append((self._set_status, problem))
            else:
                problem = outcome.failed
                reports.append((self._save_failed, problem))
        finally:
            self._lock.release()
        self._report(from_thread, reports)
        return problem

    def _save_worked(self, status: str) -> None:
        self._retry_seconds = 0.0
        self._set_status(status)

    def _save_failed(self, problem: str) -> None:
        """A save failed for a reason that may pass (the database has gone): keep the text,
        say so, and try again with back-off."""
        self._retry_seconds = min(RETRY_MAX_SECONDS, self._retry_seconds * 2 or RETRY_FIRST_SECONDS)
        self._set_status(
            f"{problem} Your text is kept here; trying again in {self._retry_seconds:.0f} s."
        )
        if self._retry_timer is not None:
            self._retry_timer.stop()
        self._retry_timer = self.set_timer(self._retry_seconds, self._retry)  # type: ignore[attr-defined]

    def _retry(self) -> None:
        self._retry_timer = None
        if self.is_attached and self.editable and not self.conflict:  # type: ignore[attr-defined]
            self._autosave()

    def _conflict_copied(self, message: str) -> None:
        self.notify(
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
                reports.append((self._set_status, problem))
            elif outcome.refused:
                problem = f"Reasons not saved: {outcome.refused}"
                reports.append((self._set_status, problem))
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
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        problems = [p for p in (self._save(s, from_thread=False) for s in self._dirty()) if p]
        problems.append(self._store_reasons(from_thread=False))
        return next((p for p in problems if p), "")

    def save_before_quit(self) -> str:
        """The app asks before quitting: "" when nothing typed would be lost."""
        problem = self.save_all_now() if self.editable else ""
        self._abandoned = bool(problem)  # a second Ctrl+Q quits without trying again
        return problem

    def on_unmount(self) -> None:
        # leaving the screen, or quitting the app: what can be saved is saved (unless the
        # person has just been told it cannot be, and chose to go)
        if self.editable and not self._abandoned:
            self.save_all_now()

    def action_save_now(self) -> None:
        if self.editable:
            self.save_all_now()

    def action_back(self) -> None:
        if getattr(self, "submitting", False):
            self.notify("Submitting: wait a moment for the answer.", title="Submitting")
            return
        if self.editable:
            problem = self.save_all_now()
            now = time.monotonic()
            armed = (
                self._leave_armed_at is not None
                and now - self._leave_armed_at <= LEAVE_AGAIN_SECONDS
            )
            if problem and not armed:
                self._leave_armed_at = now
                self.notify(
                    f"{problem} Your text is kept here and saved when it can be. Press "
                    "Escape again to leave without it.",
                    title="Not saved",
                    severity="error",
                    timeout=LEAVE_AGAIN_SECONDS,
                )
                return
            self._abandoned = bool(problem)
        self.dismiss()
