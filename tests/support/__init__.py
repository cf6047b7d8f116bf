"""Test support: everything the tests share, in one place, and nothing that is a test.

- ``clock``: the frozen clock every store is made with.
- ``stores``: a migrated store on SQLite or PostgreSQL with cheap password hashing, copies
  of a finished store, a fresh PostgreSQL schema.
- ``world``: the small team the service, stateful and TUI tests use.
- ``factories``: a complete, valid visit record and its context.
- ``records``: visits taken through the workflow by the services.
- ``tui``: the TUI tests' world (the world plus the student's children), terminal size and
  demo accounts.
- ``pilot``: driving the app with Textual's Pilot: waiting for conditions, signing in.
- ``terminal``: a real pseudo-terminal with a VT100 screen (pyte), for the pty tests.
- ``crash_writer``: the writer process the crash harness kills.

``scripts/screenshots.py`` builds on these too; nothing here imports a test module.
"""
