"""The real app sets Python's garbage collector for answering keys (recorder/tui/collector.py);
an app made without asking (as every test makes it) leaves the collector as it was."""

from __future__ import annotations

import gc

import pytest

from recorder.tui import collector
from tests.support.pilot import store_open, wait_until
from tests.support.stores import open_services
from tests.support.tui import SIZE


@pytest.fixture
def restored_collector():
    """The collector as tests/conftest.py set it, again afterwards."""
    before, frozen = gc.get_threshold(), gc.get_freeze_count() > 0
    yield
    gc.unfreeze()
    if frozen:
        gc.collect()
        gc.freeze()
    gc.set_threshold(*before)


@pytest.mark.parametrize("opened", ["by the app", "given"])
async def test_the_real_app_freezes_what_start_up_made(
    world_template, restored_collector, tmp_path, opened
):
    from recorder.tui.app import RecorderApp
    from tests.support.stores import copy_store

    url = copy_store(world_template[0], tmp_path / "recorder.sqlite3")
    opened_by_app = opened == "by the app"
    svc = None if opened_by_app else open_services(url)
    app = RecorderApp((lambda: open_services(url)) if opened_by_app else svc, tune_collector=True)
    gc.unfreeze()
    async with app.run_test(size=SIZE) as pilot:
        await store_open(pilot)
        await wait_until(pilot, lambda: gc.get_freeze_count() > 0)
        assert gc.get_threshold() == collector.THRESHOLDS
    if svc is not None:
        svc.engine.dispose()


async def test_an_app_in_a_test_leaves_the_collector_alone(make_app, restored_collector):
    gc.unfreeze()
    before = gc.get_threshold()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await store_open(pilot)
        await pilot.pause()
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_recorder_starts_the_app_with_the_collector_tuned(monkeypatch, restored_collector):
    import recorder.tui.app as tui_app
    from recorder.cli.app import start

    made = {}
    gc.set_threshold(700, 10, 10)  # Python's defaults

    class Recording:
        def __init__(self, *args, **kw):
            made.update(kw)
            # set before the app (and Textual, in a real start) is built: no full collection
            # while it starts (collector.starting)
            made["threshold"] = gc.get_threshold()

        def run(self):
            return None

    monkeypatch.setattr(tui_app, "RecorderApp", Recording)
    assert start(lambda: None) == 0
    assert made.get("tune_collector") is True
    assert made["threshold"] == collector.THRESHOLDS
