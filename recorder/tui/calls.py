"""Calling a service from a screen: the one place that runs it, catches what it raises and
says it in words.

Every screen and dialog reaches the store through :func:`run_call` (a thread worker; the
answer comes back on the UI thread) or, where it must finish before the screen goes,
:func:`call_now`. Either gives an :class:`Outcome`:

- ``ok``: the service did it; ``value`` is what it returned;
- ``refused``: the rules said no (a ``ServiceError``); the message is the service's words;
- ``failed``: anything else (the database has gone, the disk is full, a bug). The app keeps
  running, the screen keeps what was typed, and the message says what did not happen and why
  in plain words, never an exception's name or text (which may hold case data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import Worker

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None = None
    #: the service's own words when its rules refused
    refused: str = ""
    #: what failed and why, in words, when something unexpected happened
    failed: str = ""
    #: the exception, for callers that act on a refusal's kind (Conflict, Incomplete)
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return not self.refused and not self.failed

    @property
    def message(self) -> str:
        return self.refused or self.failed


def failure_words(what: str, error: BaseException) -> str:
    """ "Saving did not work: the database cannot be reached." """
    from recorder.services.failures import reason

    return f"{what} did not work: {reason(error)}."


def call_now(what: str, call: Callable[[], T]) -> Outcome[T]:
    """Run ``call`` here and now; never raises (but for KeyboardInterrupt and friends)."""
    from recorder.services.errors import ServiceError

    try:
        return Outcome(value=call())
    except ServiceError as e:
        return Outcome(refused=e.message, error=e)
    except Exception as e:  # noqa: BLE001 - said in words; the app keeps running
        return Outcome(failed=failure_words(what, e), error=e)


def run_call(
    node: DOMNode,
    what: str,
    call: Callable[[], T],
    ok: Callable[[T], Any],
    problem: Callable[[Outcome[T]], Any] | None = None,
    *,
    group: str | None = None,
    exclusive: bool = True,
) -> Worker:
    """Run ``call`` in a thread worker owned by ``node``; then, on the UI thread, ``ok(value)``
    or ``problem(outcome)`` (by default a notification saying what went wrong).

    ``what`` names the work for the person ("Saving", "Reading the child's record"): it is
    how an unexpected failure is described. Answers for a node that has gone (a screen closed
    while its call ran, or the app quitting) are dropped.
    """
    app = node.app

    def answer(outcome: Outcome[T]) -> None:
        if node is not app and not node.is_attached:
            return
        if outcome.ok:
            ok(outcome.value)  # type: ignore[arg-type]
        elif problem is not None:
            problem(outcome)
        else:
            app.notify(outcome.message, title="Not done", severity="error")

    def work() -> None:
        outcome = call_now(what, call)
        try:
            app.call_from_thread(answer, outcome)
        except RuntimeError:  # the app has stopped
            pass

    return node.run_worker(
        work, name=what, group=group or what, thread=True, exclusive=exclusive, exit_on_error=False
    )
