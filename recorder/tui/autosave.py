"""Saving what is typed as it is typed: the part of a form that makes sure nothing is lost.

:class:`AutoSave` is the machinery the visit form and every other form share. Each change is
saved in a thread worker within AUTOSAVE_SECONDS of being typed (continuous typing does not
postpone it), and synchronously when the screen is left or the app quits. A save carries the
version it was based on; a Conflict stops saving and says why. When a save fails for another
reason (the database has gone, the disk is full) the text stays in the form, the status line
says so in words, and the save is tried again with back-off until it works; leaving or
quitting first asks again.

:class:`FormDraft` is AutoSave for a form that is not a visit record (an oversight note, a
countersign comment, return comments, an addendum): its fields are kept as one private draft
(``recorder.services.drafts``), put back when the form is opened again, and removed by the
signing that uses them. Escape never throws text away; discarding is its own key, confirmed.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from textual.timer import Timer
from textual.widgets import Static

from recorder.domain.drafts import is_empty
from recorder.tui.calls import Outcome, call_now
from recorder.tui.format import line

# Every change reaches the store within this many seconds (plus the save itself), so a
# crash or kill -9 loses under 2 s of typing (tests/tui/test_kill.py measures it).
AUTOSAVE_SECONDS = 1.5
#: After a failed save, the next try waits this long, doubling up to RETRY_MAX_SECONDS.
RETRY_FIRST_SECONDS = 1.0
RETRY_MAX_SECONDS = 30.0
#: A second Escape within this many seconds leaves although the last changes are not saved.
LEAVE_AGAIN_SECONDS = 5.0


class AutoSave:
    """Mixed into a screen (or dialog), which provides ``editable``, ``version``,
    ``conflict``, ``_set_status``, the hooks below and Textual's screen API. The form is
    saved in parts named by a key (the visit form: one per section)."""

    editable: bool
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

    # -- hooks ------------------------------------------------------------------------------
    def _snapshot(self, key: str) -> Any:
        """What part ``key`` holds now, copied on the UI thread (typing may change it)."""
        raise NotImplementedError

    def _save_call(self, key: str, data: Any) -> Callable[[], Any]:
        """The service call that stores ``data`` (run with the save lock held); it returns
        the new version."""
        raise NotImplementedError

    def _saved_status(self) -> str:
        return f"Saved {self.app.services.now_local():%H:%M}"  # type: ignore[attr-defined]

    def _special_outcome(self, key: str, edits: int, outcome: Outcome, reports: list) -> bool:
        """A refusal a form handles itself (the visit form's conflict copy); True if it did."""
        return False

    def _autosave_after(self) -> float:
        return AUTOSAVE_SECONDS

    def _autosave_more(self) -> None:
        """Anything else the timer saves (the visit form's query reasons)."""

    # -- saving -------------------------------------------------------------------------
    def changed(self, key: str) -> None:
        """``key`` was edited: save it within AUTOSAVE_SECONDS (a timer that typing does
        not push back, so continuous typing is saved too)."""
        self._edits[key] = self._edits.get(key, 0) + 1
        if self.conflict:
            return
        if self._timer is None:
            self._timer = self.set_timer(self._autosave_after(), self._autosave)  # type: ignore[attr-defined]

    def _dirty(self) -> list[str]:
        return [s for s, n in self._edits.items() if n > self._saved.get(s, 0)]

    def _autosave(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for key in self._dirty():
            self._flush(key)
        self._autosave_more()

    def _flush(self, key: str) -> None:
        if not self.editable or self.conflict or key not in self._dirty():
            return
        self._set_status("Saving...")  # type: ignore[attr-defined]
        # the data is copied here, on the UI thread, so the worker never reads what
        # typing is changing
        edits = self._edits.get(key, 0)
        data = self._snapshot(key)
        self.run_worker(  # type: ignore[attr-defined]
            lambda: self._save(key, data=data, edits=edits),
            thread=True,
            exclusive=True,
            group=f"save-{key}",
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
        key: str,
        *,
        from_thread: bool = True,
        data: Any = None,
        edits: int | None = None,
    ) -> str:
        """Save one part (in a worker thread, or directly when leaving). Returns "" when
        it is saved (or there was nothing to save), else what went wrong, in words."""
        from recorder.services.errors import Conflict

        reports: list = []
        problem = ""
        if not self._locked(from_thread):
            return "A save is still waiting for the database, so this was not saved yet."
        try:
            if self.conflict:
                # saving stopped: whatever was typed since is not stored, and must be said
                return f"Not saved: {self.conflict}" if key in self._dirty() else ""
            if data is None or edits is None:
                edits = self._edits.get(key, 0)
                data = self._snapshot(key)
            if edits <= self._saved.get(key, 0):
                return ""
            outcome = call_now("Saving", self._save_call(key, data))
            if outcome.ok:
                self.version = outcome.value  # type: ignore[assignment]
                self._saved[key] = max(self._saved.get(key, 0), edits)
                reports.append((self._save_worked, self._saved_status()))
            elif self._special_outcome(key, edits, outcome, reports):
                pass
            elif isinstance(outcome.error, Conflict):
                self.conflict = outcome.message
                problem = f"Not saved: {outcome.message}"
                reports.append((self._set_status, problem))  # type: ignore[attr-defined]
            elif outcome.refused:
                problem = f"Not saved: {outcome.refused}"
                reports.append((self._set_status, problem))  # type: ignore[attr-defined]
            else:
                problem = outcome.failed
                reports.append((self._save_failed, problem))
        finally:
            self._lock.release()
        self._report(from_thread, reports)
        return problem

    def _save_worked(self, status: str) -> None:
        self._retry_seconds = 0.0
        self._set_status(status)  # type: ignore[attr-defined]

    def _save_failed(self, problem: str) -> None:
        """A save failed for a reason that may pass (the database has gone): keep the text,
        say so, and try again with back-off."""
        self._retry_seconds = min(RETRY_MAX_SECONDS, self._retry_seconds * 2 or RETRY_FIRST_SECONDS)
        self._set_status(  # type: ignore[attr-defined]
            f"{problem} Your text is kept here; trying again in {self._retry_seconds:.0f} s."
        )
        if self._retry_timer is not None:
            self._retry_timer.stop()
        self._retry_timer = self.set_timer(self._retry_seconds, self._retry)  # type: ignore[attr-defined]

    def _retry(self) -> None:
        self._retry_timer = None
        if self.is_attached and self.editable and not self.conflict:  # type: ignore[attr-defined]
            self._autosave()

    def save_all_now(self) -> str:
        """Save every unsaved part now, on the UI thread. Returns "" when all is saved,
        else what could not be saved, in words."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        problems = [p for p in (self._save(s, from_thread=False) for s in self._dirty()) if p]
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

    def may_leave(self) -> bool:
        """Save before leaving: True to go. When something could not be saved, say so and
        stay; a second Escape within LEAVE_AGAIN_SECONDS goes without it."""
        if not self.editable:
            return True
        problem = self.save_all_now()
        now = time.monotonic()
        armed = (
            self._leave_armed_at is not None and now - self._leave_armed_at <= LEAVE_AGAIN_SECONDS
        )
        if problem and not armed:
            self._leave_armed_at = now
            self.notify(  # type: ignore[attr-defined]
                f"{problem} Your text is kept here and saved when it can be. Press "
                "Escape again to leave without it.",
                title="Not saved",
                severity="error",
                timeout=LEAVE_AGAIN_SECONDS,
            )
            return False
        self._abandoned = bool(problem)
        return True


#: the one part a form's draft is saved as
DRAFT = "draft"


def is_draft_problem(text: str) -> bool:
    """A draft line that says something went wrong (shown as an error): a refusal ("Not
    saved: ...", "Not discarded: ..."), a failure ("Saving did not work: ..."), or a save
    still waiting for the database."""
    return text.startswith(("Not ", "A save is still")) or " did not work: " in text


class FormDraft(AutoSave):
    """A form kept as one private draft while it is filled in. The form provides
    ``draft_content()`` (its fields as text), ``fill_draft(content)``, a Static matching
    ``draft_status_selector`` for the draft's line, and
    calls ``start_draft(kind, about)`` once its fields exist, and ``form_changed()`` when
    one changes. ``draft_ready`` is called once the draft has been read (or there was none)."""

    #: the draft's kind (``recorder.domain.drafts.DraftKind``) and what it is about
    draft_kind: str = ""
    draft_about: int = 0
    #: the Static that shows the draft's line (a screen's ``#draft-status``, a dialog's class)
    draft_status_selector: str = "#draft-status"

    def _set_status(self, text: str) -> None:
        """The draft's line: when it was saved, or why it could not be."""
        found = self.query(self.draft_status_selector)  # type: ignore[attr-defined]
        if found:
            status = found.first(Static)
            status.update(line(text))
            status.set_class(is_draft_problem(text), "-error")

    def init_form_draft(self) -> None:
        self.init_saving()
        self.editable = False  # until the draft has been read: nothing is written over it
        self.version = 0
        self.conflict = ""
        #: what the fields held when last read or filled: a change back to it is no edit
        self._known: dict[str, Any] | None = {}
        self._load_seconds = 0.0
        #: the form keeps a draft (its rule lets the writer fill it in), and it has been read
        self._drafting = False
        self._read_done = False
        #: the fields as they were at the last change (kept for when the widgets have gone)
        self._latest: dict[str, Any] = {}
        self.draft_saved_at = None

    def start_draft(self, kind: str, about: int) -> None:
        """Read the writer's draft of this form (in a worker) and put it in the fields."""
        self.draft_kind, self.draft_about = str(kind), about
        self._drafting = True
        self._read_draft()

    def _read_draft(self) -> None:
        from recorder.services import drafts
        from recorder.tui.calls import run_call
        from recorder.tui.session import signed_in

        actor = signed_in(self)  # type: ignore[arg-type]
        if actor is None:
            return
        svc, kind, about = self.app.services, self.draft_kind, self.draft_about  # type: ignore[attr-defined]
        run_call(
            self,  # type: ignore[arg-type]
            "Reading your draft",
            lambda: drafts.load(svc, actor.id, kind, about),
            self.draft_read,
            self._draft_not_read,
            group="draft-read",
        )

    def draft_read(self, view: Any, *, filled: bool = False) -> None:
        """The writer's draft (a ``DraftView``, or None): put it in the fields (unless they
        were built with it: ``filled``) and start saving."""
        from recorder.tui.format import local_time, when

        typed = bool(self._edits.get(DRAFT))
        self._drafting = self._read_done = True
        self.editable = True
        self.version = view.version if view is not None else 0
        if view is not None and not typed:
            self.draft_saved_at = view.saved_at
            self._known = view.content
            if not filled:
                self.fill_draft(view.content)
            self._known = self._read_fields(view.content)
            self._set_status(  # type: ignore[attr-defined]
                f"Your draft, saved {when(local_time(view.saved_at))}: it is here as you "
                "left it. Changes are saved as you type."
            )
        elif view is not None:
            # typed while the store could not be read: what is on screen is the newest
            self._set_status(  # type: ignore[attr-defined]
                f"An earlier draft, saved {when(local_time(view.saved_at))}, is replaced "
                "by what you have typed here."
            )
            self._autosave()
        elif typed:
            self._autosave()
        self.draft_ready(view)

    def draft_ready(self, view: Any) -> None:
        """The draft has been read and put in the fields (subclasses)."""

    def _draft_not_read(self, outcome: Outcome) -> None:
        if outcome.refused:  # the form's rule says no: there is nothing to save either
            self._drafting = False
            return
        self._load_seconds = min(RETRY_MAX_SECONDS, self._load_seconds * 2 or RETRY_FIRST_SECONDS)
        self._set_status(  # type: ignore[attr-defined]
            f"{outcome.failed} Your earlier draft is not shown yet; what you type is kept "
            f"here. Trying again in {self._load_seconds:.0f} s."
        )
        self.set_timer(self._load_seconds, self._read_again)  # type: ignore[attr-defined]

    def _read_again(self) -> None:
        if self.is_attached and not self.editable:  # type: ignore[attr-defined]
            self._read_draft()

    def form_changed(self) -> None:
        """A field changed: save it soon, unless it holds just what was read or saved (the
        fields being filled from the draft, or the focus moving)."""
        if not self._drafting:  # a form its writer may not fill in keeps no draft
            return
        now = self._latest = self.draft_content()
        if self._known is not None and (
            now == self._known or (is_empty(now) and is_empty(self._known))
        ):
            return
        self._known = None
        self.changed(DRAFT)

    def _read_fields(self, otherwise: dict[str, Any]) -> dict[str, Any]:
        """The fields as they are (as the form reads them), or ``otherwise`` while they are
        not all there (being mounted, or gone as the app closes)."""
        from textual.css.query import NoMatches

        try:
            return self.draft_content()
        except NoMatches:
            return otherwise

    def _snapshot(self, key: str) -> Any:
        self._latest = self._read_fields(self._latest)
        return self._latest

    def _save_call(self, key: str, data: Any) -> Callable[[], Any]:
        from recorder.services import drafts
        from recorder.tui.session import signed_in

        svc, actor = self.app.services, signed_in(self)  # type: ignore[attr-defined, arg-type]
        kind, about, version = self.draft_kind, self.draft_about, self.version

        def call() -> int:
            if actor is None:
                raise RuntimeError("nobody is signed in")
            return drafts.save(svc, actor.id, kind, about, data, version)

        return call

    def _saved_status(self) -> str:
        return f"Draft saved {self.app.services.now_local():%H:%M}"  # type: ignore[attr-defined]

    def _unread_typing(self) -> bool:
        """Typed while the earlier draft could not be read: not saved yet (it would be
        written over a draft the form has not seen)."""
        return self._drafting and not self._read_done and bool(self._edits.get(DRAFT))

    def save_all_now(self) -> str:
        if self._unread_typing():
            return "Not saved: your earlier draft has not been read from the store yet."
        if not self.editable:  # no draft, or paused while signing, or signed
            return ""
        return super().save_all_now()

    def save_before_quit(self) -> str:
        problem = self.save_all_now()
        self._abandoned = bool(problem)
        return problem

    def may_leave(self) -> bool:
        if self._unread_typing():
            self.editable = True  # say it, and let a second Escape go (AutoSave.may_leave)
            try:
                return super().may_leave()
            finally:
                self.editable = False
        return super().may_leave()

    def draft_signed(self) -> None:
        """The form was signed: the service removed the draft; nothing is left to save."""
        self.editable = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    # -- discarding -------------------------------------------------------------------------
    def discard_draft(self) -> None:
        """Ask, then throw the draft away and empty the form (the key for it)."""
        from recorder.tui.dialogs.confirm import ConfirmDialog

        if not self.editable:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._discard()

        self.app.push_screen(  # type: ignore[attr-defined]
            ConfirmDialog(
                "Discard this draft?",
                "Everything typed in this form is thrown away, here and in the store. "
                "This cannot be undone.",
                "Discard it",
            ),
            answered,
        )

    def _discard(self) -> None:
        from recorder.services import drafts
        from recorder.tui.session import signed_in

        actor = signed_in(self)  # type: ignore[arg-type]
        if actor is None:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        svc, kind, about = self.app.services, self.draft_kind, self.draft_about  # type: ignore[attr-defined]
        if not self._locked(False):
            self._set_status("Not discarded: a save is still waiting for the database.")  # type: ignore[attr-defined]
            return
        try:
            outcome = call_now(
                "Discarding the draft", lambda: drafts.discard(svc, actor.id, kind, about)
            )
        finally:
            self._lock.release()
        if not outcome.ok:
            self._set_status(f"Not discarded: {outcome.message}")  # type: ignore[attr-defined]
            return
        self.version = 0
        self.conflict = ""
        self._saved[DRAFT] = self._edits.get(DRAFT, 0)
        self._known = {}
        self.fill_draft({})
        self.draft_saved_at = None
        self._set_status("Draft discarded: the form is empty.")  # type: ignore[attr-defined]
