"""The "one layer, step by step" explorer, live: the page's compute
(web/compute/layer_steps.js) equals Python's (LayerStepsExplorer.compute) on the embedded
models: typed English and Korean text, a padded batch (the mask row, padded keys weighing
0, a query on a padding token), a text longer than the one it is batched with (a mask of
zeros), head / query / key / layer changes (no new forward pass), indices past the end
(moved to the last token), a question + context pair, a 512-token QA input (the cut
warning, the worker), and bad inputs (Python's messages word for word). The softmax row
equals the attention explorer's weights in the page.

The compute runs in the harness page of tests/helpers/live.py (Chromium, file://), imported as a
module from the page's runtime bundle with a context like page.js's, so this file does not
depend on the view; when web/views/layer_steps.js is there, a typed text through the view
is checked too. One page for the module.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from live import (
    assert_same,
    choose,
    computed,
    open_live,
    root,
    served,
    type_error,
    type_into,
    wait_computed,
)

from hfanatomy import load_classifier, load_qa
from hfanatomy.explorers.attention import AttentionExplorer
from hfanatomy.explorers.layer_steps import LayerStepsExplorer

WEB = Path(__file__).resolve().parents[2] / "src" / "hfanatomy" / "web"

SENTENCE = "The soup was cold, but the bread was lovely."
KOREAN = "이 영화는 정말 좋았다 😀"
QUESTION = "Where does Oliver work?"
CONTEXT = "Hannah works at Blue Bank. Oliver lives in Oslo. Oliver works at Swift Motors."
LONG_CONTEXT = "Oliver works at Swift Motors, and Hannah works at Blue Bank. " * 45  # > 512
#: rounded to 5 decimals on both sides: one unit on a rounding edge, plus float32 (torch)
#: against float64 (the page)
RTOL, ATOL = 1e-4, 2e-5

# compute/layer_steps.js (and compute/attention.js) linked from the page's runtime bundle,
# with page.js's context: the root's config (one object per root, so the module's cache per
# config works), the runtime's models and one worker. Returns JSON, as page.js records it,
# and how many forward passes went to the worker.
RUN = """async ([index, states, kind]) => {
  const rt = await globalThis.hfaRuntime, b = globalThis.hfaRuntimeBundle;
  const h = (window.__hfaTest ??= { mods: {}, configs: {}, calls: 0 });
  h.mods[kind] ??= b.link(b.sources, b.order, `compute/${kind}.js`);
  const mod = await h.mods[kind];
  const el = document.querySelectorAll('[data-hfa-live="layer_steps"]')[index];
  const spec = JSON.parse(el.querySelector("script[data-hfa-model]").textContent);
  const config = (h.configs[`${kind}|${index}`] ??= kind === "layer_steps" ? spec.config
    : { ...h.attention, needs: spec.config.needs });
  h.worker ??= rt.startWorker();
  const ctx = { config, model: (name) => rt.loadModel(name), progress: () => {}, signal: null,
    forwardAsync: (...args) => { h.calls++; return h.worker.forward(...args); } };
  const out = [];
  for (const state of states) {
    const calls = h.calls, t0 = performance.now();
    try {
      const data = await mod.compute(state, ctx);
      out.push({ data, ms: performance.now() - t0, worker: h.calls - calls });
    } catch (err) {
      out.push({ error: String(err?.message ?? err) });
    }
  }
  return JSON.stringify(out);
}"""


@pytest.fixture(scope="module")
def explorers():
    torch.set_num_threads(1)
    model, tok = load_classifier()
    qa, qa_tok = load_qa()
    return [
        LayerStepsExplorer(model, tok, SENTENCE, query=2, key=3,
                           examples={"soup": SENTENCE, "Korean": {"text": KOREAN, "query": 1}}),
        LayerStepsExplorer(qa, qa_tok, QUESTION, CONTEXT, layer=1, head=2, query=3, key=12),
    ]


@pytest.fixture(scope="module")
def page(explorers, browser, tmp_path_factory):
    with served(tmp_path_factory.mktemp("layer_steps"), "file", *explorers) as (url, _base):
        p = open_live(browser, url)
        p.wait_for_function("() => ['classifier', 'qa'].every((n) => (globalThis.HFA_ASSETS "
                            "?? {})[n])", timeout=20_000)
        try:
            yield p
        finally:
            p.close()


def run_js(page, index: int, states: list[dict], kind: str = "layer_steps") -> list[dict]:
    return json.loads(page.evaluate(RUN, [index, states, kind]))


def same(js: dict, py: dict) -> None:
    assert "error" not in js, js.get("error")
    assert_same(js["data"], py, rtol=RTOL, atol=ATOL)


def state(**kw) -> dict:
    base = {"example": None, "text": SENTENCE, "text_pair": None, "batch_with": "",
            "layer": 0, "head": 0, "query": 0, "key": 0}
    return {**base, **kw}


def test_the_first_state_is_the_recorded_one(page, explorers):
    """The root's model (what Python computed at build time) is what the page computes."""
    for i in range(len(explorers)):
        spec = json.loads(root(page, "layer_steps", i).locator("script[data-hfa-model]")
                          .text_content())
        assert spec["config"]["needs"] == ("classifier", "qa")[i]
        [js] = run_js(page, i, [spec["state"]])
        same(js, spec["data"])


def test_typed_texts_and_selections_equal_python(page, explorers):
    e = explorers[0]
    states = [
        state(text="The food was never good", query=4, key=1, layer=1, head=3),
        state(text=KOREAN, query=2, key=5),
        # the same text again: a head, query, key and layer change (no new forward pass)
        state(text=KOREAN, query=3, key=0, head=1),
        state(text=KOREAN, query=0, key=6, head=2, layer=1),
        state(text=KOREAN, query=99, key=42),  # past the end: the last token
        state(text="  spaces   and\ttabs!!! ?? ...  ", query=5, key=5, layer=1, head=0),
    ]
    out = run_js(page, 0, states)
    for js, s in zip(out, states):
        py = e.compute(s)
        same(js, py)
        assert js["data"]["mask"] is None and js["worker"] == 0
    assert out[4]["data"]["query"] == out[4]["data"]["key"] == out[4]["data"]["length"] - 1
    assert "Ġ영화는" in out[1]["data"]["tokens"]


def test_a_padded_batch_equals_python(page, explorers):
    """batch_with longer: row 0 padded, the mask row (the float32 minimum on padding, 0 on
    the text), padded keys weigh 0, a padding token as the query still computes; batch_with
    shorter: a mask of zeros (the batch has padding, row 0 has none)."""
    e = explorers[0]
    longer = "A much longer text than the other one, with many more words in it."
    states = [
        state(text="The soup was cold.", batch_with=longer, query=2, key=9),
        state(text="The soup was cold.", batch_with=longer, query=11, key=3, layer=1, head=2),
        state(text=SENTENCE, batch_with="Short.", query=4, key=2, layer=1, head=1),
        state(text=SENTENCE, batch_with="   ", query=4, key=2),  # blank: no second row
    ]
    out = run_js(page, 0, states)
    for js, s in zip(out, states):
        same(js, e.compute(s))
    padded = out[0]["data"]
    n = padded["padded"].count(False)
    assert padded["batch"] == 2 and n < padded["length"] and padded["padded"][n:] == \
        [True] * (padded["length"] - n)
    assert padded["mask"][:n] == [0] * n
    assert all(m == pytest.approx(torch.finfo(torch.float32).min) for m in padded["mask"][n:])
    assert padded["weights"][n:] == [0] * (padded["length"] - n)
    assert padded["pieces"][n:] == ["<pad>"] * (padded["length"] - n)
    assert out[1]["data"]["query"] == 11 and out[1]["data"]["padded"][11]
    assert out[2]["data"]["mask"] == [0] * out[2]["data"]["length"]
    assert (out[3]["data"]["batch"], out[3]["data"]["mask"]) == (1, None)


def test_the_softmax_row_is_the_attention_explorers(page, explorers):
    """weights (5 decimals) = the attention explorer's map row (7 decimals) in the page, with
    or without padding after the text."""
    model, tok = explorers[0].model, explorers[0].tokenizer
    page.evaluate("(c) => { (window.__hfaTest ??= { mods: {}, configs: {}, calls: 0 })"
                  ".attention = c; }", AttentionExplorer(model, tok, SENTENCE).config())
    text = "The acting was great, but the movie was not good."
    for layer, head, query in [(0, 1, 3), (1, 3, 7)]:
        [att] = run_js(page, 0, [{"text": text, "layer": layer, "head": head}], "attention")
        row = att["data"]["weights"][query]
        for other in ("", "and a second text that is a good deal longer than the first one"):
            [js] = run_js(page, 0, [state(text=text, batch_with=other, layer=layer, head=head,
                                          query=query)])
            weights = js["data"]["weights"]
            assert len(weights) >= len(row) and all(w == 0 for w in weights[len(row):])
            assert max(abs(a - b) for a, b in zip(weights, row)) <= 1e-5 + 1e-12


def test_qa_pairs_and_a_512_token_input_equal_python(page, explorers):
    e = explorers[1]
    states = [
        state(text=QUESTION, text_pair=CONTEXT, layer=3, head=0, query=4, key=20),
        state(text="누가 Swift Motors에서 일해요?", text_pair="김민지는 부산에 살아요. Oliver는 "
              "Swift Motors에서 일해요.", query=6, key=2, layer=2, head=3),
        # both items of the batch pair with the same context; the second is longer
        state(text=QUESTION, text_pair=CONTEXT, batch_with="Who lives in Oslo and works at "
              "a bank?", query=2, key=30, layer=1, head=1),
        state(text=QUESTION, text_pair=LONG_CONTEXT, query=5, key=400, layer=2, head=1),
        state(text=QUESTION, text_pair=LONG_CONTEXT, query=300, key=7, layer=0,
              head=3),  # a head / token change at 512 tokens: no new forward pass
        # a second question with the long context: cut to 512 too (a second warning, no
        # padding so no mask); row 0 is the same, so no new forward pass either
        state(text=QUESTION, text_pair=LONG_CONTEXT, batch_with="Who?", query=511, key=511,
              layer=3, head=2),
    ]
    out = run_js(page, 1, states)
    for js, s in zip(out, states):
        same(js, e.compute(s))
    long = out[3]["data"]
    assert (long["length"], long["batch"], long["mask"]) == (512, 1, None)
    assert len(long["warnings"]) == 1 and long["warnings"][0].endswith(
        "tokens: the model reads at most 512, so the longer text was cut first")
    assert [o["worker"] for o in out] == [0, 0, 0, 1, 0, 0]  # 512 tokens: the worker, once
    both = out[5]["data"]
    assert (both["batch"], both["mask"]) == (2, None)
    assert both["warnings"][0] == long["warnings"][0] and len(both["warnings"]) == 2
    assert both["warnings"][1].startswith("batch_with: ") and "cut first" in both["warnings"][1]
    assert out[2]["data"]["mask"][-1] < -1e38 and out[2]["data"]["batch"] == 2


@pytest.mark.parametrize("patch", [
    {"text": ""}, {"text": "  \n\t"}, {"text": None}, {"text": 3}, {"batch_with": ["a"]},
    {"text_pair": "   "}, {"text_pair": 7},
    {"layer": 2}, {"layer": -1}, {"layer": "1"}, {"head": 4}, {"head": True}, {"head": 1.5},
    {"query": -3}, {"query": None}, {"key": "x's"}, {"key": 0.25},
])
def test_bad_inputs_give_pythons_messages(page, explorers, patch):
    e = explorers[0]
    s = state(**patch)
    data, status = e.run(s)
    assert data is None and status.startswith("error: ")
    [js] = run_js(page, 0, [s])
    assert js.get("error") == status.removeprefix("error: ")


def test_through_the_view(page, explorers):
    """With the view in place (web/views/layer_steps.js): texts typed as a reader types them,
    a head picked, a query token clicked, an empty text (Python's message), a long context."""
    r, qa = root(page, "layer_steps", 0), root(page, "layer_steps", 1)
    assert r.get_attribute("data-hfa-error") is None

    def check(js, e, where):
        assert_same(js, e.compute(json.loads(where.get_attribute("data-hfa-state"))),
                    rtol=RTOL, atol=ATOL)
        return js

    e = explorers[0]
    check(type_into(r, "text", KOREAN), e, r)
    js = check(type_into(r, "batch_with", "A longer text than the Korean one, to pad it."), e, r)
    assert js["mask"] is not None and js["padded"][-1]
    check(choose(r, "head", "head 2"), e, r)
    before = computed(r)
    r.locator('.hfa-live-host button[data-hfa-query="3"]').click()
    js = check(wait_computed(r, before), e, r)
    assert (js["query"], js["head"]) == (3, 2)
    message = type_error(r, "text", "")
    assert message == e.run(json.loads(r.get_attribute("data-hfa-state")) | {"text": ""})[1] \
        .removeprefix("error: ")
    js = check(type_into(qa, "text_pair", LONG_CONTEXT), explorers[1], qa)
    assert js["length"] == 512 and "the longer text was cut first" in js["warnings"][0]
    assert page.errors == []
