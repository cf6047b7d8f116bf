"""SVG snapshots of each screen (pytest-textual-snapshot).

Deterministic: a fixed terminal size, the Services clock frozen (ages are computed from
it), the input cursor not blinking, a private copy of the test store. Review a changed
snapshot in snapshot_report.html, then accept it with ``pytest tests/tui --snapshot-update``.
snap_compare must be called from plain (sync) tests; ``run_before`` drives the app.
"""

from __future__ import annotations

from tests.support.pilot import drawn, home_loaded, sign_in, store_open, wait_until
from tests.support.tui import DEMO_ACCOUNTS, SIZE
from tests.support.world import PASSWORD


class TestSignIn:
    def test_sign_in_with_demo_accounts(self, snap_compare, make_app):
        async def run_before(pilot):
            await store_open(pilot)
            await drawn(pilot)

        assert snap_compare(
            make_app(demo_accounts=DEMO_ACCOUNTS), terminal_size=SIZE, run_before=run_before
        )

    def test_sign_in_failed(self, snap_compare, make_app):
        async def run_before(pilot):
            await sign_in(pilot, "student", "not my password")
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


class TestHome:
    def test_home_of_a_student(self, snap_compare, make_app):
        async def run_before(pilot):
            await sign_in(pilot, "student", PASSWORD)
            await home_loaded(pilot)
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_help_on_the_home_screen(self, snap_compare, make_app):
        async def run_before(pilot):
            from recorder.tui.dialogs.help import HelpScreen

            await sign_in(pilot, "sw", PASSWORD)
            await home_loaded(pilot)
            await pilot.press("f1")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
            await drawn(pilot)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
