"""Management oversight notes (DOMAIN.md, "Management oversight").

A good note has a decision (including a decision not to act), the analysis behind it, the
risk, actions each with who and by when, a timeframe or next review, and how the child's
voice informed the decision. Every flag on the visit must be answered. A one-line signature
is what the review criticised, so no heading may be empty and the analysis has a minimum
length set by policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

HEADINGS: tuple[tuple[str, str], ...] = (
    ("decision", "Decision"),
    ("analysis", "Analysis and reflection"),
    ("risk", "Risk"),
    ("actions", "Actions"),
    ("timeframe", "Timeframe or next review"),
    ("child_voice", "How the child's voice informed the decision"),
)

_WORD = re.compile(r"\w+", re.UNICODE)


def word_count(text: str) -> int:
    return len(_WORD.findall(text or ""))


@dataclass(frozen=True)
class OversightInput:
    decision: str = ""
    analysis: str = ""
    risk: str = ""
    actions: Sequence[Mapping[str, Any]] = ()
    timeframe: str = ""
    child_voice: str = ""
    flag_responses: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OversightProblem:
    heading: str
    message: str


def validate_oversight(
    note: OversightInput, flag_codes: Sequence[str], analysis_min_words: int
) -> list[OversightProblem]:
    problems: list[OversightProblem] = []
    for key, label in HEADINGS:
        if key == "actions":
            continue
        if not str(getattr(note, key) or "").strip():
            problems.append(OversightProblem(key, f"{label} may not be empty."))
    words = word_count(note.analysis)
    if note.analysis.strip() and words < analysis_min_words:
        problems.append(
            OversightProblem(
                "analysis",
                f"The analysis has {words} words; at least {analysis_min_words} are needed. "
                "Say what you considered and why you reached your decision.",
            )
        )
    if not note.actions:
        problems.append(
            OversightProblem(
                "actions", "List at least one action with who and by when (it may be to review)."
            )
        )
    for i, action in enumerate(note.actions, 1):
        missing = [k for k in ("what", "who", "by_when") if not str(action.get(k) or "").strip()]
        if missing:
            names = ", ".join(m.replace("by_when", "by when") for m in missing)
            problems.append(OversightProblem("actions", f"Action {i} needs {names}."))
    for code in flag_codes:
        if not str(note.flag_responses.get(code) or "").strip():
            problems.append(OversightProblem(f"flag:{code}", "Answer this flag in your note."))
    return problems
