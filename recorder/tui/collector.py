"""Python's cyclic garbage collector, set for an interactive app that must answer a key at once.

With Python's default thresholds the collector runs a full collection whenever enough objects
have outlived two younger ones, and a full collection scans everything alive: Textual, SQLAlchemy,
every widget. Measured on 2026-12-03 with ``tests/benchmarks/run.py``'s screens driven headless
on a 40,500-visit store (load average 3 from other work): 32 full collections of about 0.45 s
each, 14.6 s of the 18 s spent collecting, each landing in whatever screen was opening (the
slowest child open 823 ms against a median of 279 ms). With everything alive once the store is
open frozen out of the collector's sight and these thresholds: one full collection, 3.2 s in
all, and the child's median 123 ms in a run at the same load.

Start-up is tuned too (``starting``): while Textual is imported and the sign-in screen built,
the default thresholds had the collector run 107 young, 10 middle and
one full collection before the first frame, 42 ms of CPU of about 500 (measured 2026-12-03 with
``gc.callbacks`` in a pseudo-terminal, load average 5 from other work); a bare Textual app spends
19 ms so. With these thresholds from the start there is no full collection before the first
frame; ``settle`` then collects once, behind the sign-in screen.

Only the real app does this (``recorder`` and each ``recorder serve`` session): tests start
hundreds of apps in one process, and freezing there would keep each one's garbage for ever.
"""

from __future__ import annotations

import gc

#: the young generation is collected every 20,000 allocations (about 10 ms each here), the
#: middle one every 20 of those, and a full collection after 100 of the middle one's
THRESHOLDS = (20_000, 20, 100)


def starting() -> None:
    """Before Textual is imported: no full collection while the app starts (``settle`` makes one
    behind the sign-in screen)."""
    gc.set_threshold(*THRESHOLDS)


def settle() -> None:
    """Collect what start-up left, then freeze what is alive (modules, the store's engine, the
    sign-in screen) so that no later collection scans it again."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
