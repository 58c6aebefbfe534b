"""The three part1b explorers: self-contained static HTML, widgets that react to their controls."""

from __future__ import annotations

import re

import pytest
import torch
from test_part1b_tiny import TEXTS, batch, model, one_thread, tokenizer  # noqa: F401

from hfanatomy.explorers.logits import LogitsExplorer
from hfanatomy.explorers.loss import LossExplorer, target_options
from hfanatomy.explorers.returns import ReturnsExplorer
from hfanatomy.head import TEMPERATURES, classify, logits_view


def _no_external(markup: str):
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", markup)
    assert "cdn" not in markup.lower()
    urls = re.findall(r"https?://[^\s\"'<>]+", markup)
    assert set(urls) <= {"http://www.w3.org/2000/svg"}, urls


@pytest.fixture(scope="module")
def tiny():
    return model(), tokenizer()


def test_logits_explorer_static(tiny):
    m, tok = tiny
    e = LogitsExplorer(m, tok, TEXTS[:2])
    markup = e.static_html()
    _no_external(markup)
    assert markup.count("data-hfa-state=") == 2 * len(TEMPERATURES)
    hidden_states = re.findall(r'data-hfa-state="[^"]*"[^>]*\shidden>', markup)
    assert len(hidden_states) == 2 * len(TEMPERATURES) - 1  # only one state visible
    visible = markup.split('data-hfa-state="0|1">')[1].split("data-hfa-state=")[0]
    probs = [float(x) for x in re.findall(r'data-kind="probability" data-label="[^"]*" '
                                          r'data-value="([^"]+)"', visible)]
    want = logits_view(classify(m, tok, TEXTS[:2]), m.config.id2label)
    assert probs[:3] == pytest.approx(want.probabilities[0].tolist(), abs=1e-5)
    assert "<title>" in markup and "Run this chapter as a notebook" in markup
    bundle = e._repr_mimebundle_()
    assert "text/html" in bundle and "application/vnd.jupyter.widget-view+json" in bundle


def test_logits_footer_sums_what_the_chart_shows():
    """At T != 1 the chart shows logits / T, so the footer sums those, and bars take the
    colour of their label, not of their sign."""
    from hfanatomy.explorers.logits import logits_svg, view_summary
    from hfanatomy.html import label_color

    z = torch.tensor([[2.0, -3.5]])
    for t in (1.0, 5.0):
        view = logits_view(z, {0: "negative", 1: "positive"}, temperature=t)
        footer = view_summary(view)
        assert f"{(z / t).sum().item():+.3f}" in footer
        assert f"{z.sum().item() / t:+.3f}" in footer and (t == 1.0 or "logits / T" in footer)
        svg = logits_svg(view)
        fills = re.findall(r'fill="(#[0-9a-f]{6})" data-kind="logit"', svg)
        assert fills == [label_color(0), label_color(1)]


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
    assert markup.count("data-hfa-state=") == 2 * len(target_options(3))
    assert "<optgroup" in markup and "data-loss=" in markup
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
    markup = e.static_html()
    assert markup.count('<option value="s2" selected>') == 1
    shown = re.findall(r'data-hfa-state="([^"]*)"(?! hidden)>', markup)
    assert shown == ["0|s2"]  # the recorded view opens there too
    assert LossExplorer(m, tok, TEXTS[:2]).initial_state()["gold"] == 0  # the default
    for bad in (3, -1, True, 1.0):
        with pytest.raises(ValueError, match="gold must be a label id in 0..2"):
            LossExplorer(m, tok, TEXTS[:2], gold=bad)


def test_returns_explorer_static_and_widget(tiny):
    m, _ = tiny
    e = ReturnsExplorer(m, batch())
    markup = e.static_html()
    _no_external(markup)
    assert markup.count("data-hfa-state=") == 16
    lengths = sorted(int(x) for x in re.findall(r'data-tuple-length="(\d)"', markup))
    assert lengths == sorted([1, 2, 2, 3, 2, 3, 3, 4] * 2)
    e.widget  # noqa: B018
    assert e.data.tuple_length == 1
    e.labels_box.value = True
    e.attentions_box.value = True
    assert e.data.fields == ["loss", "logits", "attentions"]
    e.tuple_box.value = True
    assert "out[2]" in e._out.value and "tuple" in e._out.value
