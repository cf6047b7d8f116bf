"""Hostile and international input through the services (issue 5, part 7), on SQLite and
PostgreSQL: names in five scripts survive save and read byte for byte; an over-long note is
refused with a clear message and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from recorder.services import caseloads, children, visits
from recorder.services.errors import InvalidInput
from recorder.store.models import AuditEvent, VisitSection
from tests.support.factories import complete_content
from tests.support.world import build_world

NAMES = {
    "Arabic": "ليلى الحداد",
    "Urdu": "عائشہ ملک",
    "Polish": "Zofia Wiśniewska-Łęcka",
    "Romanian": "Ștefan Țăranu",
    "Chinese": "王小明",
}


@pytest.fixture
def world(svc):
    return build_world(svc)


@pytest.mark.parametrize("script", sorted(NAMES))
def test_a_childs_name_survives_save_and_read_byte_for_byte(svc, world, script):
    name = NAMES[script]
    cid = children.add_child(
        svc,
        world.admin,
        children.ChildInput(
            reference=f"R-{script}",
            full_name=name,
            date_of_birth=date(2015, 3, 1),
            religion=name,  # ethnicity is a census code now (issue 12)
            gender_identity=name,
            first_language=script,
            plan_type="child_in_need",
            plan_start=date(2026, 9, 1),
            team="North",
            allocated_worker="sw",
        ),
    )
    view = caseloads.child_view(svc, world.sw, cid)
    assert view.name.encode("utf-8") == name.encode("utf-8")
    assert view.religion.encode("utf-8") == name.encode("utf-8")
    assert view.gender_identity.encode("utf-8") == name.encode("utf-8")
    assert name in [r.name for r in caseloads.caseload(svc, world.sw)]
    # and in a visit record's text, through autosave and back
    vid = visits.start_visit(svc, world.sw, cid)
    details = complete_content()["details"]
    details["present"] = [{"name": name, "role": "child"}]
    visits.save_section(svc, world.sw, vid, "details", details)
    said = f"{name} said “I like my school” — {name}"
    visits.save_section(svc, world.sw, vid, "voice", {**complete_content()["voice"], "said": said})
    content = visits.load_visit(svc, world.sw, vid).content
    assert content["details"]["present"][0]["name"].encode() == name.encode()
    assert content["voice"]["said"].encode() == said.encode()


def test_an_over_long_note_is_refused_clearly_and_nothing_is_written(svc, world):
    vid = visits.start_visit(svc, world.sw, world.child)
    limit = svc.policy.long_text_max_chars
    note = "Ż" * (limit + 1)  # counted in characters, not bytes
    with svc.reading() as s:
        before = s.exec(
            select(VisitSection).where(
                VisitSection.visit_id == vid, VisitSection.section == "observations"
            )
        ).one()
    with pytest.raises(InvalidInput) as e:
        visits.save_section(svc, world.sw, vid, "observations", {"seen": note})
    message = e.value.message
    assert f"{limit + 1:,} characters" in message and f"the limit is {limit:,}" in message
    assert "Shorten it" in message
    with svc.reading() as s:
        after = s.exec(
            select(VisitSection).where(
                VisitSection.visit_id == vid, VisitSection.section == "observations"
            )
        ).one()
        last = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert after.data == before.data
    assert (last.action, last.outcome, last.detail) == (
        "save_section",
        "refused",
        "invalid_content",
    )
    # exactly at the limit is accepted
    visits.save_section(svc, world.sw, vid, "observations", {"seen": "Ż" * limit})
    assert visits.load_visit(svc, world.sw, vid).content["observations"]["seen"] == "Ż" * limit
