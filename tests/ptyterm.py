"""Moved to ``tests.support.terminal``; this name is kept for importers not yet changed."""

from tests.support.terminal import *  # noqa: F401,F403
