"""The three part1b explorers: self-contained static HTML, widgets that react to their controls."""

from __future__ import annotations

import json
import re

import pytest
import torch
from tiny_classifier import TEXTS, batch, model, tokenizer

from hfanatomy.explorers.logits import LogitsExplorer
from hfanatomy.explorers.loss import LossExplorer, target_options
from hfanatomy.explorers.returns import ReturnsExplorer
from hfanatomy.head import TEMPERATURES, classify, logits_view

pytestmark = pytest.mark.usefixtures("one_thread")


def _no_external(markup: str):
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", markup)
    assert "cdn" not in markup.lower()
    urls = re.findall(r"https?://[^\s\"'<>]+", markup)
    assert set(urls) <= {"http://www.w3.org/2000/svg"}, urls


@pytest.fixture(scope="module")
def tiny():
    return model(), tokenizer()


def _model(markup: str) -> dict:
    """The model JSON of an explorer's root (what the page's view draws)."""
    found = re.search(r"<script type=\"application/json\" data-hfa-model>(.*?)</script>", markup, re.S)
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_logits_explorer_static(tiny):
    """A foreign checkpoint: the page is recorded, each example at each preset temperature
    (T = 1 first), the data Python computes; no second drawing."""
    m, tok = tiny
    e = LogitsExplorer(m, tok, TEXTS[:2])
    markup = e.static_html()
    _no_external(markup)
    assert "<svg" not in markup and "<noscript>" in markup and "data-hfa-recorded" in markup
    spec = _model(markup)
    assert spec["config"]["needs"] is None and len(spec["config"]["examples"]) == 2
    states = [(r["state"]["text"], r["state"]["temperature"]) for r in spec["recorded"]]
    order = [1.0] + [t for t in TEMPERATURES if t != 1.0]
    assert states == [(t, T) for t in TEXTS[:2] for T in order]
    for r in spec["recorded"]:
        assert r["data"] == e.compute(r["state"])
    want = logits_view(classify(m, tok, TEXTS[:2]), m.config.id2label)
    assert spec["recorded"][0]["data"]["probabilities"] == pytest.approx(
        want.probabilities[0].tolist(), abs=1e-5)
    bundle = e._repr_mimebundle_()
    assert "text/html" in bundle and "application/vnd.jupyter.widget-view+json" in bundle


def test_logits_explorer_widget_reacts(tiny):
    """The kernel's live view (a LiveView): a new state recomputes the data."""
    m, tok = tiny
    e = LogitsExplorer(m, tok, TEXTS[:2])
    w = e.widget
    before = w.data["probabilities"]
    w.state = {**w.state, "temperature": 5.0}
    assert w.data["temperature"] == pytest.approx(5.0)
    assert max(w.data["probabilities"]) < max(before)
    w.state = {**w.state, "text": TEXTS[4], "example": None}
    assert w.data["logits"] == pytest.approx(classify(m, tok, TEXTS[4])[0].tolist(), rel=1e-6)
    w.state = {**w.state, "temperature": 0}
    assert w.status.startswith("error: temperature must be a number > 0")


def test_loss_explorer_static_and_widget(tiny):
    m, tok = tiny
    e = LossExplorer(m, tok, TEXTS[:2])
    markup = e.static_html()
    _no_external(markup)
    assert "<svg" not in markup and "<noscript>" in markup  # one drawing: the view's
    recorded = _model(markup)["recorded"]  # a foreign checkpoint: every target recorded
    slider = [round(-3 + k / 10, 1) + 0.0 for k in range(61)]
    assert len(recorded) == 2 * (3 + 8 + len(slider))
    first = [r["state"] for r in recorded[:3 + 8 + len(slider)]]
    assert [s["gold"] for s in first[:3]] == [0, 1, 2]
    assert [s["hots"] for s in first[3:11]] == [t for _, _, (p, t) in target_options(3)
                                              if p == "multi_label_classification"]
    assert [s["target"] for s in first[11:]] == slider and -2.9 in slider and 0.3 in slider
    for r in recorded[::7]:
        assert r["data"] == e.compute(r["state"])
    w = e.widget
    assert w.data["problem_type"] == "single_label_classification"
    w.state = {**w.state, "gold": 2}
    assert w.data["targets"] == [0, 0, 1]
    w.state = {**w.state, "problem_type": "multi_label_classification", "hots": [1, 0, 0]}
    assert w.data["targets"] == [1, 0, 0]
    w.state = {**w.state, "problem_type": "regression", "target": 1.5}
    z = torch.tensor(w.data["logits"])
    assert w.data["loss"] == pytest.approx(((z - 1.5) ** 2).mean().item(), rel=1e-5)
    w.state = {**w.state, "text": TEXTS[3]}
    assert torch.allclose(torch.tensor(w.data["logits"]), classify(m, tok, TEXTS[3])[0])
    w.state = {**w.state, "gold": 7, "problem_type": "single_label_classification"}
    assert w.status.startswith("error: gold must be a label id")


def test_loss_explorer_opens_on_the_gold_it_is_given(tiny):
    m, tok = tiny
    e = LossExplorer(m, tok, TEXTS[:2], gold=2)
    assert e.initial_state()["gold"] == 2 and e.widget.data["targets"] == [0, 0, 1]
    spec = _model(e.static_html())
    assert spec["state"]["gold"] == 2 and spec["data"]["targets"] == [0, 0, 1]
    assert spec["recorded"][0]["state"] == spec["state"]  # a recorded page opens there too
    assert LossExplorer(m, tok, TEXTS[:2]).initial_state()["gold"] == 0  # the default
    for bad in (3, -1, True, 1.0):
        with pytest.raises(ValueError, match="gold must be a label id in 0..2"):
            LossExplorer(m, tok, TEXTS[:2], gold=bad)


def test_returns_explorer_static_and_widget(tiny):
    m, _ = tiny
    e = ReturnsExplorer(m, batch())
    markup = e.static_html()
    _no_external(markup)
    spec = _model(markup)
    assert spec["kind"] == "returns" and spec["config"]["needs"] is None  # always recorded
    assert "<table" not in markup  # no second drawing: views/returns.js draws the states
    recorded = spec["recorded"]
    assert len(recorded) == 16  # labels x hidden states x attentions x tuple
    lengths = sorted(r["data"]["length"] for r in recorded)
    assert lengths == sorted([1, 2, 2, 3, 2, 3, 3, 4] * 2)
    assert all(r["data"]["type"] == ("tuple" if r["state"]["as_tuple"] else
                                     "SequenceClassifierOutput") for r in recorded)
    w = e.widget
    assert w.data["length"] == 1 and e.data.tuple_length == 1
    w.state = {**w.state, "labels": True, "attentions": True}
    assert e.data.fields == ["loss", "logits", "attentions"] and w.data["none"] == ["hidden_states"]
    w.state = {**w.state, "as_tuple": True}
    assert w.data["type"] == "tuple" and w.data["length"] == 3
    assert w.data["arguments"][-1] == "return_dict=False"
    assert [i["name"] for i in w.data["items"]][2] == "attentions"
