"""The key bar shows only keys that fit wholly (issue 15, "every screen usable at 80x24"):
Textual's own cut the last one mid-word ("f8 Dis" on the visit form at 80 columns). The
keys left out are in F1's help; widening the terminal shows them again."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from recorder.services import visits
from recorder.tui.widgets.footer import Footer
from tests.support.pilot import home_loaded, sign_in, wait_until
from tests.support.world import PASSWORD
from tests.tui.test_visit import open_visit


def _keys(screen) -> tuple[list[FooterKey], list[FooterKey], Footer]:
    footer = screen.query_one(Footer)
    keys = [k for k in footer.query(FooterKey) if not k.has_class("-command-palette")]
    return [k for k in keys if k.display], [k for k in keys if not k.display], footer


def _bar(app) -> str:
    """The bottom line of the screen as drawn."""
    strips = app.screen._compositor.render_update(full=True).strips
    return "".join(seg.text for seg in strips[-1])


async def test_the_visit_form_drops_keys_that_do_not_fit_at_80_columns(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await wait_until(pilot, lambda: bool(_keys(screen)[1]))
        shown, hidden, footer = _keys(screen)
        assert shown, "no key is shown at all"
        bar = _bar(app)
        for key in shown:
            assert key.region.right <= footer.region.right
            assert f"{key.key_display} {key.description}" in bar, (key.description, bar)
        for key in hidden:
            assert key.description not in bar
        # wider, every key that fits comes back
        await pilot.resize_terminal(160, 40)
        await wait_until(pilot, lambda: len(_keys(screen)[0]) > len(shown))
        assert not _keys(screen)[1]


async def test_home_at_80_columns_shows_whole_keys(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await pilot.pause()
        shown, hidden, footer = _keys(app.screen)
        bar = _bar(app)
        for key in shown:
            assert f"{key.key_display} {key.description}" in bar, (key.description, bar)
        assert all(k.description not in bar for k in hidden)
