"""Whole visits recorded through the screen, field by field, as a worker would.

Every value goes in through the field's own widget (text boxes, choices, tick lists, rows),
so these tests prove the screen wires each kind of field to the store: what is saved is
exactly what was entered, and the submit dialog and the services agree on the outcome.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button, Input, OptionList, Select, SelectionList, TextArea

from recorder.domain.sections import SECTIONS
from recorder.domain.workflow import VisitState
from recorder.services import visits
from recorder.store.models import Visit
from recorder.tui.widgets.fields import FieldEditor, RowsEditor
from tests.support.factories import complete_content
from tests.support.pilot import home_loaded, notices, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_visit import fill, open_visit, section_prompts, state_of, stored

SECTION_KEYS = [s.key.value for s in SECTIONS]


async def go_to_section(pilot, screen, section: str) -> None:
    ol = screen.query_one("#sections", OptionList)
    ol.highlighted = SECTION_KEYS.index(section)
    await wait_until(
        pilot, lambda: screen.section == section and bool(screen.query(f"#form-{section}"))
    )
    await pilot.pause()


async def enter_value(pilot, screen, section: str, key: str, value: Any) -> None:
    """Put one value into its field through the field's widget."""
    await wait_until(pilot, lambda: bool(screen.current_form().query(f"#field-{key}")))
    editor = screen.current_form().query_one(f"#field-{key}", FieldEditor)
    widget = editor.query_one(f"#input-{key}")
    kind = editor.spec.kind
    if isinstance(widget, TextArea):
        widget.focus()
        widget.clear()
        widget.insert(str(value))
    elif isinstance(widget, Input):
        text = str(value)
        widget.value = text.replace("T", " ") if kind == "datetime" else text
    elif isinstance(widget, Select):
        widget.value = value
    elif isinstance(widget, SelectionList):
        widget.deselect_all()
        for v in value:
            widget.select(v)
    elif isinstance(widget, RowsEditor):
        for i, item in enumerate(value):
            rows = widget.query(".row")
            if i >= len(rows):
                widget.query_one(".add", Button).press()
                await wait_until(pilot, lambda: len(widget.query(".row")) > i)
            row = widget.query(".row")[i]
            for part, text in item.items():
                if part == "change":
                    row.query_one(".part-change", Select).value = text
                else:
                    box = row.query_one(f".part-{part}")
                    if isinstance(box, TextArea):  # the part that wraps (RowText)
                        box.load_text(text)
                    else:
                        box.value = text
            await pilot.pause()
    else:  # pragma: no cover - a new kind of field needs a line here
        raise AssertionError(f"no way to enter a {kind} field")
    await pilot.pause()


async def enter_section(pilot, screen, section: str, data: dict[str, Any]) -> None:
    """Enter ``data`` into a section's fields, then wait until the screen holds every value
    (each field's change reaches the screen as a message) and has handled what followed."""
    await go_to_section(pilot, screen, section)
    for key, value in data.items():
        await enter_value(pilot, screen, section, key, value)

    def held() -> bool:
        now = screen.content.get(section, {})
        return all(
            now.get(k) == v if v not in (None, "", []) else k not in now for k, v in data.items()
        )

    await wait_until(pilot, held)
    await settled(pilot)


async def save_now(pilot, screen) -> None:
    await pilot.press("ctrl+g")
    await settled(pilot)
    assert not screen._dirty(), screen.status_text


async def submit_and_get_message(pilot, screen) -> str:
    app = pilot.app
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: app.screen is not screen)
    await settled(pilot)
    return "\n".join(n.message for n in notices(app))


async def test_a_complete_visit_from_the_caseload_to_submission(make_app, world_svc):
    from recorder.tui.screens.child import ChildScreen
    from recorder.tui.screens.visit import VisitScreen

    svc, world = world_svc
    content = complete_content()
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        await pilot.press("enter")  # Amira, the first child on the caseload
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen))
        await settled(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen) and app.screen.loaded)
        screen = app.screen
        assert all("✗ missing" in p for p in section_prompts(screen))
        for section, data in content.items():
            await enter_section(pilot, screen, section, data)
        await save_now(pilot, screen)
        assert all("✓ complete" in p for p in section_prompts(screen)), section_prompts(screen)
        vid = screen.visit_id
        for section, data in content.items():
            saved = stored(svc, vid, section)
            for key, value in data.items():
                assert saved[key] == value, (section, key)
        message = await submit_and_get_message(pilot, screen)
        assert "Sent for management oversight, due " in message
        assert isinstance(app.screen, ChildScreen)
    assert state_of(svc, vid) is VisitState.AWAITING_OVERSIGHT


NOT_SEEN = {
    "child_seen": "no",
    "failed_what_happened": "No answer at the door at 16:30; curtains drawn, car on the drive.",
    "failed_attempts": ["phone", "neighbours", "school"],
    "failed_action": ["manager_informed", "revisit_booked"],
    "failed_next_seen": "2025-03-14",
}


async def test_child_not_seen(make_app, world_svc):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    del content["seen"]
    content["voice"] = {}
    fill(svc, world.sw, vid, content)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await enter_section(pilot, screen, "seen", {"child_seen": "no"})
        # the failed-access path: what is still to do says what to record
        assert "✗ missing" in section_prompts(screen)[1]
        await enter_section(pilot, screen, "seen", NOT_SEEN)
        assert "✓ complete" in section_prompts(screen)[1]
        assert "✗ missing" in section_prompts(screen)[2]  # others' account of the child's views
        await enter_section(
            pilot,
            screen,
            "voice",
            {"views_from_others": "Her teacher said on 11 March that Amira was happy at school."},
        )
        assert all("✓ complete" in p for p in section_prompts(screen)), section_prompts(screen)
        message = await submit_and_get_message(pilot, screen)
        assert "Sent for management oversight" in message
    assert state_of(svc, vid) is VisitState.AWAITING_OVERSIGHT
    with svc.reading() as s:
        assert s.get(Visit, vid).counts_as_statutory is False  # not seen: never the statutory visit
    assert stored(svc, vid, "seen")["failed_attempts"] == ["phone", "neighbours", "school"]
    with svc.reading() as s:
        flags = visits.flags_for(s, svc, s.get(Visit, vid))
    assert [f.code for f in flags][:1] == ["child_not_seen"]


@pytest.mark.parametrize(
    ("reason", "detail", "outcome"),
    [
        ("refused", None, "complete"),
        ("inappropriate", None, "complete"),
        ("unable", None, "query"),
        ("other", None, "missing"),
        ("other", "Amira asked for her mother to stay because she was unwell.", "complete"),
    ],
)
async def test_seen_but_not_alone_with_each_reason(make_app, world_svc, reason, detail, outcome):
    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    del content["seen"]
    fill(svc, world.sw, vid, content)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        data = {
            "child_seen": "yes",
            "seen_alone": "no",
            "not_alone_reason": reason,
            "bedroom_seen": "yes",
        }
        if detail:
            data["not_alone_detail"] = detail
        await enter_section(pilot, screen, "seen", data)
        words = {"complete": "✓ complete", "query": "? query", "missing": "✗ missing"}
        assert words[outcome] in section_prompts(screen)[1]
        if outcome == "complete":
            message = await submit_and_get_message(pilot, screen)
            assert "Sent for management oversight" in message
            assert state_of(svc, vid) is VisitState.AWAITING_OVERSIGHT
            with svc.reading() as s:
                flags = visits.flags_for(s, svc, s.get(Visit, vid))
            assert "not_seen_alone" in [f.code for f in flags]
        else:
            await save_now(pilot, screen)
            from recorder.tui.dialogs.submit import SubmitDialog

            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, SubmitDialog))
            dialog = pilot.app.screen
            assert dialog.query_one("#submit").disabled is (outcome == "missing")
            await pilot.press("escape")
            assert state_of(svc, vid) is VisitState.DRAFT


async def test_a_family_member_interpreting_is_a_query_answered_in_the_dialog(make_app, world_svc):
    from recorder.tui.dialogs.submit import SubmitDialog

    svc, world = world_svc
    vid = visits.start_visit(svc, world.sw, world.child)
    content = complete_content()
    fill(svc, world.sw, vid, content)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        await enter_section(
            pilot,
            screen,
            "identity",
            {
                "interpreter_relationship": "family",
                "interpreter_name": "Omar Haddad (uncle)",
                "interpreter_agency": "",
            },
        )
        assert "? query" in section_prompts(screen)[3]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitDialog))
        dialog = app.screen
        reason = dialog.query_one("#reason-0", Input)
        reason.value = "Language Line had no Arabic interpreter; the uncle interpreted."
        dialog.query_one("#submit").press()
        await wait_until(
            pilot, lambda: not isinstance(app.screen, (SubmitDialog,)) and app.screen is not screen
        )
        await settled(pilot)
    assert state_of(svc, vid) is VisitState.AWAITING_OVERSIGHT
    with svc.reading() as s:
        v = s.get(Visit, vid)
        assert list(v.query_reasons.values()) == [
            "Language Line had no Arabic interpreter; the uncle interpreted."
        ]
        flags = [f.code for f in visits.flags_for(s, svc, v)]
    assert "informal_interpreter" in flags
    assert any(code.startswith("query:") for code in flags)
