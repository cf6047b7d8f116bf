"""Text is always text: markup-like payloads in every text field show literally everywhere.

A child's name, their profile, every text field of a visit record, the rows of people and
actions, the plan risks, a query reason and a returner's comment all hold the four payloads
of issue 3. Each screen that shows them is read back widget by widget: if any of them had
been parsed as markup, its brackets would be gone (or the app would have crashed).
"""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from recorder.domain.oversight import OversightInput
from recorder.domain.relevance import field_applies
from recorder.domain.sections import SECTIONS
from recorder.domain.validation import Severity
from recorder.domain.workflow import VisitState
from recorder.services import children, visits
from recorder.store.models import Visit
from tests.support.pilot import home_loaded, settled, sign_in, wait_until
from tests.support.tui import SIZE
from tests.support.world import PASSWORD
from tests.tui.test_visit import open_visit, state_of

PAYLOADS = ("[bold]no[/]", "[/", "[@click=app.quit]x[/]", "[link=https://example.com]x[/link]")
P = " ".join(PAYLOADS)

# the answers that open every text field of one path through the record
SEEN_PATH = {
    ("details", "location"): "other",
    ("seen", "child_seen"): "yes",
    ("seen", "seen_alone"): "no",
    ("seen", "not_alone_reason"): "other",
    ("seen", "bedroom_seen"): "no",
    ("voice", "methods"): ["own_words", "tool", "advocate"],
    ("voice", "tool"): "signs_of_safety",
    ("voice", "scale"): 5,
    ("identity", "carers_different_ethnicity"): "yes",
    ("identity", "interpreter_needed"): "yes",
    ("identity", "interpreter_used"): "yes",
    ("identity", "interpreter_relationship"): "family",
    ("actions", "no_new_actions"): "yes",
}
# the seen path, with every choice answered so that the record can be submitted
SUBMITTABLE = {
    **{k: v for k, v in SEEN_PATH.items() if k != ("actions", "no_new_actions")},
    ("details", "visit_type"): "cp_statutory",
    ("details", "announced"): "announced",
    ("details", "none_absent"): "no",
    ("seen", "infant_awake"): "yes",
    ("identity", "profile_confirmed"): "yes",
    ("identity", "interpreter_for"): "parent",
    ("identity", "interpreter_mode"): "in_person",
}
NOT_SEEN_PATH = {
    ("details", "location"): "other",
    ("seen", "child_seen"): "no",
    ("seen", "failed_attempts"): ["other"],
    ("seen", "failed_action"): ["other"],
    ("seen", "failed_next_seen"): "2026-11-30",
    ("identity", "interpreter_needed"): "yes",
    ("identity", "interpreter_used"): "no",
    ("identity", "carers_different_ethnicity"): "yes",
    ("actions", "no_new_actions"): "yes",
}


def payload_content(path: dict) -> dict:
    content: dict = {s.key.value: {} for s in SECTIONS}
    for spec in SECTIONS:
        for f in spec.fields:
            key = (spec.key.value, f.key)
            if key in path:
                value = path[key]
            elif f.kind in ("text", "long"):
                value = P
            elif f.kind == "people":
                value = [{"name": P, "role": P}]
            elif f.kind == "actions":
                value = [{"what": P, "who": P, "by_when": "2026-12-10"}]
            elif f.kind == "risks":
                value = [{"risk": P, "change": "unchanged"}]
            elif f.kind == "datetime":
                value = "2026-11-25T16:30"
            else:
                continue
            content[spec.key.value][f.key] = value
    return content


def text_fields(content: dict) -> list[tuple[str, str]]:
    """(section, field) of every text field that applies to this record."""
    return [
        (s.key.value, f.key)
        for s in SECTIONS
        for f in s.fields
        if f.kind in ("text", "long", "people", "actions", "risks")
        and field_applies(s.key, f.key, content, author_needs_countersign=False)
    ]


def shown(root) -> str:
    """Everything the widgets under ``root`` show, as plain text."""
    parts: list[str] = []
    for w in [root, *root.query("*")]:
        if isinstance(w, Static):
            parts.append(str(w.render()))
        elif isinstance(w, Input):
            parts.append(w.value)
        elif isinstance(w, TextArea):
            parts.append(w.text)
        elif isinstance(w, DataTable):
            for i in range(w.row_count):
                parts.extend(c.plain for c in w.get_row_at(i))
        elif isinstance(w, OptionList):
            parts.extend(str(w.get_option_at_index(i).prompt) for i in range(w.option_count))
    return "\n".join(parts)


@pytest.fixture
def hostile(world_svc):
    svc, world = world_svc
    cid = children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference="R[/1",
            full_name=P,
            date_of_birth=date(2016, 5, 4),
            religion=P,  # ethnicity and disability are census codes (issue 12)
            first_language=P,
            plan_type="child_protection",
            plan_start=date(2026, 9, 1),
            plan_risks=(P,),
            team="North",
            allocated_worker="sw",
        ),
    )
    return svc, world, cid


def _start(svc, world, cid, content) -> int:
    vid = visits.start_visit(svc, world.sw, cid)
    for section, data in content.items():
        visits.save_section(svc, world.sw, vid, section, data)
    return vid


@pytest.mark.parametrize("path", [SEEN_PATH, NOT_SEEN_PATH], ids=["seen", "not seen"])
async def test_every_text_field_of_the_form_and_the_submit_dialog(make_app, hostile, path):
    from recorder.tui.dialogs.submit import SubmitDialog

    svc, world, cid = hostile
    content = payload_content(path)
    vid = _start(svc, world, cid, content)
    fields = text_fields(content)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        assert screen.sub_title == f"{P} - visit record"
        checked = 0
        for i, spec in enumerate(SECTIONS):
            screen.query_one("#sections", OptionList).highlighted = i
            await wait_until(
                pilot,
                lambda: (
                    screen.section == spec.key.value
                    and bool(screen.query(f"#form-{spec.key.value}"))
                ),
            )
            await pilot.pause()
            form = screen.current_form()
            for section, key in fields:
                if section != spec.key.value:
                    continue
                editor = form.query_one(f"#field-{key}")
                assert editor.display, f"{section}.{key} applies but is hidden"
                assert shown(editor).count(P) >= (
                    2 if key in ("present", "absent", "actions") else 1
                ), f"{section}.{key}"
                checked += 1
            # guidance and what is still to do beside the fields name the child literally
            side = shown(screen.query_one("#side"))
            assert "[bold]" not in side.replace(P, "")
        assert checked == len(fields) > 15
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitDialog))
        dialog = app.screen
        text = shown(dialog)
        for f in dialog.findings:
            assert f.message in text  # every message exactly as written, name and all
        assert any(P in f.message for f in dialog.findings) or not dialog.findings
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_caseload_child_returned_and_signed_off_records(make_app, hostile):
    svc, world, cid = hostile
    content = payload_content(SUBMITTABLE)
    content["actions"].pop("no_actions_why")
    vid = _start(svc, world, cid, content)
    view = visits.load_visit(svc, world.sw, vid)
    reasons = {f.code: P for f in view.findings if f.severity is Severity.QUERY}
    assert not [f for f in view.findings if f.severity is Severity.ERROR], view.findings
    visits.submit(svc, world.sw, vid, reasons)
    visits.return_for_changes(svc, world.manager, vid, P)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "sw", PASSWORD)
        await home_loaded(pilot)
        caseload = shown(app.screen)
        assert P in caseload and "R[/1" in caseload
        from recorder.tui.screens.child import ChildScreen

        child = ChildScreen(cid)
        await app.push_screen(child)
        await wait_until(pilot, lambda: child.child_view is not None)
        await settled(pilot)
        profile = shown(child)
        assert profile.count(P) >= 4  # name, religion, language, risk
        assert "Returned for changes" in profile
        await pilot.press("escape")
        screen = await open_visit(pilot, "sw", vid)
        returns = shown(screen.query_one("#returns"))
        assert f"Maya Manager, team manager: {P}" in returns
        assert app.is_running

    visits.submit(svc, world.sw, vid, reasons)
    words = ("I have read the whole record and the child's own words. " * 6).strip()
    with svc.reading() as s:
        codes = [f.code for f in visits.flags_for(s, svc, s.get(Visit, vid))]
    visits.sign_off(
        svc,
        world.manager,
        vid,
        OversightInput(
            decision=P,
            analysis=f"{words} {P}",
            risk=P,
            actions=({"what": P, "who": P, "by_when": "2026-12-10"},),
            timeframe=P,
            child_voice=P,
            flag_responses={c: P for c in codes},
        ),
        PASSWORD,
    )
    assert state_of(svc, vid) is VisitState.SIGNED_OFF
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_visit(pilot, "sw", vid)
        record = shown(screen.query_one("#readonly"))
        # every text field, each row's parts, and each query reason, literally
        assert record.count(P) >= len(text_fields(content)) + len(reasons)
        assert "[link=https://example.com]x[/link]" in record
        await pilot.press("escape")
        await settled(pilot)
        assert app.is_running
