"""Every signature's payload is built once (``recorder.domain.signing``): the services sign
with it, ``recorder check`` recomputes with it, and the demo's bulk loader signs with it too.
A bulk sign-off and an app sign-off of the same record agree."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from recorder.domain import signing
from recorder.domain.content import content_digest
from recorder.domain.oversight import OversightInput
from recorder.services import integrity, queries, visits
from recorder.store import models as m

CONTENT = {
    "details": {
        "purpose": 'Wizyta — łóżko, 床, "quoted" {braces}',
        "present": [{"name": "Zofia Wiśniewska", "role": "child"}],
    },
    "voice": {"said": "“Ja chcę zostać”", "methods": ["own_words"]},
    "seen": {},
    "identity": {"religion": "None"},
}
NOTE = signing.oversight(
    decision="Continue.",
    analysis="Read in full.",
    risk="As rated.",
    actions=({"what": "Visit", "who": "Sam", "by_when": "2026-12-01"},),
    timeframe="Two weeks.",
    child_voice="Heard.",
    flag_responses={"not_seen_alone": "Agreed."},
)


@pytest.mark.parametrize(
    "payload, whole",
    [
        (
            signing.submission_payload(7, 3, signing.content_json(CONTENT), {"q": "why"}),
            {"visit_id": 7, "author_id": 3, "content": CONTENT, "query_reasons": {"q": "why"}},
        ),
        (
            signing.countersign_payload(7, 9, signing.content_json(CONTENT), {}, "Agreed, “ok”"),
            {
                "visit_id": 7,
                "version": 9,
                "content": CONTENT,
                "query_reasons": {},
                "comment": "Agreed, “ok”",
            },
        ),
        (
            signing.sign_off_payload(
                7,
                10,
                signing.content_json(CONTENT),
                {"q": "x"},
                [(4, "Checked."), (5, "Again.")],
                NOTE,
            ),
            {
                "visit_id": 7,
                "version": 10,
                "content": CONTENT,
                "query_reasons": {"q": "x"},
                "countersigns": [{"by": 4, "comment": "Checked."}, {"by": 5, "comment": "Again."}],
                "oversight": NOTE,
            },
        ),
        (signing.case_note_payload(11, NOTE), {"child_id": 11, "oversight": NOTE}),
        (
            signing.addendum_payload(7, "A date was wrong", "It was Tuesday.", 3, "ab" * 32),
            {
                "visit_id": 7,
                "reason": "A date was wrong",
                "text": "It was Tuesday.",
                "author_id": 3,
                "signed_off_sha256": "ab" * 32,
            },
        ),
        (
            signing.ack_payload(2, 7, "cd" * 32),
            {"addendum_id": 2, "visit_id": 7, "addendum_sha256": "cd" * 32},
        ),
    ],
)
def test_each_payload_digest_is_the_sha256_of_its_canonical_json(payload, whole):
    """The digests stay byte-for-byte what stores already hold: content_digest of the
    payload as one dict (the content spliced in as text changes nothing)."""
    assert payload.digest() == content_digest(whole)
    assert json.loads(payload.text()) == whole
    changed = json.loads(json.dumps(whole))
    key = sorted(changed)[-1]
    changed[key] = changed[key] + 1 if isinstance(changed[key], int) else ["changed"]
    assert content_digest(changed) != payload.digest()


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(
    fields=st.dictionaries(
        st.sampled_from(["", "a", "comment", "contens", "contentx", "countersigns", "z", "\u00e9"]),
        _values,
        max_size=6,
    ),
    content=st.dictionaries(
        st.text(max_size=8), st.dictionaries(st.text(max_size=5), _values, max_size=3), max_size=3
    ),
)
def test_the_content_spliced_in_as_text_is_the_payload_encoded_whole(fields, content):
    """Wherever "content" falls among the payload's sorted keys."""
    payload = signing.Payload(fields, signing.content_json(content))
    assert payload.text() == signing.canonical({**fields, "content": content})
    assert payload.digest() == content_digest({**fields, "content": content})


@given(
    fields=st.dictionaries(
        st.sampled_from(["", "a", "comment", "contentx", "oversight", "version", "z"]),
        _values,
        max_size=5,
    ),
    encoded=st.dictionaries(st.sampled_from(["b", "note", "oversight", "zz"]), _values, max_size=3),
    content=st.none()
    | st.dictionaries(
        st.text(max_size=5), st.dictionaries(st.text(max_size=5), _values, max_size=2), max_size=2
    ),
)
def test_fields_given_encoded_are_the_payload_encoded_whole(fields, encoded, content):
    """Fields given as their canonical JSON text (``Payload.encoded``) go in at their place
    among the sorted keys, with or without the content."""
    fields = {k: v for k, v in fields.items() if k not in encoded}
    whole = {**fields, **encoded, **({} if content is None else {"content": content})}
    payload = signing.Payload(
        fields,
        None if content is None else signing.content_json(content),
        {k: signing.canonical(v) for k, v in encoded.items()},
    )
    assert payload.text() == signing.canonical(whole)
    assert payload.digest() == content_digest(whole)


def test_a_field_given_twice_is_refused():
    with pytest.raises(ValueError, match="given twice"):
        signing.Payload({"a": 1}, None, {"a": "1"}).text()


def test_a_sign_off_with_its_note_as_json_text_signs_the_same():
    """The bulk loader hands ``sign_off_payload`` the note's canonical JSON it made from its
    templates: the same payload as the note itself, and a different note differs."""
    args = (7, 10, signing.content_json(CONTENT), {"q": "x"}, [(4, "Checked.")])
    as_dict = signing.sign_off_payload(*args, NOTE)
    as_text = signing.sign_off_payload(*args, signing.canonical(NOTE))
    assert as_text.text() == as_dict.text()
    assert as_text.digest() == as_dict.digest()
    other = signing.canonical({**NOTE, "risk": "As rated, again."})
    assert signing.sign_off_payload(*args, other).digest() != as_dict.digest()


@given(value=_values | st.floats(allow_nan=False, allow_infinity=False) | st.text())
def test_canonical_is_the_standard_encoders_text(value):
    """``canonical`` reuses one C encoder (built once) instead of ``JSONEncoder.encode``
    building it per call: the same text, and the same refusals."""
    encode = json.JSONEncoder(
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        check_circular=False,
    ).encode
    assert signing.canonical(value) == encode(value)
    assert signing.canonical([value, {"k": value}]) == encode([value, {"k": value}])


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), {"k": object()}, [b"bytes"]])
def test_canonical_refuses_what_the_standard_encoder_refuses(bad):
    with pytest.raises((ValueError, TypeError)) as ours:
        signing.canonical(bad)
    with pytest.raises((ValueError, TypeError)) as standard:
        signing._ENCODER.encode(bad)
    assert (type(ours.value), str(ours.value)) == (type(standard.value), str(standard.value))


def test_content_from_its_sections_json_is_the_content_json():
    sections = {k: signing.canonical(v) for k, v in CONTENT.items()}
    assert (
        signing.sections_json(sections)
        == signing.content_json(CONTENT)
        == signing.canonical(CONTENT)
    )


def _bulk_signoff_payload(s, v: m.Visit, note: m.OversightNote) -> signing.Payload:
    """The sign-off payload of a stored visit, as the services and ``recorder check`` make it."""
    countersigns = s.exec(
        select(m.Countersign).where(m.Countersign.visit_id == v.id).order_by(m.Countersign.id)
    ).all()
    return signing.sign_off_payload(
        v.id,
        v.version - 1,
        signing.content_json(queries.visit_content(s, v.id)),
        v.query_reasons,
        [(c.worker_id, c.comment) for c in countersigns],
        signing.oversight_of(note),
    )


def test_a_bulk_sign_off_and_an_app_sign_off_of_the_same_record_agree(svc, clock):
    from recorder.demo import bulk

    bulk.populate_bulk(svc, children=12, visits_per_child=3, busiest_child_visits=12)
    # every bulk signature recomputes through the app's payload functions
    report = integrity.check_store(svc)
    assert report.ok, report.problems
    assert report.signatures == report.signatures_verified > 36
    with svc.reading() as s:
        # a signed-off bulk record with a countersign, by its child's co-worker (an
        # unqualified worker never holds the case: issue 12)
        co = {(r.child_id, r.worker_id) for r in s.exec(select(m.ChildCoWorker))}
        for v in s.exec(select(m.Visit).where(m.Visit.state == "signed_off").order_by(m.Visit.id)):
            cs = s.exec(select(m.Countersign).where(m.Countersign.visit_id == v.id)).all()
            if cs and (v.child_id, v.author_id) in co:
                break
        else:
            pytest.fail("no countersigned bulk record by the child's co-worker")
        note = s.exec(select(m.OversightNote).where(m.OversightNote.visit_id == v.id)).one()
        bulk_sig = s.get(m.Signature, note.signature_id)
        content = queries.visit_content(s, v.id)
        record = {
            k: getattr(v, k)
            for k in (
                "id",
                "child_id",
                "author_id",
                "query_reasons",
                "submitted_at",
                "signed_off_at",
                "version",
            )
        }
        counter = cs[0]
        note_input = OversightInput(
            decision=note.decision,
            analysis=note.analysis,
            risk=note.risk,
            actions=tuple(note.actions),
            timeframe=note.timeframe,
            child_voice=note.child_voice,
            flag_responses=dict(note.flag_responses),
        )
        assert bulk_sig.content_sha256 == _bulk_signoff_payload(s, v, note).digest()

    # the same record made and signed off through the services, at the same moments
    clock.current = record["submitted_at"] - timedelta(hours=1)
    new = visits.start_visit(svc, record["author_id"], record["child_id"])
    for section, data in content.items():
        visits.save_section(svc, record["author_id"], new, section, data)
    clock.current = record["submitted_at"]
    visits.submit(svc, record["author_id"], new, query_reasons=record["query_reasons"])
    clock.advance(hours=1)
    visits.countersign(svc, counter.worker_id, new, counter.comment, bulk.BULK_PASSWORD)
    clock.current = record["signed_off_at"]
    manager = note.manager_id
    visits.sign_off(svc, manager, new, note_input, bulk.BULK_PASSWORD)

    with svc.reading() as s:
        app_v = s.get(m.Visit, new)
        app_note = s.exec(select(m.OversightNote).where(m.OversightNote.visit_id == new)).one()
        app_sig = s.get(m.Signature, app_note.signature_id)
        assert queries.visit_content(s, new) == content
        app_payload = _bulk_signoff_payload(s, app_v, app_note)
        assert app_sig.content_sha256 == app_payload.digest()
        # the app's record with the bulk record's id and version signs what the bulk
        # loader signed: the same payload function, the same bytes
        app_fields = json.loads(app_payload.text())
        assert app_fields["countersigns"][0]["by"] == counter.worker_id
        as_bulk = signing.sign_off_payload(
            record["id"],
            record["version"] - 1,
            signing.content_json(queries.visit_content(s, new)),
            app_v.query_reasons,
            [(c["by"], c["comment"]) for c in app_fields["countersigns"]],
            signing.oversight_of(app_note),
        )
        assert as_bulk.digest() == bulk_sig.content_sha256
        # and the comparison can fail: one field changed, the digest changes
        for wrong in (
            signing.sign_off_payload(
                record["id"],
                record["version"],  # a version later
                signing.content_json(content),
                app_v.query_reasons,
                [(counter.worker_id, counter.comment)],
                signing.oversight_of(app_note),
            ),
            signing.sign_off_payload(
                record["id"],
                record["version"] - 1,
                signing.content_json(content),
                app_v.query_reasons,
                [(counter.worker_id, counter.comment + ".")],
                signing.oversight_of(app_note),
            ),
            signing.sign_off_payload(
                record["id"],
                record["version"] - 1,
                signing.content_json({**content, "seen": {}}),
                app_v.query_reasons,
                [(counter.worker_id, counter.comment)],
                signing.oversight_of(app_note),
            ),
        ):
            assert wrong.digest() != bulk_sig.content_sha256
    assert integrity.check_store(svc).ok
