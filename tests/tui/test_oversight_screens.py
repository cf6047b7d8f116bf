"""Countersign, oversight, case-level oversight and the team view, driven through the app.

Each path through the screens: countersign then oversight then signed off; return from
countersign; return from oversight and resubmission; a case-level note; and each refusal
shown as a clear message on the screen. User text that looks like markup shows literally.
"""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import DataTable, Input, Static, TextArea

from recorder.domain.workflow import VisitState
from recorder.services import visits
from recorder.store.models import OversightNote, Signature, Visit
from recorder.tui.dialogs.signing import SigningDialog
from tests.support.factories import complete_content
from tests.support.pilot import home_loaded, settled, sign_in, wait_until
from tests.support.world import PASSWORD

PAYLOADS = ["[bold]no[/]", "[/", "[@click=app.quit]x[/]", "[link=https://example.com]x[/link]"]
COMMENT = "I read every section; the child's words are quoted and the plan is right for her."
ANALYSIS = (
    "I have read the whole record, the countersign and the child's own words; the "
    "home was calmer and school attendance has improved, so the plan stays as it is."
)


def submit_record(svc, author, child, content=None, reasons=None):
    vid = visits.start_visit(svc, author, child)
    version = None
    for section, data in (content or complete_content()).items():
        version = visits.save_section(svc, author, vid, section, data, version)
    visits.submit(svc, author, vid, query_reasons=reasons)
    return vid


def state_of(svc, vid):
    with svc.reading() as s:
        return s.get(Visit, vid).state


def screen_text(app) -> str:
    """Everything the Static widgets on the current screen say, as plain text."""
    parts = []
    for w in app.screen.query(Static):
        parts.append(str(w.render()) if not hasattr(w, "visual") else str(w.visual))
    return "\n".join(parts)


def status_text(app, selector="#review-status") -> str:
    return str(app.screen.query_one(selector, Static).visual)


async def open_queue(pilot, key, kind_cls="QueueScreen"):
    from recorder.tui.screens.queues import QueueScreen

    await pilot.press(key)
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, QueueScreen) and pilot.app.screen.loaded
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


async def sign_with(pilot, password):
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SigningDialog))
    pilot.app.screen.query_one("#sign-password", Input).value = password
    await pilot.press("enter")
    await settled(pilot)
    await wait_until(pilot, lambda: not getattr(pilot.app.screen, "busy", False))


def fill_note(screen, flags_answer="Discussed with the worker in supervision today."):
    form = screen.query_one("#note-form")
    for key, text in (
        ("decision", "Continue the plan; no change this month."),
        ("analysis", ANALYSIS),
        ("risk", "Neglect reduced; abuse unchanged."),
        ("timeframe", "Next supervision on 10 December."),
        ("child_voice", "Her wish to see her dad at nan's is now the plan."),
    ):
        form.query_one(f"#note-{key}", TextArea).text = text
    form.query_one("#action-0-what", Input).value = "Review the contact plan"
    form.query_one("#action-0-who", Input).value = "Sam Social"
    form.query_one("#action-0-by_when", Input).value = "10 Dec 2026"
    for i in range(len(form.flags)):
        form.query_one(f"#flag-{i}", TextArea).text = flags_answer


async def sign_out(pilot):
    from recorder.tui.screens.home import HomeScreen
    from recorder.tui.screens.signin import SignInScreen

    while not isinstance(pilot.app.screen, HomeScreen):
        await pilot.press("escape")
        await pilot.pause()
    await pilot.press("ctrl+o")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SignInScreen))


async def test_countersign_then_oversight_then_signed_off(make_app, world_svc):
    from recorder.tui.screens.child import ChildScreen
    from recorder.tui.screens.review.countersign import CountersignScreen
    from recorder.tui.screens.review.oversight import OversightScreen

    svc, world = world_svc
    vid = submit_record(svc, world.student, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        queue = await open_queue(pilot, "f2")
        assert queue.query_one("#queue", DataTable).row_count == 1
        row = queue.query_one("#queue", DataTable).get_row_at(0)
        assert "Needs qualified countersign" in str(row[4])
        screen = await open_first(pilot, CountersignScreen)
        # the whole record, the badge and the statutory warning
        text = screen_text(app)
        assert "Needs qualified countersign" in text
        assert "will be saved as non-statutory; the child's statutory visit stays due" in text
        assert "Signatures" in text
        screen.query_one("#cs-comment", TextArea).text = COMMENT
        await pilot.press("ctrl+s")
        await sign_with(pilot, PASSWORD)
        await wait_until(pilot, lambda: not isinstance(app.screen, CountersignScreen))
        assert state_of(svc, vid) == VisitState.AWAITING_OVERSIGHT
        await settled(pilot)
        assert app.screen.query_one("#queue", DataTable).row_count == 0

        await sign_out(pilot)
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f3")
        screen = await open_first(pilot, OversightScreen)
        await wait_until(pilot, lambda: screen.form is not None)
        assert "Still to do" in str(screen.query_one("#todo", Static).visual)
        assert "Countersign comments" in screen_text(app)
        assert len(screen.form.flags) >= 1
        fill_note(screen)
        await pilot.pause()
        assert "Nothing left to do" in str(screen.query_one("#todo", Static).visual)
        await pilot.press("ctrl+s")
        await sign_with(pilot, PASSWORD)
        await wait_until(pilot, lambda: not isinstance(app.screen, OversightScreen))
        assert state_of(svc, vid) == VisitState.SIGNED_OFF

    with svc.reading() as s:
        meanings = [g.meaning for g in s.exec(select(Signature).where(Signature.visit_id == vid))]
    assert meanings == ["Recorded and submitted", "Qualified countersign", "Management oversight"]

    # the child screen shows it signed off with its signatures
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ChildScreen) and app.screen.child_view is not None
        )
        await settled(pilot)
        table = app.screen.query_one("#visits", DataTable)
        row = table.get_row_at(0)
        assert "Signed off" in str(row[2])
        detail = str(app.screen.query_one("#row-detail", Static).visual)
        assert "Recorded and submitted: Stu Student" in detail  # three signatures
        assert "Qualified countersign: Sam Social" in detail
        assert "Management oversight: Maya Manager" in detail
        # the manager's note on it, read-only, with its headings and signature
        from recorder.tui.screens.note import NoteScreen

        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteScreen))
        text = screen_text(app)
        assert "Continue the plan; no change this month." in text
        assert "Written by an unqualified worker" in text
        assert "Discussed with the worker in supervision today." in text
        assert "Management oversight: Maya Manager, Team manager, registration SW100001" in text


async def test_return_from_countersign_goes_back_to_the_student(make_app, world_svc):
    from recorder.tui.dialogs.signing import ReturnDialog
    from recorder.tui.screens.review.countersign import CountersignScreen

    svc, world = world_svc
    vid = submit_record(svc, world.student, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f2")
        screen = await open_first(pilot, CountersignScreen)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnDialog))
        await pilot.press("ctrl+s")  # empty comments: refused in words, dialog stays
        await pilot.pause()
        assert isinstance(app.screen, ReturnDialog)
        app.screen.query_one("#return-comments", TextArea).text = "Please quote [/ her words."
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: not isinstance(app.screen, (ReturnDialog, CountersignScreen))
        )
        await settled(pilot)
    assert state_of(svc, vid) == VisitState.DRAFT
    assert [r.comment for r in visits.load_visit(svc, world.student, vid).returns] == [
        "Please quote [/ her words."
    ]
    assert screen.done


async def test_return_from_oversight_and_resubmission(make_app, world_svc):
    from recorder.tui.dialogs.signing import ReturnDialog
    from recorder.tui.screens.review.oversight import OversightScreen

    svc, world = world_svc
    vid = submit_record(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f3")
        await open_first(pilot, OversightScreen)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnDialog))
        app.screen.query_one("#return-comments", TextArea).text = "Add what the school said."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, (ReturnDialog, OversightScreen)))
        await settled(pilot)
        assert state_of(svc, vid) == VisitState.DRAFT
        assert app.screen.query_one("#queue", DataTable).row_count == 0
        visits.submit(svc, world.sw, vid)  # the worker resubmits
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert app.screen.query_one("#queue", DataTable).row_count == 1
        screen = await open_first(pilot, OversightScreen)
        await wait_until(pilot, lambda: screen.form is not None)
        fill_note(screen)
        await pilot.press("ctrl+s")
        await sign_with(pilot, PASSWORD)
        await wait_until(pilot, lambda: not isinstance(app.screen, OversightScreen))
    assert state_of(svc, vid) == VisitState.SIGNED_OFF


async def test_refusals_are_said_on_screen(make_app, world_svc):
    from recorder.tui.screens.home import HomeScreen
    from recorder.tui.screens.review.countersign import CountersignScreen
    from recorder.tui.screens.review.oversight import OversightScreen

    svc, world = world_svc
    vid = submit_record(svc, world.student, world.child)
    own = submit_record(svc, world.manager, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        # a student has no countersign queue key, and opening a record cannot sign it
        await sign_in(pilot, "student", PASSWORD)
        await home_loaded(pilot)
        assert "f2" not in app.screen.active_bindings
        app.push_screen(CountersignScreen(vid))
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, CountersignScreen) and app.screen.review is not None,
        )
        await settled(pilot)
        assert "your own" in status_text(app)  # the student is its author
        await pilot.press("ctrl+s")
        assert state_of(svc, vid) == VisitState.AWAITING_COUNTERSIGN
        await sign_out(pilot)

        await sign_in(pilot, "awaiting", PASSWORD)
        await home_loaded(pilot)
        app.push_screen(CountersignScreen(vid))
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, CountersignScreen) and app.screen.review is not None,
        )
        await settled(pilot)
        assert "Students, trainees and staff awaiting registration cannot" in status_text(app)
        await sign_out(pilot)

        # a wrong password and a too-short comment
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f2")
        screen = await open_first(pilot, CountersignScreen)
        screen.query_one("#cs-comment", TextArea).text = "ok"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "at least 10 are needed" in status_text(app)
        screen.query_one("#cs-comment", TextArea).text = COMMENT
        await pilot.press("ctrl+s")
        await sign_with(pilot, "not my password")
        # the signing dialog stays open, says why, and the comment is still there beneath it
        assert isinstance(app.screen, SigningDialog)
        assert "password" in status_text(app, ".dialog-status").lower()
        assert screen.query_one("#cs-comment", TextArea).text == COMMENT
        assert state_of(svc, vid) == VisitState.AWAITING_COUNTERSIGN
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await sign_out(pilot)

        # a manager signing off their own record; an empty heading; an unanswered flag
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f3")
        screen = await open_first(pilot, OversightScreen)
        assert screen.visit_id == own
        assert "cannot sign off your own record" in status_text(app)
        await pilot.press("ctrl+s")
        assert state_of(svc, own) == VisitState.AWAITING_OVERSIGHT
        await pilot.press("escape")
        await settled(pilot)
        await sign_out(pilot)
        visits.countersign(svc, world.sw, vid, COMMENT, PASSWORD)
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        queue = await open_queue(pilot, "f3")
        table = queue.query_one("#queue", DataTable)
        table.move_cursor(row=[r.visit_id for r in queue.rows].index(vid))
        screen = await open_first(pilot, OversightScreen)
        await wait_until(pilot, lambda: screen.form is not None)
        fill_note(screen, flags_answer="")
        screen.query_one("#note-risk", TextArea).text = ""
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = status_text(app)
        assert "Risk may not be empty" in text
        assert "Written by an unqualified worker: Answer this flag in your note." in text
        assert state_of(svc, vid) == VisitState.AWAITING_OVERSIGHT
        fill_note(screen)
        await pilot.press("ctrl+s")
        await sign_with(pilot, "not my password")
        # the dialog stays open with the reason; the note beneath it is as it was
        assert isinstance(app.screen, SigningDialog)
        assert "password" in status_text(app, ".dialog-status").lower()
        assert screen.form.note().decision == "Continue the plan; no change this month."
        assert state_of(svc, vid) == VisitState.AWAITING_OVERSIGHT
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert isinstance(app.screen_stack[0], HomeScreen)  # the note was opened from home


async def test_case_level_oversight_note(make_app, world_svc):
    from recorder.tui.screens.case_note import CaseNoteScreen
    from recorder.tui.screens.child import ChildScreen
    from recorder.tui.screens.note import NoteScreen

    svc, world = world_svc
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
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
        await pilot.press("ctrl+s")  # empty: refused in words
        await pilot.pause()
        assert "Decision may not be empty" in status_text(app, "#note-status")
        fill_note(screen)
        screen.query_one("#note-decision", TextArea).text = PAYLOADS[0] + " " + PAYLOADS[2]
        await pilot.press("ctrl+s")
        await sign_with(pilot, PASSWORD)
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        await settled(pilot)
        table = app.screen.query_one("#visits", DataTable)
        keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        assert any(k.startswith("note-") for k in keys)
        table.move_cursor(row=next(i for i, k in enumerate(keys) if k.startswith("note-")))
        await pilot.pause()
        detail = str(app.screen.query_one("#row-detail", Static).visual)
        assert PAYLOADS[0] in detail and PAYLOADS[2] in detail  # literally, not as markup
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteScreen))
        assert "Management oversight: Maya Manager" in screen_text(app)
    with svc.reading() as s:
        notes = s.exec(select(OversightNote)).all()
    assert len(notes) == 1 and notes[0].visit_id is None


async def test_non_managers_get_no_oversight_keys(make_app, world_svc):
    from recorder.tui.screens.child import ChildScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        keys = app.screen.active_bindings
        assert "f2" in keys and "f3" not in keys and "f4" not in keys
        app.push_screen(ChildScreen(world_svc[1].child))
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        assert "o" not in app.screen.active_bindings


async def test_team_view_and_markup_payloads_show_literally(make_app, world_svc):
    from recorder.services import accounts
    from recorder.tui.format import short_name
    from recorder.tui.screens.queues import QueueScreen
    from recorder.tui.screens.team import TeamScreen

    svc, world = world_svc
    # a worker and a child whose names look like markup
    accounts.add_user(
        svc,
        world.admin,
        username="odd",
        full_name=" ".join(PAYLOADS),
        role="unqualified",
        password=PASSWORD,
        team="North",
        unqualified_kind="trainee",
    )
    from datetime import date

    from recorder.services import children

    children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference="C0999",
            full_name="[/ Child",
            date_of_birth=date(2017, 1, 1),
            plan_type="child_in_need",
            plan_start=date(2026, 10, 1),
            team="North",
        ),
    )
    from tests.support.tui import held_as_before_issue_12

    with svc.reading() as s:
        from recorder.store.models import Child, Worker

        odd = s.exec(select(Worker).where(Worker.username == "odd")).one().id
        kid = s.exec(select(Child).where(Child.reference == "C0999")).one().id
    # the team view lists a child an unqualified worker holds (a store from before issue 12)
    held_as_before_issue_12(svc, odd, ("C0999",))
    content = complete_content()
    content["observations"]["seen"] = " ".join(PAYLOADS)
    submit_record(svc, odd, kid, content)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("f4")
        await wait_until(
            pilot, lambda: isinstance(app.screen, TeamScreen) and app.screen.team is not None
        )
        await settled(pilot)
        table = app.screen.query_one("#team-table", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        # a table cuts a long name with an ellipsis (format.short_name): the cut name, as text
        shown = short_name(" ".join(PAYLOADS))
        assert shown.startswith("[bold]no[/] [/ [@click=")
        assert any(shown in n and "Needs qualified countersign" in n for n in names)
        apart = str(app.screen.query_one("#team-children", Static).visual)
        assert "Allocated to an unqualified worker: 3 - " in apart and "[/ Child (C0999)" in apart
        await pilot.press("escape")
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded)
        await settled(pilot)
        row = app.screen.query_one("#queue", DataTable).get_row_at(0)
        assert "[/ Child" in str(row[1]) and shown in str(row[4])
        from recorder.tui.screens.review.countersign import CountersignScreen

        await open_first(pilot, CountersignScreen)
        text = screen_text(app)
        for p in PAYLOADS:
            assert p in text
        # the app is still running: nothing was parsed as an action
        assert app.is_running


async def test_help_and_command_palette_list_the_oversight_screens(make_app, world_svc):
    from recorder.tui.dialogs.help import HelpScreen, bindings_of
    from recorder.tui.screens.review.countersign import CountersignScreen

    svc, world = world_svc
    submit_record(svc, world.student, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Countersign queue", "Oversight queue", "Team view"} <= set(titles)
        described = {k.description for k in bindings_of(app.screen)}
        assert {"Countersign queue", "Oversight queue", "Team view"} <= described
        await open_queue(pilot, "f2")
        await open_first(pilot, CountersignScreen)
        keys = {k.description for k in bindings_of(app.screen)}
        assert {"Sign", "Return for changes", "Back"} <= keys
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "student", PASSWORD)
        await home_loaded(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert not {"Countersign queue", "Oversight queue", "Team view"} & set(titles)


async def test_ctrl_n_adds_an_action_row_and_puts_the_cursor_in_it(make_app, world_svc):
    """Regression: the new row's boxes were queried before they were mounted (a crash that
    lost the manager's note)."""
    from recorder.tui.screens.review.oversight import OversightScreen

    svc, world = world_svc
    submit_record(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f3")
        screen = await open_first(pilot, OversightScreen)
        await wait_until(pilot, lambda: screen.form is not None)
        form = screen.query_one("#note-form")
        form.query_one("#note-decision", TextArea).text = "Kept while rows are added."
        rows = len(form.query(".action-row"))
        await pilot.press("ctrl+n")
        await pilot.press("ctrl+n")
        await settled(pilot)
        assert app.is_running
        assert len(form.query(".action-row")) == rows + 2
        assert app.focused is form.query_one(f"#action-{rows + 1}-what", Input)
        await pilot.press(*"Ring school")
        assert form.query_one(f"#action-{rows + 1}-what", Input).value == "Ring school"
        assert form.query_one("#note-decision", TextArea).text == "Kept while rows are added."


async def test_a_box_changed_while_the_note_is_being_made_or_taken_down_is_let_pass(
    make_app, world_svc
):
    """Regression: the form is in the screen before its boxes are (mount returns first) and
    after them (as the screen closes); a Changed message, or the first "still to do", in
    either gap read the note and stopped the app (NoMatches on #note-decision)."""
    from recorder.tui.screens.review.oversight import OversightScreen
    from recorder.tui.widgets.oversight_form import OversightForm

    svc, world = world_svc
    submit_record(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f3")
        screen = await open_first(pilot, OversightScreen)
        await wait_until(pilot, lambda: screen.form is not None)
        await screen.form.remove()
        # the note made again; read at once, in the same turn, before its boxes exist
        screen.loaded(screen.view, screen.review, {"decision": "Kept as typed."})
        made = screen.query_one(OversightForm)
        assert not made.whole and screen.form is None
        screen._changed()
        screen._todo()
        await wait_until(pilot, lambda: screen.form is made)
        await settled(pilot)
        assert app.is_running
        assert app.focused is made.query_one("#note-decision", TextArea)
        todo = str(screen.query_one("#todo", Static).render())
        assert "Risk may not be empty" in todo and "Decision may not be empty" not in todo
        # taken down: marked as going before its boxes are removed
        going = made.remove()
        assert screen.form is None
        screen._changed()
        await going
        assert app.is_running


async def test_a_key_typed_in_the_note_or_comment_sets_the_lines_beside_it_only_when_they_change(
    make_app, world_svc, monkeypatch
):
    """Regression: "still to do" and the comment's word count were set on every key typed,
    and each Static.update laid the whole screen out again (a layout of about a hundred
    widgets a key; 19 layouts for 17 keys in the decision box)."""
    from recorder.tui.screens.review.countersign import CountersignScreen
    from recorder.tui.screens.review.oversight import OversightScreen

    svc, world = world_svc
    submit_record(svc, world.student, world.child)
    submit_record(svc, world.sw, world.child)
    app = make_app()
    updates: list[str] = []
    update = Static.update

    def counted(self, *args, **kw):
        if self.id in ("todo", "cs-count"):
            updates.append(f"{self.id}: {args[0] if args else ''}")
        return update(self, *args, **kw)

    monkeypatch.setattr(Static, "update", counted)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f2")
        screen = await open_first(pilot, CountersignScreen)
        screen.query_one("#cs-comment", TextArea).focus()
        await pilot.press(*"I read")
        await settled(pilot)
        updates.clear()
        await pilot.press(*"ing")  # the same two words
        await settled(pilot)
        assert updates == []
        await pilot.press("space", *"it")  # a third word
        await settled(pilot)
        assert len(updates) == 1 and "3 words" in updates[0]
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, CountersignScreen))
        await sign_out(pilot)

        await sign_in(pilot, "manager", PASSWORD)
        await home_loaded(pilot)
        await open_queue(pilot, "f3")
        screen = await open_first(pilot, OversightScreen)
        await wait_until(pilot, lambda: screen.form is not None)
        screen.form.query_one("#note-decision", TextArea).focus()
        await pilot.press("K")  # the decision is no longer empty: "still to do" changes
        await settled(pilot)
        assert any(u.startswith("todo") for u in updates)
        updates.clear()
        await pilot.press(*"eep the plan")
        await settled(pilot)
        assert updates == []
        assert screen.form.query_one("#note-decision", TextArea).text == "Keep the plan"


async def test_a_case_note_answers_the_childs_open_alert(make_app, world_svc):
    """An alert on the child (issue 13) is a still-to-do item of the case-level note, with an
    answer box; signing the note answers it."""
    from recorder.domain.alerts import AlertKind
    from recorder.services import alerts
    from recorder.store.models import ChildAlert
    from recorder.tui.screens.case_note import CaseNoteScreen
    from recorder.tui.screens.child import ChildScreen

    svc, world = world_svc
    with svc.writing() as s:
        aid = alerts.raise_alert(
            svc,
            s,
            child_id=world.child,
            kind=AlertKind.CHILD_NOT_SEEN,
            key="visit:1",
            details="Not seen on the visit of 25 Nov 2026 " + PAYLOADS[1],
        ).id
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
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
        await settled(pilot)
        fill_note(screen, flags_answer="")
        await pilot.pause()
        todo = str(screen.query_one("#todo", Static).visual)
        assert "Child not seen on a visit (raised" in todo
        assert "Alerts on this child: answer each one" in screen_text(app)
        assert PAYLOADS[1] in screen_text(app)  # the details, literally
        screen.query_one("#flag-0", TextArea).text = "Police welfare check done; seen at school."
        await pilot.pause()
        assert "Nothing left to do" in str(screen.query_one("#todo", Static).visual)
        await pilot.press("ctrl+s")
        await sign_with(pilot, PASSWORD)
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
    with svc.reading() as s:
        note = s.exec(select(OversightNote)).one()
        assert s.get(ChildAlert, aid).answered_by_note_id == note.id
    assert note.flag_responses == {f"alert:{aid}": "Police welfare check done; seen at school."}
