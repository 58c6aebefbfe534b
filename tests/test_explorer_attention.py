"""AttentionExplorer: the recorded HTML (self-contained, one state per view/layer/head, exact
values) and the live widget (LiveView) driven without a kernel."""

from __future__ import annotations

import math
import re

import pytest
import torch
from test_attention import TEXT, roberta, tiny_tokenizer

from hfanatomy.attention import compute_attention
from hfanatomy.explorers.attention import (
    AttentionExplorer,
    colour_index,
    colour_table,
    quantize,
    rounded,
    svg_heatmap,
)
from hfanatomy.explorers.live import LiveView


def _visible_state(page: str) -> str:
    """The markup of the one state that is not hidden."""
    states = re.findall(r'<div class="hfa-state" data-hfa-state="([^"]*)"([^>]*)>', page)
    shown = [key for key, attrs in states if "hidden" not in attrs]
    assert len(shown) == 1, shown
    start = page.index(f'data-hfa-state="{shown[0]}"')
    return page[start:page.index('<div class="hfa-state"', start + 1)
                if '<div class="hfa-state"' in page[start + 1:] else len(page)]


def _values(markup: str) -> list[str]:
    return re.findall(r'data-value="([0-9.]+)"', markup)


@pytest.fixture(scope="module")
def explorer():
    return AttentionExplorer(roberta(), tiny_tokenizer(), TEXT)


def test_static_html_is_self_contained_with_one_state_per_view_layer_head(explorer):
    page = explorer.static_html()
    assert "http" not in page  # no URL of any kind: no CDN, not even an SVG namespace
    assert "<script src" not in page and "<link" not in page
    keys = re.findall(r'data-hfa-state="([^"]*)"', page)
    d = explorer.data
    expected = {f"{v}|{layer}|{h}" for v in ("heatmap", "lines") for layer in range(d.num_layers)
                for h in [*map(str, range(d.num_heads)), "mean"]} | {"model"}
    assert len(keys) == len(set(keys)) == 2 * 2 * 5 + 1 and set(keys) == expected
    assert page.count('data-hfa-control="') == 3
    assert 'Run this chapter as a notebook to type your own text' in page
    assert "each row is a softmax, so it sums to 1" in page  # the caption says what to look at
    assert 30_000 < len(page) < 100_000, len(page)  # tens of KB for 13 tokens, 2 x 4 heads


def test_first_state_is_drawn_with_exact_values_and_hover_titles(explorer):
    page = explorer.static_html()
    first = _visible_state(page)
    assert 'data-hfa-state="heatmap|0|0"' in first
    d = explorer.data
    w = d.head(0, 0)  # (L, L)
    expected = [f"{w[i, j].item():.4f}" for i in range(d.length) for j in range(d.length)]
    got = _values(first)
    assert len(got) == d.length ** 2
    assert [float(g) for g in got] == pytest.approx([float(e) for e in expected], abs=5.1e-5)
    titles = re.findall(r"<title>([^<]*)</title>", first)
    assert titles[0] == f"&lt;s&gt; [0] -> &lt;s&gt; [0]: {got[0]}"  # from -> to: weight
    assert titles[1].endswith(f": {got[1]}") and "[0] -> i [1]" in titles[1]
    # special tokens are purple, the others are not
    assert first.count('fill="#8250df"') == 2 * 2  # <s> and </s>, row and column labels


def test_colour_index_is_exactly_round_255_sqrt():
    for q in range(0, 10_001):
        exact = 255 * math.sqrt(q / 10_000)
        k = colour_index(q)
        assert abs(k - exact) <= 0.5 + 1e-9, q
    assert colour_index(0) == 0 and colour_index(10_000) == 255
    assert len(colour_table()) == 256 and colour_table()[0] == "#f7fbff"


def test_lazy_states_are_placeholders_and_all_renders_every_state(explorer):
    lazy = explorer.static_html()
    full = AttentionExplorer(attention=[explorer.data.weights[i][None]
                                        for i in range(explorer.data.num_layers)],
                             tokens=explorer.data.tokens, prerender="all").static_html()
    empty = re.findall(r'data-hfa-state="([^"]*)"[^>]*></div>', lazy)
    assert len(empty) == 21 - 3  # only the two templates and the model view are drawn
    assert re.findall(r'data-hfa-state="([^"]*)"[^>]*></div>', full) == []
    assert len(full) > 4 * len(lazy)
    # a state drawn in Python = what svg_heatmap gives for that layer/head
    start = full.index('data-hfa-state="heatmap|1|mean"')
    assert svg_heatmap(explorer.data, 1, "mean") in full[start:start + 60_000]


def test_ids_are_unique_across_two_explorers(explorer):
    other = AttentionExplorer(roberta(), tiny_tokenizer(), "the cat sat on the mat")
    page = explorer.static_html() + other.static_html() + explorer.static_html()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) == 6  # box + data script, three times
    for eid in ids[::2]:
        assert f"getElementById({eid!r})".replace("'", '"') in page


def test_padding_hidden_by_default_greyed_on_request():
    tok = tiny_tokenizer()
    enc = tok(["the cat sat", TEXT], padding=True, return_tensors="pt")
    with torch.no_grad():
        out = roberta()(**enc, output_attentions=True)
    tokens = tok.convert_ids_to_tokens(enc["input_ids"][0])
    hidden = AttentionExplorer(attention=out.attentions, tokens=tokens, batch_index=0,
                               attention_mask=enc["attention_mask"])
    first = _visible_state(hidden.static_html())
    assert len(_values(first)) == 5 * 5 and "&lt;pad&gt;" not in first
    greyed = AttentionExplorer(attention=out.attentions, tokens=tokens, batch_index=0,
                               attention_mask=enc["attention_mask"], show_pad=True)
    first = _visible_state(greyed.static_html())
    assert len(_values(first)) == 13 * 13 and first.count('class="hfa-pad"') == 13 * 13 - 25
    assert "padding is greyed" in greyed.static_html()


def test_views_and_initial_state_from_arguments():
    ex = AttentionExplorer(roberta(), tiny_tokenizer(), TEXT, layer=1, head="mean", view="lines")
    first = _visible_state(ex.static_html())
    assert 'data-hfa-state="lines|1|mean"' in first and "<line" in first
    assert "layer 1 \u00b7 mean of 4 heads" in first
    model = _visible_state(AttentionExplorer(roberta(), tiny_tokenizer(), TEXT,
                                             view="model").static_html())
    assert model.count('class="hfa-mini"') == 2 * 5
    assert model.count("data:image/png;base64,") == 2  # one PNG per layer


@pytest.mark.parametrize("kwargs, exc, match", [
    ({}, ValueError, "pass model=, tokenizer= and text=, or attention= and tokens="),
    ({"model": "m"}, ValueError, "pass both model and tokenizer"),
    ({"tokens": ["<s>"]}, ValueError, "pass attention= and tokens= together"),
    ({"view": "bars"}, ValueError, r"view must be one of \['heatmap', 'lines', 'model'\]"),
    ({"prerender": "some"}, ValueError, 'prerender must be "lazy" or "all"'),
])
def test_constructor_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        AttentionExplorer(**kwargs)


def test_constructor_checks_layer_head_and_model():
    with pytest.raises(ValueError, match=r"valid layers are 0..1"):
        AttentionExplorer(roberta(), tiny_tokenizer(), TEXT, layer=2)
    with pytest.raises(ValueError, match=r"valid heads are 0..3"):
        AttentionExplorer(roberta(), tiny_tokenizer(), TEXT, head=7)
    with pytest.raises(ValueError, match="pass text="):
        AttentionExplorer(roberta(), tiny_tokenizer())


# ------------------------------------------------------------------ live widget (kernel)
def _map(data: dict) -> list[list[int]]:
    """The selected map of a live data dict, as rows of ints (1e-4 units)."""
    return [[round(x * 1e4) for x in row] for row in data["weights"]]


def test_live_widget_follows_text_layer_head_and_view():
    ex = AttentionExplorer(roberta(), tiny_tokenizer(), TEXT)
    widget = ex.widget
    assert ex.widget is widget and isinstance(widget, LiveView)  # built once
    assert widget.config["num_heads"] == 4 and widget.data["layer"] == 0
    assert _map(widget.data) == quantize(ex.data.map(0, 0))

    widget.state = {**widget.state, "text": "the cat sat on the mat"}
    assert widget.status == ""
    assert widget.data["pieces"] == ["<s>", "the", "cat", "sat", "on", "the", "mat", "</s>"]
    expected = compute_attention(roberta(), tiny_tokenizer(), "the cat sat on the mat")
    assert _map(widget.data) == quantize(expected.map(0, 0))

    widget.state = {**widget.state, "text_pair": "a dog"}
    assert widget.data["pieces"][-4:] == ["</s>", "a", "dog", "</s>"]
    pair = compute_attention(roberta(), tiny_tokenizer(), "the cat sat on the mat", "a dog")

    layer0 = _map(widget.data)
    widget.state = {**widget.state, "layer": 1}
    assert widget.data["layer"] == 1 and _map(widget.data) != layer0
    assert _map(widget.data) == quantize(pair.map(1, 0))
    widget.state = {**widget.state, "head": "mean"}
    assert widget.data["head"] == "mean"
    assert _map(widget.data) == quantize(pair.mean_over_heads(1))
    # every head's thumbnail (2 layers x (4 heads + mean)); 12 tokens < 32: the maps themselves
    t = widget.data["thumb_size"]
    assert t == 12 and widget.data["thumbs"][1][2] == rounded(pair.map(1, 2).reshape(-1))


def test_live_widget_shows_errors_and_warnings():
    ex = AttentionExplorer(roberta(), tiny_tokenizer(), TEXT)
    widget = ex.widget
    data = widget.data
    widget.state = {**widget.state, "text": "   "}
    assert widget.data == data and widget.status.startswith("error: text is empty")
    widget.state = {**widget.state, "layer": 5}
    assert widget.status == "error: layer must be 0..1, got 5"
    widget.state = {**widget.state, "layer": 0, "text": " ".join(["cat"] * 60)}
    assert widget.status == "" and len(widget.data["tokens"]) == 38  # cut, and said so
    assert widget.data["warnings"] == [
        "62 tokens: the model reads at most 38, so the end of the text was cut"]
    widget.state = {**widget.state, "text": "the dog"}
    assert widget.status == "" and widget.data["warnings"] == []


def test_precomputed_explorer_has_no_live_text():
    data = compute_attention(roberta(), tiny_tokenizer(), TEXT)
    ex = AttentionExplorer(attention=[w[None] for w in data.weights], tokens=data.tokens)
    state = ex.initial_state()
    assert _map(ex.compute({**state, "head": 2})) == quantize(data.map(0, 2))
    with pytest.raises(ValueError, match="precomputed attention"):
        ex.compute({**state, "text": "the cat"})


def test_big_models_offer_evenly_spaced_layers_within_the_budget():
    g = torch.Generator().manual_seed(0)
    attention = [torch.randn(1, 3, 6, 6, generator=g).softmax(-1) for _ in range(7)]
    tokens = ["<s>", "a", "b", "c", "d", "</s>"]
    per_layer = (3 + 1) * 6 * 6
    ex = AttentionExplorer(attention=attention, tokens=tokens, layer=1,
                           max_static_values=3 * per_layer)
    assert ex.static_layers() == [0, 1, 3, 6]  # 3 evenly spaced + the initial layer
    page = ex.static_html()
    assert re.findall(r'<option value="(\d)"(?: selected)?>layer', page) == ["0", "1", "3", "6"]
    assert {k.split("|")[1] for k in re.findall(r'data-hfa-state="([^"]*)"', page)
            if k != "model"} == {"0", "1", "3", "6"}
    assert "offers layers 0, 1, 3, 6 of 7" in page
    assert '"li":{"0":0,"1":1,"3":2,"6":3}' in page
    full = AttentionExplorer(attention=attention, tokens=tokens)
    assert full.static_layers() == list(range(7)) and "offers layers" not in full.static_html()
