"""The attention explorer, live: Python's compute equals transformers' attentions, and the
page's compute (web/compute/attention.js) equals Python's for typed texts and pairs,
examples, layers, heads and the model view's clicks, on the embedded models. On a phone
(issue #24): a title naming an example follows the text, the lines view shows every
token of a 34-token sentence (a longer text scrolls, with a cue), a tap shows what hover
shows, and nothing hides to the right without the scroll cue."""

from __future__ import annotations

import json

import pytest
import torch
from live import (
    assert_same,
    checked_page,
    choose,
    computed,
    live_page,
    open_device,
    root,
    type_into,
)
from overflow import hidden_boxes

from hfanatomy import load_classifier, load_qa
from hfanatomy.explorers.attention import AttentionExplorer, unpack
from hfanatomy.explorers.tokens import TokenExplorer

SENTENCE = "The acting was great, but the movie was not good."
KOREAN = "이 영화는 정말 좋았다 😀"
QUESTION = "Where does Oliver work?"
CONTEXT = "Hannah works at Blue Bank. Oliver lives in Oslo. Oliver works at Swift Motors."


@pytest.fixture(scope="module")
def explorers():
    torch.set_num_threads(1)
    model, tok = load_classifier()
    qa, qa_tok = load_qa()
    return [
        AttentionExplorer(model, tok, SENTENCE, layer=1,
                          examples={"contrast": SENTENCE, "Korean": KOREAN}),
        AttentionExplorer(qa, qa_tok, QUESTION, CONTEXT,
                          examples={"Oliver": (QUESTION, CONTEXT),
                                    "Mina": ("Who employs Mina Park?",
                                             "Mina Park works at Cedar Books.")}),
    ]


def same(js: dict, py: dict) -> None:
    """The page's data equals Python's (live.assert_same); a map packed past 128 tokens
    (explorers.attention.packed, 1e-4 units) to one unit (float64 in the page, float32 in
    torch: a weight on a rounding edge)."""
    if isinstance(py["weights"], str):
        a, b = unpack(js["weights"]), unpack(py["weights"])
        assert a.shape == b.shape, f"weights: {a.shape} in the page, {b.shape} in Python"
        assert int(abs(a - b).max(initial=0)) <= 1, f"weights: off by {abs(a - b).max()}"
        js, py = {**js, "weights": None}, {**py, "weights": None}
    assert_same(js, py)


# ------------------------------------------------------------------ Python's data
def _n_by_n(data: dict) -> torch.Tensor:
    n = len(data["tokens"])
    if isinstance(data["weights"], str):  # packed past 128 tokens, 1e-4 units
        return torch.as_tensor(unpack(data["weights"])).reshape(n, n) / 1e4
    return torch.tensor(data["weights"], dtype=torch.float64)


def test_compute_is_transformers_attention(explorers):
    ex = explorers[0]
    model, tok = ex.model, ex.tokenizer
    enc = tok("The food was never good", return_tensors="pt")
    with torch.no_grad():
        att = model(**enc, output_attentions=True).attentions  # (1, H, L, L) per layer
    for layer, head in [(0, 2), (1, 3), (1, "mean")]:
        data = ex.compute({"text": "The food was never good", "layer": layer, "head": head})
        want = att[layer][0].mean(0) if head == "mean" else att[layer][0, head]  # (L, L)
        assert (_n_by_n(data) - want.double()).abs().max() <= 0.5e-7 + 1e-12  # 7 decimals
        assert data["layer"] == layer and data["head"] == head
    # thumbnails: up to 32 tokens they are the maps themselves, every head and the mean
    t = data["thumb_size"]
    thumbs = torch.tensor(data["thumbs"], dtype=torch.float64).reshape(2, 5, t, t)
    assert t == enc["input_ids"].shape[1]
    assert (thumbs[0, 1] - att[0][0, 1].double()).abs().max() <= 0.5e-7 + 1e-12
    assert (thumbs[1, 4] - att[1][0].mean(0).double()).abs().max() <= 0.5e-7 + 1e-12
    # past 128 tokens the map travels packed, in 1e-4 units
    long = ex.compute({"text": "good " * 200, "layer": 0, "head": 0})
    n = len(long["tokens"])
    assert n > 128 and isinstance(long["weights"], str) and _n_by_n(long).shape == (n, n)
    assert (_n_by_n(long).sum(-1) - 1).abs().max() <= n * 0.5e-4  # rows still sum to 1


def test_axes_read_as_the_token_table(explorers):
    """The pieces on the axes are the token table's "reads as" column (one symbol, Ġ, for
    a byte-level space), not the vocabulary's byte symbols."""
    for ex, text, pair in [(explorers[0], KOREAN, None), (explorers[1], QUESTION, CONTEXT)]:
        data = ex.compute({"text": text, "text_pair": pair, "layer": 0, "head": 0})
        table = TokenExplorer(ex.tokenizer, {"t": {"text": text, "text_pair": pair}})
        rows = table.compute(table.initial_state())["sequences"][0]
        assert data["tokens"] == [r["reads"] for r in rows]
        assert data["special"] == [r["special"] for r in rows]
    korean = explorers[0].compute({"text": KOREAN, "layer": 0, "head": 0})["tokens"]
    assert "Ġ영화는" in korean and not any("ì" in t for t in korean)


def test_long_inputs_are_cut_as_transformers_truncates_and_said(explorers):
    cls, qa = explorers
    data = cls.compute({"text": "good " * 600, "layer": 0, "head": 0})
    n = len(cls.tokenizer("good " * 600, verbose=False)["input_ids"])
    assert len(data["tokens"]) == 512 and data["tokens"][-1] == "</s>"
    assert data["warnings"] == [f"{n} tokens: the model reads at most 512, so the end of the "
                                "text was cut"]
    question, context = "누가 " * 300, "Oliver works at Swift Motors. " * 60
    data = qa.compute({"text": question, "text_pair": context, "layer": 0, "head": 0})
    want = qa.tokenizer(question, context, truncation=True, max_length=512)["input_ids"]
    assert data["pieces"] == qa.tokenizer.convert_ids_to_tokens(want)
    assert "the longer text was cut first" in data["warnings"][0]


def test_bad_input_is_a_status_line(explorers):
    ex = explorers[0]
    assert ex.run({"text": "", "layer": 0, "head": 0}) == (
        None, "error: text is empty: type some words to see their attention")
    assert ex.run({"text": "ok", "layer": 0, "head": 9})[1] == (
        'error: head must be 0..3 or "mean", got 9')


def test_kernel_layer_and_head_changes_at_512_tokens_send_the_packed_map(explorers):
    """A layer or head change at 512 tokens slices the attentions kept from the forward pass
    and sends the map packed. Issue 13's budget for it (<= 100 ms) is measured by
    benchmarks/live_attention.py (``layer_head_change_512_tokens``), not by a timed test."""
    widget = explorers[0].widget
    widget.state = {**widget.state, "text": "good " * 600}
    for layer, head in [(0, 1), (0, 2), (1, 3), (1, "mean"), (0, 0), (1, 1)]:
        widget.state = {**widget.state, "layer": layer, "head": head}
        assert widget.data["layer"] == layer and widget.data["head"] == head
        assert len(json.dumps(widget.data)) < 900_000  # what the comm sends
    assert len(widget.data["weights"]) < 800_000  # base64 of 512 x 512 uint16, not 30 MB


# ------------------------------------------------------------------ the page
TYPED = [
    (0, "text", "The food was never good"),
    (0, "text", KOREAN),
    (0, "text", "  spaces   and\ttabs!!! ?? ...  "),
    (1, "text", "누가 Swift Motors에서 일해요?"),
    (1, "text_pair", "김민지는 부산에 살아요. Oliver는 Swift Motors에서 일해요."),
]


@pytest.mark.parametrize("over", ["file"])  # over http: tests/site/test_explorer_states.py, every explorer
def test_the_page_equals_python(explorers, browser, tmp_path, over):
    page_path = live_page(tmp_path, *explorers)
    if over == "http":
        from web_pages import http_server
        with http_server(tmp_path) as base:
            _drive(browser, base + "index.html", base, explorers)
    else:
        _drive(browser, page_path.as_uri(), tmp_path.as_uri(), explorers)


def _pixels(r) -> str:
    return r.locator(".hfa-live-host canvas[data-hfa-draw]").evaluate("c => c.toDataURL()")


def _drive(browser, url, base, explorers):
    with checked_page(browser, url, base) as page:
        roots = [root(page, "attention", 0), root(page, "attention", 1)]
        for i, name, text in TYPED:
            before = _pixels(roots[i])
            js = type_into(roots[i], name, text)
            e = explorers[i]
            state = json.loads(roots[i].get_attribute("data-hfa-state"))
            assert state[name] == text and state["example"] is None
            same(js, e.compute(state))
            assert _pixels(roots[i]) != before  # the drawing changed
        # layer, head, view, examples
        r, e = roots[0], explorers[0]
        for control, label in [("layer", "layer 0"), ("head", "head 3"), ("head", "mean of heads"),
                               ("example", "Korean"), ("layer", "layer 1")]:
            js = choose(r, control, label)
            same(js, e.compute(json.loads(r.get_attribute("data-hfa-state"))))
        assert json.loads(r.get_attribute("data-hfa-state"))["text"] == KOREAN
        # a head picked while an edit waits for its debounce: the edit goes first, not lost
        box = r.locator('.hfa-live-host [data-hfa-input="text"]')
        box.fill("Quick edit, then a head.")
        js = choose(r, "head", "head 2")
        page.wait_for_function("el => !el.dataset.hfaBusy", arg=r.element_handle())
        state = json.loads(r.get_attribute("data-hfa-state"))
        assert (state["text"], state["head"]) == ("Quick edit, then a head.", 2)
        same(json.loads(r.get_attribute("data-hfa-result")), e.compute(state))
        # an example picked while an edit waits: the example's text wins
        box.fill("an edit the example replaces")
        choose(r, "example", "Korean")
        page.wait_for_timeout(400)  # past the debounce: nothing stale arrives
        assert json.loads(r.get_attribute("data-hfa-state"))["text"] == KOREAN
        assert box.input_value() == KOREAN
        choose(r, "head", "mean of heads")
        assert r.locator(".hfa-live-host .hfa-cap").text_content() == "layer 1 · mean of 4 heads"
        choose(roots[1], "example", "Mina")
        assert roots[1].locator('[data-hfa-input="text_pair"]').input_value() == \
            "Mina Park works at Cedar Books."
        # the model view: every layer x (heads + mean); a click opens that heatmap
        choose(r, "view", "model view")
        assert r.locator(".hfa-live-host button.hfa-mini").count() == 2 * 5
        before = computed(r)
        r.locator('button[data-hfa-open="0|2"]').click()
        page.wait_for_function("([el, n]) => Number(el.dataset.hfaComputed) > n "
                               "&& !el.dataset.hfaBusy", arg=[r.element_handle(), before])
        state = json.loads(r.get_attribute("data-hfa-state"))
        assert (state["view"], state["layer"], state["head"]) == ("heatmap", 0, 2)
        assert r.locator(".hfa-live-host .hfa-cap").text_content() == "layer 0 · head 2"
        same(json.loads(r.get_attribute("data-hfa-result")), e.compute(state))
        # hover a cell: its pieces and exact weight
        canvas = r.locator(".hfa-live-host canvas[data-hfa-draw]")
        box = canvas.bounding_box()
        canvas.hover(position={"x": box["width"] - 5, "y": box["height"] - 5})
        assert r.locator(".hfa-live-host .hfa-readout").text_content().startswith("from ")
        # or the keyboard: the first key lands on the top-left cell, then moves
        page.mouse.move(0, 0)
        canvas.focus()
        for key in ("ArrowRight", "ArrowRight", "ArrowDown", "ArrowRight"):
            canvas.press(key)
        tokens = json.loads(r.get_attribute("data-hfa-result"))["tokens"]
        assert r.locator(".hfa-live-host .hfa-readout").text_content().startswith(
            f"from {tokens[1]} [1] → to {tokens[2]} [2]: 0.")
        # empty text: an error in the status line, the last drawing kept
        before = computed(r)
        r.locator('.hfa-live-host [data-hfa-input="text"]').fill("")
        page.wait_for_function("([el, n]) => Number(el.dataset.hfaComputed) > n",
                               arg=[r.element_handle(), before])
        assert r.get_attribute("data-hfa-error") == ("text is empty: type some words to see "
                                                     "their attention")
        assert "error: text is empty" in r.locator(".hfa-live-host .hfa-status").text_content()
        # more than 512 tokens: cut and said; a head change then only slices
        js = type_into(r, "text", "good " * 600)
        state = json.loads(r.get_attribute("data-hfa-state"))
        same(js, e.compute(state))
        assert "604 tokens: the model reads at most 512" in r.locator(".hfa-live-host .hfa-status").text_content()
        js = choose(r, "head", "head 1")
        same(js, e.compute(json.loads(r.get_attribute("data-hfa-state"))))
        # a QA context past 512 tokens: the pair cut longest first, the forward in the worker
        js = type_into(roots[1], "text_pair", "Oliver works at Swift Motors. " * 100)
        same(js, explorers[1].compute(json.loads(roots[1].get_attribute("data-hfa-state"))))
        assert len(js["tokens"]) == 512 and "longer text was cut first" in js["warnings"][0]


# ------------------------------------------------------------------ a phone (issue #24)
#: 34 tokens for the classifier's tokenizer, "Ġnever" the 30th
LONG_SENTENCE = ("The film, which I watched twice with my older brother last weekend, was not bad "
                 "at all, but honestly it was never good either.")
#: every fillText on the attention canvases, recorded: [text, x, y]
TEXTS = """(() => {
  const fill = CanvasRenderingContext2D.prototype.fillText;
  window.hfaTexts = [];
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    if (this.canvas.hasAttribute("data-hfa-draw")) window.hfaTexts.push([String(text), x, y]);
    return fill.call(this, text, x, y, ...rest);
  };
})()"""


def _phone(browser, url: str):
    """The page on a 360 px touch screen (devicePixelRatio 2), canvas text recorded."""
    return open_device(browser, url, 360, dpr=2, touch=True, init_script=TEXTS)


def _tap(page, r, x: float, y: float) -> str:
    """A tap at (x, y) of the view's canvas as a touch screen may send it (pointerdown,
    pointerup, click; no mousemove): the readout line after it."""
    r.locator(".hfa-live-host canvas[data-hfa-draw]").evaluate("""(c, [x, y]) => {
      const at = c.getBoundingClientRect();
      const init = { bubbles: true, clientX: at.left + x, clientY: at.top + y,
                     pointerType: "touch", isPrimary: true };
      c.dispatchEvent(new PointerEvent("pointerdown", init));
      c.dispatchEvent(new PointerEvent("pointerup", init));
      c.dispatchEvent(new MouseEvent("click", init));
    }""", [x, y])
    return r.locator(".hfa-live-host .hfa-readout").text_content()


def test_title_names_the_example_shown():
    """A title that names an example ("... (Oliver's employer)", Part II ch2) gives the
    view its base: the live view (page and kernel) then names the example shown, or
    "your text"."""
    model, tok = load_qa()
    ex = AttentionExplorer(model, tok, QUESTION, CONTEXT,
                           title="Attention: who looks at whom (Oliver's employer)",
                           examples={"Oliver's employer": (QUESTION, CONTEXT),
                                     "Mina's employer": ("Who employs Mina Park?",
                                                         "Mina Park works at Cedar Books.")})
    assert ex.widget.config["title_base"] == "Attention: who looks at whom"
    assert ex.widget.config["title"] == "Attention: who looks at whom (Oliver's employer)"
    plain = AttentionExplorer(model, tok, QUESTION, CONTEXT, title="Attention (a note)")
    assert plain.config()["title_base"] is None


def test_on_a_phone(explorers, browser, tmp_path):
    """360 px, touch: the title follows the text; the lines view of a 34-token sentence
    draws every token (no inner scroll box); a longer text scrolls with a cue that says
    which tokens are in view; a tap shows a cell's weight (heatmap) or a token's lines
    (lines), the arrow keys still work; no view hides content to the right without the
    scroll cue."""
    model, tok = load_qa()
    titled = AttentionExplorer(model, tok, QUESTION, CONTEXT,
                               title="Attention: who looks at whom (Oliver's employer)",
                               examples={"Oliver's employer": (QUESTION, CONTEXT),
                                         "Mina's employer": ("Who employs Mina Park?",
                                                             "Mina Park works at Cedar Books.")})
    with _phone(browser, live_page(tmp_path, explorers[0], titled).as_uri()) as page:
        r, qa = root(page, "attention", 0), root(page, "attention", 1)
        heading = qa.locator(".hfa-live-host .hfa-title")
        assert heading.text_content() == "Attention: who looks at whom (Oliver's employer)"
        type_into(qa, "text", "Who works at Blue Bank?")
        assert heading.text_content() == "Attention: who looks at whom (your text)"
        label = qa.locator(".hfa-live-host .hfa-live-view").get_attribute("aria-label")
        assert label in (None, "Attention: who looks at whom (your text)")  # a named group
        choose(qa, "example", "Mina's employer")
        assert heading.text_content() == "Attention: who looks at whom (Mina's employer)"
        for view in ("heatmap", "lines (head view)", "model view"):
            choose(qa, "view", view)
            assert hidden_boxes(page) == [], view

        js = type_into(r, "text", LONG_SENTENCE)
        tokens = js["tokens"]
        assert len(tokens) == 34 and tokens[29] == "Ġnever"
        assert hidden_boxes(page) == []  # the heatmap scrolls sideways, with the cue
        # a tap on a cell: its weight, as hovering shows it
        canvas = r.locator(".hfa-live-host canvas[data-hfa-draw]")
        lay = json.loads(canvas.get_attribute("data-layout") or '{"left": 0, "top": 0, "row": 1}')
        box = canvas.bounding_box()
        assert _tap(page, r, box["width"] / 2, box["height"] / 2).startswith("from ")
        assert _tap(page, r, lay["left"] + 2.5 * lay["row"], lay["top"] + 3.5 * lay["row"]) \
            .startswith(f"from {tokens[3]} [3] → to {tokens[2]} [2]: ")
        # the lines view: every token drawn, on both sides, in a box that does not scroll
        page.evaluate("window.hfaTexts = []")
        choose(r, "view", "lines (head view)")
        drawn = [t[0] for t in page.evaluate("window.hfaTexts")]
        assert all(drawn.count(t) >= 2 * tokens.count(t) for t in tokens), \
            [t for t in tokens if drawn.count(t) < 2 * tokens.count(t)]
        scroll = r.locator(".hfa-live-host .hfa-scroll").evaluate(
            "(el) => [el.clientHeight, el.scrollHeight, el.clientWidth, el.scrollWidth]")
        assert scroll[1] <= scroll[0] and scroll[3] <= scroll[2], scroll
        assert r.locator(".hfa-live-host .hfa-attn-cue").is_hidden()
        assert hidden_boxes(page) == []
        # a tap on a token on the left: its lines, as hovering shows them
        lay = json.loads(canvas.get_attribute("data-layout") or '{"top": 22, "row": 18}')
        y = lay["top"] + 29.5 * lay["row"]
        assert _tap(page, r, 8, y).startswith("Ġnever [29] looks most at: ")
        # the keyboard still moves over the rows, on from the tapped one
        canvas.focus()
        canvas.press("ArrowDown")
        assert r.locator(".hfa-live-host .hfa-readout").text_content().startswith(
            f"{tokens[30]} [30] looks most at: ")
        # 200 tokens: the box scrolls down, and says which tokens are in view
        js = type_into(r, "text", "good " * 196)
        n = len(js["tokens"])
        cue = r.locator(".hfa-live-host .hfa-attn-cue")
        assert n == 200 and cue.is_visible()
        assert cue.text_content().startswith("↕ tokens 0–") and f"of {n} in view" in cue.text_content()
        r.locator(".hfa-live-host .hfa-scroll").evaluate("(el) => { el.scrollTop = el.scrollHeight; }")
        page.wait_for_function("(el) => el.textContent.includes('–199 of 200')",
                               arg=cue.element_handle())
        assert hidden_boxes(page) == []
        choose(r, "view", "model view")
        assert hidden_boxes(page) == []
        assert page.errors == []
