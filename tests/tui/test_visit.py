"""The visit record screen: sections, autosave, submit, returned and read-only records."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Input, OptionList, Select, Static, TextArea

from recorder.domain.oversight import OversightInput
from recorder.domain.sections import SECTIONS
from recorder.domain.workflow import VisitState
from recorder.services import visits
from recorder.store.models import Visit, VisitSection
from tests.support.factories import complete_content
from tests.support.pilot import (
    drawn,
    home_loaded,
    notices,
    settled,
    sign_in,
    visit_drawn,
    wait_until,
)
from tests.support.tui import SIZE
from tests.support.world import PASSWORD

PAYLOADS = ("[bold]no[/]", "[/", "[@click=app.quit]x[/]")


def fill(svc, author, vid, content=None):
    version = None
    for section, data in (content or complete_content()).items():
        version = visits.save_section(svc, author, vid, section, data, version)
    return version


def stored(svc, vid, section):
    with svc.reading() as s:
        row = s.exec(
            select(VisitSection).where(
                VisitSection.visit_id == vid, VisitSection.section == section
            )
        ).one()
        return dict(row.data)


def state_of(svc, vid):
    with svc.reading() as s:
        return VisitState(s.get(Visit, vid).state)


async def open_visit(pilot, username, vid, *, sign_in_first=False):
    """Open the visit screen as ``username``.

    Signing in verifies a password (slow by design), so most tests take the signed-in actor
    from the services and push the screen over the sign-in screen; a few sign in for real.
    """
    from recorder.tui.screens.visit import VisitScreen

    if sign_in_first:
        await sign_in(pilot, username, PASSWORD)
        await home_loaded(pilot)
    else:
        svc = pilot.app.services
        with svc.reading() as s:
            from recorder.store.models import Worker

            worker = s.exec(select(Worker).where(Worker.username == username)).one()
            pilot.app.actor = svc.actor(s, worker.id)
    screen = VisitScreen(vid)
    await pilot.app.push_screen(screen)
    try:
        await wait_until(pilot, lambda: screen.loaded)
    except AssertionError as not_loaded:
        errors = [w.error for w in pilot.app.workers if w.error] + [
            w.error for w in screen.workers if w.error
        ]
        raise AssertionError(
            f"not loaded: {screen.status_text!r} {errors!r} {[(w.name, w.state) for w in pilot.app.workers]} {pilot.app.screen_stack} {screen.is_mounted}"
        ) from not_loaded
    await pilot.pause()
    return screen


async def other_location(pilot, screen) -> Input:
    """The box for another location, which shows once the location is "Other" (a field's
    boxes are made when it is first shown)."""
    screen.query_one("#input-location", Select).value = "other"
    await wait_until(pilot, lambda: bool(screen.query("#input-location_other")))
    return screen.query_one("#input-location_other", Input)


def scrolled_to_end(screen) -> bool:
    view = screen.query_one("#readonly")
    return view.max_scroll_y > 0 and view.scroll_y == view.max_scroll_y


def section_prompts(screen) -> list[str]:
    ol = screen.query_one("#sections", OptionList)
    return [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]


def screen_text(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


async def test_section_states_update_as_the_worker_types(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        assert "DRAFT - not yet saved to the child's record" in str(
            screen.query_one("#banner", Static).render()
        )
        # observations: three long fields
        screen.query_one("#sections", OptionList).highlighted = 4
        await pilot.pause()
        assert "✗ missing" in section_prompts(screen)[4]
        for key in ("seen", "opinion", "sources"):
            area = screen.query_one(f"#input-{key}", TextArea)
            area.focus()
            await pilot.press(*"Hi")
        await pilot.pause()
        assert "✓ complete" in section_prompts(screen)[4]
        assert "Nothing missing" in str(screen.query_one("#findings", Static).render())
        # moving between fields saved the earlier ones (losing focus saves)
        await settled(pilot)
        assert stored(svc, vid, "observations")["seen"] == "Hi"
        assert screen.status_text.startswith("Saved ")


async def test_autosave_after_typing_and_on_leaving(make_app, world_svc, monkeypatch):
    from recorder.tui.screens.visit import drafts as visit_screen

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # typing does not write at once: the save waits for the autosave timer (held off
        # here, so a slow machine cannot fire it while the keys are still being pressed)
        autosave_seconds = visit_screen.AUTOSAVE_SECONDS
        monkeypatch.setattr(visit_screen, "AUTOSAVE_SECONDS", 3600)
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 0
        await pilot.pause()
        (await other_location(pilot, screen)).focus()
        await pilot.press(*"Park")
        await settled(pilot)
        assert screen._timer is not None
        assert stored(svc, vid, "details").get("location_other") is None
        # typed, then left at once: saved on the way out
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, type(screen)))
        assert stored(svc, vid, "details")["location_other"] == "Park"
        # the timer itself saves, with the worker still in the field
        monkeypatch.setattr(visit_screen, "AUTOSAVE_SECONDS", autosave_seconds)
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 0
        await pilot.pause()
        field = screen.query_one("#input-location_other", Input)
        field.focus()
        await pilot.press("end", *" cafe")
        await wait_until(
            pilot, lambda: stored(svc, vid, "details")["location_other"] == "Park cafe", timeout=30
        )
        assert pilot.app.screen is screen and pilot.app.focused is field
        await settled(pilot)
        assert screen.status_text.startswith("Saved ")


async def test_quitting_saves_first(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid, sign_in_first=True)
        (await other_location(pilot, screen)).focus()
        await pilot.press(*"Library")
        await pilot.press("ctrl+q")
    assert stored(svc, vid, "details")["location_other"] == "Library"


async def test_submit_with_missing_fields_lists_them_and_jumps(make_app, world_svc):
    from recorder.tui.dialogs.submit import SubmitDialog

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitDialog))
        dialog = app.screen
        problems = dialog.query_one("#problems", OptionList)
        text = "\n".join(
            str(problems.get_option_at_index(i).prompt) for i in range(problems.option_count)
        )
        for title in ("Visit details", "Seen", "Observations", "Analysis", "Actions"):
            assert title in text
        assert dialog.query_one("#submit").disabled
        # choose the first observations problem: jump there
        index = next(i for i, f in enumerate(dialog.findings) if f.section.value == "observations")
        problems.highlighted = index
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: screen._pending_focus is None)
        assert screen.section == "observations"
        assert app.focused is screen.query_one("#input-seen", TextArea)
    assert state_of(svc, vid) is VisitState.DRAFT


async def test_complete_record_goes_to_oversight(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid, sign_in_first=True)
        assert all("✓ complete" in p for p in section_prompts(screen))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not screen)
        await settled(pilot)
        messages = [n.message for n in notices(app)]
        assert any(m.startswith("Sent for management oversight, due ") for m in messages)
    assert state_of(svc, vid) is VisitState.AWAITING_OVERSIGHT


async def test_student_submit_goes_for_countersign(make_app, world_svc):
    from recorder.services import caseloads

    svc, world = world_svc
    kids = {c.name: c for c in caseloads.caseload(svc, world.student)}
    child = kids["Leo Ahmed"]
    vid = visits.start_visit(svc, world.student, child.id)
    content = complete_content()
    content["details"]["visit_type"] = "child_in_need"
    fill(svc, world.student, vid, content)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "student", vid)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not screen)
        await settled(pilot)
        messages = [n.message for n in notices(app)]
        assert any(m.startswith("Sent for qualified countersign, due ") for m in messages), messages
    assert state_of(svc, vid) is VisitState.AWAITING_COUNTERSIGN


async def test_a_query_needs_a_reason(make_app, world_svc):
    from recorder.tui.dialogs.submit import SubmitDialog

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    content["identity"]["interpreter_relationship"] = "family"
    fill(svc, world.sw, vid, content)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        assert "? query" in section_prompts(screen)[3]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitDialog))
        dialog = app.screen
        assert not dialog.query_one("#submit").disabled
        dialog.query_one("#submit").press()
        await pilot.pause()
        assert isinstance(app.screen, SubmitDialog)  # no reason typed: not submitted
        assert state_of(svc, vid) is VisitState.DRAFT
        dialog.query_one("#reason-0", Input).value = "Uncle interpreted; no interpreter free."
        dialog.query_one("#submit").press()
        await wait_until(
            pilot, lambda: app.screen is not screen and not isinstance(app.screen, SubmitDialog)
        )
        await settled(pilot)
    assert state_of(svc, vid) is VisitState.AWAITING_OVERSIGHT
    with svc.reading() as s:
        assert s.get(Visit, vid).query_reasons == {
            "identity.interpreter_not_professional": "Uncle interpreted; no interpreter free."
        }


async def test_returned_record_shows_comments_literally(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    content["observations"]["seen"] = "[bold]no[/] [/ [@click=app.quit]x[/]"
    fill(svc, world.sw, vid, content)
    visits.submit(svc, world.sw, vid)
    visits.return_for_changes(svc, world.manager, vid, "Please add [/ what the school said.")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        returns = str(screen.query_one("#returns", Static).render())
        assert "Please add [/ what the school said." in returns
        assert "Maya Manager, team manager" in returns
        assert screen.editable
        screen.query_one("#sections", OptionList).highlighted = 4
        await pilot.pause()
        assert screen.query_one("#input-seen", TextArea).text == content["observations"]["seen"]
        assert app.is_running


async def test_signed_off_visit_is_read_only_with_signatures(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    content["voice"]["wishes"] = " ".join(PAYLOADS)
    fill(svc, world.sw, vid, content)
    sign_off_visit(svc, world, vid)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        assert not screen.editable
        assert not screen.query(TextArea) and not screen.query(Input)
        text = screen_text(screen)
        assert "Signed off - saved to the child's record" in text
        assert "Management oversight: Maya Manager, " in text and "SW100001" in text
        assert "UTC" in text
        assert " ".join(PAYLOADS) in text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and app.is_running


async def test_awaiting_visit_is_read_only_for_its_author(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    fill(svc, world.sw, vid)
    visits.submit(svc, world.sw, vid)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        assert not screen.editable
        assert "Awaiting management oversight - not yet saved to the child's record" in str(
            screen.query_one("#banner", Static).render()
        )
        assert "Recorded and submitted: Sam Social, Social worker" in screen_text(screen)
        from recorder.tui.dialogs.help import HelpScreen

        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_markup_typed_by_the_worker_shows_literally(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        field = await other_location(pilot, screen)
        field.focus()
        for payload in PAYLOADS:
            field.insert_text_at_cursor(payload)
        await pilot.press("tab")
        await settled(pilot)
        assert app.is_running
        assert stored(svc, vid, "details")["location_other"] == "".join(PAYLOADS)


async def test_a_full_field_stops_and_says_why(make_app, world_svc):
    svc, world = world_svc
    svc.policy = type(svc.policy)(short_text_max_chars=3, long_text_max_chars=4)
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        field = await other_location(pilot, screen)
        field.focus()
        await pilot.press(*"abcd")
        assert field.value == "abc"
        assert "at most 3 characters" in screen_text(screen)
        area = screen.query_one("#input-purpose", TextArea)
        area.focus()
        await pilot.press(*"01234")
        assert area.text == "0123"
        assert "at most 4 characters" in screen_text(screen)


class TestVisitSnapshots:
    """The visit form on a section with findings, and the submit-blocked dialog."""

    @staticmethod
    def _draft(world_svc):
        svc, world = world_svc
        vid = visits.start_visit(svc, world.sw, world.child)
        content = complete_content()
        for key in ("details", "seen", "voice"):
            visits.save_section(svc, world.sw, vid, key, content[key])
        visits.save_section(svc, world.sw, vid, "observations", {"seen": " ".join(PAYLOADS)})
        return vid

    def test_visit_form_observations(self, snap_compare, make_app, world_svc):
        vid = self._draft(world_svc)

        async def run_before(pilot):
            screen = await open_visit(pilot, "sw", vid)
            screen.query_one("#sections", OptionList).highlighted = 4
            await wait_until(pilot, lambda: screen.section == SECTIONS[4].key.value)
            await visit_drawn(pilot, screen)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_submit_blocked_dialog(self, snap_compare, make_app, world_svc):
        from recorder.tui.dialogs.submit import SubmitDialog

        vid = self._draft(world_svc)

        async def run_before(pilot):
            await open_visit(pilot, "sw", vid)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, SubmitDialog))
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def sign_off_visit(svc, world, vid) -> None:
    """Submit a complete record of ``world.sw`` and have the manager sign it off."""
    visits.submit(svc, world.sw, vid)
    words = ("I have read the whole record and the child's own words. " * 6).strip()
    with svc.reading() as s:
        codes = [f.code for f in visits.flags_for(s, svc, s.get(Visit, vid))]
    visits.sign_off(
        svc,
        world.manager,
        vid,
        OversightInput(
            decision="Continue the plan.",
            analysis=words,
            risk="Unchanged.",
            actions=({"what": "Review", "who": "Sam Social", "by_when": "2026-12-10"},),
            timeframe="Next supervision.",
            child_voice="Her wish shapes contact.",
            flag_responses={c: "Discussed and acceptable." for c in codes},
        ),
        PASSWORD,
    )


class TestVisitScreens:
    """The visit form on each section, a returned record and a signed-off record."""

    @staticmethod
    def _nearly_complete(world_svc):
        svc, world = world_svc
        vid = visits.start_visit(svc, world.sw, world.child)
        content = complete_content()
        del content["voice"]["shapes_plan"]  # one thing still to do, in section 3
        fill(svc, world.sw, vid, content)
        return vid

    @pytest.mark.parametrize("index", range(7), ids=[s.key.value for s in SECTIONS])
    def test_visit_form_section(self, snap_compare, make_app, world_svc, index):
        vid = self._nearly_complete(world_svc)

        async def run_before(pilot):
            screen = await open_visit(pilot, "sw", vid)
            # every section's form made first: a section chosen while the others are still
            # being made can keep a text box wrapped for no width (noted for the next issue)
            await visit_drawn(pilot, screen)
            screen.query_one("#sections", OptionList).highlighted = index
            await wait_until(pilot, lambda: screen.section == SECTIONS[index].key.value)
            await visit_drawn(pilot, screen)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    @pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
    def test_visit_open_actions_section(self, snap_compare, make_app, world_svc, size):
        """Issue 13: the Actions section lists the child's open actions, each with a status
        and a note to give (one answered, one not)."""
        from dataclasses import replace

        from recorder.services import oversight
        from tests.support.records import oversight_note

        svc, world = world_svc
        actions = (
            {"what": "Book a joint visit", "who": "Sam Social", "by_when": "11 Dec"},
            {"what": "Ring the school about attendance", "who": "Sam Social", "by_when": "1 Dec"},
        )
        oversight.add_case_note(
            svc, world.manager, world.child, replace(oversight_note(), actions=actions), PASSWORD
        )
        vid = visits.start_visit(svc, world.sw, world.child)
        content = complete_content()
        with svc.reading() as s:
            from recorder.services.action_progress import open_actions_for

            first = open_actions_for(s, svc, s.get(Visit, vid))[0]
        content["actions"]["progress"] = {
            first.key: {"what": first.what, "status": "in_progress", "note": "Asked Sol for 9 Dec."}
        }
        fill(svc, world.sw, vid, content)

        async def run_before(pilot):
            screen = await open_visit(pilot, "sw", vid)
            await visit_drawn(pilot, screen)  # every form made first (as above)
            screen.query_one("#sections", OptionList).highlighted = 6
            await wait_until(pilot, lambda: screen.section == "actions")
            await visit_drawn(pilot, screen)

        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

    def test_returned_record(self, snap_compare, make_app, world_svc):
        svc, world = world_svc
        vid = visits.start_visit(svc, world.sw, world.child)
        fill(svc, world.sw, vid)
        visits.submit(svc, world.sw, vid)
        visits.return_for_changes(
            svc,
            world.manager,
            vid,
            "Please add what the school said about attendance, "
            "and who told you that the father has not visited.",
        )

        async def run_before(pilot):
            await visit_drawn(pilot, await open_visit(pilot, "sw", vid))

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_signed_off_record(self, snap_compare, make_app, world_svc):
        svc, world = world_svc
        vid = visits.start_visit(svc, world.sw, world.child)
        fill(svc, world.sw, vid)
        sign_off_visit(svc, world, vid)

        async def run_before(pilot):
            screen = await open_visit(pilot, "sw", vid)
            await visit_drawn(pilot, screen)
            await pilot.press("end")  # down to the signatures
            await wait_until(pilot, lambda: scrolled_to_end(screen))
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


async def test_a_stale_window_carries_on_in_a_separate_draft_and_loses_nothing(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 4
        await wait_until(pilot, lambda: screen.section == "observations")
        # another window saves first
        visits.save_section(svc, world.sw, vid, "observations", {"seen": "From the other window."})
        await wait_until(pilot, lambda: bool(screen.query("#input-seen")))
        seen = screen.query_one("#input-seen", TextArea)
        seen.focus()
        seen.insert("Typed in this window.")
        await pilot.press("ctrl+g")
        await settled(pilot)
        copy_id = screen.visit_id
        assert copy_id != vid
        assert f"visit record {copy_id}" in screen.status_text
        assert "changed somewhere else" in screen.status_text
        # typing goes on, into the copy
        opinion = screen.query_one("#input-opinion", TextArea)
        opinion.focus()
        opinion.insert("My opinion, typed after the conflict.")
        await pilot.press("ctrl+g")
        await settled(pilot)
        messages = [n.message for n in notices(app)]
        assert any(f"visit record {copy_id}" in m for m in messages)
        await pilot.press("escape")
        await pilot.pause()
    assert stored(svc, vid, "observations") == {"seen": "From the other window."}
    assert stored(svc, copy_id, "observations") == {
        "seen": "Typed in this window.",
        "opinion": "My opinion, typed after the conflict.",
    }
    assert state_of(svc, copy_id) is VisitState.DRAFT


async def test_infant_voice_section_leads_with_observation(make_app, world_svc):
    from datetime import date

    from recorder.services import children

    svc, world = world_svc
    baby = children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference="C0009",
            full_name="Ola Nowak",
            date_of_birth=date(2026, 1, 5),
            plan_type="child_in_need",
            plan_start=date(2026, 6, 1),
            team="North",
            allocated_worker="sw",
        ),
    )
    vid = visits.start_visit(svc, world.sw, baby)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        from textual.widgets import SelectionList

        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 2
        await pilot.pause()
        form = screen.current_form()
        assert "Infants should be seen awake" in str(form.query_one(".age-note", Static).render())
        methods = form.query_one("#input-methods", SelectionList)
        assert methods.get_option_at_index(0).value == "observation"


async def test_keyboard_only_tab_from_the_sections_lands_in_the_first_field(make_app, world_svc):
    """In a real terminal the first Tab went to the form's scroll container and the typing
    after it was lost; Tab must land on the first field."""
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).focus()
        await pilot.pause()
        await pilot.press("tab")
        await pilot.press(*"2026-11-25 10:00")
        await pilot.pause()
        assert app.focused is screen.query_one("#input-visit_at", Input)
        assert screen.query_one("#input-visit_at", Input).value == "2026-11-25 10:00"


async def test_query_reasons_typed_in_the_dialog_are_kept_when_going_back(make_app, world_svc):
    from recorder.tui.dialogs.submit import SubmitDialog

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    content["identity"]["interpreter_relationship"] = "family"
    fill(svc, world.sw, vid, content)
    reason = "Language Line had no Arabic interpreter free; her uncle interpreted."
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitDialog))
        app.screen.query_one("#reason-0", Input).value = reason
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await settled(pilot)
        assert state_of(svc, vid) is VisitState.DRAFT
    with svc.reading() as s:
        assert s.get(Visit, vid).query_reasons == {"identity.interpreter_not_professional": reason}
    # a new session: the reason is there in the dialog, and the record can be submitted
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not screen)
        await settled(pilot)
    assert state_of(svc, vid) is VisitState.AWAITING_OVERSIGHT


async def test_ticked_and_unticked_choices_differ_in_their_characters(make_app, world_svc):
    """State never by shade alone (issue 15, item 5): Textual draws the same X in a ticked
    and an unticked box, only its grey differs, so under NO_COLOR the two looked alike."""
    from textual.widgets import SelectionList

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        screen.query_one("#sections", OptionList).highlighted = 2
        await settled(pilot)
        methods = screen.current_form().query_one("#input-methods", SelectionList)

        def rows() -> list[str]:
            return [methods.render_line(y).text for y in range(methods.option_count)]

        assert all(r.startswith("[ ] ") for r in rows()), rows()
        methods.focus()
        await pilot.press("down", "space")  # the second choice, by keyboard
        await wait_until(pilot, lambda: rows()[1].startswith("[x] "))
        assert [r[:4] for r in rows()] == ["[ ] ", "[x] ", "[ ] ", "[ ] "]
        assert "Observation" in rows()[1]
        await wait_until(pilot, lambda: screen.content.get("voice", {}).get("methods"))
        assert screen.content["voice"]["methods"] == [methods.get_option_at_index(1).value]


async def test_f8_discards_a_draft_after_asking_and_not_a_returned_one(make_app, world_svc):
    """Discard a draft (issue 15, item 7): asked first, Escape keeps it; then it is gone."""
    from textual.widgets import Button

    from recorder.services.errors import NotFound
    from recorder.tui.dialogs.confirm import ConfirmDialog

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    visits.save_section(svc, world.sw, vid, "observations", {"seen": "Not needed after all."})
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("escape")  # the safe answer
        await wait_until(pilot, lambda: app.screen is screen)
        assert visits.load_visit(svc, world.sw, vid).content["observations"]
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        app.screen.query_one("#confirm-yes", Button).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen not in app.screen_stack)
        await settled(pilot)
        assert "The draft was discarded." in [n.message for n in notices(app)]
    with pytest.raises(NotFound):
        visits.load_visit(svc, world.sw, vid)

    returned = visits.start_visit(svc, world.sw, world.child)
    for key, data in complete_content().items():
        visits.save_section(svc, world.sw, returned, key, data)
    visits.submit(svc, world.sw, returned)
    visits.return_for_changes(svc, world.manager, returned, "Please add the school's view.")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", returned)
        assert screen.editable and not screen.check_action("discard", ())
        await pilot.press("f8")
        await pilot.pause()
        assert app.screen is screen
