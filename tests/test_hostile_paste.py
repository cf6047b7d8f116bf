"""Pasted attack sequences (issue 5, part 7): a bracketed paste can carry ESC, C1 and bidi
controls; whatever field has the focus receives them cleaned, so they are neither shown on
the terminal nor saved."""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.widgets import Input

from recorder.tui.widgets.fields import LimitedTextArea
from tests.support.pilot import wait_until
from tests.support.stores import make_services
from tests.support.world import build_world

PASTE = "Mum\x1b]52;c;cm0gLXJmIH4=\x07 said \x1b[31;5;7mhi\u202e\u2066 ok\x9b2J"
CLEAN_LINE = "Mum]52;c;cm0gLXJmIH4= said [31;5;7mhi ok2J"


async def test_a_paste_into_any_field_of_the_app_is_cleaned(tmp_path):
    from recorder.tui.app import RecorderApp

    svc = make_services(f"sqlite:///{tmp_path / 'data' / 'recorder.sqlite3'}")
    build_world(svc)
    app = RecorderApp(svc, cursor_blink=False)
    try:
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.pause()
            field = app.screen.query_one("#username", Input)
            await wait_until(pilot, lambda: not field.disabled)
            field.focus()
            await pilot.pause()
            app.post_message(events.Paste(PASTE))
            await pilot.pause()
            assert field.value == CLEAN_LINE
    finally:
        svc.engine.dispose()


class _Area(App[None]):
    def compose(self):
        yield LimitedTextArea("", max_length=1000, id="area")


async def test_the_long_text_field_cleans_what_is_pasted_into_it_directly():
    app = _Area()
    async with app.run_test() as pilot:
        area = app.query_one("#area", LimitedTextArea)
        area.focus()
        app.post_message(events.Paste("first\r\n" + PASTE))  # a plain App: the widget cleans
        await pilot.pause()
        assert area.text == "first\n" + CLEAN_LINE


async def test_stored_text_given_to_the_long_field_is_cleaned_by_the_form():
    from recorder.domain.sections import SECTION_BY_KEY, SectionKey
    from recorder.tui.widgets.fields import FieldEditor

    spec = SECTION_BY_KEY[SectionKey.OBSERVATIONS].field("seen")

    class Form(App[None]):
        def compose(self):
            yield FieldEditor(spec, PASTE, short_max=200, long_max=1000)

    app = Form()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.query_one(LimitedTextArea).text == CLEAN_LINE
