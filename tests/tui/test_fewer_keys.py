"""Fewer keys in the visit form (issue 15, item 6): a question answered with one key, which
moves on; fields an answer reveals scrolled into view."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, OptionList, TextArea

from recorder.services import visits
from recorder.tui.widgets.answers import AnswerSelect, choice_letters
from recorder.tui.widgets.fields import FieldEditor, RowText
from tests.support.pilot import settled, wait_until
from tests.support.tui import SIZE
from tests.tui.test_visit import open_visit


def field_of(widget) -> str:
    node = widget
    while node is not None and not isinstance(node, FieldEditor):
        node = node.parent
    return node.spec.key if node is not None else ""


def test_each_choice_gets_a_letter_of_its_own():
    choices = (
        ("cp_statutory", "Child protection statutory"),
        ("child_in_need", "Child in need"),
        ("lac_statutory", "Looked-after child statutory"),
        ("other", "Other"),
    )
    assert choice_letters(choices, set()) == {
        "cp_statutory": "c",
        "child_in_need": "i",
        "lac_statutory": "l",
        "other": "o",
    }
    # yes / no / not applicable have bindings; their keys are not given to another choice
    assert choice_letters((("yes", "Yes"), ("a", "Also")), {"y", "n", "a"}) == {}


async def test_the_seen_section_by_one_key_each(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 1  # 2. Seen
        await settled(pilot)
        seen = screen.current_form().query_one("#input-child_seen", AnswerSelect)
        assert "Yes (y)" in str(seen._options[1][0]) and "No (n)" in str(seen._options[2][0])
        seen.focus()
        await pilot.pause()
        footer_keys = {b.binding.id for b in screen.active_bindings.values()}
        assert {"answer.yes", "answer.no"} <= footer_keys
        assert "answer.not_applicable" not in footer_keys  # not offered for "Child seen"
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.content.get("seen", {}).get("child_seen") == "yes")
        await wait_until(pilot, lambda: field_of(app.focused) == "seen_alone")
        await pilot.press("n")  # not seen alone: the reason is revealed, and is next
        await wait_until(pilot, lambda: field_of(app.focused) == "not_alone_reason")
        assert screen.content["seen"]["seen_alone"] == "no"
        # the reasons have letters: "The child refused" r, "Inappropriate" i, ...
        reason = screen.current_form().query_one("#input-not_alone_reason", AnswerSelect)
        letter = reason.letters["inappropriate"]
        await pilot.press(letter)
        await wait_until(
            pilot, lambda: screen.content["seen"].get("not_alone_reason") == "inappropriate"
        )
        await wait_until(pilot, lambda: field_of(app.focused) == "not_alone_detail")
        # typing in the text box is text, never an answer
        await pilot.press(*"any")
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
        assert app.focused.text == "any"
        assert screen.content["seen"]["seen_alone"] == "no"
        bedroom = screen.current_form().query_one("#input-bedroom_seen", AnswerSelect)
        bedroom.focus()
        await pilot.press("a")
        await wait_until(pilot, lambda: screen.content["seen"].get("bedroom_seen") == "na")


async def test_a_choice_key_works_in_the_open_menu_too(make_app, world_svc):
    """The open menu shows each choice's key ("Child protection statutory (c)"): pressing it
    there chooses it, closes the menu and moves on, as it does with the menu closed (tried
    in tmux at 80x24: Enter opened the menu and c did nothing)."""
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await settled(pilot)
        kind = screen.current_form().query_one("#input-visit_type", AnswerSelect)
        kind.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: kind.expanded)
        await pilot.press(kind.letters["cp_statutory"])
        await wait_until(pilot, lambda: not kind.expanded)
        await wait_until(
            pilot,
            lambda: screen.content.get("details", {}).get("visit_type") == "cp_statutory",
        )
        await wait_until(pilot, lambda: field_of(app.focused) not in (None, "visit_type"))
        # and y in an open Yes/No menu answers Yes
        screen.query_one("#sections", OptionList).highlighted = 1  # 2. Seen
        await settled(pilot)
        seen = screen.current_form().query_one("#input-child_seen", AnswerSelect)
        seen.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: seen.expanded)
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.content.get("seen", {}).get("child_seen") == "yes")
        assert not seen.expanded


async def test_a_jump_to_a_rows_finding_lands_in_its_empty_box(make_app, world_svc):
    """A finding names the field, not the row: "say whether the risk 'Exposure to domestic
    abuse' has changed" put the focus in the first risk's text (tried in tmux: the answer
    key typed next went into that text). The jump lands in the first empty box instead."""
    from recorder.tui.dialogs.submit import SubmitDialog
    from tests.support.factories import complete_content
    from tests.tui.test_visit import fill

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    content["analysis"]["risks"][1]["change"] = ""
    fill(svc, world.sw, vid, content)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitDialog))
        dialog = app.screen
        index = next(i for i, f in enumerate(dialog.findings) if f.section.value == "analysis")
        dialog.query_one("#problems", OptionList).highlighted = index
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and screen._pending_focus is None)
        changes = list(
            screen.current_form().query("#input-risks .part-change").results(AnswerSelect)
        )
        assert [c.is_blank() for c in changes] == [False, True]
        assert app.focused is changes[1]
        await pilot.press("u")
        await wait_until(
            pilot, lambda: screen.content["analysis"]["risks"][1].get("change") == "unchanged"
        )
        assert [r["risk"] for r in screen.content["analysis"]["risks"]] == [
            "Neglect of basic care",
            "Exposure to domestic abuse",
        ]


async def test_a_remapped_answer_key_works_and_is_shown(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app(keymap={"answer.yes": "j"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 1
        await settled(pilot)
        seen = screen.current_form().query_one("#input-child_seen", AnswerSelect)
        assert "Yes (j)" in str(seen._options[1][0])
        seen.focus()
        await pilot.press("j")
        await wait_until(pilot, lambda: screen.content.get("seen", {}).get("child_seen") == "yes")


async def test_revealed_fields_scroll_into_view_and_the_focus_stays(make_app, world_svc):
    """Interpreter details appeared out of view: answering "Interpreter used" with Enter,
    an arrow and Enter now scrolls them up, with the focus still on the question."""
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    visits.save_section(svc, world.sw, vid, "identity", {"interpreter_needed": "yes"})
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 3  # 4. Identity
        await settled(pilot)
        form = screen.current_form()
        used = form.query_one("#input-interpreter_used", AnswerSelect)
        used.focus()
        await settled(pilot)
        await pilot.press("enter", "down", "enter")  # the long way: Yes
        await wait_until(pilot, lambda: used.value == "yes")
        language = form.query_one("#field-interpreter_language", FieldEditor)
        await wait_until(pilot, lambda: language.display)
        await settled(pilot)

        def on_screen(widget) -> bool:
            return form.scrollable_content_region.contains_region(widget.region)

        await wait_until(pilot, lambda: on_screen(language))
        assert app.focused is used and on_screen(used)
        assert isinstance(language.query_one(Input), Input)


@pytest.mark.parametrize("size", [(80, 24), SIZE])
async def test_an_action_row_shows_its_whole_text(make_app, world_svc, size):
    """Row boxes showed the end of their text ("erapy appointment student)  026-12-08"):
    the action has the form's width, the date a box it fits."""
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    what = "Book Amira's therapy appointment with the CAMHS student and tell her school (student)"
    visits.save_section(
        svc,
        world.sw,
        vid,
        "actions",
        {"actions": [{"what": what, "who": "Sam Social", "by_when": "2026-12-08"}]},
    )
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 6  # 7. Actions
        await settled(pilot)
        form = screen.current_form()
        row = form.query_one("#input-actions .row")
        what_box = row.query_one(".part-what", RowText)
        await wait_until(pilot, lambda: what_box.content_region.width > 0)
        await settled(pilot)
        # the action wraps: all its lines are on screen, inside the form
        assert what_box.text == what
        assert what_box.region.right <= form.region.right
        assert what_box.wrapped_document.height <= what_box.content_region.height, (
            what_box.wrapped_document.height,
            what_box.content_region,
        )
        assert row.query_one(".part-who", RowText).text == "Sam Social"
        box = row.query_one(".part-by_when", Input)
        assert box.value == "2026-12-08"
        assert box.content_region.width > len(box.value), box.content_region.width
        assert box.region.right <= form.region.right
        # one line of text: Enter moves on, a pasted newline is a space
        what_box.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.focused is row.query_one(".part-who"))
        assert what_box.text == what  # Enter added no line
        what_box.focus()
        what_box.move_cursor(what_box.document.end)
        app.post_message(events.Paste("\nnow"))  # as the terminal sends it, to the app
        await wait_until(pilot, lambda: what_box.text == what + " now")
        await wait_until(
            pilot, lambda: screen.content["actions"]["actions"][0]["what"] == what + " now"
        )


async def test_a_conflict_copy_says_so_in_the_childs_list(make_app, world_svc):
    """A copy kept after a conflict looked exactly like the original in the child's list
    ("no date yet | not chosen yet | Draft", issue 15 item 7)."""
    from textual.widgets import DataTable

    from recorder.services.visits import DraftConflict
    from recorder.tui.screens.child import ChildScreen
    from tests.support.pilot import home_loaded, sign_in
    from tests.support.world import PASSWORD

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    base = visits.save_section(svc, world.sw, vid, "observations", {"seen": "Window A."})
    visits.save_section(svc, world.sw, vid, "observations", {"seen": "A again."}, base)
    with pytest.raises(DraftConflict) as kept:
        visits.save_section(svc, world.sw, vid, "observations", {"seen": "Window B."}, base)
    copy_id = kept.value.copy_visit_id
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.child_view is not None)
        await settled(pilot)
        table = screen.query_one("#visits", DataTable)
        await wait_until(pilot, lambda: table.row_count >= 2)
        states = {str(key.value): table.get_row(key)[2].plain for key in table.rows}
        kept_at = svc.now_local().strftime("%H:%M")
        draft = "Draft - not yet saved to the child's record"
        assert states[str(copy_id)] == f"{draft}\ncopy kept from another window, {kept_at}"
        assert states[str(vid)] == draft


def test_a_long_name_is_cut_with_an_ellipsis():
    from rich.cells import cell_len

    from recorder.tui.format import NAME_WIDTH, short_name

    assert short_name("Amira Khan") == "Amira Khan"
    long = "Maximiliana Alexandrina Konstantina Bartholomew-Featherstonehaugh Wójcik-Łukasiewicz"
    cut = short_name(long)
    assert cut.endswith("…") and long.startswith(cut[:-1]) and cell_len(cut) <= NAME_WIDTH
    wide = short_name("晓明" * 20)  # two cells a letter
    assert wide.endswith("…") and cell_len(wide) <= NAME_WIDTH
    assert short_name("[/]\x1b]0;x\x07" + "a" * 40).startswith("[/]")  # cleaned, not markup


async def test_a_long_name_leaves_the_next_visit_on_the_caseload(make_app, world_svc):
    """An 80-character name pushed "Next statutory visit" and "overdue" off the caseload at
    120 columns."""
    from datetime import date

    from textual.widgets import DataTable

    from recorder.services import children
    from tests.support.pilot import home_loaded, sign_in
    from tests.support.world import PASSWORD

    svc, world = world_svc
    name = "Maximiliana Alexandrina Konstantina Bartholomew-Featherstonehaugh Wojcik-Lukasiewicz"
    children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference="C0099",
            full_name=name,
            date_of_birth=date(2015, 2, 3),
            plan_type="child_protection",
            plan_start=date(2026, 9, 1),
            team="North",
            allocated_worker="sw",
        ),
    )
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await settled(pilot)
        table = app.screen.query_one("#children", DataTable)
        await wait_until(pilot, lambda: table.row_count >= 2)
        await settled(pilot)
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        due = [c.key.value for c in table.ordered_columns].index("next_due")
        assert sum(widths[: due + 1]) <= table.scrollable_content_region.width, widths


async def test_an_open_actions_progress_and_a_risks_change_by_one_key(make_app, world_svc):
    """Each open action asked for its progress took Enter, arrows and Enter too: d / i / n
    answer it and the focus moves to its note; a risk's change takes i / r / u (the focus
    stays: the next box is Remove)."""
    from dataclasses import replace

    from recorder.services import oversight
    from tests.support.records import oversight_note
    from tests.support.world import PASSWORD

    svc, world = world_svc
    actions = ({"what": "Book a joint visit", "who": "Sam Social", "by_when": "11 Dec"},)
    oversight.add_case_note(
        svc, world.manager, world.child, replace(oversight_note(), actions=actions), PASSWORD
    )
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 6  # 7. Actions
        await settled(pilot)
        form = screen.current_form()
        status = form.query_one("#input-progress AnswerSelect", AnswerSelect)
        assert "In progress (i)" in str(status._options[2][0])
        status.focus()
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.focused, Input))
        assert app.focused.id == status.id.replace("-status", "-note")
        # the same from the open menu: the focus goes on to the note, not back to the choice
        # (in tmux the note's words then went to the next choices as answer keys)
        status.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: status.expanded)
        await pilot.press("i")
        await wait_until(pilot, lambda: not status.expanded and isinstance(app.focused, Input))
        await settled(pilot)
        assert app.focused.id == status.id.replace("-status", "-note")
        await pilot.press(*"Asked Sol")
        await wait_until(pilot, lambda: screen.content.get("actions", {}).get("progress"))
        answer = next(iter(screen.content["actions"]["progress"].values()))
        assert (answer["status"], answer["note"]) == ("in_progress", "Asked Sol")

        screen.query_one("#sections", OptionList).highlighted = 5  # 6. Analysis: plan risks
        await settled(pilot)
        change = screen.current_form().query_one("#input-risks .part-change", AnswerSelect)
        change.focus()
        await pilot.press("r")
        await wait_until(pilot, lambda: change.value == "reduced")
        await wait_until(
            pilot,
            lambda: any(
                r.get("change") == "reduced" for r in screen.content["analysis"].get("risks", [])
            ),
        )
        assert app.focused is change
