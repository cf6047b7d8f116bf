"""``recorder child add`` with census codes and ``recorder child carer add``, run as an
administrator would run them (issue 12, defect 9)."""

from __future__ import annotations

from sqlmodel import select

from recorder.services.bootstrap import open_services
from recorder.store import models as m
from tests.test_cli import ok, refused, run, store  # noqa: F401  (fixtures)


def test_a_child_with_codes_and_a_mother_who_needs_an_interpreter(run, store):  # noqa: F811
    ok(run(store, "team", "add", "North"))
    ok(
        run(
            store,
            "child",
            "add",
            "H1",
            "--name",
            "Hamza Farah",
            "--dob",
            "2016-05-06",
            "--team",
            "North",
            "--ethnicity",
            "Black African",
            "--disability",
            "NONE",
            "--sex",
            "M",
        )
    )
    out = ok(
        run(
            store,
            "child",
            "carer",
            "add",
            "H1",
            "--name",
            "Hodan Ali",
            "--relationship",
            "mother",
            "--language",
            "Somali",
            "--interpreter",
        )
    )
    assert "Added Hodan Ali (mother, needs a Somali interpreter) to H1." in out
    message = refused(
        run(
            store,
            "child",
            "add",
            "H2",
            "--name",
            "N",
            "--dob",
            "2016-01-01",
            "--ethnicity",
            "Somali",
        )
    )
    assert "'Somali' is not an ethnicity in the CIN census" in message
    assert "no child" in refused(
        run(store, "child", "carer", "add", "Z9", "--name", "A", "--relationship", "mother")
    )
    svc = open_services(store)
    with svc.reading() as s:
        child = s.exec(select(m.Child).where(m.Child.reference == "H1")).one()
        assert (child.ethnicity, child.disability, child.sex) == ("BAFR", "NONE", "M")
        (carer,) = s.exec(select(m.Carer)).all()
        assert (carer.full_name, carer.first_language, carer.interpreter_needed) == (
            "Hodan Ali",
            "Somali",
            True,
        )
