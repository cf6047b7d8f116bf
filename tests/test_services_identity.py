"""A child's identity in the store (issue 12, defect 9; DOMAIN.md "Identity"): ethnicity and
disability as the CIN census codes, refused when they are neither a code nor a name (also in
the CSV import, with the line), and migration 0011 on a store of free-text values.

Source: the DfE's Children in need census guide (the code lists, ``domain/identity.py``)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from recorder.services import caseloads, children
from recorder.services.errors import InvalidInput
from recorder.store import models as m
from recorder.store.engine import writer
from recorder.store.migrate import upgrade
from tests.support.stores import open_services
from tests.support.world import build_world

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
HEADER = ",".join(children.CSV_COLUMNS)


@pytest.fixture
def world(svc):
    return build_world(svc)


def child(**kw) -> children.ChildInput:
    return children.ChildInput(
        **{
            "reference": "C0100",
            "full_name": "Zofia Nowak",
            "date_of_birth": date(2014, 2, 3),
            "team": "North",
            "allocated_worker": "sw",
            **kw,
        }
    )


def test_free_text_ethnicity_and_disability_are_refused(svc, world):
    """Issue 12, defect 9: on e26c997 any text was accepted as ethnicity or disability, so
    nothing could be counted by them (the CIN census codes, DfE)."""
    with pytest.raises(InvalidInput) as e:
        children.add_child(svc, world.admin, child(ethnicity="Martian"))
    assert "'Martian' is not an ethnicity in the CIN census" in e.value.message
    assert "WBRI (White British)" in e.value.message
    with pytest.raises(InvalidInput, match="'Bad knees' is not a disability in the CIN census"):
        children.add_child(svc, world.admin, child(disability="Bad knees"))
    with svc.reading() as s:
        assert s.exec(select(m.Child).where(m.Child.reference == "C0100")).first() is None


def test_a_child_is_recorded_with_codes_and_shown_by_name(svc, world):
    cid = children.add_child(
        svc,
        world.admin,
        child(
            ethnicity="Any other White background",
            disability="hear, Communication",
            sex="f",
            gender_identity="Zofia says she is a girl",
            communication_needs="Uses British Sign Language; lip-reads her mother",
        ),
    )
    with svc.reading() as s:
        row = s.get(m.Child, cid)
        assert (row.ethnicity, row.disability, row.sex) == ("WOTH", "COMM,HEAR", "F")
    view = caseloads.child_view(svc, world.sw, cid)
    assert view.ethnicity == "Any other White background" and view.ethnicity_code == "WOTH"
    assert view.disability == "Communication; Hearing" and view.disability_codes == (
        "COMM",
        "HEAR",
    )
    assert view.sex == "F" and view.gender_identity == "Zofia says she is a girl"
    assert view.communication_needs.startswith("Uses British Sign Language")


def test_the_csv_import_takes_codes_or_names(svc, world):
    rows = [
        ["C0200", "Ann", "2015-01-01", "WBRI", "", "", "no", "NONE"],
        ["C0201", "Bo", "2015-01-01", "Black African", "", "", "no", "autism;learning"],
    ]
    tail = [""] * (len(children.CSV_COLUMNS) - 8)
    body = "\n".join(",".join(r + tail) for r in rows)
    assert children.import_csv(svc, world.admin, HEADER + "\n" + body + "\n") == 2
    with svc.reading() as s:
        got = {
            c.reference: (c.ethnicity, c.disability)
            for c in s.exec(select(m.Child).where(m.Child.reference.startswith("C02")))
        }
    assert got == {"C0200": ("WBRI", "NONE"), "C0201": ("BAFR", "LD,AUT")}


def test_the_csv_import_refuses_an_unknown_ethnicity_with_its_line_and_writes_nothing(svc, world):
    """Every row or none: a value that is no census code or name is named with its line."""
    with svc.reading() as s:
        before = s.exec(select(func.count()).select_from(m.Child)).one()
    csv = (
        "reference,full_name,date_of_birth,ethnicity,disability,sex\n"
        "C0300,Ann,2015-01-01,WBRI,NONE,F\n"
        "C0301,Bob,2015-01-01,White - Polish,NONE,M\n"
    )
    with pytest.raises(InvalidInput) as e:
        children.import_csv(svc, world.admin, csv)
    assert e.value.message.startswith(
        "Line 3 (reference 'C0301'): 'White - Polish' is not an ethnicity in the CIN census."
    )
    assert e.value.message.endswith("Nothing was imported.")
    with pytest.raises(InvalidInput, match="^Line 2 .*'Q' is not a sex"):
        children.import_csv(
            svc, world.admin, "reference,full_name,date_of_birth,sex\nC0302,Cy,2015-01-01,Q\n"
        )
    with pytest.raises(InvalidInput, match="^Line 2 .*'Deafness' is not a disability"):
        children.import_csv(
            svc,
            world.admin,
            'reference,full_name,date_of_birth,disability\nC0303,Di,2015-01-01,"VIS,Deafness"\n',
        )
    with svc.reading() as s:
        assert s.exec(select(func.count()).select_from(m.Child)).one() == before


def test_migration_0011_codes_free_text_that_matches_and_keeps_the_rest(db_url, clock):
    """A store of free-text identity (schema 0010): a value that is a code or a census name
    becomes the code; anything else is kept word for word, shown "not yet coded"."""
    svc = open_services(db_url, clock)
    upgrade(svc.engine, "0010")
    old = [
        ("A", "White British", "None known"),
        ("B", "Asian British - Pakistani", "Autism"),
        ("C", "White - Polish", "Autism; sensitive to noise"),
        ("D", "", ""),
        ("E", "bcrb", "Hearing, Vision"),
    ]
    with Session(writer(svc.engine)) as s, s.begin():
        for ref, ethnicity, disability in old:
            s.execute(
                text(
                    "INSERT INTO child (reference, full_name, date_of_birth, ethnicity, "
                    "religion, first_language, interpreter_needed, disability, plan_type, "
                    "placement_long_term, plan_risks, created_at) VALUES (:r, :r, :dob, :e, "
                    "'', '', :f, :d, 'none', :f, '[]', :now)"
                ),
                {
                    "r": ref,
                    "dob": date(2015, 1, 1),
                    "e": ethnicity,
                    "d": disability,
                    "f": False,
                    "now": NOW,
                },
            )
    upgrade(svc.engine)
    with svc.reading() as s:
        got = {
            c.reference: (c.ethnicity, c.ethnicity_note, c.disability, c.disability_note)
            for c in s.exec(select(m.Child))
        }
    assert got == {
        "A": ("WBRI", "", "NONE", ""),
        "B": ("APKN", "", "AUT", ""),
        "C": ("", "White - Polish", "", "Autism; sensitive to noise"),
        "D": ("", "", "", ""),
        "E": ("BCRB", "", "HEAR,VIS", ""),
    }
    with svc.reading() as s:
        assert s.exec(select(func.count()).select_from(m.Carer)).one() == 0


def test_a_mothers_language_and_interpreter_need_are_on_the_childs_record(svc, world):
    """Issue 12, defect 9: on e26c997 a parent's language and interpreter need were nowhere
    (the review's case: "a mother who does not speak English"). DOMAIN.md "Identity"."""
    from recorder.services import carers

    cid = carers.add_carer(
        svc,
        world.manager,
        "C0001",
        carers.CarerInput("Nasreen Khan", "mother", "Urdu", interpreter_needed=True),
    )
    carers.add_carer(svc, world.admin, "C0001", carers.CarerInput("Tariq Khan", "father"))
    view = caseloads.child_view(svc, world.sw, world.child)
    assert [
        (c.name, c.relationship, c.first_language, c.interpreter_needed) for c in view.carers
    ] == [
        ("Nasreen Khan", "mother", "Urdu", True),
        ("Tariq Khan", "father", "", False),
    ]
    with svc.reading() as s:
        event = s.exec(
            select(m.AuditEvent).where(m.AuditEvent.action == "add_carer").order_by(m.AuditEvent.id)
        ).first()
        assert event is not None and event.outcome == "ok" and event.entity_id == world.child
        assert "Nasreen" not in (event.detail or "")  # no case text in the audit trail
    assert cid


def test_a_carer_who_needs_an_interpreter_needs_a_language(svc, world):
    from recorder.services import carers

    with pytest.raises(InvalidInput, match="Say which language Ann speaks"):
        carers.add_carer(svc, world.admin, "C0001", carers.CarerInput("Ann", "mother", "", True))
    with pytest.raises(InvalidInput, match="needs a name and who they are"):
        carers.add_carer(svc, world.admin, "C0001", carers.CarerInput(" ", "mother"))
    with svc.reading() as s:
        assert s.exec(select(func.count()).select_from(m.Carer)).one() == 0


def test_identity_confirmed_on_a_signed_off_visit_updates_the_profile_audited(svc, world):
    """Issue 12, defect 9: on e26c997 identity confirmed on a visit never reached the child's
    profile. DOMAIN.md "Identity": identity details confirmed on a signed-off visit update the
    child's profile (audited); a draft or a submitted record changes nothing."""
    from tests.support.records import signed_off, submitted

    before = caseloads.child_view(svc, world.sw, world.child)
    assert before.first_language == "Urdu" and before.disability == ""
    submitted(svc, world.sw, world.child)  # awaiting oversight: not the child's record yet
    assert caseloads.child_view(svc, world.sw, world.child).first_language == "Urdu"
    signed_off(svc, world.sw, world.child, world.manager)
    after = caseloads.child_view(svc, world.sw, world.child)
    # the fixture's identity section: "Arab (Syrian)" is no census name, so the code stays
    assert after.first_language == "Arabic (also fluent in English)"
    assert after.disability_codes == ("NONE",) and after.ethnicity_code == "APKN"
    with svc.reading() as s:
        events = s.exec(select(m.AuditEvent).where(m.AuditEvent.action == "update_profile")).all()
    assert len(events) == 1 and events[0].entity_id == world.child
    assert events[0].actor_id == world.manager and "fields=" in (events[0].detail or "")
    assert "Arabic" not in (events[0].detail or "")  # no case text in the audit trail
