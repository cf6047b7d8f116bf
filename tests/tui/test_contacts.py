"""Contacts in the TUI (issue 13): the contact form from the child and from home, a household
police notification, the manager's decision in the signing dialog (a wrong password keeps it
open), and the manager's list of referrers not told in time."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select
from textual.widgets import Checkbox, DataTable, Input, Select, Static, TextArea

from recorder.domain.contacts import ContactInput, ContactKind
from recorder.store.models import Child, Contact
from recorder.tui.dialogs.contact import ContactDecisionDialog
from recorder.tui.screens.contact import ContactScreen
from recorder.tui.screens.contacts import ContactsScreen
from recorder.tui.screens.home import HomeScreen
from tests.support.pilot import home_loaded, notices, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_child import open_child

SMALL = (80, 24)


def text_of(widget: Static) -> str:
    return widget.render().plain


def fill(screen: ContactScreen, **values: str) -> None:
    for key, value in values.items():
        w = screen.query_one(f"#{key}")
        if isinstance(w, TextArea):
            w.text = value
        else:
            w.value = value  # type: ignore[union-attr]


def stored(svc) -> list[Contact]:
    with svc.reading() as s:
        return list(s.exec(select(Contact).order_by(col(Contact.id))).all())


async def test_a_contact_is_recorded_from_the_child_screen(make_app, world_svc):
    svc, _world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_child(pilot)
        await pilot.press("k")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactScreen))
        form = app.screen
        assert form.query_one("#children", TextArea).text == "C0001"
        # nothing but the child: said in words, nothing recorded, the form kept
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "Not recorded" in text_of(form.query_one("#contact-status"))
        )
        said = text_of(form.query_one("#contact-status", Static))
        assert "census list" in said and "concern in words" in said
        assert stored(svc) == []
        fill(
            form,
            referrer="Mrs Patel, Hill Primary [/]",
            concern="Amira said she is scared to go home.",
            checked="Our records.",
            source="2A",
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        assert any(n.title == "Contact recorded" for n in notices(app))
        table = app.screen.query_one("#contacts", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        assert [c.plain for c in table.get_row_at(0)][3] == "Awaiting a manager's decision"
    (c,) = stored(svc)
    assert c.source_code == "2A" and c.referrer == "Mrs Patel, Hill Primary [/]"
    assert c.kind == "contact" and c.outcome is None


async def test_a_household_notification_records_one_contact_per_child(make_app, world_svc):
    svc, _world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactScreen))
        form = app.screen
        form.query_one("#da", Checkbox).value = True
        await settled(pilot)
        assert form.query_one("#da-fields").display
        fill(
            form,
            children="C0001\nYusuf Khan, 2021-06-01",
            referrer="PC 1234 Jones",
            source="6",
            incident="2026-11-25",
            risk="standard",
            present="Amira and Yusuf",
            concern="Argument between the parents.",
            checked="Police notification.",
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ContactScreen))
    rows = stored(svc)
    assert len(rows) == 2 and {r.household_id for r in rows} == {rows[0].id}
    assert all(r.kind == "domestic_abuse" and r.risk_level == "standard" for r in rows)
    with svc.reading() as s:
        yusuf = s.get(Child, rows[1].child_id)
    assert yusuf.full_name == "Yusuf Khan"


def _contact(svc, world) -> int:
    from datetime import datetime

    from recorder.services import contacts

    return contacts.record_contact(
        svc,
        world.sw,
        "C0001",
        ContactInput(
            received_at=datetime(2026, 11, 25, 9, 15),
            source_code="6",
            referrer="PC 1234 Jones",
            concern="Argument between the parents.",
            checked="Police notification.",
            kind=ContactKind.DOMESTIC_ABUSE,
            incident_date=date(2026, 11, 24),
            risk_level="standard",
            children_present="Amira",
        ),
    )


async def test_the_manager_decides_in_the_signing_dialog(make_app, world_svc):
    svc, world = world_svc
    cid = _contact(svc, world)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        screen = app.screen
        table = screen.query_one("#contacts", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactDecisionDialog))
        dialog = app.screen
        dialog.query_one("#outcome", Select).value = "nfa"
        dialog.query_one("#reason", TextArea).text = "Police dealt with it; no concern."
        dialog.query_one("#sign-password", Input).value = "wrong"
        dialog.query_one("#sign-password", Input).focus()
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: "password is not right" in text_of(dialog.query_one(".dialog-status"))
        )
        assert app.screen is dialog and dialog.query_one("#outcome", Select).value == "nfa"
        dialog.query_one("#sign-password", Input).value = PASSWORD
        dialog.query_one("#sign-password", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: table.row_count == 0)
    with svc.reading() as s:
        c = s.get(Contact, cid)
    assert c.outcome == "nfa" and c.decided_by_id == world.manager


async def test_referrers_not_told_are_listed_and_marked_told(make_app, world_svc):
    from recorder.services import contacts

    svc, world = world_svc
    cid = _contact(svc, world)
    contacts.decide_contact(svc, world.manager, cid, "advice", "Advice to the family.", PASSWORD)
    svc.clock.advance(days=7)  # three working days have passed
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        table = app.screen.query_one("#contacts", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        row = [c.plain for c in table.get_row_at(0)]
        assert row[3] == "Advice or information given"
        assert row[4] == "overdue by 2 working days"
        await pilot.press("t")
        await wait_until(pilot, lambda: table.row_count == 0)
    with svc.reading() as s:
        assert s.get(Contact, cid).referrer_told_on == svc.today()


async def test_the_contact_form_works_at_80x24_by_keyboard(make_app):
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactScreen))
        form = app.screen
        await pilot.press(*"C0001")
        for _ in range(3):
            await pilot.press("tab")
        assert app.focused is form.query_one("#source", Select) or app.focused is not None
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


class TestContactSnapshots:
    def test_the_contact_form(self, snap_compare, make_app):
        async def run_before(pilot):
            from tests.support.pilot import drawn

            await open_child(pilot)
            await pilot.press("k")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ContactsScreen))
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ContactScreen))
            fill(
                pilot.app.screen,
                referrer="Mrs Patel, designated safeguarding lead, Hill Primary",
                source="2A",
                concern="Amira said she is scared to go home; a bruise on her arm.",
                checked="Our records: open child protection plan. The GP practice.",
            )
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_a_household_notification(self, snap_compare, make_app):
        async def run_before(pilot):
            from tests.support.pilot import drawn

            await sign_in(pilot, "sw", PASSWORD)
            await home_loaded(pilot)
            pilot.app.screen.action_record_contact()
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ContactScreen))
            pilot.app.pop_screen()
            from recorder.tui import navigation

            navigation.contact_form(pilot.app, household=True)
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ContactScreen))
            fill(
                pilot.app.screen,
                children="C0001\nYusuf Khan, 2021-06-01",
                referrer="PC 1234 Jones, Public Protection Unit",
                incident="2026-11-25",
                risk="medium",
                present="Amira and Yusuf were upstairs.",
                concern="Verbal argument between the parents; neighbours called the police.",
                checked="Police notification; our records.",
            )
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


async def test_a_contacts_text_is_shown_as_text(make_app, world_svc):
    """Markup and escape sequences in what the referrer said are shown as typed (cleaned of
    control characters), never run: the list and the detail of a child's contacts."""
    from datetime import datetime

    from recorder.services import contacts

    svc, world = world_svc
    contacts.record_contact(
        svc,
        world.sw,
        "C0001",
        ContactInput(
            received_at=datetime(2026, 11, 25, 9, 15),
            source_code="2A",
            referrer="[@click=app.quit]Hill[/] \x1b]0;owned\x07",
            concern="[/] [bold]not bold[/bold] \x1b[31mred",
            checked="[link=file:///etc/passwd]x[/link]",
        ),
    )
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_child(pilot)
        await pilot.press("k")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        table = app.screen.query_one("#contacts", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        row = [c.plain for c in table.get_row_at(0)]
        assert row[2] == "2A Schools\n[@click=app.quit]Hill[/] ]0;owned"
        detail = text_of(app.screen.query_one("#detail-text", Static))
        assert "[/] [bold]not bold[/bold] [31mred" in detail
        assert "[link=file:///etc/passwd]x[/link]" in detail
        await pilot.press("escape")
        assert app.is_running


async def test_an_addendum_to_a_decided_contact(make_app, world_svc):
    from recorder.services import contacts
    from recorder.tui.dialogs.contact import ContactAddendumDialog

    svc, world = world_svc
    cid = _contact(svc, world)
    contacts.decide_contact(svc, world.manager, cid, "nfa", "Police dealt with it.", PASSWORD)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_child(pilot)
        await pilot.press("k")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        screen = app.screen
        table = screen.query_one("#contacts", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactAddendumDialog))
        dialog = app.screen
        dialog.query_one("#reason", Input).value = "The officer's number was wrong"
        dialog.query_one("#text", TextArea).text = "It is PC 1243 Jones."
        dialog.query_one("#sign-password", Input).value = PASSWORD
        dialog.query_one("#sign-password", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(
            pilot, lambda: "It is PC 1243 Jones." in text_of(screen.query_one("#detail-text"))
        )


async def test_the_caseload_says_a_referred_child_is_to_be_seen_alone(make_app, world_svc):
    from recorder.services import contacts

    svc, world = world_svc
    cid = _contact(svc, world)
    contacts.decide_contact(svc, world.manager, cid, "referral", "Assess.", PASSWORD)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        table = app.screen.query_one("#children", DataTable)
        names = [c.plain for c in table.get_column("name")]
        assert "Amira Khan\nreferral: see alone, due in 5 working days" in names
    async with make_app().run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await wait_until(
            pilot, lambda: "referred child" in text_of(pilot.app.screen.query_one("#attention"))
        )
        said = text_of(pilot.app.screen.query_one("#attention", Static))
        assert "1 referred child to be seen, and seen alone (none overdue yet)" in said
