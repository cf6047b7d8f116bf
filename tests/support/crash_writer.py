"""The writer for the crash harness (tests/test_crash.py): a process to be killed.

Run as ``python -m tests.support.crash_writer URL WARM_URL`` (WARM_URL: a copy of the store
to be spoilt). It imports everything once and works the whole workflow on the copy, then acts
as a fork server: for each ``run ROUND SEED`` line on stdin it forks a writer child and prints
``pid PID``; for ``reap PID`` it waits for that child (which the harness has killed with
SIGKILL) and prints ``done PID``. Forking a warmed-up process makes each writer start in a
few milliseconds instead of the ~0.5 s an interpreter takes to import SQLAlchemy.

A writer child opens its own engine on the SQLite store and works the visit workflow for
ever: a student starts visits and autosaves their sections, submits, a social worker
countersigns and a manager signs off. After each call returns (committed), it writes one
line ``ok {json}`` to stdout with a single ``write`` (a line under PIPE_BUF is atomic).

Autosaves of the observations section carry a token ``t<ROUND>.<N>`` (increasing) in both
of its text fields, so the harness can tell a whole save from a torn one.
"""

from __future__ import annotations

import json
import os
import random
import sys

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlmodel import select

from recorder.domain.policy import Policy
from recorder.services import queries, visits
from recorder.services.accounts import Hasher
from recorder.services.core import Services
from recorder.store.engine import make_engine
from recorder.store.models import Child, Visit, Worker
from tests.support.factories import complete_content
from tests.support.records import answer_progress, flag_codes, good_note
from tests.support.world import PASSWORD

COMMENT = "I checked every section and the child's words are quoted; agreed with the plan."
SEEN = "The kitchen was clean and stocked. Token {t} seen."
OPINION = "In my view the home is safe enough today. Token {t} opinion."


def observations(token: str) -> dict[str, str]:
    return {"seen": SEEN.format(t=token), "opinion": OPINION.format(t=token)}


def observations_section(token: str) -> dict:
    """The whole observations section of a complete record, with this token's text."""
    return {**complete_content()["observations"], **observations(token)}


def report(**fields) -> None:
    os.write(1, ("ok " + json.dumps(fields, sort_keys=True) + "\n").encode())


def services(url: str) -> Services:
    return Services(
        engine=make_engine(url),
        policy=Policy(),
        hasher=Hasher(time_cost=1, memory_cost=8, parallelism=1),
    )


def writer(svc: Services, round_: int, seed: int) -> None:
    """In a forked child: ``svc``'s engine was made in the fork server, which holds no
    connection of it (each child opens its own), and its compiled statements are cached."""
    rng = random.Random(seed)
    with svc.reading() as s:
        ids = {w.username: w.id for w in s.exec(select(Worker))}
        child = s.exec(select(Child.id)).first()
    student, sw, manager = ids["student"], ids["sw"], ids["manager"]
    n = 0

    def token() -> str:
        nonlocal n
        n += 1
        return f"t{round_}.{n}"

    def autosave(vid: int, section: str, data) -> None:
        version = visits.save_section(svc, student, vid, section, data)
        report(
            a="save",
            visit=vid,
            section=section,
            version=version,
            token=data["seen"].split()[-2] if section == "observations" else None,
        )

    while True:
        with svc.reading() as s:
            work = s.exec(
                select(Visit.id, Visit.state).where(Visit.state != "signed_off").order_by(Visit.id)
            ).all()
        drafts = [v for v, st in work if st == "draft"]
        if len(drafts) < 2 or rng.random() < 0.05:
            vid = visits.start_visit(svc, student, child)
            report(a="start", visit=vid)
            continue
        vid, state = rng.choice(work)
        if state == "draft":
            if rng.random() < 0.4:  # an autosave of the text being typed
                autosave(vid, "observations", observations_section(token()))
                continue
            # finish the record: save the sections not yet complete (in any order), submit
            content = complete_content()
            with svc.reading() as s:
                now = queries.visit_content(s, vid)
            seen = now["observations"].get("seen", "").split()
            content["observations"] = observations_section(
                seen[seen.index("Token") + 1] if "Token" in seen else token()
            )
            # the child's open actions (issue 13) each need a progress answer before submitting
            content = answer_progress(svc, vid, content)
            for section in rng.sample(list(content), len(content)):
                if now.get(section) != content[section]:
                    autosave(vid, section, content[section])
            result = visits.submit(svc, student, vid)
            report(a="submit", visit=vid, state=result.state.value)
        elif state == "awaiting_countersign":
            visits.countersign(svc, sw, vid, COMMENT, PASSWORD)
            report(a="countersign", visit=vid)
        elif state == "awaiting_oversight":
            visits.sign_off(svc, manager, vid, good_note(flag_codes(svc, vid)), PASSWORD)
            report(a="sign_off", visit=vid)


def warm_up(svc: Services, copy: str) -> None:
    """Run the whole workflow once with the writers' engine on a throwaway copy of the store
    (each connection it opens meanwhile goes to the copy's file), so every lazy import and
    the engine's compiled statements are there before the first fork: a writer then starts
    in milliseconds and its first call compiles nothing."""

    def to_the_copy(_dialect, _record, cargs, _cparams) -> None:
        cargs[0] = copy  # pysqlite connects to its first argument, the file

    event.listen(svc.engine, "do_connect", to_the_copy)
    try:
        _workflow(svc)
    finally:
        svc.engine.dispose()  # no connection to the copy is kept, none is handed to a child
        event.remove(svc.engine, "do_connect", to_the_copy)


def _workflow(svc: Services) -> None:
    with svc.reading() as s:
        ids = {w.username: w.id for w in s.exec(select(Worker))}
        child = s.exec(select(Child.id)).one()
    vid = visits.start_visit(svc, ids["student"], child)
    for section, data in answer_progress(svc, vid, complete_content()).items():
        visits.save_section(svc, ids["student"], vid, section, data)
    visits.submit(svc, ids["student"], vid)
    visits.countersign(svc, ids["sw"], vid, COMMENT, PASSWORD)
    visits.sign_off(svc, ids["manager"], vid, good_note(flag_codes(svc, vid)), PASSWORD)


def serve(url: str, warm_url: str) -> None:
    out = sys.stdout
    svc = services(url)
    warm_up(svc, str(make_url(warm_url).database))
    for line in sys.stdin:
        cmd, *args = line.split()
        if cmd == "run":
            out.flush()
            pid = os.fork()
            if pid == 0:  # the writer child: never returns
                try:
                    writer(svc, int(args[0]), int(args[1]))
                except BaseException:  # noqa: BLE001 - test data only; the harness fails
                    import traceback

                    traceback.print_exc()
                finally:
                    os._exit(1)
            out.write(f"pid {pid}\n")
            out.flush()
        elif cmd == "reap":
            _, status = os.waitpid(int(args[0]), 0)
            out.write(f"done {args[0]} {status}\n")
            out.flush()
        elif cmd == "quit":
            return


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
