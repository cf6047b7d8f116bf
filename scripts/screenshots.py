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
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

SIZE = (120, 40)
NOW = datetime(2026, 11, 26, 10, 30, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str


ACCOUNTS = [
    DemoAccount("sam", PASSWORD, "Social worker (registered)"),
    DemoAccount("stu", PASSWORD, "Student: needs qualified countersign"),
    DemoAccount("maya", PASSWORD, "Team manager"),
    DemoAccount("ada", PASSWORD, "Administrator: accounts only, no case records"),
]


def build_store(folder: Path):
    """A migrated SQLite store with a team, four accounts and a few children."""
    from recorder.domain.policy import Policy
    from recorder.services import accounts, children
    from recorder.services.accounts import Hasher
    from recorder.services.core import Services
    from recorder.store.engine import make_engine
    from recorder.store.migrate import upgrade

    engine = make_engine(f"sqlite:///{folder / 'recorder.sqlite3'}")
    upgrade(engine)
    # light argon2 settings: this store lives for a few seconds and holds no real data
    svc = Services(engine=engine, policy=Policy(), clock=lambda: NOW,
                   hasher=Hasher(time_cost=1, memory_cost=8, parallelism=1))
    admin = accounts.create_first_admin(svc, "ada", "Ada Admin", PASSWORD)
    accounts.add_team(svc, admin, "North")

    def add(username, name, role, reg=None, kind=None):
        accounts.add_user(svc, admin, username=username, full_name=name, role=role,
                          password=PASSWORD, team="North", registration_number=reg,
                          unqualified_kind=kind, registration_checked_on=date(2026, 10, 1))

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
        children.add_child(svc, admin, children.ChildInput(
            reference=ref, full_name=name, date_of_birth=dob, plan_type=plan, plan_start=start,
            team="North", allocated_worker=worker))
    from recorder.services.children import caseload

    sam = _worker_id(svc, "sam")
    amira = next(r for r in caseload(svc, sam) if r.reference == "C0001")
    return svc, _visits(svc, sam, _worker_id(svc, "maya"), amira.id)


def _visits(svc, sam: int, maya: int, child_id: int) -> dict[str, int]:
    """Amira's records in each state the screenshots show (content from the test factory)."""
    from recorder.domain.oversight import OversightInput
    from recorder.services import visits
    from tests.factories import complete_content

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
    visits.return_for_changes(svc, maya, made["returned"],
                              "Please add what the school said about attendance, and who "
                              "told you that the father has not visited.")
    made["signed"] = record(complete_content())
    visits.submit(svc, sam, made["signed"])
    with svc.reading() as s:
        from recorder.store.models import Visit

        codes = [f.code for f in visits.flags_for(s, svc, s.get(Visit, made["signed"]))]
    visits.sign_off(svc, maya, made["signed"], OversightInput(
        decision="Continue the plan; no change to the level of concern.",
        analysis=("Amira's basic care is met and she says she feels safer at home. The risk "
                  "from domestic abuse is lower while her father stays away, and contact "
                  "will be supervised at her grandmother's house as she asked."),
        risk="Neglect reduced; domestic abuse unchanged while contact is supervised.",
        actions=({"what": "Review contact arrangements", "who": "Sam Social",
                  "by_when": "2026-12-10"},),
        timeframe="Next supervision on 10 December 2026.",
        child_voice="Her wish to see her father at her nan's house decided where contact is.",
        flag_responses={c: "Discussed in supervision; acceptable." for c in codes}), PASSWORD)
    return made


def _worker_id(svc, username: str) -> int:
    from sqlmodel import select

    from recorder.store.models import Worker

    with svc.reading() as s:
        return s.exec(select(Worker.id).where(Worker.username == username)).one()


async def _until(pilot, condition, timeout: float = 10.0) -> None:
    waited = 0.0
    while not condition():
        if waited > timeout:
            raise RuntimeError("the app did not reach the expected screen")
        await pilot.pause(0.02)
        waited += 0.02
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _sign_in(pilot, username: str, password: str) -> None:
    from textual.widgets import Input

    screen = pilot.app.screen
    await _until(pilot, lambda: not screen.query_one("#username", Input).disabled)
    screen.query_one("#username", Input).value = username
    field = screen.query_one("#password", Input)
    field.value = password
    field.focus()
    await pilot.press("enter")
    await _until(pilot, lambda: not getattr(pilot.app.screen, "_busy", False))


async def shoot(svc, made: dict[str, int], out: Path) -> list[Path]:
    from textual.widgets import DataTable, Input

    from recorder.tui.dialogs.submit import SubmitDialog

    from recorder.tui.app import RecorderApp
    from recorder.tui.screens.child import ChildScreen
    from recorder.tui.screens.home import HomeScreen
    from recorder.tui.screens.signin import SignInScreen

    written: list[Path] = []

    def save(app, name: str) -> None:
        written.append(Path(app.save_screenshot(f"{name}.svg", str(out))))

    app = RecorderApp(svc, demo_accounts=ACCOUNTS, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: not app.screen.query_one("#username", Input).disabled)
        save(app, "sign-in")
        await _sign_in(pilot, "stu", "not my password")
        save(app, "sign-in-failed")
        await _sign_in(pilot, "stu", PASSWORD)
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen)
                     and app.screen.query_one("#children", DataTable).row_count > 0)
        save(app, "home")
        await pilot.press("ctrl+o")
        await _until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await _sign_in(pilot, "sam", PASSWORD)
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen)
                     and app.screen.query_one("#children", DataTable).row_count > 0)
        save(app, "caseload")
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, ChildScreen)
                     and app.screen.query_one("#visits", DataTable).row_count > 0)
        save(app, "child")
        await _visit(pilot, made["nearly"], section=2)
        save(app, "visit")
        await pilot.press("escape")
        await _visit(pilot, made["started"])
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: isinstance(app.screen, SubmitDialog))
        save(app, "visit-submit-blocked")
        await pilot.press("escape", "escape")
        await _visit(pilot, made["returned"])
        save(app, "visit-returned")
        await pilot.press("escape")
        await _visit(pilot, made["awaiting"])
        save(app, "visit-awaiting")
        await pilot.press("escape")
        await _visit(pilot, made["signed"])
        await pilot.press("end")
        await pilot.pause(0.2)
        save(app, "visit-signed-off")
    return written


async def _visit(pilot, visit_id: int, section: int | None = None) -> None:
    """Open a visit record over the current screen (as the signed-in worker)."""
    from textual.widgets import OptionList

    from recorder.tui.screens.visit import VisitScreen

    await _until(pilot, lambda: not isinstance(pilot.app.screen, VisitScreen))
    screen = VisitScreen(visit_id)
    await pilot.app.push_screen(screen)
    await _until(pilot, lambda: screen.loaded)
    if section is not None:
        screen.query_one("#sections", OptionList).highlighted = section
    await pilot.pause(0.3)


def oversight_shots(folder: Path, out: Path) -> list[Path]:
    """Countersign and oversight screens, from a store of their own (the shots above keep
    theirs): Stu's records of a visit to Amira awaiting countersign, awaiting oversight, and
    signed off with a case-level oversight note."""
    from dataclasses import replace

    from recorder.services import oversight, visits
    from recorder.tui.app import RecorderApp
    from recorder.tui.screens.child import ChildScreen
    from recorder.tui.screens.review.countersign import CountersignScreen
    from recorder.tui.screens.home import HomeScreen
    from recorder.tui.screens.review.oversight import OversightScreen
    from recorder.tui.screens.queues import QueueScreen
    from recorder.tui.screens.signin import SignInScreen
    from recorder.tui.screens.team import TeamScreen
    from tests.factories import complete_content
    from tests.test_services_visits import good_note

    folder.mkdir(mode=0o700)
    svc, made = build_store(folder)
    stu, sam, maya = (_worker_id(svc, u) for u in ("stu", "sam", "maya"))
    amira = visits.load_visit(svc, sam, made["started"]).child_id

    def record() -> int:
        content = complete_content()
        content["seen"].update(seen_alone="no", not_alone_reason="unable",
                               not_alone_detail="Her mother would not leave the room.")
        vid = visits.start_visit(svc, stu, amira)
        for section, data in content.items():
            visits.save_section(svc, stu, vid, section, data)
        reasons = {f.code: "Mother refused to leave; I will see Amira at school on Monday."
                   for f in visits.load_visit(svc, stu, vid).findings}
        visits.submit(svc, stu, vid, query_reasons=reasons)
        return vid

    comment = "I read every section; the child's words are quoted and the plan is right for her."
    record()
    waiting = record()
    visits.countersign(svc, sam, waiting, comment, PASSWORD)
    signed = record()
    visits.countersign(svc, sam, signed, comment, PASSWORD)
    with svc.reading() as s:
        from recorder.store.models import Visit

        codes = [f.code for f in visits.flags_for(s, svc, s.get(Visit, signed))]
    visits.sign_off(svc, maya, signed, good_note(codes), PASSWORD)
    oversight.add_case_note(svc, maya, amira, replace(good_note(), flag_responses={}), PASSWORD)
    written: list[Path] = []

    async def run() -> None:
        from textual.widgets import Input

        app = RecorderApp(svc, cursor_blink=False)

        def save(name: str) -> None:
            written.append(Path(app.save_screenshot(f"{name}.svg", str(out))))

        async def open_queue(key: str) -> None:
            await pilot.press(key)
            await _until(pilot, lambda: isinstance(app.screen, QueueScreen) and app.screen.loaded)

        async def open_review(cls) -> None:
            await pilot.press("enter")
            await _until(pilot, lambda: isinstance(app.screen, cls)
                         and app.screen.review is not None)
            await pilot.pause(0.2)

        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: not app.screen.query_one("#username", Input).disabled)
            await _sign_in(pilot, "sam", PASSWORD)
            await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await open_queue("f2")
            save("countersign-queue")
            await open_review(CountersignScreen)
            save("countersign")
            await pilot.press("escape", "escape")
            await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("ctrl+o")
            await _until(pilot, lambda: isinstance(app.screen, SignInScreen))
            await _sign_in(pilot, "maya", PASSWORD)
            await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await open_queue("f3")
            save("oversight-queue")
            await open_review(OversightScreen)
            save("oversight-note")
            await pilot.press("escape", "escape")
            await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("f4")
            await _until(pilot, lambda: isinstance(app.screen, TeamScreen)
                         and app.screen.team is not None)
            save("team")
            await pilot.press("escape")
            await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await app.push_screen(ChildScreen(amira))
            await _until(pilot, lambda: isinstance(app.screen, ChildScreen)
                         and app.screen.child_view is not None)
            await pilot.press("down")
            await pilot.pause(0.2)
            save("child-signed-off")

    try:
        asyncio.run(run())
    finally:
        svc.engine.dispose()
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=ROOT / "screenshots",
                   help="folder for the SVG files (default: screenshots/)")
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
