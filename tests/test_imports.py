"""Import hygiene: fast start-up and clean layers, checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("textual", "sqlalchemy", "sqlmodel")


def loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_help_and_version_import_neither_textual_nor_sqlalchemy_nor_rich():
    for flag in ("--help", "--version"):
        code = (
            "import sys, io, contextlib\n"
            f"sys.argv = ['recorder', '{flag}']\n"
            "from recorder.cli import main\n"
            "buf = io.StringIO()\n"
            "with contextlib.redirect_stdout(buf):\n"
            "    try:\n        main()\n    except SystemExit:\n        pass\n"
            "assert 'recorder' in buf.getvalue()\n"
        )
        loaded = top_level(loaded_after(code))
        for heavy in (*HEAVY, "rich"):
            assert heavy not in loaded, f"recorder {flag} imported {heavy}"


def test_help_runs_as_a_program():
    out = subprocess.run(
        [sys.executable, "-m", "recorder", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.startswith("recorder ")


def test_domain_imports_no_textual_and_no_storage():
    loaded = loaded_after(
        "import recorder.domain.roles, recorder.domain.sections, recorder.domain.validation, "
        "recorder.domain.workflow, recorder.domain.timescales, recorder.domain.content, "
        "recorder.domain.flags, recorder.domain.oversight, recorder.domain.policy, recorder.domain.text, "
        "recorder.domain.signing\n"
        "from recorder.domain import timescales; from datetime import date; "
        "timescales.working_days_for('ENG').add_working_days(date(2026, 1, 1), 3)"
    )
    assert not top_level(loaded) & set(HEAVY)
    assert not {
        m for m in loaded if m.startswith(("recorder.store", "recorder.services", "recorder.tui"))
    }


def test_services_import_no_textual():
    loaded = loaded_after(
        "import recorder.services.core, recorder.services.accounts, recorder.services.children, "
        "recorder.services.visits, recorder.services.bootstrap, recorder.demo.team, "
        "recorder.demo.bulk"
    )
    assert "textual" not in top_level(loaded)
    assert not {m for m in loaded if m.startswith("recorder.tui")}


def test_the_demo_accounts_import_nothing_heavy():
    """The sign-in screen lists the demo accounts before the store (SQLAlchemy) is loaded."""
    loaded = loaded_after("from recorder.demo.people import demo_accounts; demo_accounts()")
    assert not top_level(loaded) & set(HEAVY)
    assert not {
        m
        for m in loaded
        if m.startswith("recorder.") and m not in ("recorder.demo", "recorder.demo.people")
    }


def test_store_imports_no_textual_and_no_services():
    loaded = loaded_after(
        "import recorder.store.models, recorder.store.engine, recorder.store.migrate"
    )
    assert "textual" not in top_level(loaded)
    assert not {m for m in loaded if m.startswith(("recorder.services", "recorder.tui"))}
