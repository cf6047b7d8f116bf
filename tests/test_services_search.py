"""Search across the authority (issue 15 item 3), on SQLite and PostgreSQL: every child the
reader may open (the read rule, exactly), by part of a name or reference, case and accents
folded, closest first, at most 50, audited as a view of names."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlalchemy import select, text

from recorder.domain.roles import Actor, Role
from recorder.domain.workflow import in_reach, reach_of
from recorder.services import accounts, children, search
from recorder.services.errors import NotAllowed
from recorder.store.engine import writer
from recorder.store.models import AuditEvent
from recorder.store.search_key import fold
from tests.support.world import PASSWORD, build_world


@pytest.fixture
def world(svc):
    return build_world(svc)


def add(svc, world, ref, name, team="North", worker=None) -> int:
    return children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference=ref,
            full_name=name,
            date_of_birth=date(2015, 1, 1),
            team=team,
            allocated_worker=worker,
        ),
    )


def names(svc, actor, query, **kw) -> list[str]:
    return [h.name for h in search.find_children(svc, actor, query, **kw)]


def audits(svc) -> list[AuditEvent]:
    with svc.reading() as s:
        rows = s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
        return [e for e in rows if e.action == "view_search"]


# -- the rule, as a set --------------------------------------------------------------------------
def test_reach_covers_exactly_the_children_the_read_rule_allows():
    teams = (None, 1, 2, 3)
    workers = (None, 10, 11)
    actors = [
        Actor(10, "Sam", Role.SOCIAL_WORKER, team_id=1, registration_number="SW1"),
        Actor(10, "Sam", Role.SOCIAL_WORKER, team_id=None, registration_number="SW1"),
        Actor(11, "Stu", Role.UNQUALIFIED, team_id=2),
        Actor(12, "Maya", Role.TEAM_MANAGER, team_id=1, registration_number="SW2"),
        Actor(12, "Maya", Role.TEAM_MANAGER, team_id=1),  # no number: manages nothing
        Actor(13, "Rosa", Role.SERVICE_MANAGER, None, "SW3", service_team_ids=frozenset({2, 3})),
        Actor(1, "Ada", Role.ADMINISTRATOR),
    ]
    for a, t, w in itertools.product(actors, teams, workers):
        assert reach_of(a).covers(t, w) == in_reach(a, t, w), (a, t, w)


# -- finding ---------------------------------------------------------------------------------
def test_part_of_any_word_case_and_accents_folded(svc, world):
    add(svc, world, "N100", "Łucja Wójcik", worker="sw")
    add(svc, world, "N101", "Ștefan Ţăranu")
    add(svc, world, "N102", "Zoë Ängström-Smith")
    add(svc, world, "N103", "محمد علي")
    add(svc, world, "N104", "李小龙")
    for query in ("ucja", "lucja", "ŁUCJA", "wojcik", "WÓJ", "cja woj", "woj luc"):
        assert names(svc, world.sw, query) == ["Łucja Wójcik"], query
    assert names(svc, world.sw, "taranu") == ["Ștefan Ţăranu"]
    assert names(svc, world.sw, "stefan") == ["Ștefan Ţăranu"]
    assert names(svc, world.sw, "angstrom smith") == ["Zoë Ängström-Smith"]
    assert names(svc, world.sw, "zoe") == ["Zoë Ängström-Smith"]
    assert names(svc, world.sw, "علي") == ["محمد علي"]
    assert names(svc, world.sw, "小龙") == ["李小龙"]  # two letters: below the trigram index
    assert names(svc, world.sw, "lucja nobody") == []
    assert names(svc, world.sw, "   ") == []


def test_by_part_of_the_reference_and_short_words(svc, world):
    add(svc, world, "REF-7781", "Li Wu")
    add(svc, world, "REF-7790", "Olivia Brown")
    assert names(svc, world.sw, "7781") == ["Li Wu"]
    assert names(svc, world.sw, "ref-77") == ["Li Wu", "Olivia Brown"]
    assert names(svc, world.sw, "li") == ["Li Wu"]  # two letters: the start of a word only
    assert names(svc, world.sw, "oli") == ["Olivia Brown"]
    assert names(svc, world.sw, "br ol") == ["Olivia Brown"]
    assert names(svc, world.sw, "wu") == ["Li Wu"]
    assert names(svc, world.sw, "C0001") == ["Amira Khan"]


def test_wildcards_and_quotes_are_letters(svc, world):
    add(svc, world, "P%1", 'Ann "Nan" O_Neil')
    add(svc, world, "P21", "Annie Oneil")
    assert names(svc, world.sw, "o_n") == ['Ann "Nan" O_Neil']
    assert names(svc, world.sw, "p%") == ['Ann "Nan" O_Neil']
    assert names(svc, world.sw, "%") == []
    assert names(svc, world.sw, '"nan"') == ['Ann "Nan" O_Neil']
    assert names(svc, world.sw, "[/] \x1b]0;x\x07") == []  # markup and escapes: no error


def test_closest_first_and_at_most_the_limit(svc, world):
    for i in range(60):
        add(svc, world, f"M{i:03d}", f"Child {i:02d} Morgan")
    add(svc, world, "M900", "Morgan Price")
    add(svc, world, "M901", "Amorgana Lee")
    add(svc, world, "M902", "Lee Morgana", worker="sw")
    found = names(svc, world.sw, "morgan")
    assert len(found) == search.LIMIT
    assert found[:3] == ["Morgan Price", "Lee Morgana", "Child 00 Morgan"]
    assert "Amorgana Lee" not in found  # inside a word: after every word that starts with it
    assert names(svc, world.sw, "morgan", limit=2) == ["Morgan Price", "Lee Morgana"]
    assert names(svc, world.sw, "M901") == ["Amorgana Lee"]


# -- who finds whom ----------------------------------------------------------------------------
def test_the_read_rule_exactly(svc, world):
    add(svc, world, "S1", "Sami South", team="South", worker="southsw")
    add(svc, world, "N2", "Sami North")  # North, held by nobody
    # a worker reads every child of their team (may_read_child), not another team's
    assert names(svc, world.sw, "sami") == ["Sami North"]
    assert names(svc, world.student, "sami") == ["Sami North"]
    assert names(svc, world.other_team_sw, "sami") == ["Sami South"]
    assert names(svc, world.manager, "sami") == ["Sami North"]
    head = accounts.add_user(
        svc,
        world.admin,
        username="head",
        full_name="Rosa Head",
        role="service_manager",
        password=PASSWORD,
        registration_number="SW400001",
        registration_checked_on=date(2026, 10, 1),
        manages=("North", "South"),
    )
    assert names(svc, head, "sami") == ["Sami North", "Sami South"]
    with pytest.raises(NotAllowed, match="Administrators"):
        search.find_children(svc, world.admin, "sami")
    assert audits(svc)[-1].outcome == "refused"


def test_a_child_moved_to_another_team_or_renamed_is_found_as_they_are_now(svc, world):
    kid = add(svc, world, "N5", "Kacper Nowak")
    with svc.reading() as s:
        south = s.execute(text("SELECT id FROM team WHERE name = 'South'")).scalar_one()
    with writer(svc.engine).begin() as c:
        c.execute(
            text("UPDATE child SET team_id = :t, full_name = 'Kasper Nowakowski' WHERE id = :k"),
            {"t": south, "k": kid},
        )
    assert names(svc, world.sw, "nowak") == []
    assert names(svc, world.other_team_sw, "kacper") == []
    assert names(svc, world.other_team_sw, "nowakow") == ["Kasper Nowakowski"]


# -- the audit ---------------------------------------------------------------------------------
def test_names_beyond_the_readers_caseload_are_audited_without_the_words(svc, world):
    own = add(svc, world, "N7", "Hania Own", worker="sw")
    other = add(svc, world, "N8", "Hania Other", worker="sw2")
    before = len(audits(svc))
    assert names(svc, world.sw, "own hania") == ["Hania Own"]
    assert len(audits(svc)) == before  # only their own child: as reading the caseload
    assert names(svc, world.sw, "hania") == ["Hania Own", "Hania Other"]  # their own first
    event = audits(svc)[-1]
    assert (event.actor_id, event.outcome, event.entity_id) == (world.sw, "ok", world.sw)
    assert event.detail == f"rows=2 children={own},{other}"
    assert "hania" not in event.detail.lower()


def test_the_fold_is_the_same_in_the_database(svc):
    """The database's fold (SQLite: the registered function; PostgreSQL: the SQL built from
    the same table) gives what Python's gives."""
    samples = ["Łucja Wójcik", "ŞTEFAN", "Øyvind Æsir", "Straße", "مُحَمَّد", "  a \t b ", "ﬁne"]
    with svc.reading() as s:
        for sample in samples:
            got = s.execute(text("SELECT recorder_fold(:x)"), {"x": sample}).scalar_one()
            assert got == fold(sample), sample
