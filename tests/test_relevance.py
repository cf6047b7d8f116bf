"""The fields shown are the fields the rules read: every finding is about a field that applies."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from recorder.domain.relevance import RULES, field_applies
from recorder.domain.sections import SECTION_BY_KEY, SECTIONS, SectionKey
from recorder.domain.validation import under_two_at_visit, validate
from tests.support.factories import complete_content, visit_context


def variants():
    """The complete record, then with each choice field set to each of its answers, each
    field removed, and each section emptied: a few hundred records down every path."""
    base = complete_content()
    yield "complete", base
    for spec in SECTIONS:
        sec = spec.key.value
        empty = copy.deepcopy(base)
        empty[sec] = {}
        yield f"{sec} empty", empty
        for f in spec.fields:
            gone = copy.deepcopy(base)
            gone[sec].pop(f.key, None)
            yield f"{sec}.{f.key} removed", gone
            if f.kind in ("choice", "multi"):
                for choice, _label in f.choices:
                    c = copy.deepcopy(base)
                    c[sec][f.key] = [choice] if f.kind == "multi" else choice
                    yield f"{sec}.{f.key}={choice}", c
    not_seen = copy.deepcopy(base)
    not_seen["seen"] = {"child_seen": "no"}
    not_seen["voice"] = {}
    yield "not seen, nothing else", not_seen


@pytest.mark.parametrize("dob", [date(2015, 6, 2), date(2024, 6, 1)], ids=["age 9", "infant"])
def test_every_finding_is_about_a_field_that_applies(dob):
    ctx = visit_context(child_dob=dob)
    checked = 0
    for name, content in variants():
        under_two = under_two_at_visit(content, ctx)
        for finding in validate(content, ctx):
            assert field_applies(finding.section, finding.field, content, under_two=under_two), (
                f"{name}: {finding.code} is about {finding.field}, which is hidden"
            )
            checked += 1
    assert checked > 80  # the variants reach findings in every section


def test_every_rule_names_a_real_field():
    for section, key in RULES:
        assert SECTION_BY_KEY[SectionKey(section)].field(key).key == key


def test_the_failed_access_path_shows_only_when_the_child_was_not_seen():
    content = {"seen": {"child_seen": "yes", "seen_alone": "no"}}
    assert field_applies("seen", "not_alone_reason", content)
    assert not field_applies("seen", "failed_what_happened", content)
    assert not field_applies("voice", "views_from_others", content)
    content = {"seen": {"child_seen": "no", "seen_alone": "no"}}
    assert field_applies("seen", "failed_what_happened", content)
    assert field_applies("voice", "views_from_others", content)
    assert not field_applies("seen", "not_alone_reason", content)
    assert not field_applies("voice", "said", content)
    assert not field_applies("seen", "infant_awake", {"seen": {"child_seen": "yes"}})
    assert field_applies("seen", "infant_awake", {"seen": {"child_seen": "yes"}}, under_two=True)


def test_the_joint_worker_is_asked_for_only_from_an_unqualified_author():
    assert field_applies("details", "joint_worker", {}, author_needs_countersign=True)
    assert not field_applies("details", "joint_worker", {}, author_needs_countersign=False)
