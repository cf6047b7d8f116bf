"""The key bar changed in place (recorder/tui/widgets/footer.py ``Footer._patch``): when a
screen's keys change (one appears, one goes, one is enabled or disabled) the keys still shown
are kept and only the new ones are mounted, and the bar is then drawn exactly as Textual's
full rebuild of it draws it: the same keys in the same order, the same labels, enabled
states, tooltips and cells on screen."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from recorder.tui.widgets.footer import Footer
from tests.support.pilot import wait_until


class Keys(Screen):
    BINDINGS = [
        Binding("a", "first", "First", tooltip="The first key."),
        Binding("b", "second", "Second"),
        Binding("c", "third", "Third", tooltip="Shown once the data is in."),
        Binding("d", "fourth", "Fourth"),
        Binding("e", "fifth", "Fifth"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state = {"second": True, "third": False, "fourth": None, "fifth": True}

    def compose(self) -> ComposeResult:
        yield Static("keys")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.state.get(action, True)

    def change(self, **state: bool | None) -> None:
        self.state.update(state)
        self.refresh_bindings()


class KeysApp(App):
    def on_mount(self) -> None:
        self.push_screen(Keys())


def _drawn(footer: Footer) -> list[tuple]:
    return [
        (
            type(w).__name__,
            getattr(w, "key", None),
            getattr(w, "description", None),
            getattr(w, "_disabled", None),
            str(w.tooltip) if w.tooltip is not None else None,
            sorted(w.classes),
            w.display,
        )
        for w in footer.children
    ]


def _bar(app) -> list:
    strips = app.screen._compositor.render_update(full=True).strips
    return list(strips[-1])


async def test_the_key_bar_changed_in_place_is_drawn_as_rebuilt():
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, Keys))
        screen = app.screen
        footer = screen.query_one(Footer)
        await wait_until(pilot, lambda: len(footer.query(FooterKey)) > 0)
        await pilot.pause()
        steps = [
            dict(third=True),  # a key appears between two shown
            dict(fourth=True),  # a disabled key is enabled
            dict(second=False, fifth=None),  # one goes, the last is disabled
            dict(second=True, third=False),  # one comes back, another goes
            dict(fifth=False),  # the last goes
            dict(fifth=True),  # and comes back, after the others
        ]
        for step in steps:
            before = set(footer.query(FooterKey))
            screen.change(**step)
            await wait_until(pilot, lambda: footer._shown == footer._what_it_shows())
            await pilot.pause()
            patched, patched_bar = _drawn(footer), _bar(app)
            # in place: the keys still shown are the same widgets as before
            assert before & set(footer.query(FooterKey)), step
            rebuilt: list[bool] = []

            async def rebuild() -> None:  # in the footer's own context, as Textual does it
                await footer.recompose()
                footer._fit()
                rebuilt.append(True)

            footer.call_later(rebuild)
            await wait_until(pilot, lambda: bool(rebuilt))
            await pilot.pause()
            assert not before & set(footer.query(FooterKey))  # rebuilt: all new widgets
            assert patched == _drawn(footer), step
            assert patched_bar == _bar(app), step
