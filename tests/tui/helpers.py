"""Moved to ``tests.support.pilot``; this name is kept for importers not yet changed."""

from tests.support.pilot import *  # noqa: F401,F403
