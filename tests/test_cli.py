"""The administration commands, run as a user would run them (subprocesses, SQLite)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from recorder.cli import main
from recorder.services import accounts
from recorder.services.bootstrap import open_services

ADMIN_PW = "admin password 1"


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(monkeypatch, capsys):
    """Run ``recorder ARGS`` in this process (as the console script does), capturing output.
    Passwords are hashed with the suite's cheap argon2 parameters (tests/support/stores.py)
    instead of argon2-cffi's defaults: each command checks the administrator's password, and
    at the defaults that was most of these tests' time."""
    from tests.support.stores import fast_hasher

    cheap = fast_hasher()

    def _run(data_dir, *args, env=None):
        with monkeypatch.context() as m:
            m.setattr(accounts, "_default_hasher", cheap)
            for k, v in {
                "RECORDER_DATA_DIR": str(data_dir),
                "RECORDER_ADMIN": "admin",
                "RECORDER_ADMIN_PASSWORD": ADMIN_PW,
                **(env or {}),
            }.items():
                m.setenv(k, v)
            m.setattr(sys.stdin, "isatty", lambda: False, raising=False)
            code = main(list(args))
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return _run


def test_the_console_script_runs(tmp_path):
    e = {**os.environ, "RECORDER_DATA_DIR": str(tmp_path)}
    r = subprocess.run(
        [sys.executable, "-m", "recorder", "team", "add", "X"],
        capture_output=True,
        text=True,
        env=e,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 1 and "no accounts" in r.stderr and "Traceback" not in r.stderr


@pytest.fixture
def store(tmp_path):
    data = tmp_path / "data"
    svc = open_services(data)
    accounts.create_first_admin(svc, "admin", "Ada Admin", ADMIN_PW)
    svc.engine.dispose()
    return data


def ok(result):
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(result):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("recorder: ")
    return result.stderr


def test_team_users_children_and_allocation(run, store, tmp_path):
    ok(run(store, "team", "add", "North"))
    pw = {"RECORDER_NEW_PASSWORD": "worker password 1"}
    ok(
        run(
            store,
            "user",
            "add",
            "priya",
            "--name",
            "Priya Shah",
            "--role",
            "social_worker",
            "--registration",
            "SW123456",
            "--team",
            "North",
            env=pw,
        )
    )
    ok(
        run(
            store,
            "user",
            "add",
            "stu",
            "--name",
            "Stu Dent",
            "--role",
            "unqualified",
            "--kind",
            "student",
            "--team",
            "North",
            env=pw,
        )
    )
    listing = ok(run(store, "user", "list"))
    assert "SW123456" in listing and "Needs qualified countersign" in listing
    ok(
        run(
            store,
            "child",
            "add",
            "C1",
            "--name",
            "Ioana Popescu",
            "--dob",
            "2015-04-01",
            "--plan",
            "child_in_need",
            "--plan-start",
            "2026-01-05",
            "--language",
            "Romanian",
            "--interpreter",
            "--team",
            "North",
        )
    )
    ok(run(store, "allocate", "C1", "priya"))
    ok(run(store, "user", "set-registration", "priya", "SW654321", "--checked-on", "2026-11-01"))
    ok(run(store, "user", "set-role", "stu", "social_worker", "--registration", "SW777"))
    assert "SW777" in ok(run(store, "user", "list"))
    ok(
        run(
            store,
            "user",
            "reset-password",
            "stu",
            env={"RECORDER_NEW_PASSWORD": "another password"},
        )
    )
    ok(run(store, "user", "unlock", "stu"))


def test_clear_one_line_refusals(run, store, tmp_path):
    assert "SW followed by digits" in refused(
        run(
            store,
            "user",
            "add",
            "x",
            "--name",
            "X",
            "--role",
            "social_worker",
            "--registration",
            "12",
            env={"RECORDER_NEW_PASSWORD": "worker password 1"},
        )
    )
    assert "do not match" in refused(
        run(store, "team", "add", "T", env={"RECORDER_ADMIN_PASSWORD": "wrong"})
    )
    assert "not a date" in refused(
        run(store, "child", "add", "C9", "--name", "N", "--dob", "31/12/2015")
    )
    assert "no child" in refused(run(store, "allocate", "C404", "admin"))


def test_csv_import_reports_the_line_and_writes_nothing(run, store, tmp_path):
    ok(run(store, "team", "add", "North"))
    good = tmp_path / "good.csv"
    good.write_text(
        "reference,full_name,date_of_birth,plan_type,plan_start,team\n"
        "A1,李明,2012-03-04,child_protection,2026-10-01,North\n"
        "A2,Zofia Wiśniewska,2019-11-30,none,,North\n",
        encoding="utf-8",
    )
    assert "Imported 2 children" in ok(run(store, "child", "import", str(good)))
    bad = tmp_path / "bad.csv"
    bad.write_text("reference,full_name,date_of_birth\nB1,Ann,2015-01-01\nB2,Bob,not-a-date\n")
    message = refused(run(store, "child", "import", str(bad)))
    assert "Line 3" in message and "Nothing was imported" in message
    assert "B1" not in ok(run(store, "user", "list"))  # sanity: the store still answers
    missing = refused(run(store, "child", "import", str(tmp_path / "nope.csv")))
    assert "cannot read" in missing


def test_admin_commands_on_an_empty_store_explain_what_to_do(run, tmp_path):
    msg = refused(run(tmp_path / "empty", "team", "add", "North"))
    assert "no accounts" in msg


def test_policy_show_prints_the_defaults(run, tmp_path):
    out = ok(run(tmp_path, "policy", "show"))
    assert "cp_visit_working_days = 10" in out and "[visits]" in out


def test_a_bad_policy_file_is_one_clear_line(run, tmp_path):
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "policy.toml").write_text("[visits]\ncp_visit_working_days = 'ten'\n")
    msg = refused(run(tmp_path, "policy", "show", env={"RECORDER_CONFIG_DIR": str(cfg)}))
    assert "cp_visit_working_days" in msg


def test_user_list_lines_up_after_chinese_and_arabic_names(run, store):
    from rich.cells import cell_len

    pw = {"RECORDER_NEW_PASSWORD": "worker password 1"}
    for username, name in (("li", "李明华"), ("fatima", "فاطمة الزهراء"), ("ann", "Ann Lee")):
        ok(
            run(
                store,
                "user",
                "add",
                username,
                "--name",
                name,
                "--role",
                "social_worker",
                "--registration",
                "SW123456",
                env=pw,
            )
        )
    listing = ok(run(store, "user", "list"))
    assert "\x1b" not in listing  # not a terminal: text only
    lines = listing.splitlines()
    rows = [line for line in lines if " social_worker " in line]
    assert len(rows) == 3 and "李明华" in listing and "فاطمة الزهراء" in listing
    # the role column starts at the same terminal cell on every row and in the header
    starts = {cell_len(line[: line.index(" social_worker ") + 1]) for line in rows}
    starts.add(cell_len(lines[0][: lines[0].index(" role ") + 1]))
    assert len(starts) == 1, listing
    assert all(line == line.rstrip() for line in lines)


def test_tables_are_text_on_a_terminal_with_no_color_and_never_markup():
    import io

    from recorder.cli.output import print_table
    from recorder.settings import Settings

    class Tty(io.StringIO):
        def isatty(self):
            return True

    rows = [("x", "[bold]Ann[/] \x1b]0;title\x07Lee")]
    plain = Tty()
    print_table(Settings(no_color=True), ("username", "name"), rows, stream=plain)
    assert "\x1b" not in plain.getvalue() and "[bold]Ann[/] " in plain.getvalue()
    styled = Tty()
    print_table(Settings(), ("username", "name"), rows, stream=styled)
    assert "\x1b[1m" in styled.getvalue()  # a terminal without NO_COLOR: a bold header
    assert "\x1b]0;" not in styled.getvalue() and "[bold]Ann[/] " in styled.getvalue()


def test_output_cut_short_by_its_reader_is_not_an_error_message(store):
    """``recorder user list | head -1``: the reader goes away, recorder stops quietly."""
    env = {
        **os.environ,
        "RECORDER_DATA_DIR": str(store),
        "RECORDER_ADMIN": "admin",
        "RECORDER_ADMIN_PASSWORD": ADMIN_PW,
    }
    p = subprocess.Popen(
        [sys.executable, "-m", "recorder", "user", "list"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    p.stdout.close()  # before anything is written: the first write finds no reader
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 1
    assert err == ""


def test_defect_12_a_huge_policy_number_is_one_clear_line_not_an_overflow(run, tmp_path):
    """Issue 12, defect 12: ``cp_visit_working_days = 100000000000`` was accepted on e26c997
    (and then broke the caseload with OverflowError); every command now refuses the file in
    one line naming the key and its range."""
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "policy.toml").write_text("[visits]\ncp_visit_working_days = 100000000000\n")
    msg = refused(run(tmp_path, "policy", "show", env={"RECORDER_CONFIG_DIR": str(cfg)}))
    assert len(msg.strip().splitlines()) == 1
    assert "cp_visit_working_days must be a whole number from 1 to 20" in msg


def test_policy_show_says_what_each_number_allows(run, tmp_path):
    out = ok(run(tmp_path, "policy", "show"))
    assert "cp_visit_working_days = 10\n# Allowed: 1 to 20.\n" in out


def test_allocation_refuses_a_student_and_co_workers_are_named_and_ended(run, store):
    """Issue 12, defect 6: the allocated worker is registered; a student is a co-worker
    (DOMAIN.md "Case holding"). The refusal names the commands that fix it."""
    ok(run(store, "team", "add", "North"))
    pw = {"RECORDER_NEW_PASSWORD": "worker password 1"}
    for args in (
        ("priya", "--name", "Priya Shah", "--role", "social_worker", "--registration", "SW12"),
        ("stu", "--name", "Stu Dent", "--role", "unqualified", "--kind", "student"),
    ):
        ok(run(store, "user", "add", *args, "--team", "North", env=pw))
    ok(
        run(
            store, "child", "add", "C1", "--name", "Ioana", "--dob", "2015-04-01", "--team", "North"
        )
    )
    why = refused(run(store, "allocate", "C1", "stu"))
    assert "Stu Dent (unqualified worker (student)) cannot hold a case" in why
    assert "recorder child co-worker add C1 stu" in why
    ok(run(store, "allocate", "C1", "priya"))
    assert "stu is now a co-worker on C1" in ok(
        run(store, "child", "co-worker", "add", "C1", "stu")
    )
    assert "already a co-worker" in refused(run(store, "child", "co-worker", "add", "C1", "stu"))
    ok(run(store, "child", "co-worker", "end", "C1", "stu"))
    assert "not a co-worker" in refused(run(store, "child", "co-worker", "end", "C1", "stu"))


def test_what_an_upgrade_changed_is_printed_once(run, store):
    """Migration 0010's notices (a child moved from an unqualified holder) are printed by the
    first command after the upgrade, and never again."""
    from datetime import datetime, timezone

    from sqlmodel import Session

    from recorder.store.engine import make_engine, writer
    from recorder.store.models import UpgradeNotice

    engine = make_engine(f"sqlite:///{store / 'recorder.sqlite3'}")
    with Session(writer(engine)) as s, s.begin():
        s.add(
            UpgradeNotice(
                revision="0010",
                message="Child C1 was held by Stu Dent (student) ...",
                created_at=datetime.now(timezone.utc),
            )
        )
    engine.dispose()
    first = run(store, "user", "list")
    assert first.returncode == 0
    assert "recorder: Child C1 was held by Stu Dent (student) ..." in first.stderr
    again = run(store, "user", "list")
    assert again.returncode == 0 and "Child C1" not in again.stderr


def test_user_list_says_an_unverified_registration_and_how_to_fix_it(run, store):
    """Issue 12, defect 7: `recorder user list` names an account whose register check was
    before Social Work England's last renewal deadline, and the command that fixes it; ASYE
    is set with `user add --asye` and shown."""
    ok(run(store, "team", "add", "North"))
    pw = {"RECORDER_NEW_PASSWORD": "worker password 1"}
    ok(
        run(
            store,
            *("user", "add", "lucy", "--name", "Lucy Marsh", "--role", "social_worker"),
            *("--registration", "SW126610", "--checked-on", "2020-08-18", "--team", "North"),
            env=pw,
        )
    )
    ok(
        run(
            store,
            *("user", "add", "nia", "--name", "Nia Rees", "--role", "social_worker"),
            *("--registration", "SW5", "--team", "North", "--asye", "2026-09-01"),
            env=pw,
        )
    )
    listing = ok(run(store, "user", "list"))
    lucy = next(line for line in listing.splitlines() if line.startswith("lucy"))
    assert "UNVERIFIED (last checked on 18 Aug 2020" in lucy
    assert "recorder user check-registration lucy --on DATE" in lucy
    nia = next(line for line in listing.splitlines() if line.startswith("nia"))
    assert "ASYE from 2026-09-01" in nia and "UNVERIFIED" not in nia
    ok(run(store, "user", "check-registration", "lucy"))
    assert "UNVERIFIED" not in ok(run(store, "user", "list"))


HOSTILE = "\x1b]0;owned\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\u202e"


def test_what_the_cli_prints_from_a_file_an_argument_or_the_store_is_cleaned(run, store, tmp_path):
    """Issue 14: a CSV header holding ESC ] 0 ; ... reached the administrator's terminal raw."""
    bad = tmp_path / "hostile.csv"
    bad.write_text(f"reference,full_name,date_of_birth,{HOSTILE}colour\nB1,Ann,2015-01-01\n")
    message = refused(run(store, "child", "import", str(bad)))
    assert "unknown column" in message and "colour" in message
    ok(run(store, "team", "add", f"North{HOSTILE}"))
    said = ok(run(store, "team", "add", f"South{HOSTILE}"))
    listed = ok(run(store, "user", "list"))
    for text in (message, said, listed, refused(run(store, "allocate", f"C{HOSTILE}", "x"))):
        assert not any(c in text for c in "\x1b\x07\x9b\u202e"), repr(text)
    assert "South" in said


def test_a_data_folder_that_is_a_file_or_read_only_is_one_line(run, tmp_path, monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    for folder in (afile, afile / "sub"):
        r = run(folder, "user", "list")
        line = refused(r).strip()
        assert "\n" not in line and "Error" not in line, line
        assert f"the data folder {folder} is a file" in line and "--data-dir" in line
    # read-only: as the kernel says it (root may write anywhere, so the refusal is injected
    # where the store's file is made)
    import errno

    import recorder.store.engine as engine

    for code in (errno.EACCES, errno.EROFS):

        def refuse(path, code=code):
            raise OSError(code, os.strerror(code), str(path))

        monkeypatch.setattr(engine, "ensure_private_file", refuse)
        line = refused(run(tmp_path / "ro", "user", "list")).strip()
        assert "\n" not in line and "Error" not in line, line
        assert f"the data folder {tmp_path / 'ro'} cannot be written to" in line
