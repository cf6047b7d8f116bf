"""Property test of the text hygiene (issue 5, part 7): recorder.domain.text.clean and
clean_line, over 2,000 examples each of arbitrary Unicode (lone surrogates included) mixed
with terminal attacks and real names in five scripts."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recorder.domain.text import TextTooLong, check_length, clean, clean_line

EXAMPLES = 2000

BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ATTACKS = [
    "\x1b]0;PWNED\x07",
    "\x1b]0;PWNED\x1b\\",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b[31;5;7m",
    "\x1b[2J",
    "\x1b[H",
    "\x9b31m",
    "\x9d0;x\x9c",
    "\u202eevil\u202c",
    "\u2066x\u2069",
    "\r\n",
    "\r",
    "\x00",
    "\x7f",
    "\x08",
    "[/]",
    "[@click=app.quit]x[/]",
    "\ud800",
    "\udfff",
]
NAMES = [
    "أمينة الحداد",
    "عائشہ خان",
    "Zofia Wiśniewska-Łęcka",
    "Ștefan Țăranu",
    "王小明",
    "Ñandú Ĳssel",
    "😀",
]

pieces = st.one_of(
    st.characters(exclude_categories=()),  # anything, surrogates included
    st.sampled_from(ATTACKS),
    st.sampled_from(NAMES),
    st.text(min_size=1, max_size=5),
)
texts = st.lists(pieces, max_size=40).map("".join)
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def forbidden(c: str, *, one_line: bool = False) -> bool:
    """Characters that must never come out (DOMAIN/GUIDE: C0 but tab and newline, DEL, C1,
    bidi controls, lone surrogates); a one-line field has no tab or newline either."""
    o = ord(c)
    if o < 0x20:
        return one_line or c not in "\t\n"
    return o == 0x7F or 0x80 <= o <= 0x9F or c in BIDI or 0xD800 <= o <= 0xDFFF


def letters(s: str) -> list[str]:
    return [c for c in s if unicodedata.category(c)[0] in "LMN"]


@SETTINGS
@given(texts)
def test_clean(s):
    out = clean(s)
    assert not any(forbidden(c) for c in out), repr(out)
    assert "\r" not in out and len(out) <= len(s)
    assert clean(out) == out  # idempotent
    out.encode("utf-8")  # always storable and signable as UTF-8
    # every letter, mark and digit of every script is kept, byte for byte, in order
    assert "".join(letters(out)).encode() == "".join(letters(s)).encode()
    # and nothing else is removed: out is s with line endings made \n and forbidden
    # characters deleted, in order
    norm = s.replace("\r\n", "\n").replace("\r", "\n")
    it = iter(out)
    expected_next = next(it, None)
    for c in norm:
        if c == expected_next:
            expected_next = next(it, None)
        else:
            assert forbidden(c), f"{c!r} was removed but is allowed"
    assert expected_next is None, "clean added characters"


@SETTINGS
@given(texts)
def test_clean_line(s):
    out = clean_line(s)
    assert not any(forbidden(c, one_line=True) for c in out), repr(out)
    assert out == out.strip() and len(out) <= len(s)
    assert clean_line(out) == out  # idempotent
    out.encode("utf-8")
    assert "".join(letters(out)).encode() == "".join(letters(s)).encode()


@SETTINGS
@given(texts, st.integers(min_value=0, max_value=200))
def test_length_limit(s, limit):
    text = clean(s)
    if len(text) > limit:
        with pytest.raises(TextTooLong) as e:
            check_length("The note", text, limit)
        assert e.value.length == len(text) and e.value.limit == limit
        assert f"the limit is {limit:,}" in str(e.value)
    else:
        assert check_length("The note", text, limit) is text


def test_the_named_attacks_are_defused():
    s = "".join(ATTACKS) + " ".join(NAMES)
    out = clean(s)
    for seq in ("\x1b", "\x07", "\x9b", "\x9d", "\u202e", "\u2066", "\ud800"):
        assert seq not in out
    for name in NAMES:
        assert name in out
    assert clean_line("a\tb\nc\r\nd") == "a b c d"
