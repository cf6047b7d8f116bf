"""Is a visit record complete? Errors and queries (DOMAIN.md, "The visit record: sections").

``validate`` reads cleaned content (``content.clean_content``) and returns one
:class:`Finding` per problem, in section order. An **error** blocks submission. A **query**
allows submission once the worker has typed a reason; the manager sees the reason and the
oversight note must answer it (``flags.visit_flags``).

Reasons for queries are keyed by finding code (``query_reasons[finding.code]``): one reason
answers every finding with that code.

Messages are plain words that say what to do. The child's name is data: callers show
messages as text, never as markup.

This module is the API. The kinds of finding and their codes are
:mod:`recorder.domain.findings`; each section's rules are :mod:`recorder.domain.section_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from recorder.domain.findings import (
    FINDING_CODES,
    QUERY_TITLES,
    Finding,
    SectionState,
    Severity,
    VisitContext,
    age_on,
    has_quoted_words,
)
from recorder.domain.section_rules import check_section, infant_at_visit, under_two_at_visit
from recorder.domain.sections import SECTIONS, Content, SectionKey

__all__ = [
    "Severity",
    "Finding",
    "VisitContext",
    "SectionState",
    "QUERY_TITLES",
    "FINDING_CODES",
    "validate",
    "validate_section",
    "section_states",
    "blocking",
    "overridden_queries",
    "has_quoted_words",
    "age_on",
    "under_two_at_visit",
    "infant_at_visit",
]


def validate_section(
    section: SectionKey | str, content: Content, ctx: VisitContext
) -> list[Finding]:
    """The findings for one section (some rules read other sections, e.g. child seen)."""
    return check_section(SectionKey(section), content, ctx)


def validate(content: Content, ctx: VisitContext) -> list[Finding]:
    """Every finding for a visit record, in section order."""
    findings: list[Finding] = []
    for spec in SECTIONS:
        findings.extend(validate_section(spec.key, content, ctx))
    return findings


def _answered(finding: Finding, query_reasons: Mapping[str, str]) -> bool:
    reason = query_reasons.get(finding.code)
    return isinstance(reason, str) and bool(reason.strip())


def blocking(findings: Iterable[Finding], query_reasons: Mapping[str, str]) -> list[Finding]:
    """Findings that stop submission: every error and every query without a reason."""
    return [f for f in findings if f.severity is Severity.ERROR or not _answered(f, query_reasons)]


def overridden_queries(
    findings: Iterable[Finding], query_reasons: Mapping[str, str]
) -> dict[str, str]:
    """The queries that still apply and have a reason: {code: reason}, in finding order.

    Pass this (not the raw reasons, which may be stale) to ``flags.visit_flags``.
    """
    out: dict[str, str] = {}
    for f in findings:
        if f.severity is Severity.QUERY and _answered(f, query_reasons):
            out.setdefault(f.code, query_reasons[f.code].strip())
    return out


def section_states(
    findings: Iterable[Finding], query_reasons: Mapping[str, str]
) -> dict[SectionKey, SectionState]:
    """Each section's state: MISSING (an error), QUERY (a query without reason), or COMPLETE."""
    states = {spec.key: SectionState.COMPLETE for spec in SECTIONS}
    for f in findings:
        if f.severity is Severity.ERROR:
            states[f.section] = SectionState.MISSING
        elif not _answered(f, query_reasons) and states[f.section] is SectionState.COMPLETE:
            states[f.section] = SectionState.QUERY
    return states
