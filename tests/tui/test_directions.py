"""Directions reach the worker (issue 11): the countersigner's direction shows on the
student's home ("for you") and on the record, and the student marks it done with a note."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import OptionList, Static, TextArea

from recorder.services import visits
from recorder.store.models import TrackedAction
from tests.support.pilot import drawn, home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_oversight_screens import submit_record

JOINTLY = "Good record. Book the next visit jointly with me so that I can see Amira too."


def countersigned_with_direction(svc, world) -> int:
    vid = submit_record(svc, world.student, world.child)
    visits.countersign(svc, world.sw, vid, JOINTLY, PASSWORD)
    return vid


def texts(screen) -> str:
    return "\n".join(str(w.visual) for w in screen.query(Static))


def for_you_text(screen) -> str:
    ol = screen.query_one("#for-you-list", OptionList)
    return "\n".join(str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count))


async def test_student_sees_the_direction_on_home_and_record_and_marks_it_done(make_app, world_svc):
    svc, world = world_svc
    vid = countersigned_with_direction(svc, world)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "student", PASSWORD)
        await home_loaded(pilot)
        home = app.screen
        await wait_until(pilot, lambda: home.query_one("#for-you").loaded)
        assert home.query_one("#for-you").display
        assert "For you: 1 open direction" in texts(home)
        shown = for_you_text(home)
        assert JOINTLY in shown and "Countersign comment from Sam Social" in shown
        assert "Amira Khan (C0001)" in shown

        # on the record: open the child, then the visit
        from recorder.tui import navigation
        from recorder.tui.screens.visit import VisitScreen

        navigation.visit(app, vid)
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen) and app.screen.loaded)
        await settled(pilot)
        record = texts(app.screen)
        assert "Directions on this record" in record and JOINTLY in record
        assert "Countersign comment from Sam Social, for Stu Student" in record
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is home)

        # F5 goes to the list; Enter asks for a note; Ctrl+S marks it done
        await pilot.press("f5")
        assert app.focused is home.query_one("#for-you-list")
        await pilot.press("enter")
        from recorder.tui.dialogs.done import DoneDialog

        await wait_until(pilot, lambda: isinstance(app.screen, DoneDialog))
        await pilot.press("ctrl+s")  # no note yet: it says so and stays
        await settled(pilot)
        assert isinstance(app.screen, DoneDialog)
        assert "Say what was done" in texts(app.screen)
        app.screen.query_one("#done-note", TextArea).insert("Booked 3 Dec with Sam.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is home)
        await settled(pilot)
        await wait_until(pilot, lambda: not home.query_one("#for-you").display)
    with svc.reading() as s:
        row = s.exec(select(TrackedAction)).one()
        assert row.done_by_id == world.student and row.done_note == "Booked 3 Dec with Sam."


async def test_the_record_says_who_marked_it_done(make_app, world_svc):
    svc, world = world_svc
    vid = countersigned_with_direction(svc, world)
    from recorder.services import directions

    (d,) = directions.open_directions(svc, world.student)
    directions.mark_done(svc, world.student, d.id, "Booked [bold]3 Dec[/] with Sam.")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "student", PASSWORD)
        await home_loaded(pilot)
        assert not app.screen.query_one("#for-you").display  # nothing open: home as it was
        from recorder.tui import navigation
        from recorder.tui.screens.visit import VisitScreen

        navigation.visit(app, vid)
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen) and app.screen.loaded)
        await settled(pilot)
        record = texts(app.screen)
        assert "Done: Stu Student, 26 Nov 2026 10:30 UTC: Booked [bold]3 Dec[/] with Sam." in record


class TestForYouSnapshot:
    def test_for_you_on_the_students_home(self, snap_compare, make_app, world_svc):
        svc, world = world_svc
        countersigned_with_direction(svc, world)

        async def run_before(pilot):
            await sign_in(pilot, "student", PASSWORD)
            await home_loaded(pilot)
            await wait_until(pilot, lambda: pilot.app.screen.query_one("#for-you").loaded)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


async def test_a_managers_oversight_action_reaches_home_and_the_next_visit(make_app, world_svc):
    """Issue 13's "done when": the manager's oversight action "book a joint visit by 11 Dec"
    shows on the worker's home and in the next visit's Actions section, with a status and a
    note to give, and marking it done records who and when."""
    from dataclasses import replace

    from recorder.services import oversight
    from recorder.tui import navigation
    from recorder.tui.screens.visit import VisitScreen
    from recorder.tui.widgets.fields import ProgressEditor
    from tests.support.records import oversight_note

    svc, world = world_svc
    action = {"what": "Book a joint visit", "who": "Sam Social", "by_when": "11 Dec"}
    note = replace(oversight_note(), actions=(action,))
    oversight.add_case_note(svc, world.manager, world.child, note, PASSWORD)
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        home = app.screen
        await wait_until(pilot, lambda: home.query_one("#for-you").loaded)
        shown = for_you_text(home)
        assert "Book a joint visit" in shown and "Oversight action from Maya Manager" in shown

        navigation.visit(app, vid)
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen) and app.screen.loaded)
        screen = app.screen
        assert [a.what for a in screen.view.open_actions] == ["Book a joint visit"]
        screen._show_section("actions")
        await settled(pilot)
        editor = screen.query_one(ProgressEditor)
        await wait_until(pilot, lambda: editor.parent.display)
        assert "Book a joint visit" in texts(screen)
        assert "Oversight action from Maya Manager" in texts(screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is home)

        await pilot.press("f5")
        await pilot.press("enter")
        from recorder.tui.dialogs.done import DoneDialog

        await wait_until(pilot, lambda: isinstance(app.screen, DoneDialog))
        app.screen.query_one("#done-note", TextArea).insert("Booked with Sol for 9 Dec.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is home)
    with svc.reading() as s:
        row = s.exec(select(TrackedAction).where(TrackedAction.what == "Book a joint visit")).one()
    assert row.done_by_id == world.sw and row.done_at == svc.now()
    assert row.done_note == "Booked with Sol for 9 Dec."
