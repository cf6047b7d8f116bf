"""Regenerate the screenshots in ``screenshots/`` (SVG) from the real app.

Usage, from the repository root::

    python scripts/screenshots.py            # writes screenshots/*.svg
    python scripts/screenshots.py --out DIR  # somewhere else

It builds a throwaway store in a temporary folder (a small team made through
``recorder.services``, the same calls an administrator's commands make), freezes the clock so
ages and dates never drift, runs :class:`recorder.tui.app.RecorderApp` headless at 120x40 with
``App.run_test`` and saves each screen with ``App.save_screenshot``. Nothing outside the
temporary folder is read or written except the output folder; the user's own data and config
folders are kept out.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

# the tests' support code (never a test module): stores, the frozen clock, record content,
# and driving the app with a condition for every wait
from tests.support.factories import complete_content  # noqa: E402
from tests.support.pilot import drawn, sign_in, visit_drawn, wait_until  # noqa: E402
from tests.support.records import fill, flag_codes, oversight_note  # noqa: E402
from tests.support.stores import make_services  # noqa: E402
from tests.support.tui import SIZE, DemoAccount  # noqa: E402

PASSWORD = "correct horse battery"

ACCOUNTS = [
    DemoAccount("sam", PASSWORD, "Social worker (registered)"),
    DemoAccount("stu", PASSWORD, "Student: needs qualified countersign"),
    DemoAccount("maya", PASSWORD, "Team manager"),
    DemoAccount("ada", PASSWORD, "Administrator: accounts only, no case records"),
]


def build_store(folder: Path):
    """A migrated SQLite store with a team, four accounts and a few children (frozen clock,
    light argon2 settings: this store lives for a few seconds and holds no real data)."""
    from recorder.services import accounts, children

    svc = make_services(f"sqlite:///{folder / 'recorder.sqlite3'}")
    admin = accounts.create_first_admin(svc, "ada", "Ada Admin", PASSWORD)
    accounts.add_team(svc, admin, "North")

    def add(username, name, role, reg=None, kind=None):
        accounts.add_user(
            svc,
            admin,
            username=username,
            full_name=name,
            role=role,
            password=PASSWORD,
            team="North",
            registration_number=reg,
            unqualified_kind=kind,
            registration_checked_on=date(2026, 10, 1),
        )

    add("maya", "Maya Manager", "team_manager", reg="SW100001")
    add("sam", "Sam Social", "social_worker", reg="SW200001")
    add("stu", "Stu Student", "unqualified", kind="student")
    for ref, name, dob, plan, start, worker in [
        ("C0001", "Amira Khan", date(2016, 5, 4), "child_protection", date(2026, 9, 1), "sam"),
        ("C0002", "Zofia Wiśniewska", date(2019, 2, 11), "child_in_need", date(2026, 6, 1), "stu"),
        ("C0003", "Leo Ahmed", date(2012, 9, 30), "looked_after", date(2025, 3, 14), "stu"),
        ("C0004", "Chen Wei", date(2024, 12, 1), "none", None, "stu"),
        ("C0005", "Bea Brown", date(2015, 3, 2), "looked_after", date(2026, 11, 20), "sam"),
        ("C0006", "Cal Carter", date(2020, 7, 9), "child_in_need", date(2026, 11, 2), "sam"),
    ]:
        children.add_child(
            svc,
            admin,
            children.ChildInput(
                reference=ref,
                full_name=name,
                date_of_birth=dob,
                plan_type=plan,
                plan_start=start,
                team="North",
                # a student never holds a case (issue 12): Sam holds it, Stu is co-worker
                allocated_worker="sam" if worker == "stu" else worker,
                co_worker=worker if worker == "stu" else None,
            ),
        )
    from recorder.services.caseloads import caseload

    sam = _worker_id(svc, "sam")
    amira = next(r for r in caseload(svc, sam) if r.reference == "C0001")
    return svc, _visits(svc, sam, _worker_id(svc, "maya"), amira.id)


def _visits(svc, sam: int, maya: int, child_id: int) -> dict[str, int]:
    """Amira's records in each state the screenshots show (content from the test factory)."""
    from recorder.domain.oversight import OversightInput
    from recorder.services import visits
    from tests.support.factories import complete_content

    def record(content) -> int:
        vid = visits.start_visit(svc, sam, child_id)
        for section, data in content.items():
            visits.save_section(svc, sam, vid, section, data)
        return vid

    made: dict[str, int] = {}
    made["started"] = visits.start_visit(svc, sam, child_id)  # a draft just begun
    nearly = complete_content()
    del nearly["voice"]["shapes_plan"]
    made["nearly"] = record(nearly)
    made["awaiting"] = record(complete_content())
    visits.submit(svc, sam, made["awaiting"])
    made["returned"] = record(complete_content())
    visits.submit(svc, sam, made["returned"])
    visits.return_for_changes(
        svc,
        maya,
        made["returned"],
        "Please add what the school said about attendance, and who "
        "told you that the father has not visited.",
    )
    made["signed"] = record(complete_content())
    visits.submit(svc, sam, made["signed"])
    codes = flag_codes(svc, made["signed"])
    visits.sign_off(
        svc,
        maya,
        made["signed"],
        OversightInput(
            decision="Continue the plan; no change to the level of concern.",
            analysis=(
                "Amira's basic care is met and she says she feels safer at home. The risk "
                "from domestic abuse is lower while her father stays away, and contact "
                "will be supervised at her grandmother's house as she asked."
            ),
            risk="Neglect reduced; domestic abuse unchanged while contact is supervised.",
            actions=(
                {
                    "what": "Review contact arrangements",
                    "who": "Sam Social",
                    "by_when": "2026-12-10",
                },
            ),
            timeframe="Next supervision on 10 December 2026.",
            child_voice="Her wish to see her father at her nan's house decided where contact is.",
            flag_responses={c: "Discussed in supervision; acceptable." for c in codes},
        ),
        PASSWORD,
    )
    return made


def _worker_id(svc, username: str) -> int:
    from sqlmodel import select

    from recorder.store.models import Worker

    with svc.reading() as s:
        return s.exec(select(Worker.id).where(Worker.username == username)).one()


async def shoot(svc, made: dict[str, int], out: Path) -> list[Path]:
    from textual.widgets import DataTable

    from recorder.tui.app import RecorderApp
    from recorder.tui.dialogs.submit import SubmitDialog
    from recorder.tui.screens.child import ChildScreen
    from recorder.tui.screens.home import HomeScreen
    from recorder.tui.screens.signin import SignInScreen
    from tests.support.pilot import store_open

    written: list[Path] = []
    app = RecorderApp(svc, demo_accounts=ACCOUNTS, cursor_blink=False)

    async def save(name: str) -> None:
        await drawn(pilot)
        written.append(Path(app.save_screenshot(f"{name}.svg", str(out))))

    def rows(screen_class, table: str):
        return lambda: (
            isinstance(app.screen, screen_class)
            and app.screen.query_one(table, DataTable).row_count > 0
        )

    async with app.run_test(size=SIZE) as pilot:
        await store_open(pilot)
        await save("sign-in")
        await sign_in(pilot, "stu", "not my password")
        await save("sign-in-failed")
        await sign_in(pilot, "stu", PASSWORD)
        await wait_until(pilot, rows(HomeScreen, "#children"), timeout=10)
        await save("home")
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, SignInScreen), timeout=10)
        await sign_in(pilot, "sam", PASSWORD)
        await wait_until(pilot, rows(HomeScreen, "#children"), timeout=10)
        await save("caseload")
        # Amira's record (her visits); the caseload puts the soonest due first
        table = app.screen.query_one("#children")
        table.move_cursor(
            row=next(i for i, k in enumerate(table.rows) if str(table.get_row(k)[0]) == "C0001")
        )
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, rows(ChildScreen, "#visits"), timeout=10)
        await save("child")
        await _visit(pilot, made["nearly"], section=2)
        await save("visit")
        await pilot.press("escape")
        await _visit(pilot, made["started"])
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitDialog), timeout=10)
        await save("visit-submit-blocked")
        await pilot.press("escape", "escape")
        await _visit(pilot, made["returned"])
        await save("visit-returned")
        await pilot.press("escape")
        await _visit(pilot, made["awaiting"])
        await save("visit-awaiting")
        await pilot.press("escape")
        screen = await _visit(pilot, made["signed"])
        await pilot.press("end")
        view = screen.query_one("#readonly")
        await wait_until(
            pilot, lambda: view.max_scroll_y > 0 and view.scroll_y == view.max_scroll_y, timeout=10
        )
        await save("visit-signed-off")
        # her chronology (issue 13): every signed record, newest first
        from recorder.tui.screens.chronology import ChronologyScreen

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen), timeout=10)
        await pilot.press("h")
        await wait_until(pilot, rows(ChronologyScreen, "#chron-table"), timeout=10)
        await save("chronology")
        # a contact about her, and a police notification about a household (issue 13)
        from recorder.tui import navigation
        from recorder.tui.screens.contact import ContactScreen

        def fill(**values: str) -> None:
            from textual.widgets import TextArea

            for key, value in values.items():
                w = app.screen.query_one(f"#{key}")
                if isinstance(w, TextArea):
                    w.text = value
                else:
                    w.value = value

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen), timeout=10)
        navigation.contact_form(app, "C0001", about="Amira Khan")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactScreen), timeout=10)
        fill(
            referrer="Mrs Patel, designated safeguarding lead, Hill Primary",
            source="2A",
            concern="Amira said she is scared to go home; a bruise on her arm.",
            checked="Our records: open child protection plan. The GP practice.",
        )
        await save("contact-form")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen), timeout=10)
        navigation.contact_form(app, household=True)
        await wait_until(pilot, lambda: isinstance(app.screen, ContactScreen), timeout=10)
        fill(
            children="C0001\nYusuf Khan, 2021-06-01",
            referrer="PC 1234 Jones, Public Protection Unit",
            incident="2026-11-25",
            risk="medium",
            present="Amira and Yusuf were upstairs.",
            concern="Verbal argument between the parents; neighbours called the police.",
            checked="Police notification; our records.",
        )
        await save("contact-household")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChildScreen), timeout=10)
        # the idle lock (issue 14): the whole screen hidden, the password asked again
        from recorder.tui.dialogs.lock import LockScreen

        app.idle.lock()
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen), timeout=10)
        await save("locked")
    return written


async def _visit(pilot, visit_id: int, section: int | None = None):
    """Open a visit record over the current screen (as the signed-in worker)."""
    from textual.widgets import OptionList

    from recorder.domain.sections import SECTIONS
    from recorder.tui.screens.visit import VisitScreen

    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, VisitScreen), timeout=10)
    screen = VisitScreen(visit_id)
    await pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: screen.loaded, timeout=10)
    if section is not None:
        screen.query_one("#sections", OptionList).highlighted = section
        await wait_until(pilot, lambda: screen.section == SECTIONS[section].key.value)
    await visit_drawn(pilot, screen)
    return screen


def oversight_shots(folder: Path, out: Path) -> list[Path]:
    """Countersign and oversight screens, from a store of their own (the shots above keep
    theirs): Stu's records of a visit to Amira awaiting countersign, awaiting oversight, and
    signed off with a case-level oversight note."""
    from dataclasses import replace
    from datetime import timedelta

    from recorder.domain.supervision import CaseDiscussionInput, SupervisionInput
    from recorder.services import accounts, oversight, supervision, visits
    from recorder.tui import navigation
    from recorder.tui.app import RecorderApp
    from recorder.tui.screens.child import ChildScreen
    from recorder.tui.screens.home import HomeScreen
    from recorder.tui.screens.queues import QueueScreen
    from recorder.tui.screens.review.countersign import CountersignScreen
    from recorder.tui.screens.review.oversight import OversightScreen
    from recorder.tui.screens.signin import SignInScreen
    from recorder.tui.screens.team import TeamScreen
    from tests.support.pilot import store_open

    folder.mkdir(mode=0o700)
    svc, made = build_store(folder)
    stu, sam, maya = (_worker_id(svc, u) for u in ("stu", "sam", "maya"))
    amira = visits.load_visit(svc, sam, made["started"]).child_id

    def record() -> int:
        content = complete_content()
        content["seen"].update(
            seen_alone="no",
            not_alone_reason="unable",
            not_alone_detail="Her mother would not leave the room.",
        )
        vid = visits.start_visit(svc, stu, amira)
        fill(svc, stu, vid, content)
        reasons = {
            f.code: "Mother refused to leave; I will see Amira at school on Monday."
            for f in visits.load_visit(svc, stu, vid).findings
        }
        visits.submit(svc, stu, vid, query_reasons=reasons)
        return vid

    comment = "I read every section; the child's words are quoted and the plan is right for her."
    record()
    waiting = record()
    visits.countersign(svc, sam, waiting, comment, PASSWORD)
    signed = record()
    visits.countersign(svc, sam, signed, comment, PASSWORD)
    visits.sign_off(svc, maya, signed, oversight_note(flag_codes(svc, signed)), PASSWORD)
    oversight.add_case_note(
        svc, maya, amira, replace(oversight_note(), flag_responses={}), PASSWORD
    )
    # the service manager above North, and the team manager's own record waiting for her
    accounts.add_user(
        svc,
        _worker_id(svc, "ada"),
        username="rosa",
        full_name="Rosa Head",
        role="service_manager",
        password=PASSWORD,
        registration_number="SW400001",
        registration_checked_on=date(2026, 10, 1),
        manages=("North",),
    )
    sid = supervision.record_supervision(
        svc,
        maya,
        stu,
        SupervisionInput(
            svc.today() - timedelta(days=1),
            "Maya Manager, Stu Student",
            "Settling in well; tired after a long court day.",
            "Co-working Amira with Sam; no more children this month.",
            "Reflective log for the placement portfolio; a joint visit with Sam next week.",
            (
                CaseDiscussionInput(
                    amira,
                    "Keep the plan; Stu leads the next visit with Sam present.",
                    (
                        {
                            "what": "Book the next visit to Amira jointly with Sam",
                            "who": "Stu Student",
                            "by_when": (svc.today() + timedelta(days=7)).isoformat(),
                        },
                    ),
                    "Amira's wish to see her father at her nan's is now the contact plan.",
                ),
            ),
        ),
        PASSWORD,
    )
    written: list[Path] = []

    async def run() -> None:
        app = RecorderApp(svc, cursor_blink=False)

        async def save(name: str) -> None:
            await drawn(pilot)
            written.append(Path(app.save_screenshot(f"{name}.svg", str(out))))

        async def until(condition) -> None:
            await wait_until(pilot, condition, timeout=10)

        def on(screen_class):
            return lambda: isinstance(app.screen, screen_class)

        async def open_queue(key: str) -> None:
            await pilot.press(key)
            await until(lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded)

        async def open_review(cls) -> None:
            await pilot.press("enter")
            await until(lambda: isinstance(app.screen, cls) and app.screen.review is not None)

        async with app.run_test(size=SIZE) as pilot:
            await store_open(pilot)
            await sign_in(pilot, "sam", PASSWORD)
            await until(on(HomeScreen))
            await open_queue("f2")
            await save("countersign-queue")
            await open_review(CountersignScreen)
            await save("countersign")
            await pilot.press("escape", "escape")
            await until(on(HomeScreen))
            await pilot.press("ctrl+o")
            await until(on(SignInScreen))
            await sign_in(pilot, "maya", PASSWORD)
            await until(on(HomeScreen))
            await open_queue("f3")
            await save("oversight-queue")
            await open_review(OversightScreen)
            await save("oversight-note")
            await pilot.press("escape", "escape")
            await until(on(HomeScreen))
            await pilot.press("f4")
            await until(lambda: isinstance(app.screen, TeamScreen) and app.screen.team is not None)
            await save("team")
            # Enter on a worker, then on a child the manager does not hold
            table = app.screen.query_one("#team-table")
            keys = [
                table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)
            ]
            table.move_cursor(row=keys.index(str(sam)))
            await pilot.press("enter")
            await until(lambda: getattr(app.screen, "loaded", False))
            await pilot.press("enter")
            await until(
                lambda: isinstance(app.screen, ChildScreen) and app.screen.child_view is not None
            )
            await save("team-child")
            await pilot.press("escape", "escape", "escape")
            await until(on(HomeScreen))
            await app.push_screen(ChildScreen(amira))
            await until(
                lambda: isinstance(app.screen, ChildScreen) and app.screen.child_view is not None
            )
            await pilot.press("down")
            await save("child-signed-off")
            # supervision: the signed record (with Amira's case discussion), and Stu's home
            # with the directions for him (the countersign comments and the supervision action)
            await pilot.press("escape")
            await until(on(HomeScreen))
            navigation.supervision_record(app, sid)
            await until(lambda: getattr(app.screen, "record", None) is not None)
            await save("supervision-record")
            await pilot.press("escape")
            await until(on(HomeScreen))
            await pilot.press("ctrl+o")
            await until(on(SignInScreen))
            own = visits.start_visit(svc, maya, amira)  # after the shots above, not in them
            fill(svc, maya, own, complete_content())
            visits.submit(svc, maya, own)
            await sign_in(pilot, "rosa", PASSWORD)
            await until(on(HomeScreen))
            await open_queue("f3")  # the team manager's own record first, with why
            await save("service-manager-queue")
            await pilot.press("escape")
            await until(on(HomeScreen))
            await pilot.press("ctrl+o")
            await until(on(SignInScreen))
            await sign_in(pilot, "stu", PASSWORD)
            await until(on(HomeScreen))
            await until(lambda: app.screen.query_one("#for-you").loaded)
            await save("for-you")
            # the next visit's Actions section: the child's open actions, progress asked
            await _visit(pilot, visits.start_visit(svc, stu, amira), section=6)
            await save("visit-open-actions")

    try:
        asyncio.run(run())
    finally:
        svc.engine.dispose()
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--out",
        type=Path,
        default=ROOT / "screenshots",
        help="folder for the SVG files (default: screenshots/)",
    )
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="recorder-shots-") as tmp:
        os.environ["RECORDER_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["RECORDER_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ.pop("RECORDER_DATABASE_URL", None)
        svc, made = build_store(Path(tmp))
        try:
            written = asyncio.run(shoot(svc, made, args.out))
        finally:
            svc.engine.dispose()
        written += oversight_shots(Path(tmp) / "oversight", args.out)
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
