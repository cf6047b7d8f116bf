"""Tests of the Textual front end (pilot and snapshot)."""
