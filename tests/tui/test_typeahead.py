"""Keys typed ahead of a slow screen keep their order: a Tab typed between two texts moves
the later text to the next field, however far behind the screen is.

A terminal delivers what is typed in bursts (a fast typist, a paste of lines, a slow machine).
Textual hands each key to the focused field's own queue; a Tab the field does not want bubbles
back to the screen from that queue, so, without a binding taken on arrival, the keys typed after
the Tab were handed to the old field before the focus moved (seen in tmux: the Risk text landed
at the end of the Analysis box)."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from tests.support.pilot import home_loaded, settled, sign_in, wait_until
from tests.support.world import PASSWORD
from tests.tui.test_oversight_screens import open_first, open_queue, submit_record


def burst(app, keys: list[tuple[str, str | None]]) -> None:
    """Post keys to the app as a terminal driver does, all at once, without waiting."""
    for key, char in keys:
        app.post_message(events.Key(key, char))


def typed(text: str) -> list[tuple[str, str | None]]:
    return [("space" if c == " " else c, c) for c in text]


async def test_a_tab_in_a_burst_of_typing_moves_the_rest_to_the_next_box(make_app, world_svc):
    from recorder.tui.screens.review.oversight import OversightScreen

    svc, world = world_svc
    submit_record(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f3")
        screen = await open_first(pilot, OversightScreen)
        decision = screen.query_one("#note-decision", TextArea)
        analysis = screen.query_one("#note-analysis", TextArea)
        decision.focus()
        await wait_until(pilot, lambda: decision.has_focus)
        burst(
            app,
            typed("Continue the plan")
            + [("tab", "\t")]
            + typed("Home is calmer")
            + [("shift+tab", None)]
            + typed(" now"),
        )
        await wait_until(
            pilot, lambda: decision.text.endswith("now") or analysis.text.endswith("now")
        )
        await settled(pilot)
        assert decision.text == "Continue the plan now"
        assert analysis.text == "Home is calmer"
        assert decision.has_focus
