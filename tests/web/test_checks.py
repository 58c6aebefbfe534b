"""The one whole-number check (hfanatomy.checks, web/rules/checks.js): its words, and that
the page says the same (the span grid's errors, typed in a page, are compared with Python's
in tests/qa/test_span_grid_live.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hfanatomy.checks import shown, whole_number

JS = Path(__file__).resolve().parents[2] / "src" / "hfanatomy" / "web" / "rules" / "checks.js"


def test_whole_number():
    assert whole_number(3, "top_k", 1) == 3 and whole_number(0, "window") == 0
    with pytest.raises(TypeError, match=r"^top_k must be an integer; got 1\.5\.$"):
        whole_number(1.5, "top_k", 1)
    with pytest.raises(TypeError, match=r'^layer must be an integer; got "2"\.$'):
        whole_number("2", "layer")
    with pytest.raises(TypeError, match=r"^head must be an integer; got true\.$"):
        whole_number(True, "head")
    with pytest.raises(ValueError, match=r"^top_k must be >= 1; got 0\.$"):
        whole_number(0, "top_k", 1)
    with pytest.raises(ValueError, match=r"^head must be 0\.\.3; got 4\.$"):
        whole_number(4, "head", 0, 4)
    assert shown(None) == "null" and shown("한") == '"한"' and shown(object).startswith("<class")


def test_the_page_uses_the_same_words():
    text = JS.read_text()
    for template in ("must be an integer; got ", "must be >= ${minimum}; got ${value}.",
                     "must be ${minimum}..${below - 1}; got ${value}."):
        assert template in text
    assert re.search(r"JSON\.stringify\(value\)", text)  # Python's shown() writes JSON too
