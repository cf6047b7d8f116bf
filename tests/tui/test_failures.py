"""When a service call fails for a reason that is not a rule (the database has gone), every
screen keeps running, says what failed in words, and keeps what the person typed.

Each test makes the screen's own service function raise SQLAlchemy's OperationalError, the
error a refused or dropped connection gives, on load, save, submit and sign.
"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError
from textual.widgets import DataTable, Input, Static, TextArea

from recorder.domain.workflow import VisitState
from recorder.services import accounts, addenda, caseloads, oversight, team, visits
from recorder.tui.dialogs.signing import ReturnDialog, SigningDialog
from tests import records
from tests.support.pilot import notices
from tests.tui.conftest import SIZE
from tests.tui.helpers import home_loaded, settled, sign_in, wait_until
from tests.world import PASSWORD

GONE = "the database cannot be reached"
COMMENT = "I read every section; the child's words are quoted and the plan is right for her."


def gone(*_args, **_kwargs):
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def text_of(widget) -> str:
    return str(widget.visual)


def notified(app, words: str) -> bool:
    return any(words in n.message for n in notices(app))


def screen_says(app, words: str) -> bool:
    return any(words in text_of(w) for w in app.screen.query(Static))


async def open_queue(pilot, key):
    from recorder.tui.screens.queues import QueueScreen

    await pilot.press(key)
    await wait_until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, QueueScreen)
            and (pilot.app.screen.loaded or screen_says(pilot.app, GONE))
        ),
    )
    await settled(pilot)
    return pilot.app.screen


async def open_first(pilot, cls):
    await pilot.press("enter")
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, cls) and pilot.app.screen.review is not None
    )
    await settled(pilot)
    return pilot.app.screen


async def type_password(pilot, password):
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SigningDialog))
    dialog = pilot.app.screen
    dialog.query_one("#sign-password", Input).value = password
    await pilot.press("enter")
    await wait_until(pilot, lambda: not dialog.busy)
    return dialog


async def test_sign_in_says_the_database_is_gone_and_keeps_the_username(make_app, monkeypatch):
    monkeypatch.setattr(accounts, "sign_in", gone)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await wait_until(pilot, lambda: screen_says(app, GONE))
        assert app.is_running
        assert app.screen.query_one("#username", Input).value == "sw"
        assert "Error" not in " ".join(text_of(w) for w in app.screen.query(Static))


async def test_caseload_child_and_new_visit_say_the_database_is_gone(
    make_app, world_svc, monkeypatch
):
    from recorder.tui.screens.child import ChildScreen

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        home = app.screen
        with monkeypatch.context() as m:
            m.setattr(caseloads, "caseload", gone)
            await pilot.press("ctrl+r")
            await wait_until(pilot, lambda: GONE in text_of(home.query_one("#caseload-status")))
        assert "Ctrl+R" in text_of(home.query_one("#caseload-status"))
        await pilot.press("ctrl+r")
        await wait_until(
            pilot, lambda: "allocated to you" in text_of(home.query_one("#caseload-status"))
        )

        home.query_one("#children", DataTable).focus()
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ChildScreen) and app.screen.child_view is not None
        )
        child = app.screen
        with monkeypatch.context() as m:
            m.setattr(caseloads, "child_view", gone)
            await pilot.press("ctrl+r")
            await wait_until(pilot, lambda: GONE in text_of(child.query_one("#child-status")))
            m.setattr(visits, "start_visit", gone)
            await pilot.press("n")
            await wait_until(pilot, lambda: notified(app, GONE))
        assert app.is_running and app.screen is child


async def test_the_visit_form_keeps_its_text_retries_and_saves_when_the_database_returns(
    make_app, world_svc, monkeypatch
):
    from recorder.tui.screens.visit import VisitScreen

    svc, world = world_svc
    vid = records.draft(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        from recorder.tui import navigation

        navigation.visit(app, vid)
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen) and app.screen.loaded)
        screen = app.screen
        screen.query_one("#sections").highlighted = 4
        await wait_until(pilot, lambda: screen.section == "observations")
        await pilot.pause()
        area = screen.query_one("#input-seen", TextArea)
        with monkeypatch.context() as m:
            m.setattr(visits, "save_section", gone)
            area.focus()
            area.move_cursor(area.document.end)
            await pilot.press("space", "o", "k")
            typed = area.text
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: GONE in screen.status_text)
            assert "Your text is kept here" in screen.status_text
            # leaving asks first; quitting asks first; the text is still in the box
            await pilot.press("escape")
            await wait_until(pilot, lambda: notified(app, "Press Escape again"))
            assert app.screen is screen
            await pilot.press("ctrl+q")
            await wait_until(pilot, lambda: notified(app, "Press Ctrl+Q again"))
            assert app.is_running and app.screen is screen
            assert screen.query_one("#input-seen", TextArea).text == typed
        # the database is back: the retry saves it without anyone pressing a key
        await wait_until(pilot, lambda: screen.status_text.startswith("Saved"), timeout=40)
        with svc.reading() as s:
            from sqlmodel import select

            from recorder.store.models import VisitSection

            row = s.exec(
                select(VisitSection).where(
                    VisitSection.visit_id == vid, VisitSection.section == "observations"
                )
            ).one()
            assert row.data["seen"] == typed

        # Ctrl+S while a save fails: nothing is submitted without what was just typed
        with monkeypatch.context() as m:
            m.setattr(visits, "save_section", gone)
            area.focus()
            await pilot.press("!")
            typed = area.text
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: notified(app, GONE) and GONE in screen.status_text)
            assert any(n.title == "Not submitted" for n in notices(app))
            assert records_state(svc, vid) is VisitState.DRAFT and app.screen is screen
        await wait_until(pilot, lambda: screen.status_text.startswith("Saved"), timeout=40)

        # submitting when the database is gone: still a draft, still on screen
        with monkeypatch.context() as m:
            m.setattr(visits, "submit", gone)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: GONE in screen.status_text)
        assert "still your draft" in screen.status_text
        assert app.screen is screen and screen.editable
        assert screen.query_one("#input-seen", TextArea).text == typed
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is not screen)

        # opening a record when the database is gone
        with monkeypatch.context() as m:
            m.setattr(visits, "load_visit", gone)
            navigation.visit(app, vid)
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, VisitScreen) and GONE in app.screen.status_text,
            )
        assert app.is_running


async def test_countersign_and_return_keep_the_text_when_the_database_is_gone(
    make_app, world_svc, monkeypatch
):
    from recorder.tui.screens.queues import QueueScreen
    from recorder.tui.screens.review.countersign import CountersignScreen

    svc, world = world_svc
    vid = records.submitted(svc, world.student, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        with monkeypatch.context() as m:
            m.setattr(oversight, "countersign_queue", gone)
            queue = await open_queue(pilot, "f2")
            assert isinstance(queue, QueueScreen)
            await wait_until(pilot, lambda: GONE in text_of(queue.query_one("#queue-status")))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: queue.loaded)
        await settled(pilot)

        with monkeypatch.context() as m:
            m.setattr(visits, "load_visit", gone)
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: (
                    isinstance(app.screen, CountersignScreen)
                    and GONE in text_of(app.screen.query_one("#review-status"))
                ),
            )
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue)
        await settled(pilot)

        screen = await open_first(pilot, CountersignScreen)
        screen.query_one("#cs-comment", TextArea).text = COMMENT
        with monkeypatch.context() as m:
            m.setattr(visits, "countersign", gone)
            await pilot.press("ctrl+s")
            dialog = await type_password(pilot, PASSWORD)
            assert app.screen is dialog
            assert GONE in text_of(dialog.query_one(".dialog-status"))
            assert screen.query_one("#cs-comment", TextArea).text == COMMENT
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen)

            m.setattr(visits, "return_for_changes", gone)
            await pilot.press("ctrl+t")
            await wait_until(pilot, lambda: isinstance(app.screen, ReturnDialog))
            ret = app.screen
            assert ret.query_one("#return-comments", TextArea).text == COMMENT
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: GONE in text_of(ret.query_one(".dialog-status")))
            assert app.screen is ret
            assert ret.query_one("#return-comments", TextArea).text == COMMENT
        assert records_state(svc, vid) is VisitState.AWAITING_COUNTERSIGN
        assert app.is_running


def records_state(svc, vid):
    from recorder.store.models import Visit

    with svc.reading() as s:
        return VisitState(s.get(Visit, vid).state)


async def test_sign_off_team_view_and_acknowledge_when_the_database_is_gone(
    make_app, world_svc, monkeypatch
):
    from recorder.tui.screens.review.oversight import OversightScreen
    from recorder.tui.screens.team import TeamScreen
    from tests.tui.test_oversight_screens import fill_note

    svc, world = world_svc
    vid = records.submitted(svc, world.sw, world.child)
    signed = records.signed_off(svc, world.sw, world.child, world.manager2)
    addenda.add_addendum(svc, world.sw, signed, "The date was wrong", "It was the 3rd.", PASSWORD)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        with monkeypatch.context() as m:
            m.setattr(team, "team_view", gone)
            await pilot.press("f4")
            await wait_until(
                pilot,
                lambda: (
                    isinstance(app.screen, TeamScreen)
                    and GONE in text_of(app.screen.query_one("#team-status"))
                ),
            )
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, TeamScreen))
        await settled(pilot)

        queue = await open_queue(pilot, "f3")
        await wait_until(pilot, lambda: queue.loaded and queue.addenda)
        table = queue.query_one("#queue", DataTable)
        table.move_cursor(row=[r.visit_id for r in queue.rows].index(vid))
        screen = await open_first(pilot, OversightScreen)
        await wait_until(pilot, lambda: screen.form is not None)
        fill_note(screen)
        decision = screen.form.note().decision
        with monkeypatch.context() as m:
            m.setattr(visits, "sign_off", gone)
            await pilot.press("ctrl+s")
            dialog = await type_password(pilot, PASSWORD)
            assert app.screen is dialog and GONE in text_of(dialog.query_one(".dialog-status"))
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen)
        assert screen.form.note().decision == decision
        assert records_state(svc, vid) is VisitState.AWAITING_OVERSIGHT
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue)
        await settled(pilot)

        with monkeypatch.context() as m:
            m.setattr(addenda, "acknowledge", gone)
            queue.query_one("#addenda", DataTable).focus()
            await pilot.press("k")
            dialog = await type_password(pilot, PASSWORD)
            assert app.screen is dialog and GONE in text_of(dialog.query_one(".dialog-status"))
        assert app.is_running


@pytest.mark.parametrize("failure", ["wrong password", "database gone"])
async def test_a_case_note_keeps_its_text_when_signing_fails(
    make_app, world_svc, monkeypatch, failure
):
    from recorder.tui.screens.case_note import CaseNoteScreen
    from recorder.tui.screens.child import ChildScreen

    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        app.push_screen(ChildScreen(world.child))
        await wait_until(
            pilot, lambda: isinstance(app.screen, ChildScreen) and app.screen.child_view is not None
        )
        await settled(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseNoteScreen))
        screen = app.screen
        from tests.tui.test_oversight_screens import fill_note

        fill_note(screen)
        before = screen.query_one("#note-form").note()
        if failure == "database gone":
            monkeypatch.setattr(oversight, "add_case_note", gone)
        await pilot.press("ctrl+s")
        dialog = await type_password(
            pilot, PASSWORD if failure == "database gone" else "not my password"
        )
        assert app.screen is dialog
        words = GONE if failure == "database gone" else "password"
        assert words in text_of(dialog.query_one(".dialog-status")).lower()
        assert dialog.query_one("#sign-password", Input).value == ""
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.query_one("#note-form").note() == before


async def test_an_addendum_keeps_its_text_when_the_database_is_gone(
    make_app, world_svc, monkeypatch
):
    from recorder.tui import navigation
    from recorder.tui.dialogs.addendum import AddendumDialog
    from recorder.tui.screens.visit import VisitScreen

    svc, world = world_svc
    vid = records.signed_off(svc, world.sw, world.child, world.manager)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        navigation.visit(app, vid)
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen) and app.screen.loaded)
        monkeypatch.setattr(addenda, "add_addendum", gone)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumDialog))
        dialog = app.screen
        dialog.query_one("#reason", Input).value = "The date was wrong"
        dialog.query_one("#text", TextArea).insert("It was the 3rd, not the 4th.")
        dialog.query_one("#sign-password", Input).value = PASSWORD
        dialog.query_one("#sign-go").press()
        await wait_until(pilot, lambda: GONE in text_of(dialog.query_one(".dialog-status")))
        assert app.screen is dialog
        assert dialog.query_one("#reason", Input).value == "The date was wrong"
        assert dialog.query_one("#text", TextArea).text == "It was the 3rd, not the 4th."
