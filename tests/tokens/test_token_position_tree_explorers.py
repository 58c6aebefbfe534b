"""The part1a explorers: static HTML is self-contained and the widgets react to their controls."""

from __future__ import annotations

import json
import re

from tiny_encoder import bpe_tokenizer, roberta_classifier

from hfanatomy.explorers.modeltree import ModelTreeExplorer
from hfanatomy.explorers.positions import PositionExplorer
from hfanatomy.explorers.tokens import TokenExplorer

URL = re.compile(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.I)


def _static_ok(html: str) -> None:
    assert not URL.search(html), URL.search(html)
    assert "<script src" not in html and "<link" not in html
    assert "hfa-explorer" in html or "data-hfa-live=" in html


def _model(html: str) -> dict:
    """The model JSON of an explorer's root (what the page's view draws)."""
    found = re.search(r"<script type=\"application/json\" data-hfa-model>(.*?)</script>", html, re.S)
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_token_explorer():
    tok = bpe_tokenizer()
    ex = TokenExplorer(tok, {"English": "the movie was not good",
                             "batch": {"text": ["I loved it", "a terrible, boring film"], "padding": True}})
    html = ex.static_html()
    _static_ok(html)
    assert "data-hfa-recorded" in html and "<noscript>" in html  # not an embedded tokenizer
    assert "<table" not in html  # one drawing: the view's
    spec = _model(html)
    assert spec["config"]["needs"] is None and list(spec["config"]["examples"]) == ["English", "batch"]
    assert {r["state"]["example"] for r in spec["recorded"]} == {"English", "batch"}
    for r in spec["recorded"]:
        assert r["data"] == ex.compute(r["state"])
    w = ex.widget  # the kernel's view: the view sets state, Python recomputes data
    w.state = {**w.state, "example": None, "text": "what a wonderful film", "text_pair": None,
               "padding": None}
    ids = [[r["id"] for r in seq] for seq in w.data["sequences"]]
    assert ids == [tok("what a wonderful film")["input_ids"]] == ex.data.input_ids
    w.state = {**w.state, "text_pair": "I loved it"}
    assert [r["id"] for r in w.data["sequences"][0]] == tok("what a wonderful film", "I loved it")["input_ids"]
    w.state = {**w.state, "text": ["I loved it", "a terrible, boring film"], "text_pair": None,
               "padding": True}
    assert [sum(r["mask"] for r in seq) for seq in w.data["sequences"]] == [
        len(tok(t)["input_ids"]) for t in ["I loved it", "a terrible, boring film"]]
    assert w.status == ""


def test_position_explorer():
    tok = bpe_tokenizer()
    ex = PositionExplorer(tok, {"two": ["I loved it", "what a wonderful film"]}, table_size=64)
    html = ex.static_html()
    _static_ok(html)
    assert "Recorded view" in html and "<noscript>" in html  # not the embedded model
    spec = _model(html)
    assert spec["config"]["needs"] is None and "data-hfa-needs=\"\"" in html
    assert [r["state"]["padding_side"] for r in spec["recorded"]] == ["right", "left"]
    assert spec["recorded"][1]["data"] == ex.compute(spec["recorded"][1]["state"])
    w = ex.widget
    right = [s["roberta"] for s in w.data["sequences"]]
    w.state = {**w.state, "padding_side": "left"}
    assert w.data["padding_side"] == "left" and [s["roberta"] for s in w.data["sequences"]] != right
    seq = w.data["sequences"][0]
    assert all(p == tok.pad_token_id for p, m in zip(seq["roberta"], seq["attention_mask"]) if not m)
    w.state = {**w.state, "texts": ["a", "what a wonderful film"]}
    assert w.data["sequences"][0]["text"] == "a" and w.status == ""


def test_modeltree_explorer():
    model = roberta_classifier()
    ex = ModelTreeExplorer(model)
    html = ex.static_html()
    _static_ok(html)
    assert 'data-hfa-live="modeltree" data-hfa-needs=""' in html  # recorded: Python's data
    assert "<details" not in html  # no second drawing: views/modeltree.js draws it
    data = ex.widget.data
    assert data["total"] == sum(p.numel() for p in model.parameters())
    assert data["tree"]["children"][0]["path"] == "roberta"
    assert ex.widget.config["open_depth"] == 2
