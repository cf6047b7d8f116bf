"""The app can paint its sign-in screen before SQLAlchemy is imported."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_app_loads_no_database_code():
    code = (
        "import sys, recorder.tui.app; "
        "bad = [m for m in ('sqlalchemy', 'sqlmodel', 'alembic', 'argon2') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
