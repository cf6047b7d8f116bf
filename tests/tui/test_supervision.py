"""Supervision through the screens (issue 11): a manager records a supervision with two
children discussed from the team view, signs it with the password, both children's records
show the case discussion, and the team view names who is overdue for supervision."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input, Static, TextArea

from recorder.domain.supervision import CaseDiscussionInput, SupervisionInput
from recorder.services import supervision
from tests.support.pilot import drawn, home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_oversight_screens import sign_with


def texts(screen) -> str:
    return "\n".join(str(w.visual) for w in screen.query(Static))


def table_text(table: DataTable) -> str:
    return "\n".join(
        " | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)
    )


async def open_team(pilot):
    from recorder.tui.screens.team import TeamScreen

    await pilot.press("f4")
    await wait_until(
        pilot,
        lambda: isinstance(pilot.app.screen, TeamScreen) and bool(pilot.app.screen.supervision),
    )
    await settled(pilot)
    return pilot.app.screen


async def test_manager_records_a_supervision_with_two_children_shown_on_both_records(
    make_app, world_svc
):
    from recorder.tui.screens.supervision import SupervisionScreen

    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        team = await open_team(pilot)
        table = team.query_one("#team-table", DataTable)
        names = [str(table.get_row_at(i)[0]).split("\n")[0] for i in range(table.row_count)]
        table.move_cursor(row=names.index("Stu Student"))
        await pilot.press("s")
        await wait_until(
            pilot, lambda: isinstance(app.screen, SupervisionScreen) and app.screen.loaded
        )
        await settled(pilot)
        screen = app.screen
        assert "Supervision of Stu Student" in texts(screen)
        kids = {c.name: c.id for c in screen.form.children}
        assert set(kids) == {"Zofia Wiśniewska", "Leo Ahmed"}
        q = screen.query_one
        q("#sup-wellbeing", TextArea).text = "Settling in; [bold]tired[/] after court."
        q("#sup-workload", TextArea).text = "Two children as co-worker."
        q("#sup-learning", TextArea).text = "Reflective log for the placement portfolio."
        for name, cid in kids.items():
            q(f"#case-{cid}-decision", TextArea).text = f"Keep the plan for {name}."
            q(f"#case-{cid}-a0-what", Input).value = f"Visit {name} with Sam"
            q(f"#case-{cid}-a0-who", Input).value = "Stu"
            q(f"#case-{cid}-a0-by_when", Input).value = "2026-12-04"
            q(f"#case-{cid}-child_voice", TextArea).text = f"{name}'s own words lead the plan."
        await settled(pilot)
        assert "Nothing left to do" in texts(screen) and "2 children discussed" in texts(screen)

        # Esc keeps the text; reopening brings it back
        await pilot.press("escape")

        await wait_until(pilot, lambda: app.screen is team)
        await pilot.press("s")
        await wait_until(
            pilot, lambda: isinstance(app.screen, SupervisionScreen) and app.screen.loaded
        )
        await settled(pilot)
        screen = app.screen
        assert screen.query_one("#sup-workload", TextArea).text == "Two children as co-worker."
        assert "Your text from before is back" in texts(screen)

        await pilot.press("ctrl+s")
        await sign_with(pilot, PASSWORD)
        await wait_until(pilot, lambda: app.screen is team)
        await settled(pilot)

        # both children's records show the discussion
        from recorder.tui import navigation
        from recorder.tui.screens.child import ChildScreen

        for name, cid in kids.items():
            navigation.child(app, cid)
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, ChildScreen) and app.screen.child_view is not None,
            )
            await settled(pilot)
            rows = table_text(app.screen.query_one("#visits", DataTable))
            assert "Supervision case discussion" in rows and "Maya Manager" in rows
            # Enter reads it: the decision, without the worker's personal items
            visits = app.screen.query_one("#visits", DataTable)
            visits.focus()
            visits.move_cursor(row=0)
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Supervision case discussion" in texts(app.screen))
            shown = texts(app.screen)
            assert f"Keep the plan for {name}." in shown and "tired" not in shown
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is team)
    (d,) = [
        x
        for x in supervision.team_supervision(svc, world.manager).values()
        if x.worker_id == world.student
    ]
    assert d.last_held_on == date(2026, 11, 26)


async def test_team_view_names_who_is_overdue_for_supervision(make_app, world_svc):
    svc, world = world_svc
    for who, held in ((world.sw, date(2026, 10, 1)), (world.sw2, date(2026, 11, 20))):
        supervision.record_supervision(
            svc,
            world.manager,
            who,
            SupervisionInput(held, "both", "well", "full", "courses"),
            PASSWORD,
        )
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        team = await open_team(pilot)
        shown = texts(team)
        assert "Supervision overdue: " in shown
        assert "Sam Social (by 25 days)" in shown
        # Sol was supervised 6 days ago: monthly, so due in 24 days, not named
        assert "Sol Social" not in shown


class TestSupervisionSnapshot:
    def test_supervision_record(self, snap_compare, make_app, world_svc):
        svc, world = world_svc
        sid = supervision.record_supervision(
            svc,
            world.manager,
            world.student,
            SupervisionInput(
                date(2026, 11, 25),
                "Maya Manager, Stu Student",
                "Settling in well; tired after a long court day.",
                "Two children as co-worker with Sam; no more this month.",
                "Reflective log for the placement portfolio; joint visits.",
                (
                    CaseDiscussionInput(
                        world_child(svc, "C0002"),
                        "Keep the child-in-need plan; review at the next meeting.",
                        ({"what": "Visit Zofia with Sam", "who": "Stu", "by_when": "2026-12-04"},),
                        "Zofia drew her family; she wants her gran at meetings.",
                    ),
                ),
            ),
            PASSWORD,
        )

        async def run_before(pilot):
            from recorder.tui import navigation

            await sign_in(pilot, "manager", PASSWORD)
            await home_loaded(pilot)
            navigation.supervision_record(pilot.app, sid)
            await wait_until(pilot, lambda: pilot.app.screen.record is not None)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def world_child(svc, reference: str) -> int:
    from sqlmodel import select

    from recorder.store.models import Child

    with svc.reading() as s:
        return s.exec(select(Child.id).where(Child.reference == reference)).one()
