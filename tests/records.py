"""Moved to ``tests.support.records``; this name is kept for importers not yet changed."""

from tests.support.records import *  # noqa: F401,F403
