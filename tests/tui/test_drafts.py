"""Every form is a draft: what a manager or countersigner types is saved as they type,
there again when they reopen the form (with when it was saved), private to them, removed
when they sign, and never thrown away by Escape (discarding is F8, confirmed)."""

from __future__ import annotations

from textual.widgets import Input, Static, TextArea

from recorder.domain.drafts import DraftKind
from recorder.services import drafts, visits
from recorder.tui.autosave import RETRY_MAX_SECONDS
from recorder.tui.dialogs.signing import ReturnDialog, SigningDialog
from tests.support.pilot import home_loaded, settled, sign_in, wait_until
from tests.support.records import COUNTERSIGN_COMMENT, signed_off, submitted
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_oversight_screens import fill_note, open_first, open_queue, sign_out

DECISION = "Continue the plan; book the next visit jointly with me."
ANALYSIS = "Half of my analysis: the home was calmer"


def text(widget) -> str:
    return str(widget.visual)


def draft_line(screen) -> str:
    return text(screen.query_one("#draft-status", Static))


async def type_into(pilot, widget, words: str) -> None:
    widget.focus()
    await pilot.press(*words)


async def open_oversight(pilot, app, user="manager"):
    from recorder.tui.screens.review.oversight import OversightScreen

    await sign_in(pilot, user, PASSWORD)
    await home_loaded(pilot)
    await open_queue(pilot, "f3")
    screen = await open_first(pilot, OversightScreen)
    await wait_until(pilot, lambda: screen.form is not None and screen.editable)
    return screen


async def back_to_queue(pilot, screen):
    await pilot.press("escape")
    await wait_until(pilot, lambda: pilot.app.screen is not screen)
    await settled(pilot)


async def test_oversight_note_esc_reopen_private_and_signing_removes_it(make_app, world_svc):
    svc, world = world_svc
    vid = submitted(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_oversight(pilot, app)
        assert "Still to do (" in text(screen.query_one("#todo", Static))
        await type_into(pilot, screen.query_one("#note-decision", TextArea), DECISION)
        await type_into(pilot, screen.query_one("#note-analysis", TextArea), ANALYSIS)
        await type_into(pilot, screen.query_one("#action-0-what", Input), "Joint visit")
        await back_to_queue(pilot, screen)  # Esc: saved on the way out, nothing asked
        got = drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid)
        assert got.content["decision"] == DECISION and got.content["analysis"] == ANALYSIS

        screen = await open_first(pilot, type(screen))
        await wait_until(pilot, lambda: screen.form is not None and screen.editable)
        form = screen.form
        assert form.query_one("#note-decision", TextArea).text == DECISION
        assert form.query_one("#note-analysis", TextArea).text == ANALYSIS
        assert form.query_one("#action-0-what", Input).value == "Joint visit"
        assert f"Your draft, saved {svc.now_local():%-d %b %Y %H:%M}:" in draft_line(screen)
        await settled(pilot)
        assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid).version == got.version
        await back_to_queue(pilot, screen)
        await sign_out(pilot)

        # another manager of the team opens the same record: empty boxes
        screen = await open_oversight(pilot, app, "manager2")
        assert screen.form.query_one("#note-decision", TextArea).text == ""
        assert screen.form.query_one("#note-analysis", TextArea).text == ""
        await back_to_queue(pilot, screen)
        assert drafts.load(svc, world.manager2, DraftKind.OVERSIGHT, vid) is None
        await sign_out(pilot)

        # the first manager finishes and signs off: the draft is gone
        screen = await open_oversight(pilot, app)
        fill_note(screen)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SigningDialog))
        app.screen.query_one("#sign-password", Input).value = PASSWORD
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, (SigningDialog, type(screen))))
        await settled(pilot)
    assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid) is None


async def test_the_autosave_saves_while_typing_and_f8_discards_after_asking(make_app, world_svc):
    from recorder.tui.dialogs.confirm import ConfirmDialog

    svc, world = world_svc
    vid = submitted(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_oversight(pilot, app)
        await type_into(pilot, screen.query_one("#note-risk", TextArea), "Neglect reduced")
        # within the autosave interval, with the manager still in the box
        await wait_until(
            pilot, lambda: drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid) is not None
        )
        await settled(pilot)
        assert draft_line(screen).startswith("Draft saved ")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")  # the safe answer has the focus: nothing is thrown away
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.form.query_one("#note-risk", TextArea).text == "Neglect reduced"
        assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid) is not None
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("tab", "enter")  # "Discard it"
        await wait_until(pilot, lambda: app.screen is screen)
        await settled(pilot)
        assert screen.form.query_one("#note-risk", TextArea).text == ""
        assert "Draft discarded" in draft_line(screen)
        assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid) is None
        await back_to_queue(pilot, screen)
        assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid) is None


async def test_case_note_esc_reopen_private_and_signing_removes_it(make_app, world_svc):
    from recorder.tui.screens.case_note import CaseNoteScreen
    from recorder.tui.screens.child import ChildScreen

    svc, world = world_svc
    app = make_app()

    async def open_case_note():
        app.push_screen(ChildScreen(world.child))
        await wait_until(
            pilot, lambda: isinstance(app.screen, ChildScreen) and app.screen.child_view is not None
        )
        await settled(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseNoteScreen))
        await wait_until(pilot, lambda: app.screen.editable)
        return app.screen

    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        screen = await open_case_note()
        await type_into(pilot, screen.query_one("#note-decision", TextArea), DECISION)
        await pilot.press("ctrl+n")  # a fourth action row
        await pilot.press(*"Fourth")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        await pilot.press("escape")
        screen = await open_case_note()
        form = screen.query_one("#note-form")
        await wait_until(pilot, lambda: form.actions == 4)
        await pilot.pause()
        assert form.query_one("#note-decision", TextArea).text == DECISION
        assert form.query_one("#action-3-what", Input).value == "Fourth"
        assert "Your draft, saved" in draft_line(screen)
        await pilot.press("escape", "escape")
        await sign_out(pilot)
        await sign_in(pilot, "manager2", PASSWORD)
        await home_loaded(pilot)
        screen = await open_case_note()
        assert screen.query_one("#note-decision", TextArea).text == ""
        await pilot.press("escape", "escape")
        await sign_out(pilot)

        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        screen = await open_case_note()
        await wait_until(pilot, lambda: screen.query_one("#note-form").actions == 4)
        await pilot.pause()
        fill_note(screen)
        screen.query_one("#action-3-what", Input).value = ""  # the row typed before
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SigningDialog))
        app.screen.query_one("#sign-password", Input).value = PASSWORD
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        await settled(pilot)
    assert drafts.load(svc, world.manager, DraftKind.CASE_NOTE, world.child) is None
    assert drafts.load(svc, world.manager2, DraftKind.CASE_NOTE, world.child) is None


def status(screen) -> str:
    return text(screen.query_one("#review-status", Static))


async def open_countersign(pilot, user="sw"):
    from recorder.tui.screens.review.countersign import CountersignScreen

    await sign_in(pilot, user, PASSWORD)
    await home_loaded(pilot)
    await open_queue(pilot, "f2")
    screen = await open_first(pilot, CountersignScreen)
    await wait_until(pilot, lambda: screen.editable)
    return screen


async def test_countersign_comment_and_return_comments_are_drafts(make_app, world_svc):
    svc, world = world_svc
    vid = submitted(svc, world.student, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_countersign(pilot)
        box = screen.query_one("#cs-comment", TextArea)
        await type_into(pilot, box, "I read it")
        # too short: refused in words; the words follow the comment and go when it is enough
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "has 3 words; at least 10 are needed" in status(screen)
        await pilot.press(*" and the words are quoted")
        await pilot.pause()
        assert "has 8 words; at least 10 are needed" in status(screen)
        assert "0 words" not in status(screen)
        await pilot.press(*" well")
        await pilot.pause()
        assert "has 9 words; at least 10 are needed" in status(screen)
        await pilot.press(*" indeed")
        await pilot.pause()
        assert "at least 10" not in status(screen)
        assert not screen.query_one("#review-status", Static).has_class("-error")
        await back_to_queue(pilot, screen)
        typed = "I read it and the words are quoted well indeed"
        assert drafts.load(svc, world.sw, DraftKind.COUNTERSIGN, vid).content == {"comment": typed}

        # reopened: the comment is there; Ctrl+T carries it into the return comments
        screen = await open_first(pilot, type(screen))
        await wait_until(pilot, lambda: screen.editable)
        assert screen.query_one("#cs-comment", TextArea).text == typed
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnDialog))
        dialog = app.screen
        await wait_until(pilot, lambda: dialog.editable)
        comments = dialog.query_one("#return-comments", TextArea)
        assert comments.text == typed
        await pilot.press(*" but quote her about school.")
        await pilot.press("escape")  # the dialog closes; the comments are kept
        await wait_until(pilot, lambda: app.screen is screen)
        returned = typed + " but quote her about school."
        assert drafts.load(svc, world.sw, DraftKind.RETURN, vid).content == {"comments": returned}
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnDialog))
        dialog = app.screen
        await wait_until(pilot, lambda: dialog.editable)
        assert dialog.query_one("#return-comments", TextArea).text == returned
        assert "Your draft, saved" in text(dialog.query_one(".draft-status", Static))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await back_to_queue(pilot, screen)
        await sign_out(pilot)

        # the manager could countersign too: their screen and dialog are empty
        screen = await open_countersign(pilot, "manager")
        assert screen.query_one("#cs-comment", TextArea).text == ""
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnDialog))
        await wait_until(pilot, lambda: app.screen.editable)
        assert app.screen.query_one("#return-comments", TextArea).text == ""
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await back_to_queue(pilot, screen)
        await sign_out(pilot)

        # the countersigner returns it: both their drafts go
        screen = await open_countersign(pilot)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnDialog))
        await wait_until(pilot, lambda: app.screen.editable)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, (ReturnDialog, type(screen))))
        await settled(pilot)
    assert drafts.load(svc, world.sw, DraftKind.RETURN, vid) is None
    assert drafts.load(svc, world.sw, DraftKind.COUNTERSIGN, vid) is None
    assert [r.comment for r in visits.load_visit(svc, world.student, vid).returns] == [returned]


async def test_countersigning_removes_the_draft(make_app, world_svc):
    svc, world = world_svc
    vid = submitted(svc, world.student, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_countersign(pilot)
        await type_into(pilot, screen.query_one("#cs-comment", TextArea), COUNTERSIGN_COMMENT)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SigningDialog))
        # what was typed was saved before the dialog opened
        assert drafts.load(svc, world.sw, DraftKind.COUNTERSIGN, vid).content == {
            "comment": COUNTERSIGN_COMMENT
        }
        app.screen.query_one("#sign-password", Input).value = PASSWORD
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, (SigningDialog, type(screen))))
        await settled(pilot)
    assert drafts.load(svc, world.sw, DraftKind.COUNTERSIGN, vid) is None


async def test_an_addendum_is_a_draft_until_it_is_signed(make_app, world_svc):
    from recorder.tui.dialogs.addendum import AddendumDialog
    from tests.tui.test_visit import open_visit

    svc, world = world_svc
    vid = signed_off(svc, world.sw, world.child, world.manager)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)

        async def open_dialog():
            await pilot.press("a")
            await wait_until(pilot, lambda: isinstance(app.screen, AddendumDialog))
            await wait_until(pilot, lambda: app.screen.editable)
            return app.screen

        dialog = await open_dialog()
        await pilot.press(*"The date was wrong")
        dialog.query_one("#text", TextArea).focus()
        await pilot.press(*"It was Tuesday.")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        dialog = await open_dialog()
        assert dialog.query_one("#reason", Input).value == "The date was wrong"
        assert dialog.query_one("#text", TextArea).text == "It was Tuesday."
        assert "Your draft, saved" in text(dialog.query_one(".draft-status", Static))
        dialog.query_one("#sign-password", Input).value = PASSWORD
        dialog.query_one("#sign-go").press()
        await wait_until(pilot, lambda: app.screen is screen)
        await settled(pilot)
    assert drafts.load(svc, world.sw, DraftKind.ADDENDUM, vid) is None
    assert [a.text for a in visits.load_visit(svc, world.sw, vid).addenda] == ["It was Tuesday."]


async def test_the_incomplete_list_follows_the_boxes_and_goes(make_app, world_svc):
    svc, world = world_svc
    submitted(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_oversight(pilot, app)
        fill_note(screen)
        screen.query_one("#note-risk", TextArea).text = ""
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Risk may not be empty" in status(screen)
        screen.query_one("#note-risk", TextArea).text = "Neglect reduced."
        await wait_until(pilot, lambda: "not complete" not in status(screen))
        assert not screen.query_one("#review-status", Static).has_class("-error")
        assert "Nothing left to do" in text(screen.query_one("#todo", Static))


async def test_the_database_gone_keeps_the_note_says_so_and_saves_when_it_is_back(
    make_app, world_svc, monkeypatch
):
    from tests.tui.test_failures import GONE, gone, notified

    svc, world = world_svc
    vid = submitted(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_oversight(pilot, app)
        with monkeypatch.context() as m:
            m.setattr(drafts, "save", gone)
            await type_into(pilot, screen.query_one("#note-decision", TextArea), DECISION)
            await wait_until(pilot, lambda: GONE in draft_line(screen))
            assert "Your text is kept here; trying again in" in draft_line(screen)
            assert screen.query_one("#draft-status", Static).has_class("-error")
            assert "Error" not in draft_line(screen)
            await pilot.press("escape")  # not saved: said, and the note stays
            await wait_until(pilot, lambda: notified(app, "Press Escape again to leave"))
            assert app.screen is screen
            assert screen.query_one("#note-decision", TextArea).text == DECISION
        # the database is back: the next try saves it, with no key pressed. The tries back
        # off (1, 2, 4 ... s): on a loaded machine the outage above saw several, so the next
        # may be up to the longest wait away
        await wait_until(
            pilot,
            lambda: draft_line(screen).startswith("Draft saved"),
            timeout=RETRY_MAX_SECONDS + 10,
        )
        assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, vid).content["decision"] == (
            DECISION
        )
        await back_to_queue(pilot, screen)


async def test_a_case_note_draft_that_cannot_be_read_is_read_again(
    make_app, world_svc, monkeypatch
):
    from recorder.tui.screens.case_note import CaseNoteScreen
    from tests.tui.test_failures import GONE, gone

    svc, world = world_svc
    drafts.save(svc, world.manager, DraftKind.CASE_NOTE, world.child, {"decision": DECISION}, 0)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        with monkeypatch.context() as m:
            m.setattr(drafts, "load", gone)
            app.push_screen(CaseNoteScreen(world.child, "Amira Khan", "C0001"))
            await wait_until(pilot, lambda: isinstance(app.screen, CaseNoteScreen))
            screen = app.screen
            await wait_until(pilot, lambda: GONE in draft_line(screen))
            assert "Your earlier draft is not shown yet" in draft_line(screen)
            assert not screen.editable
        await wait_until(pilot, lambda: screen.editable, timeout=RETRY_MAX_SECONDS + 10)
        assert screen.query_one("#note-decision", TextArea).text == DECISION
        assert "Your draft, saved" in draft_line(screen)


async def test_a_record_the_reader_may_not_sign_keeps_no_draft_and_esc_leaves(make_app, world_svc):
    from recorder.tui.screens.review.oversight import OversightScreen

    svc, world = world_svc
    own = submitted(svc, world.manager, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f3")
        screen = await open_first(pilot, OversightScreen)
        await wait_until(pilot, lambda: screen.form is not None)
        assert "cannot sign off your own record" in status(screen)
        assert not screen.editable
        await type_into(pilot, screen.query_one("#note-decision", TextArea), "Mine")
        await back_to_queue(pilot, screen)  # one Escape: nothing to keep, nothing asked
    assert drafts.load(svc, world.manager, DraftKind.OVERSIGHT, own) is None
