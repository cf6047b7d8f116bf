"""Adding a signed addendum beneath a signed-off record, from the record screen."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from recorder.services import visits
from recorder.tui.dialogs.addendum import AddendumDialog
from tests.support.factories import complete_content
from tests.support.pilot import notices, settled, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_payloads import PAYLOADS, shown
from tests.tui.test_visit import fill, open_visit, sign_off_visit, stored

TEXT = "The visit was on 12 March, not 11 March. " + " ".join(PAYLOADS)


def signed_off(svc, world) -> int:
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid)
    sign_off_visit(svc, world, vid)
    return vid


async def test_the_author_adds_an_addendum_and_it_shows_beneath_the_record(make_app, world_svc):
    svc, world = world_svc
    vid = signed_off(svc, world)
    before = visits.load_visit(svc, world.sw, vid).content
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        assert "Add an addendum" in {
            b.binding.description for b in screen.active_bindings.values() if b.enabled
        }
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumDialog))
        dialog = app.screen
        dialog.query_one("#reason", Input).value = "Wrong date [/"
        dialog.query_one("#text", TextArea).insert(TEXT)
        dialog.query_one("#sign-password", Input).value = "not my password"
        dialog.query_one("#sign-go").press()
        await wait_until(pilot, lambda: "Not added" in shown(dialog.query_one(".dialog-status")))
        assert dialog.query_one("#text", TextArea).text == TEXT  # nothing typed is lost
        assert dialog.query_one("#sign-password", Input).value == ""
        dialog.query_one("#sign-password", Input).value = PASSWORD
        dialog.query_one("#sign-go").press()
        await wait_until(pilot, lambda: app.screen is screen)
        await settled(pilot)
        await wait_until(pilot, lambda: "Addendum 1" in shown(screen))
        text = shown(screen)
        assert TEXT in text and "Why: Wrong date [/" in text
        assert "Addendum: Sam Social" in text
        assert "Not yet acknowledged by a team manager." in text
        assert app.is_running
    assert visits.load_visit(svc, world.sw, vid).content == before  # the record is untouched


async def test_the_addendum_key_is_not_offered_on_a_draft_and_types_into_a_field(
    make_app, world_svc
):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid, {"observations": complete_content()["observations"]})
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections").highlighted = 4
        await wait_until(pilot, lambda: screen.section == "observations")
        await pilot.pause()
        area = screen.query_one("#input-seen", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press("space", "a")
        assert area.text.endswith(" a")
        assert not isinstance(app.screen, AddendumDialog)
        await pilot.press("ctrl+g")
        await settled(pilot)
    assert stored(svc, vid, "observations")["seen"].endswith(" a")


async def test_a_manager_acknowledges_a_new_addendum_from_the_oversight_queue(make_app, world_svc):
    from textual.widgets import DataTable

    from recorder.services import addenda
    from recorder.tui.screens.visit import VisitScreen
    from tests.support.pilot import home_loaded, sign_in
    from tests.tui.test_oversight_screens import open_queue, sign_with

    svc, world = world_svc
    vid = signed_off(svc, world)
    reason = "Wrong date " + PAYLOADS[2]
    aid = addenda.add_addendum(svc, world.sw, vid, reason, TEXT, PASSWORD)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        queue = await open_queue(pilot, "f3")
        await wait_until(pilot, lambda: queue.query_one("#addenda", DataTable).row_count == 1)
        assert reason in shown(queue.query_one("#addenda"))
        assert "1 new addendum" in shown(queue.query_one("#addenda-status"))
        # Enter reads the record with its addenda
        queue.query_one("#addenda", DataTable).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen) and app.screen.loaded)
        await wait_until(pilot, lambda: TEXT in shown(app.screen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue)
        await pilot.press("k")
        await sign_with(pilot, PASSWORD)
        await wait_until(pilot, lambda: queue.query_one("#addenda", DataTable).row_count == 0)
        messages = [n.message for n in notices(app)]
        assert any("acknowledged" in m for m in messages)
    view = next(a for a in visits.load_visit(svc, world.manager, vid).addenda if a.id == aid)
    assert view.acknowledged_by == "Maya Manager, team manager"
