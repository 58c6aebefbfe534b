"""The span-grid explorer, live: Python's compute equals the decoder (hfanatomy.qa) and the
model's own logits; the page's compute (web/compute/span_grid.js) equals Python's for typed
questions and contexts (English, Korean, emoji, empty, a 3,000-character context cut into
windows) and for every control; the canvas draws only the cells in view, and a 384-token
window is not clipped in a 1024 px window. On a laptop and a phone (issue #24): "fit" puts
the whole grid in the box (a 384-token window too), no token label is under 9 px (fewer
labels, or none, and the note line says so), the best cells' rank numbers never overlap,
a tap shows a cell's numbers as hovering does, and nothing hides to the right without the
scroll cue."""

from __future__ import annotations

import json
import time
from itertools import combinations

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
    served,
    type_error,
    type_into,
    wait_computed,
)
from overflow import hidden_boxes

from hfanatomy import load_qa, qa
from hfanatomy.explorers.span_grid import SpanGridExplorer
from minilm import minilm_qa_dir

torch.set_num_threads(1)

STORY = ("Mina Park lives in Busan. Mina Park works at Cedar Books. "
         "Mina Park owns a blue bicycle.")
LONG = " ".join([STORY, "Jun Seo lives in Daegu and teaches music at a small school."] * 21)
KOREAN = ("누가 민지를 고용해요?", "김민지는 부산에 살아요. 김민지는 하버 연구소에서 일해요.")
LONG_Q = ("Where does Jun Seo live?", LONG)
EMOJI = ("Where does she eat pasta?", "She eats 🍕 pizza in Napoli 😀 and pasta 🍝 in Roma, every day.")


@pytest.fixture(scope="module")
def explorer():
    model, tok = load_qa()
    return SpanGridExplorer(model, tok, [("Who employs Mina Park?", STORY),
                                         ("What is Mina Park's job?", STORY),
                                         ("Where does Jun Seo live?", LONG)],
                            max_answer_lens=(1, 3, 15))


def _state(explorer, **patch):
    return {**explorer.initial_state(), "example": None, **patch}


def test_compute_is_the_decoder(explorer):
    model, tok = explorer.model, explorer.tokenizer
    assert len(LONG) > 3000
    for question, context, patch in [("Who employs Mina Park?", STORY, {}),
                                     (*KOREAN, {"top_k": 5, "max_answer_len": 4}),
                                     ("Where does Jun Seo live?", LONG,
                                      {"handle_impossible_answer": True, "window": 1})]:
        state = _state(explorer, question=question, context=context, **patch)
        data = explorer.compute(state)
        k, m, hia = state["top_k"], state["max_answer_len"], state["handle_impossible_answer"]
        # the answer list is the v4 decoder's, over every window
        want = qa.answer(question, context, model, tok, top_k=k, max_answer_len=m,
                         handle_impossible_answer=hia)
        assert [(a["text"], a["start"], a["end"], a["merged"]) for a in data["answers"]] == [
            (a.text, a.start, a.end, a.merged) for a in want]
        assert [a["score"] for a in data["answers"]] == pytest.approx([a.score for a in want],
                                                                     rel=1e-6)
        # the window drawn: the model's own logits and the grid's probabilities and best cells
        windows = qa.encode_windows(question, context, tok, 384, 128)
        w = state["window"]
        keep = windows.tokens_of(w)
        with torch.no_grad():
            out = model(**{k2: v[w:w + 1, keep] for k2, v in windows.model_inputs().items()})
        assert data["argmax_start"] == int(out.start_logits[0].argmax())
        assert data["argmax_end"] == int(out.end_logits[0].argmax())
        assert data["tokens"] == windows.encodings[w].tokens[keep]
        scores = qa.span_scores(out.start_logits[0], out.end_logits[0],
                                windows.context_mask[w, keep], m, True, 0)
        for key in ("start_probs", "end_probs"):
            assert data[key] == pytest.approx(getattr(scores, key)[0].tolist(), rel=1e-5,
                                              abs=1e-12)
        best = qa.top_spans(scores, k)[0]
        assert [(b["start_token"], b["end_token"]) for b in data["best"]] == [
            (s.start, s.end) for s in best]
        assert all(context[b["start"]:b["end"]] == b["text"] for b in data["best"])
        assert data["num_windows"] == windows.num_windows
    assert data["num_windows"] >= 2 and any(a["merged"] > 1 for a in data["answers"])
    assert data["window"] == 1 and "cut into" in data["warnings"][0]
    nulls = [a for a in data["answers"] if a["window"] is None]  # handle_impossible_answer
    assert all(a["text"] == "" and a["score"] == data["null_answer_score"] for a in nulls)
    assert bool(nulls) == (data["null_answer_score"] >= data["answers"][-1]["score"])


def test_characters_are_python_characters(explorer):
    data = explorer.compute(_state(explorer, question=EMOJI[0], context=EMOJI[1], top_k=10))
    for a in data["answers"] + data["best"]:
        assert EMOJI[1][a["start"]:a["end"]] == a["text"]
    assert any(a["start"] > EMOJI[1].index("😀") for a in data["answers"] + data["best"])


def test_window_past_the_last_says_so(explorer):
    data = explorer.compute(_state(explorer, window=4))
    assert data["window"] == 0 and data["num_windows"] == 1
    assert "There is no window 5: showing the last, 1." in data["warnings"]


def test_foreign_byte_level_checkpoint_reads_its_pieces():
    """Any checkpoint works in a kernel; a byte-level one (RoBERTa-like) shows its pieces as
    the token table does (decoded, Ġ for a leading space, bytes of a cut character), and
    the site gets its recording (the page runs only the embedded models)."""
    from transformers import RobertaConfig, RobertaForQuestionAnswering

    from hfanatomy import load_classifier
    from hfanatomy.tokens import readable_piece

    _, tok = load_classifier()
    cfg = RobertaConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=130, pad_token_id=tok.pad_token_id)
    torch.manual_seed(0)
    model = RobertaForQuestionAnswering(cfg).eval()
    ex = SpanGridExplorer(model, tok, [KOREAN], max_seq_len=128, doc_stride=32)
    data = ex.compute(ex.initial_state())
    raw = tok(*KOREAN).tokens()
    assert data["tokens"][0] == "<s>" and data["tokens"][1:] != raw[1:]
    assert data["tokens"] == [p if p in ("<s>", "</s>") else
                              readable_piece(p).replace("\u2423", "\u0120") for p in raw]
    assert any(t.startswith("\u0120") for t in data["tokens"])
    assert ex.embedded is None and "data-hfa-recorded" in ex.static_html()


@pytest.mark.parametrize("patch, message", [
    ({"context": "   "}, "context is empty"),
    ({"question": ""}, "question is empty"),
    ({"max_answer_len": 0}, "max_answer_len must be >= 1"),
    ({"top_k": 1.5}, "top_k must be an integer"),
    ({"question": 3}, "question must be a string"),
    ({"question": "why " * 400}, "question is too long"),
])
def test_bad_input_is_a_status_line(explorer, patch, message):
    data, status = explorer.run(_state(explorer, **patch))
    assert data is None and status.startswith("error: ") and message in status


def test_kernel_widget_recomputes(explorer):
    view = explorer.widget
    first = view.data
    assert view.config["needs"] == "qa" and set(view.config["examples"]) == {
        "Who employs Mina Park?", "What is Mina Park's job?", "Where does Jun Seo live?"}
    view.state = {**view.state, "max_answer_len": 1}
    assert view.data["max_answer_len"] == 1 and view.status == ""
    assert all(b["start_token"] == b["end_token"] for b in view.data["best"])
    t = time.perf_counter()
    view.state = {**view.state, "question": "Where does Jun Seo live?", "context": LONG}
    assert view.data["num_windows"] >= 2 and time.perf_counter() - t < 2.0
    view.state = {**view.state, "context": ""}
    assert view.status.startswith("error: context is empty")
    assert view.data["num_windows"] >= 2  # the last data stays drawn
    view.state = explorer.initial_state()
    assert_same(view.data, first)


# ---------------------------------------------------------------------------------------
# in Chromium
# ---------------------------------------------------------------------------------------
def _set(root_, name: str, value) -> dict:
    """Move the view's control ``name`` (a slider or a checkbox) and return the new data."""
    before = computed(root_)
    root_.locator(f'.hfa-live-host [data-hfa-control="{name}"]').evaluate(
        """(el, v) => {
          if (el.type === "checkbox") { el.checked = v; el.dispatchEvent(new Event("change")); }
          else { el.value = v; el.dispatchEvent(new Event("input")); }
        }""", value)
    return wait_computed(root_, before)


def _drive(browser, url: str, base: str, explorer) -> None:
    with checked_page(browser, url, base) as page:
        r = root(page, "span_grid")
        assert r.locator("[data-hfa-fallback]").count() == 0  # one drawing: the view's
        state = _state(explorer, example="Who employs Mina Park?")
        for name, text in [("question", "Where does Mina Park live?"),
                           ("question", KOREAN[0]), ("context", KOREAN[1]),
                           ("context", "\u200b"),  # a context with no token: no span, only [CLS]
                           ("context", "!!!"),
                           ("question", EMOJI[0]), ("context", EMOJI[1])]:
            js = type_into(r, name, text)
            state = {**state, name: text, "example": None}
            assert_same(js, explorer.compute(state))
        # every control
        for name, value in [("max_answer_len", 2), ("top_k", 6),
                            ("handle_impossible_answer", True), ("max_answer_len", 15)]:
            js = _set(r, name, value)
            state = {**state, name: value}
            assert_same(js, explorer.compute(state))
        # the example picker: the long context, three windows, each computed in the worker
        t = time.perf_counter()
        js = choose(r, "example", "Where does Jun Seo live?")
        seconds = time.perf_counter() - t
        state = {**state, **explorer.config()["examples"]["Where does Jun Seo live?"],
                 "example": "Where does Jun Seo live?"}
        assert_same(js, explorer.compute(state))
        assert js["num_windows"] >= 2 and seconds < 1.5 * js["num_windows"] + 2
        before = computed(r)
        r.locator('.hfa-live-host select[data-hfa-control="window"]').select_option("1")
        js = wait_computed(r, before)
        state = {**state, "window": 1}
        assert_same(js, explorer.compute(state))
        # an empty box: the error in the status line, the last drawing kept
        before = computed(r)
        r.locator('.hfa-live-host [data-hfa-input="question"]').fill(" ")
        page.wait_for_function("([el, n]) => Number(el.dataset.hfaComputed) > n",
                               arg=[r.element_handle(), before])
        assert "question is empty" in r.get_attribute("data-hfa-error")
        assert "question is empty" in r.locator(".hfa-status").inner_text()
        assert r.locator(".hfa-sg-answers tr").count() > 1
        # a bad setting (a state from elsewhere): Python's message in the page
        before = computed(r)
        r.locator('.hfa-live-host [data-hfa-control="max_answer_len"]').evaluate(
            "(el) => { el.min = 0; el.value = 0; el.dispatchEvent(new Event('input')); }")
        page.wait_for_function("([el, n]) => Number(el.dataset.hfaComputed) > n",
                               arg=[r.element_handle(), before])
        _, status = explorer.run({**state, "question": " ", "max_answer_len": 0})
        assert r.get_attribute("data-hfa-error") == status.removeprefix("error: ")


@pytest.mark.parametrize("over", ["file"])  # over http: tests/site/test_explorer_states.py, every explorer
def test_typing_in_the_page_equals_python(explorer, browser, tmp_path, over):
    with served(tmp_path, over, explorer) as (url, base):
        _drive(browser, url, base, explorer)


# ---------------------------------------------------------------------------------------
# a book built on another checkpoint: the recorded view
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def foreign():
    """The span grid on MiniLM (a real pretrained BERT, not the embedded model): recorded."""
    from transformers import AutoTokenizer, BertForQuestionAnswering

    folder = minilm_qa_dir()
    model = BertForQuestionAnswering.from_pretrained(folder).eval()
    tok = AutoTokenizer.from_pretrained(folder)
    return SpanGridExplorer(model, tok, [("Who employs Mina Park?", STORY), KOREAN,
                                         ("Where does Jun Seo live?", LONG)],
                            max_answer_lens=(3, 15))


def test_the_recorded_model(foreign):
    from hfanatomy.explorers.live import NOSCRIPT, model_json

    model = foreign.recorded_model()
    assert foreign.embedded is None and model["config"]["needs"] is None
    states = [(r["state"]["example"], r["state"]["max_answer_len"],
               r["state"]["handle_impossible_answer"], r["state"]["window"])
              for r in model["recorded"]]
    labels = list(foreign.config()["examples"])
    n = qa.encode_windows(*LONG_Q, foreign.tokenizer).num_windows
    assert n >= 2 and states == [(k, m, h, 0) for k in labels
                                 for m, h in ((15, False), (3, False), (15, True))] + [
        (labels[2], 15, False, w) for w in range(1, n)]  # each other window of the long one
    for r in model["recorded"]:
        assert r["data"] == json.loads(json.dumps(foreign.compute(r["state"])))
    assert len(model_json(model)) < 250_000  # a 384-token window is some 30 kB a state
    html = foreign.static_html()
    assert f"<noscript><div class=\"hfa-note\">{NOSCRIPT}</div></noscript>" in html
    assert "<svg" not in html and "data-hfa-state=" not in html  # no second drawing


def test_a_recorded_page_draws_picks_and_refuses(foreign, browser, tmp_path):
    """The page draws the recording with the same view: the examples offered are the
    recorded ones, every recorded setting (max_answer_len, handle_impossible_answer, the
    long example's windows) shows its data, and typed text is refused with RECORDED_ONLY."""
    from hfanatomy.explorers.live import RECORDED_ONLY

    def same(js, state):
        assert js == json.loads(json.dumps(foreign.compute(state)))

    with served(tmp_path, "file", foreign) as (url, _):
        with checked_page(browser, url) as page:
            r = root(page, "span_grid")
            assert r.get_attribute("data-hfa-error") is None
            assert r.locator(".hfa-live-host .hfa-sg-canvas").count() == 1  # the first state
            assert r.locator(".hfa-sg-answers tr").count() > 1
            picker = r.locator(".hfa-live-host select[data-hfa-control='example']")
            labels = list(foreign.config()["examples"])
            assert picker.locator("option").all_inner_texts() == ["(your text)", *labels]
            state = foreign.initial_state()
            js = choose(r, "example", labels[1])  # the Korean pair
            state = {**state, **foreign.config()["examples"][labels[1]], "example": labels[1]}
            same(js, state)
            js = _set(r, "max_answer_len", 3)
            same(js, {**state, "max_answer_len": 3})
            assert all(b["end_token"] - b["start_token"] < 3 for b in js["best"])
            _set(r, "max_answer_len", 15)
            js = _set(r, "handle_impossible_answer", True)
            same(js, {**state, "handle_impossible_answer": True})
            state = {**state, "handle_impossible_answer": True}
            # the picker keeps the settings: the long example with the null answer, recorded
            js = choose(r, "example", labels[2])
            state = {**state, **foreign.config()["examples"][labels[2]], "example": labels[2]}
            same(js, state)
            js = _set(r, "handle_impossible_answer", False)  # its windows, at the first settings
            state = {**state, "handle_impossible_answer": False}
            same(js, state)
            before = computed(r)
            r.locator('.hfa-live-host select[data-hfa-control="window"]').select_option("1")
            js = wait_computed(r, before)
            same(js, {**state, "window": 1})
            assert "window 2 of" in r.locator(".hfa-live-host").inner_text()
            # anything else: the page's words are Python's, the last drawing hidden
            assert type_error(r, "question", "Who owns a boat?") == RECORDED_ONLY


CANVAS = "() => ({...document.querySelector('.hfa-live-host .hfa-sg-canvas').dataset})"


def test_a_long_window_is_drawn_where_it_is_seen(explorer, browser, tmp_path):
    with checked_page(browser, live_page(tmp_path, explorer).as_uri()) as page:
        page.set_viewport_size({"width": 1024, "height": 800})
        r = root(page, "span_grid")
        # while the model runs window after window: progress in the status line, and the
        # page keeps answering: a 20 ms timer fires between the windows (how long it is held
        # up at most is a budget: benchmarks/live_span_grid.py, "main_thread_gap")
        page.evaluate("""() => {
          const el = document.querySelector('.hfa-live-host .hfa-status');
          window.hfaSeen = []; window.hfaTicks = 0;
          new MutationObserver(() => window.hfaSeen.push([el.textContent, window.hfaTicks]))
            .observe(el, { childList: true, subtree: true, characterData: true });
          setInterval(() => { window.hfaTicks += 1; }, 20);
        }""")
        js = choose(r, "example", "Where does Jun Seo live?")
        seen = page.evaluate("window.hfaSeen")
        ticks = {k: [t for text, t in seen if f"window {k} of 3" in text] for k in (1, 2, 3)}
        assert all(ticks.values()), seen
        assert ticks[3][-1] > ticks[1][0], seen  # the timer ran while the windows were computed
        n = len(js["tokens"])
        assert n == 384
        box = r.locator(".hfa-live-host .hfa-sg-scroll")
        size = ("(el) => ({cw: el.clientWidth, sw: el.scrollWidth, ch: el.clientHeight,"
                " sh: el.scrollHeight, right: el.getBoundingClientRect().right,"
                " page: document.documentElement.scrollWidth})")
        # "fit": the whole window in the box, every cell drawn, at 1 px and without labels
        sizes = box.evaluate(size)
        assert sizes["right"] <= 1024 and sizes["page"] <= 1024
        assert sizes["sw"] <= sizes["cw"] and sizes["sh"] <= sizes["ch"], sizes
        drawn = page.evaluate(CANVAS)
        assert (drawn["cell"], drawn["cells"], drawn["labels"]) == ("1", str(n * n), "0")
        assert "all in view · no token labels" in r.locator(".hfa-live-host .hfa-sg-seen").inner_text()
        # zoomed in: the box scrolls, the canvas draws only the cells in view
        r.locator('.hfa-live-host select[data-hfa-control="zoom"]').select_option("8")
        sizes = box.evaluate(size)
        assert sizes["right"] <= 1024 and sizes["page"] <= 1024  # nothing clipped: it scrolls
        assert sizes["sw"] > sizes["cw"] and sizes["sh"] > sizes["ch"]
        drawn = page.evaluate(CANVAS)
        px = int(drawn["cell"])
        assert int(drawn["cells"]) <= (sizes["cw"] // px + 1) * (sizes["ch"] // px + 1) < n * n
        # an answer clicked: its cell is scrolled into view
        best = js["best"][0]
        r.locator('.hfa-live-host .hfa-sg-answers tr[data-answer="0"]').click()
        drawn = page.evaluate(CANVAS)
        i0, j0 = map(int, drawn["first"].split(","))
        assert i0 <= best["start_token"] and j0 <= best["end_token"] and (i0, j0) != (0, 0)
        box.evaluate("(el) => { el.scrollTop = el.scrollHeight; el.scrollLeft = el.scrollWidth; }")
        page.wait_for_function(f"() => ({CANVAS})().first !== {drawn['first']!r}")
        i0, j0 = map(int, page.evaluate(CANVAS)["first"].split(","))
        rows = int(page.evaluate(CANVAS)["cells"]) // (n - j0)
        assert i0 + rows == n  # the last row is in view
        # the whole window at 2 px per token: every cell painted, still fast
        r.locator('.hfa-live-host select[data-hfa-control="zoom"]').select_option("2")
        drawn = page.evaluate(CANVAS)
        assert drawn["cell"] == "2" and float(drawn["ms"]) < 50
        # hovering a cell names its tokens and score
        canvas = r.locator(".hfa-live-host .hfa-sg-canvas")
        box.evaluate("(el, [i, j]) => { el.scrollTop = 2 * i - 100; el.scrollLeft = 2 * j - 100; }",
                     [best["start_token"], best["end_token"]])
        page.wait_for_timeout(100)
        top = canvas.bounding_box()
        sx, sy = box.evaluate("(el) => [el.scrollLeft, el.scrollTop]")
        left, head = map(float, page.evaluate(CANVAS)["origin"].split(","))
        page.mouse.move(top["x"] + left + 2 * best["end_token"] - sx + 1,
                        top["y"] + head + 2 * best["start_token"] - sy + 1)
        tip = r.locator(".hfa-live-host .hfa-sg-tip")
        assert canvas.count() == 1 and tip.is_visible()
        assert f"start {best['start_token']}" in tip.inner_text()
        assert "rank 1 of this window's best" in tip.inner_text()


# ---------------------------------------------------------------------------------------
# in a JupyterLab kernel (slow: JupyterLab starts), a 1024 px window
# ---------------------------------------------------------------------------------------
KERNEL_CELL = f"""from hfanatomy import load_qa
from hfanatomy.explorers.span_grid import SpanGridExplorer
model, tok = load_qa()
SpanGridExplorer(model, tok, [("Who employs Mina Park?", {STORY!r}),
                              ("Where does Jun Seo live?", {LONG!r})])"""


@pytest.mark.slow
def test_span_grid_in_a_kernel(lab, browser):
    """The view in JupyterLab at 1024 px: not clipped, its controls recompute in Python
    (a slider, the example picker with three windows, a window), "fit" shows a whole
    384-token window, zoomed in the grid scrolls."""
    from lab_harness import kernel_view
    with kernel_view(lab, browser, KERNEL_CELL, ".hfa-live-view", "_hfa_span_grid_test.ipynb",
                     viewport=(1024, 900)) as (page, view):
        canvas = view.locator(".hfa-sg-canvas")
        assert view.locator(".hfa-sg-answers tr").nth(1).inner_text().split("\t")[1] == '"Cedar Books"'
        slider = view.locator('[data-hfa-control="top_k"]')
        slider.evaluate("(el) => { el.value = 6; el.dispatchEvent(new Event('input')); }")
        page.wait_for_function("() => document.querySelectorAll("
                               "'.jp-OutputArea .hfa-sg-answers tr').length === 7", timeout=30_000)
        view.locator('select[data-hfa-control="example"]').select_option(
            label="Where does Jun Seo live?")
        page.wait_for_function("() => document.querySelector('.jp-OutputArea .hfa-sg-canvas')"
                               ".dataset.cell === '1'", timeout=60_000)  # "fit": all 384 tokens
        first = view.locator(".hfa-sg-answers tr").nth(1).inner_text()
        assert '"Daegu"' in first and "spans merged" in first  # found in several windows
        box = view.locator(".hfa-sg-scroll")
        edges = ("(el) => ({right: el.getBoundingClientRect().right, sw: el.scrollWidth,"
                 " cw: el.clientWidth})")
        fit = box.evaluate(edges)
        assert fit["right"] <= 1024 and fit["sw"] <= fit["cw"]  # the whole window in the box
        view.locator('select[data-hfa-control="zoom"]').select_option("8")
        zoomed = box.evaluate(edges)
        assert zoomed["right"] <= 1024 and zoomed["sw"] > zoomed["cw"]  # scrolls, not clipped
        view.locator('select[data-hfa-control="window"]').select_option("2")
        page.wait_for_function("() => document.querySelector('.jp-OutputArea .hfa-sg-summary')"
                               ".textContent.includes('window 3 of 3')", timeout=30_000)
        assert int(canvas.get_attribute("data-cells")) < 384 * 384


# ---------------------------------------------------------------------------------------
# on a laptop and a phone (issue #24)
# ---------------------------------------------------------------------------------------
#: every fillText on the span grid's canvas, recorded: [text, font px, font, x, y]
TEXTS = """(() => {
  const fill = CanvasRenderingContext2D.prototype.fillText;
  window.hfaTexts = [];
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    if (this.canvas.classList.contains("hfa-sg-canvas")) {
      window.hfaTexts.push([String(text), parseFloat(/([0-9.]+)px/.exec(this.font)[1]), this.font, x, y]);
    }
    return fill.call(this, text, x, y, ...rest);
  };
})()"""


def _device(browser, url: str, width: int, dpr: float = 1, touch: bool = False):
    """The harness page in a ``width`` px window at devicePixelRatio ``dpr`` (a phone: 360
    px, 2), its canvas text recorded (TEXTS), once every explorer is drawn."""
    return open_device(browser, url, width, dpr=dpr, touch=touch, init_script=TEXTS)


def _overlap(a, b) -> bool:
    """Rectangles (x, y, w, h) that share more than an edge."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _redrawn(page, r) -> dict:
    """Draw the grid again (the zoom's "fit") with a fresh record of its text; its dataset."""
    page.evaluate("window.hfaTexts = []")
    r.locator('.hfa-live-host select[data-hfa-control="zoom"]').select_option("fit")
    return page.evaluate(CANVAS)


def _check_fit(page, r, js, width: int) -> dict:
    """The whole grid in its box, no label under 9 px, the note line saying which labels
    are drawn, rank numbers apart; returns the canvas's dataset."""
    drawn = _redrawn(page, r)
    n = len(js["tokens"])
    box = r.locator(".hfa-live-host .hfa-sg-scroll").evaluate(
        "(el) => ({cw: el.clientWidth, sw: el.scrollWidth, ch: el.clientHeight, sh: el.scrollHeight,"
        " right: el.getBoundingClientRect().right})")
    where = f"{n} tokens at {width} px: {drawn} {box}"
    assert box["sw"] <= box["cw"] and box["sh"] <= box["ch"] and box["right"] <= width, where
    assert int(drawn["cells"]) == n * n and drawn["first"] == "0,0", where
    assert 1 / 2 <= float(drawn["cell"]) <= 16, where  # one device pixel at least
    # token labels: 9 px or none; fewer of them on small cells, and the note says so
    texts = page.evaluate("window.hfaTexts")
    assert texts and min(t[1] for t in texts) >= 9, sorted({t[2] for t in texts})
    note = r.locator(".hfa-live-host .hfa-sg-seen").inner_text()
    labels = [t for t in texts if "monospace" in t[2]]
    stride = int(drawn["labels"])
    if stride == 0:
        assert not labels and "no token labels" in note, (where, note)
    else:
        assert int(drawn["font"]) >= 9 and {t[1] for t in labels} == {int(drawn["font"])}
        assert len(labels) == 2 * len(range(0, n, stride)), where  # rows and columns
        assert ("labels on every" in note) == (stride > 1), (where, note)
    # the rank numbers: the best one always, none on another number or another best cell,
    # drawn where the dataset says, the others named in the note
    boxes = json.loads(drawn["ranks"])
    assert [b[0] for b in boxes][:1] == [1]
    for a, b in combinations(boxes, 2):
        assert not _overlap(a[1:], b[1:]), (a, b)
    left, top = map(float, drawn["origin"].split(","))
    px = float(drawn["cell"])
    for rank, *rect in boxes:
        for k, b in enumerate(js["best"]):
            cell = (left + b["end_token"] * px - 1, top + b["start_token"] * px - 1, px + 2, px + 2)
            assert k + 1 == rank or not _overlap(rect, cell), (rank, k + 1, rect, cell)
    numbers = [t for t in texts if t[2].startswith("bold")]
    assert sorted(int(t[0]) for t in numbers) == sorted(b[0] for b in boxes)
    for text, _, _, x, y in numbers:
        _, bx, by, bw, bh = next(b for b in boxes if b[0] == int(text))
        assert bx <= x <= bx + bw and by <= y <= by + bh
    left_out = sorted(set(range(1, len(js["best"]) + 1)) - {b[0] for b in boxes})
    if left_out:
        assert f"{', '.join(map(str, left_out))} not numbered" in note, note
    return drawn


@pytest.mark.parametrize("width, dpr", [(1280, 1), (360, 2)], ids=["laptop", "phone"])
def test_fit_labels_and_ranks_on_a_laptop_and_a_phone(explorer, browser, tmp_path, width, dpr):
    """"fit" puts the whole grid in the box, labels and bars included, for a short
    example, the Korean one and a 384-token window (one device pixel per token on a
    phone); no token label under 9 px; ten best cells close together, their numbers apart;
    nothing hidden to the right without the scroll cue."""
    with _device(browser, live_page(tmp_path, explorer).as_uri(), width, dpr) as page:
        r = root(page, "span_grid")
        js = _set(r, "top_k", 10)
        best = [(b["start_token"], b["end_token"]) for b in js["best"]]
        assert len(best) == 10 and any(abs(a[0] - b[0]) + abs(a[1] - b[1]) == 1
                                       for a, b in combinations(best, 2))  # they touch
        _check_fit(page, r, js, width)
        assert hidden_boxes(page) == []
        type_into(r, "question", KOREAN[0])
        js = type_into(r, "context", KOREAN[1])
        drawn = _check_fit(page, r, js, width)
        if width == 360:  # the cells are too small for a 9 px label on every token
            assert int(drawn["labels"]) > 1 and float(drawn["cell"]) < 9, drawn
        assert hidden_boxes(page) == []
        js = choose(r, "example", "Where does Jun Seo live?")
        assert len(js["tokens"]) == 384
        drawn = _check_fit(page, r, js, width)
        assert drawn["labels"] == "0" and float(drawn["cell"]) == (1 if width == 1280 else 0.5)
        assert hidden_boxes(page) == []
        if width == 1280:  # a phone at one pixel per CSS px: too narrow, it scrolls and says so
            page.set_viewport_size({"width": 360, "height": 800})
            page.wait_for_function("() => document.querySelector('.hfa-live-host .hfa-sg-canvas')"
                                   ".dataset.cell === '1' && document.querySelector("
                                   "'.hfa-live-host .hfa-live-view[data-hfa-scroll-cue]')")
            assert r.locator(".hfa-live-host .hfa-cue").is_visible()
            assert hidden_boxes(page) == []
        assert page.errors == []


def test_a_tap_shows_a_cells_numbers(explorer, browser, tmp_path):
    """A touch screen has no hover: a tap (pointerdown, click; no mousemove) shows the same
    tooltip as hovering, and a real tap (Playwright's touch) too."""
    with _device(browser, live_page(tmp_path, explorer).as_uri(), 360, 2, touch=True) as page:
        r = root(page, "span_grid")
        js = explorer.compute(explorer.initial_state())  # what the page drew first
        drawn = page.evaluate(CANVAS)
        left, top = map(float, drawn.get("origin", "96,78").split(","))  # the grid's corner
        px = float(drawn["cell"])
        canvas = r.locator(".hfa-live-host .hfa-sg-canvas")
        tip = r.locator(".hfa-live-host .hfa-sg-tip")
        b = js["best"][0]
        at = canvas.bounding_box()
        x = at["x"] + left + (b["end_token"] + 0.5) * px
        y = at["y"] + top + (b["start_token"] + 0.5) * px
        assert tip.is_hidden()
        page.evaluate("""([x, y]) => {
          const c = document.querySelector('.hfa-live-host .hfa-sg-canvas');
          const init = { bubbles: true, clientX: x, clientY: y, pointerType: 'touch', isPrimary: true };
          c.dispatchEvent(new PointerEvent('pointerdown', init));
          c.dispatchEvent(new PointerEvent('pointerup', init));
          c.dispatchEvent(new MouseEvent('click', init));
        }""", [x, y])
        assert tip.is_visible()
        text = tip.inner_text()
        assert f"start {b['start_token']}" in text and f"end {b['end_token']}" in text, text
        assert "rank 1 of this window's best" in text
        # a real tap (touch events, then the mouse events a browser makes of them), two
        # rows up: that cell's tooltip
        canvas.tap(position={"x": left + (b["end_token"] + 0.5) * px,
                             "y": top + (b["start_token"] - 1.5) * px})
        assert f"start {b['start_token'] - 2}" in tip.inner_text()
        tip_box, view = tip.bounding_box(), r.locator(".hfa-live-host .hfa-live-view").bounding_box()
        assert tip_box["x"] + tip_box["width"] <= view["x"] + view["width"]  # on screen
        assert page.errors == []
