"""Which fields of a visit record apply, given the answers so far.

The screen shows only the fields that apply, so the worker is led down one path: the
failed-access questions appear only when the child was not seen, "why not seen alone" only
when they were not, the interpreter's details only when one was used, and so on. Validation
asks only about fields that apply (a test holds the two together). A value typed into a
field that later stops applying is kept but not shown, and no rule reads it.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from recorder.domain.sections import SectionKey, field_spec, not_alone_reasons

Content = Mapping[str, Mapping[str, Any]]
_Rule = Callable[[Mapping[str, Any], Content, bool], bool]
_AUTHOR_RULES = frozenset({("details", "joint_worker")})


def _seen(content: Content) -> Any:
    return (content.get(SectionKey.SEEN.value) or {}).get("child_seen")


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else ([value] if value else [])


def _not_seen(v, c, _u) -> bool:
    return _seen(c) == "no"


def _seen_yes(v, c, _u) -> bool:
    return _seen(c) == "yes"


def _interpreter_used(v, c, _u) -> bool:
    return v.get("interpreter_needed") == "yes" and v.get("interpreter_used") == "yes"


RULES: dict[tuple[str, str], _Rule] = {
    ("details", "location_other"): lambda v, c, u: v.get("location") == "other",
    # the failed-access path
    ("seen", "failed_what_happened"): _not_seen,
    ("seen", "failed_attempts"): _not_seen,
    ("seen", "failed_attempts_detail"): _not_seen,
    ("seen", "failed_action"): _not_seen,
    ("seen", "failed_action_detail"): _not_seen,
    ("seen", "failed_next_seen"): _not_seen,
    # the child was seen
    ("seen", "seen_alone"): _seen_yes,
    ("seen", "not_alone_reason"): lambda v, c, u: (
        _seen_yes(v, c, u) and v.get("seen_alone") == "no"
    ),
    ("seen", "not_alone_detail"): lambda v, c, u: (
        _seen_yes(v, c, u) and v.get("seen_alone") == "no"
    ),
    ("seen", "bedroom_seen"): _seen_yes,
    ("seen", "bedroom_reason"): lambda v, c, u: (
        _seen_yes(v, c, u) and v.get("bedroom_seen") == "no"
    ),
    ("seen", "infant_awake"): lambda v, c, under_two: _seen_yes(v, c, under_two) and under_two,
    # the child's voice: their own, or what others say of it when they were not seen
    ("voice", "methods"): lambda v, c, u: _seen(c) != "no",
    ("voice", "tool"): lambda v, c, u: _seen(c) != "no" and "tool" in _list(v.get("methods")),
    ("voice", "scale"): lambda v, c, u: (
        _seen(c) != "no"
        and "tool" in _list(v.get("methods"))
        and v.get("tool") == "signs_of_safety"
    ),
    ("voice", "advocate"): lambda v, c, u: (
        _seen(c) != "no" and "advocate" in _list(v.get("methods"))
    ),
    ("voice", "said"): lambda v, c, u: _seen(c) != "no",
    ("voice", "wishes"): lambda v, c, u: _seen(c) != "no",
    ("voice", "shapes_plan"): lambda v, c, u: _seen(c) != "no",
    ("voice", "views_from_others"): _not_seen,
    # identity and interpreting
    ("identity", "carers_meet_needs"): lambda v, c, u: v.get("carers_different_ethnicity") == "yes",
    ("identity", "interpreter_for"): lambda v, c, u: v.get("interpreter_needed") == "yes",
    ("identity", "interpreter_used"): lambda v, c, u: v.get("interpreter_needed") == "yes",
    ("identity", "interpreter_language"): _interpreter_used,
    ("identity", "interpreter_name"): _interpreter_used,
    ("identity", "interpreter_agency"): _interpreter_used,
    ("identity", "interpreter_mode"): _interpreter_used,
    ("identity", "interpreter_relationship"): _interpreter_used,
    ("identity", "interpreter_not_used_why"): lambda v, c, u: (
        v.get("interpreter_needed") == "yes" and v.get("interpreter_used") == "no"
    ),
    ("actions", "no_actions_why"): lambda v, c, u: v.get("no_new_actions") == "yes",
}

# a change to one of these answers can show or hide fields in another section, or change
# the choices another section offers (the visit type: the reasons for not seeing alone)
CROSS_SECTION = frozenset({("seen", "child_seen"), ("details", "visit_type")})


def field_applies(
    section: SectionKey | str,
    key: str,
    content: Content,
    *,
    under_two: bool = False,
    author_needs_countersign: bool = True,
) -> bool:
    """Whether field ``key`` of ``section`` applies to this record as answered so far.

    The joint registered worker is asked for only when the author needs a qualified
    countersign (when that is not known, it is shown).
    """
    name = section.value if isinstance(section, SectionKey) else section
    if (name, key) in _AUTHOR_RULES:
        return author_needs_countersign
    rule = RULES.get((name, key))
    if rule is None:
        return True
    return bool(rule(content.get(name) or {}, content, under_two))


def field_choices(
    section: SectionKey | str, key: str, content: Content
) -> tuple[tuple[str, str], ...]:
    """The choices field ``key`` of ``section`` offers for this record as answered so far.

    "Why not seen alone" offers only the reasons the visit type allows
    (``sections.NOT_ALONE_REASONS``); every other field offers all of its choices.
    """
    name = section.value if isinstance(section, SectionKey) else section
    if (name, key) == ("seen", "not_alone_reason"):
        details = content.get(SectionKey.DETAILS.value) or {}
        return not_alone_reasons(details.get("visit_type"))
    return field_spec(name, key).choices
