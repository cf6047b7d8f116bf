"""What the screens show is text: no markup, no terminal controls, every letter kept."""

from __future__ import annotations

import pytest

from recorder.tui.format import cell, line


@pytest.mark.parametrize("value", ["[@click=app.quit]x[/]", "[/", "[bold]x[/]", "$name"])
def test_markup_is_shown_as_written(value):
    assert line(value).plain == value
    assert cell(value).plain == value
    assert not cell(value).spans


def test_controls_are_stripped_on_the_way_out_and_letters_kept():
    hostile = "Zofia Wiśniewska\x1b]0;title\x07 \x1b]52;c;ZXZpbA==\x07 \u202eأحمد\u2066 王芳 Ștefan"
    shown = cell(hostile).plain
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\u202e" not in shown and "\u2066" not in shown
    assert shown == "Zofia Wiśniewska]0;title ]52;c;ZXZpbA== أحمد 王芳 Ștefan"
    assert line(hostile).plain == shown


def test_one_line_fields_stay_on_one_line():
    assert line("two\nlines\r\nhere").plain == "two lines here"
