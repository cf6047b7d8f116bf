"""Moved to ``tests.support.world``; this name is kept for importers not yet changed."""

from tests.support.world import *  # noqa: F401,F403
