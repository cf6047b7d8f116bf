"""Reusable widgets of the recorder TUI."""
