"""SVG snapshots of the countersign and oversight screens (120x40, frozen clock)."""

from __future__ import annotations

import pytest

from tests.support.factories import complete_content
from tests.support.pilot import drawn, home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_oversight_screens import COMMENT, submit_record


def flagged_record(svc, world):
    """A student's record with flags: not seen alone (a query with a reason), countersigned."""
    from recorder.services import visits

    content = complete_content()
    content["seen"].update(
        seen_alone="no",
        not_alone_reason="unable",
        not_alone_detail="Her mother would not leave the room.",
    )
    vid = visits.start_visit(svc, world.student, world.child)
    version = None
    for section, data in content.items():
        version = visits.save_section(svc, world.student, vid, section, data, version)
    reasons = {
        f.code: "Mother refused to leave; I will see Amira at school on Monday."
        for f in visits.load_visit(svc, world.student, vid).findings
    }
    visits.submit(svc, world.student, vid, query_reasons=reasons)
    return vid


async def _queue(pilot, key):
    from recorder.tui.screens.queues import QueueScreen

    await pilot.press(key)
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, QueueScreen) and pilot.app.screen.loaded
    )
    await drawn(pilot)  # the highlighted row's detail is drawn after the table


async def _open(pilot, cls):
    await pilot.press("enter")
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, cls) and pilot.app.screen.review is not None
    )
    await settled(pilot)


async def _open_note(pilot):
    """As the manager: the oversight queue, then the record's oversight note, read."""
    from recorder.tui.screens.review.oversight import OversightScreen

    await sign_in(pilot, "manager", PASSWORD)
    await home_loaded(pilot)
    await _queue(pilot, "f3")
    await _open(pilot, OversightScreen)
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.form is not None)
    await settled(pilot)
    return screen


async def _draft_saved(pilot):
    """The autosave has run (the frozen clock makes its line "Draft saved 10:30")."""
    line = pilot.app.screen.query_one("#draft-status")
    await wait_until(pilot, lambda: str(line.visual).startswith("Draft saved"), timeout=10)
    await settled(pilot)


class TestOversightSnapshots:
    def test_countersign_queue(self, snap_compare, make_app, world_svc):
        svc, world = world_svc
        flagged_record(svc, world)
        submit_record(svc, world.awaiting, world.child)

        async def run_before(pilot):
            await sign_in(pilot, "sw", PASSWORD)
            await home_loaded(pilot)
            await _queue(pilot, "f2")
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_countersign_screen(self, snap_compare, make_app, world_svc):
        from recorder.tui.screens.review.countersign import CountersignScreen

        svc, world = world_svc
        flagged_record(svc, world)

        async def run_before(pilot):
            from textual.widgets import TextArea

            await sign_in(pilot, "sw", PASSWORD)
            await home_loaded(pilot)
            await _queue(pilot, "f2")
            await _open(pilot, CountersignScreen)
            pilot.app.screen.query_one("#cs-comment", TextArea).text = "Checked the seen section."
            await _draft_saved(pilot)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_oversight_queue(self, snap_compare, make_app, world_svc):
        from recorder.services import visits

        svc, world = world_svc
        vid = flagged_record(svc, world)
        visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)
        submit_record(svc, world.sw, world.child)

        async def run_before(pilot):
            await sign_in(pilot, "manager", PASSWORD)
            await home_loaded(pilot)
            await _queue(pilot, "f3")
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    @pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
    def test_oversight_queue_child_not_seen(self, snap_compare, make_app, world_svc, size):
        """Issue 13 item 6: a child not seen on their last 2 visits, in words on the row."""
        from datetime import timedelta

        from tests.support.not_seen import visit_on

        svc, world = world_svc
        today = svc.today()
        visit_on(svc, world, today - timedelta(days=24))
        visit_on(svc, world, today - timedelta(days=10), seen=False)
        visit_on(svc, world, today - timedelta(days=3), seen=False, sign=False)

        async def run_before(pilot):
            await sign_in(pilot, "manager", PASSWORD)
            await home_loaded(pilot)
            await _queue(pilot, "f3")
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    def test_oversight_note_with_flags(self, snap_compare, make_app, world_svc):
        from recorder.services import visits

        svc, world = world_svc
        vid = flagged_record(svc, world)
        visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)

        async def run_before(pilot):
            from textual.widgets import TextArea

            screen = await _open_note(pilot)
            screen.query_one("#note-decision", TextArea).text = "Continue the plan."
            await _draft_saved(pilot)
            decision = screen.query_one("#note-decision", TextArea)
            await wait_until(pilot, lambda: pilot.app.focused is decision)
            screen.form.scroll_home(animate=False)
            await wait_until(pilot, lambda: screen.form.scroll_y == 0)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_oversight_note_80x24(self, snap_compare, make_app, world_svc):
        """The oversight note in a terminal of 80x24 (issue 15, item 4)."""
        from recorder.services import visits

        svc, world = world_svc
        vid = flagged_record(svc, world)
        visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)

        async def run_before(pilot):
            await _open_note(pilot)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)

    def test_team_view(self, snap_compare, make_app, world_svc):
        from recorder.tui.screens.team import TeamScreen

        svc, world = world_svc
        flagged_record(svc, world)
        submit_record(svc, world.sw, world.child)

        async def run_before(pilot):
            await sign_in(pilot, "manager", PASSWORD)
            await home_loaded(pilot)
            await pilot.press("f4")
            await wait_until(
                pilot,
                lambda: (
                    isinstance(pilot.app.screen, TeamScreen) and pilot.app.screen.team is not None
                ),
            )
            await settled(pilot)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_child_with_signed_off_visit_and_case_note(self, snap_compare, make_app, world_svc):
        from dataclasses import replace

        from recorder.services import oversight, visits
        from recorder.tui.screens.child import ChildScreen
        from tests.support.records import flag_codes, good_note

        svc, world = world_svc
        vid = flagged_record(svc, world)
        visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)
        visits.sign_off(svc, world.manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
        oversight.add_case_note(
            svc, world.manager, world.child, replace(good_note(), flag_responses={}), PASSWORD
        )

        async def run_before(pilot):
            await sign_in(pilot, "manager", PASSWORD)
            await home_loaded(pilot)
            pilot.app.push_screen(ChildScreen(world.child))
            await wait_until(
                pilot,
                lambda: (
                    isinstance(pilot.app.screen, ChildScreen)
                    and pilot.app.screen.child_view is not None
                ),
            )
            await settled(pilot)
            await pilot.press("down")
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
