"""Moved to ``tests.support.factories``; this name is kept for importers not yet changed."""

from tests.support.factories import *  # noqa: F401,F403
