"""AttentionExplorer: its data with padding hidden or greyed, its arguments, the live widget
(LiveView) driven without a kernel, and a page recorded with a foreign (tiny, config-built)
model: its states, their order under the budget, and the page in Chromium (draws, picks,
refuses what it does not hold)."""

from __future__ import annotations

import json

import pytest
import torch
from live import checked_page, choose, computed, root, served, type_error, wait_computed
from tiny_attention import TEXT, roberta, tiny_tokenizer

from hfanatomy.attention import compute_attention
from hfanatomy.explorers import live
from hfanatomy.explorers.attention import AttentionExplorer, quantize, rounded
from hfanatomy.explorers.live import NOSCRIPT, RECORDED_ONLY, LiveView


@pytest.fixture(scope="module")
def explorer():
    return AttentionExplorer(roberta(), tiny_tokenizer(), TEXT)


def test_padding_hidden_by_default_greyed_on_request():
    tok = tiny_tokenizer()
    enc = tok(["the cat sat", TEXT], padding=True, return_tensors="pt")
    with torch.no_grad():
        out = roberta()(**enc, output_attentions=True)
    tokens = tok.convert_ids_to_tokens(enc["input_ids"][0])
    hidden = AttentionExplorer(attention=out.attentions, tokens=tokens, batch_index=0,
                               attention_mask=enc["attention_mask"])
    data = hidden.compute(hidden.initial_state())
    assert len(data["tokens"]) == 5 and "<pad>" not in data["pieces"]
    assert data["positions"] == [0, 1, 2, 3, 4] and len(data["weights"]) == 5
    greyed = AttentionExplorer(attention=out.attentions, tokens=tokens, batch_index=0,
                               attention_mask=enc["attention_mask"], show_pad=True)
    data = greyed.compute(greyed.initial_state())
    assert len(data["tokens"]) == 13 and data["pieces"].count("<pad>") == 8
    assert len(data["weights"]) == 13 and all(len(row) == 13 for row in data["weights"])


def test_views_and_initial_state_from_arguments():
    ex = AttentionExplorer(roberta(), tiny_tokenizer(), TEXT, layer=1, head="mean", view="lines")
    state = ex.initial_state()
    assert (state["layer"], state["head"], state["view"]) == (1, "mean", "lines")
    data = ex.compute(state)
    assert (data["layer"], data["head"]) == (1, "mean")
    assert _map(data) == quantize(ex.data.mean_over_heads(1))
    model = AttentionExplorer(roberta(), tiny_tokenizer(), TEXT, view="model")
    assert model.initial_state()["view"] == "model"
    assert model.config()["views"] == [["heatmap", "heatmap"], ["lines", "lines (head view)"],
                                       ["model", "model view"]]


@pytest.mark.parametrize("kwargs, exc, match", [
    ({}, ValueError, "pass model=, tokenizer= and text=, or attention= and tokens="),
    ({"model": "m"}, ValueError, "pass both model and tokenizer"),
    ({"tokens": ["<s>"]}, ValueError, "pass attention= and tokens= together"),
    ({"view": "bars"}, ValueError, r"view must be one of \['heatmap', 'lines', 'model'\]"),
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


# ------------------------------------------------------------------ a recorded page
#: two short examples: every (layer, head or mean) in every view fits the budget
EXAMPLES = {"loved": "i loved the film", "cat": ("the cat sat", "a dog")}


@pytest.fixture(scope="module")
def recorded():
    return AttentionExplorer(roberta(), tiny_tokenizer(), "i loved the film", examples=EXAMPLES)


def _key(state: dict) -> tuple:
    return state["example"], state["layer"], state["head"], state["view"]


def test_the_recorded_model(recorded):
    """A foreign model: every example as it opens first, then in the other two views, then
    every other (layer, head or mean), each state's data Python's."""
    assert recorded.embedded is None
    model = recorded.recorded_model()
    assert model["config"]["needs"] is None and list(model["config"]["examples"]) == ["loved", "cat"]
    keys = [_key(r["state"]) for r in model["recorded"]]
    views = ["heatmap", "lines", "model"]
    assert keys[:6] == [(e, 0, 0, v) for v in views[:1] for e in EXAMPLES] + [
        (e, 0, 0, v) for e in EXAMPLES for v in views[1:]]
    assert keys[6:9] == [("loved", 0, "mean", "heatmap"), ("loved", 0, 1, "heatmap"),
                         ("loved", 0, 2, "heatmap")]
    every = {(e, layer, h, v) for e in EXAMPLES for layer in (0, 1)
             for h in ["mean", 0, 1, 2, 3] for v in views}
    assert len(keys) == len(set(keys)) == len(every) and set(keys) == every
    for r in model["recorded"][::7]:
        assert r["data"] == json.loads(json.dumps(recorded.compute(r["state"])))
    html = recorded.static_html()
    assert f"<noscript><div class=\"hfa-note\">{NOSCRIPT}</div></noscript>" in html
    assert "<svg" not in html and "data-hfa-state" not in html  # no second drawing
    assert len(html) < live.RECORDED_BUDGET + 20_000


def test_the_budget_cuts_other_heads_and_views_before_an_example(recorded, monkeypatch):
    sizes = [len(live.model_json(r)) for r in recorded.recorded_model()["recorded"]]
    monkeypatch.setattr(live, "RECORDED_BUDGET", sum(sizes[:7]) + sizes[7] // 2)
    model = recorded.recorded_model()
    keys = [_key(r["state"]) for r in model["recorded"]]
    assert keys == [("loved", 0, 0, "heatmap"), ("cat", 0, 0, "heatmap"),
                    ("loved", 0, 0, "lines"), ("loved", 0, 0, "model"), ("cat", 0, 0, "lines"),
                    ("cat", 0, 0, "model"), ("loved", 0, "mean", "heatmap")]
    assert list(model["config"]["examples"]) == ["loved", "cat"]
    monkeypatch.setattr(live, "RECORDED_BUDGET", sizes[0] + sizes[1])  # a big model's page
    keys = [_key(r["state"]) for r in recorded.recorded_model()["recorded"]]
    assert keys == [("loved", 0, 0, "heatmap"), ("cat", 0, 0, "heatmap")]  # its examples first


def test_a_recorded_page_draws_picks_and_refuses(tmp_path, browser, recorded):
    with served(tmp_path, "file", recorded) as (url, _):
        with checked_page(browser, url) as page:
            r = root(page, "attention")
            assert r.get_attribute("data-hfa-error") is None
            assert r.locator(".hfa-live-host canvas[data-hfa-draw]").count() == 1  # drawn
            picker = r.locator(".hfa-live-host select[data-hfa-control='example']")
            assert picker.locator("option").all_inner_texts() == ["(your text)", "loved", "cat"]
            for control, label in [("layer", "layer 1"), ("head", "mean of heads"),
                                   ("view", "lines (head view)"), ("head", "head 3"),
                                   ("view", "model view")]:
                js = choose(r, control, label)
                assert js == recorded.compute(json.loads(r.get_attribute("data-hfa-state")))
                assert r.get_attribute("data-hfa-error") is None
            before = computed(r)
            r.locator('.hfa-live-host button[data-hfa-open="0|2"]').click()
            js = wait_computed(r, before)
            state = json.loads(r.get_attribute("data-hfa-state"))
            assert (state["view"], state["layer"], state["head"]) == ("heatmap", 0, 2)
            assert js == recorded.compute(state)
            choose(r, "layer", "layer 0")
            choose(r, "head", "head 0")
            js = choose(r, "example", "cat")
            assert js["pieces"][-4:] == ["</s>", "a", "dog", "</s>"]
            assert js == recorded.compute({"example": "cat", "text": "the cat sat",
                                           "text_pair": "a dog", "layer": 0, "head": 0,
                                           "view": "heatmap"})
            # a typed text: the page's words are Python's (web/page.js RECORDED_ONLY)
            assert type_error(r, "text", "the dog sat") == RECORDED_ONLY
