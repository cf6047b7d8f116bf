"""The chronology screen (issue 13, item 4): opened from the child screen with h, newest
first, filtered by kind and date range by keyboard, Enter opening the record an entry comes
from, and a significant event added with the signing dialog. At 120x40 and 80x24."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input, Select, Static, TextArea

from recorder.domain.chronology import SignificantEventInput
from recorder.services import chronology
from recorder.tui.screens.chronology import ChronologyScreen, EventDialog, EventScreen
from tests.support.pilot import drawn, settled, wait_until
from tests.support.records import signed_off
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_child import open_child

EVENT = SignificantEventInput(
    date(2026, 11, 20),
    "Father arrested [/] at home",
    "Police notification",
    "Amira saw the arrest and has not slept well since.",
)


def rows_of(table: DataTable) -> list[list[str]]:
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(widget: Static) -> str:
    return widget.render().plain


def with_records(world_svc) -> None:
    svc, w = world_svc
    signed_off(svc, w.sw, w.child, w.manager)
    chronology.add_significant_event(svc, w.sw, w.child, EVENT, PASSWORD)


async def open_chronology(pilot) -> ChronologyScreen:
    await open_child(pilot)
    await pilot.press("h")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChronologyScreen))
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.chronology is not None)
    await settled(pilot)
    return screen


async def test_opens_from_the_child_newest_first_and_filters_by_keyboard(make_app, world_svc):
    with_records(world_svc)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_chronology(pilot)
        assert text_of(screen.query_one("#chron-title", Static)) == (
            "Chronology of Amira Khan (C0001)"
        )
        table = screen.query_one("#chron-table", DataTable)
        rows = rows_of(table)
        kinds = [r[1] for r in rows]
        assert {"Visit", "Oversight decision", "Plan", "Significant event"} <= set(kinds)
        plan = next(r for r in rows if r[1] == "Plan")
        assert plan[:3] == ["1 Sep 2026", "Plan", "Child protection plan started"]
        assert rows[-1][1] == "Visit"  # the oldest: newest first
        event = next(r for r in rows if r[1] == "Significant event")
        assert event[2] == "Father arrested [/] at home"  # text, never markup
        # the kind filter, by keyboard: f focuses it
        await pilot.press("f")
        assert isinstance(app.focused, Select)
        screen.query_one("#chron-kind", Select).value = "visit"
        await wait_until(pilot, lambda: {r[1] for r in rows_of(table)} == {"Visit"})
        assert "1 of " in text_of(screen.query_one("#chron-status", Static))
        screen.query_one("#chron-kind", Select).value = "all"
        # the date range: typed
        await pilot.press("tab")
        assert app.focused is screen.query_one("#chron-since", Input)
        await pilot.press(*"1 Oct 2026")
        await wait_until(pilot, lambda: "Plan" not in {r[1] for r in rows_of(table)})
        await pilot.press("tab", *"31/12")
        await wait_until(pilot, lambda: "not a date" in text_of(screen.query_one("#chron-status")))
        await pilot.press(*"/2026", "enter")
        await wait_until(pilot, lambda: app.focused is table)
        assert "entries, newest first" in text_of(screen.query_one("#chron-status", Static))


async def test_enter_opens_the_event_and_the_visit(make_app, world_svc):
    from recorder.tui.screens.visit import VisitScreen

    with_records(world_svc)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_chronology(pilot)
        table = screen.query_one("#chron-table", DataTable)
        kinds = [r[1] for r in rows_of(table)]
        table.move_cursor(row=kinds.index("Significant event"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EventScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        table.move_cursor(row=kinds.index("Visit"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))


async def test_a_significant_event_is_added_with_the_signing_dialog(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_chronology(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, EventDialog))
        dialog = app.screen
        await pilot.press(*"20 Nov 2026", "tab", *"Moved to nan's house", "tab", *"Mother")
        await pilot.press("tab")
        # no impact: refused in words, the dialog stays open with what was typed
        await pilot.press("tab", *PASSWORD, "enter")
        await wait_until(
            pilot, lambda: "impact on the child" in text_of(dialog.query_one(".dialog-status"))
        )
        assert app.screen is dialog and dialog.query_one("#event-what", Input).value
        dialog.query_one("#event-impact", TextArea).text = "Settled; sees her friends less."
        dialog.query_one("#sign-password", Input).focus()
        await pilot.press(*PASSWORD, "enter")
        await wait_until(pilot, lambda: app.screen is screen)
        table = screen.query_one("#chron-table", DataTable)
        await wait_until(pilot, lambda: any(r[2] == "Moved to nan's house" for r in rows_of(table)))


async def test_works_at_80x24(make_app, world_svc):
    with_records(world_svc)
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_chronology(pilot)
        await drawn(pilot)
        assert screen.query_one("#chron-table", DataTable).row_count >= 4
        assert screen.query_one("#chron-table").region.height >= 5
        assert screen.query_one("#chron-kind").region.width > 0


def test_snapshot_of_the_chronology_filtered(snap_compare, make_app, world_svc):
    with_records(world_svc)

    async def run_before(pilot):
        screen = await open_chronology(pilot)
        await pilot.press("f")
        await pilot.press("tab", *"1 Nov 2026")
        table = screen.query_one("#chron-table", DataTable)
        await wait_until(pilot, lambda: "Plan" not in {r[1] for r in rows_of(table)})
        table.focus()
        await drawn(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


async def test_a_long_chronology_shows_a_page_and_m_adds_the_next(make_app, world_svc):
    from dataclasses import replace

    from recorder.tui.screens import chronology as screen_module

    svc, w = world_svc
    for n in range(screen_module.PAGE + 5):
        event = replace(EVENT, what=f"Event {n}", occurred_on=date(2026, 1, 1 + n % 28))
        chronology.add_significant_event(svc, w.sw, w.child, event, PASSWORD)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_chronology(pilot)
        table = screen.query_one("#chron-table", DataTable)
        total = screen.chronology.total
        assert table.row_count == screen_module.PAGE < total
        assert "press m for more" in text_of(screen.query_one("#chron-status", Static))
        await pilot.press("m")
        await wait_until(pilot, lambda: table.row_count == total)
        assert "newest first" in text_of(screen.query_one("#chron-status", Static))
        # the pages read in SQL join up: every entry once, newest first
        assert screen.shown == list(chronology.chronology(svc, w.sw, w.child).entries)
        assert [r[2] for r in rows_of(table)] == [e.title for e in screen.shown]


async def test_the_cursor_on_the_last_row_adds_the_next_page(make_app, world_svc):
    """Drawing only a page: Ctrl+End (the cursor to the last row shown) adds the older
    entries, as Page Down and the arrow keys do when they reach it."""
    from dataclasses import replace

    from recorder.tui.screens import chronology as screen_module

    svc, w = world_svc
    for n in range(screen_module.PAGE + 5):
        event = replace(EVENT, what=f"Event {n}", occurred_on=date(2026, 1, 1 + n % 28))
        chronology.add_significant_event(svc, w.sw, w.child, event, PASSWORD)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_chronology(pilot)
        table = screen.query_one("#chron-table", DataTable)
        total = screen.chronology.total
        assert table.row_count == screen_module.PAGE < total
        table.focus()
        await pilot.press("ctrl+end")
        await wait_until(pilot, lambda: table.row_count == total)
        assert "newest first" in text_of(screen.query_one("#chron-status", Static))


async def test_enter_opens_a_case_note_and_a_supervision_discussion(make_app, world_svc):
    from recorder.domain.supervision import CaseDiscussionInput, SupervisionInput
    from recorder.services import oversight, supervision
    from recorder.tui.screens.note import NoteScreen
    from recorder.tui.screens.supervision import SupervisionRecordScreen
    from tests.support.records import oversight_note

    svc, w = world_svc
    oversight.add_case_note(svc, w.manager, w.child, oversight_note(), PASSWORD)
    sup = SupervisionInput(
        date(2026, 11, 25),
        "Maya Manager, Sam Social",
        "well",
        "full",
        "none",
        cases=(
            CaseDiscussionInput(
                w.child,
                "Continue the plan.",
                ({"what": "Visit at school", "who": "Sam", "by_when": "2026-12-04"},),
                "Amira feels safe.",
            ),
        ),
    )
    supervision.record_supervision(svc, w.manager, w.sw, sup, PASSWORD)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_chronology(pilot)
        table = screen.query_one("#chron-table", DataTable)
        kinds = [r[1] for r in rows_of(table)]
        for kind, opened in (
            ("Case note", NoteScreen),
            ("Supervision discussion", SupervisionRecordScreen),
        ):
            table.focus()
            table.move_cursor(row=kinds.index(kind))
            await pilot.press("enter")
            await wait_until(pilot, lambda opened=opened: isinstance(app.screen, opened))
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen)


async def test_enter_opens_a_decided_contact(make_app, world_svc):
    from datetime import datetime

    from recorder.domain.contacts import ContactInput
    from recorder.services import contacts

    svc, w = world_svc
    contact = ContactInput(
        received_at=datetime(2026, 11, 25, 9),
        source_code="2A",
        referrer="Hill Primary",
        concern="Often hungry at school.",
        checked="Our records.",
    )
    cid = contacts.record_contact(svc, w.sw, w.child_ref, contact)
    contacts.decide_contact(svc, w.manager, cid, "advice", "Advice to the school.", PASSWORD)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_chronology(pilot)
        table = screen.query_one("#chron-table", DataTable)
        kinds = [r[1] for r in rows_of(table)]
        table.move_cursor(row=kinds.index("Contact"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EventScreen))
        body = " ".join(text_of(s) for s in app.screen.query(Static))
        assert "Often hungry at school." in body and "Decided and signed by Maya Manager" in body


async def test_the_key_bar_offers_a_once_the_chronology_is_read(make_app, world_svc):
    """The key to add a significant event appears in the key bar when the chronology says the
    reader may add one (the key bar is rebuilt only when told the keys changed)."""
    from textual.widgets._footer import FooterKey

    with_records(world_svc)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_chronology(pilot)
        await drawn(pilot)
        assert screen.chronology is not None and screen.chronology.may_add_event
        shown = {k.description for k in screen.query(FooterKey)}
        assert "Add significant event" in shown, shown
