"""The windows explorer, live: Python's compute equals hfanatomy.qa's windows and spans, and
the page's compute (web/compute/windows.js) equals Python's for typed questions and
contexts (English, Korean with emoji, a context of one window, an empty one), slider
settings and examples, with per-window progress while the model reads the windows; the
window slider follows the number of windows and a window past the last is said so."""

from __future__ import annotations

import json

import pytest
import torch
from live import (
    assert_same,
    checked_page,
    choose,
    computed,
    root,
    served,
    type_into,
    wait_computed,
)
from qa_corpus import LONG

from hfanatomy import load_qa, qa
from hfanatomy.explorers.windows import WindowsExplorer

torch.set_num_threads(1)

QUESTION = "When was Yuki Tanaka born?"
KOREAN_Q = "김민지는 어디에 살아요?"
KOREAN_C = ("김민지는 부산에 살아요 😀. 김민지는 Harbor Labs에서 일해요. " * 6).strip()


@pytest.fixture(scope="module")
def qa_model():
    return load_qa()


@pytest.fixture(scope="module")
def explorer(qa_model):
    model, tok = qa_model
    return WindowsExplorer(tok, QUESTION, LONG, max_seq_lens=(64, 128), strides=(0, 16, 32),
                           model=model, examples={"Korean": (KOREAN_Q, KOREAN_C)})


def test_compute_is_the_package_windows(explorer, qa_model):
    model, tok = qa_model
    state = {**explorer.initial_state(), "max_seq_len": 64, "doc_stride": 16}
    data = explorer.compute(state)
    w = qa.encode_windows(QUESTION, LONG, tok, 64, 16)
    assert len(data["windows"]) == w.num_windows > 3
    assert data["room"] == qa.context_room(QUESTION, tok, 64)
    for i, win in enumerate(data["windows"]):
        assert (win["first_char"], win["end_char"]) == w.context_chars(i)
        n = int(w.context_mask[i].sum())
        assert win["last_token"] - win["first_token"] + 1 == n
    for a, b in zip(data["windows"], data["windows"][1:]):  # the stride, in context tokens
        assert a["last_token"] - b["first_token"] + 1 == 16
    assert data["num_context_tokens"] == len(tok(LONG, add_special_tokens=False)["input_ids"])
    # each window's best span and the answer chosen across windows are hfanatomy.qa's
    start, end = qa.run_model(model, w)
    best = qa.top_spans(qa.span_scores(start, end, w.context_mask, 15), 1)
    for i, win in enumerate(data["windows"]):
        sp = best[i][0]
        assert win["best"]["start"] == int(w.offsets[i, sp.start, 0])
        assert win["best"]["score"] == pytest.approx(sp.score, rel=1e-6)
        assert LONG[win["best"]["start"]:win["best"]["end"]] == win["best"]["text"]
    chosen = qa.decode(w, start, end, align_to_words=False)[0][0]
    assert (data["chosen"]["text"], data["chosen"]["window"]) == (chosen.text, chosen.window)
    assert data["chosen"]["text"] == "1977"  # Yuki Tanaka, k = 9


def test_characters_are_code_points(explorer):
    text = "😀 Mina lives in Busan. 😀 Mina works at Harbor Labs."
    data = explorer.compute({**explorer.initial_state(), "question": "Where does Mina work?",
                             "context": text})
    win = data["windows"][0]
    assert win["end_char"] == len(text)  # Python's characters (a JS string has 2 more units)
    best = win["best"]
    assert text[best["start"]:best["end"]] == best["text"]


def test_past_the_last_window_and_bad_settings(explorer):
    data = explorer.compute({**explorer.initial_state(), "max_seq_len": 128, "window": 9})
    assert data["selected"] is None
    assert data["warnings"] == [f"there is no window 9: max_seq_len=128 and doc_stride=16 make "
                                f"{len(data['windows'])} window(s); all are shown."]
    assert explorer.compute({**explorer.initial_state(), "window": 2})["selected"] == 1
    data, status = explorer.run({**explorer.initial_state(), "doc_stride": 200})
    assert data is None and status.startswith("error: doc_stride=200 must be smaller")
    data, status = explorer.run({**explorer.initial_state(), "max_seq_len": 64.5})
    assert status == "error: max_seq_len, doc_stride and window must be integers (max_seq_len=64.5)."
    data, status = explorer.run({**explorer.initial_state(), "context": "  "})
    assert data is None and "context is empty" in status
    no_model = WindowsExplorer(explorer.tokenizer, QUESTION, LONG, max_seq_lens=(64,),
                               strides=(16,))
    assert no_model.config()["can_answer"] is False
    assert no_model.initial_state()["answers"] is False
    assert all(w["best"] is None for w in no_model.compute(no_model.initial_state())["windows"])


def slide(r, name: str, value: int) -> dict:
    """Move the slider ``name`` of the view to ``value``; return the computed data."""
    before = computed(r)
    r.locator(f'input[data-hfa-control="{name}"]').fill(str(value))
    return wait_computed(r, before, timeout=30_000)


def _same(r, explorer, js):
    """The page's data equals Python's for the state the page computed."""
    state = json.loads(r.get_attribute("data-hfa-state"))
    assert_same(js, explorer.compute(state))
    return state


PROGRESS = """(el) => { globalThis.hfaProgress = [];
  new MutationObserver(() => { const t = el.querySelector('.hfa-status').textContent;
    if (t) globalThis.hfaProgress.push(t); }).observe(el, { subtree: true, childList: true,
    characterData: true }); }"""


def _drive(browser, url, base, explorer):
    with checked_page(browser, url, base) as page:
        r = root(page, "windows")
        view = r.locator(".hfa-live-host")  # the view
        assert page.locator("[data-hfa-fallback]").count() == 0  # one drawing: the view's
        r.evaluate(PROGRESS)
        slider = r.locator('input[data-hfa-control="window"]')
        # typed English: a longer context, windows of 128 with a stride of 32
        js = type_into(r, "context", LONG + " " + LONG)
        _same(r, explorer, js)
        js = slide(r, "max_seq_len", 128)
        js = slide(r, "doc_stride", 32)
        state = _same(r, explorer, js)
        assert state["max_seq_len"] == 128 and state["doc_stride"] == 32
        n = len(js["windows"])
        assert n > 2 and slider.get_attribute("max") == str(n)  # the slider follows the windows
        assert view.locator("rect[data-window]").count() == n
        assert page.evaluate("globalThis.hfaProgress").count(f"reading window {n} of {n}…") >= 1
        # a window picked, then settings that make fewer windows: said so, all shown
        js = slide(r, "window", n)
        assert js["selected"] == n - 1 and view.locator("rect[data-window][opacity='0.3']").count() == n - 1
        js = slide(r, "max_seq_len", 384)
        _same(r, explorer, js)
        assert len(js["windows"]) < n and js["selected"] is None
        assert f"there is no window {n}" in r.locator(".hfa-status").inner_text()
        assert slider.get_attribute("max") == str(len(js["windows"]))
        assert "past the last" in r.locator('label:has(input[data-hfa-control="window"]) output').inner_text()
        # Korean with emoji: characters as JS indices; the example picker
        js = choose(r, "example", "Korean")
        _same(r, explorer, js)
        js = type_into(r, "question", "누가 Harbor Labs에서 일해요?")
        state = _same(r, explorer, js)
        best = js["windows"][0]["best"]
        assert state["context"][best["start"]:best["end"]] == best["text"]  # code points
        # the model switched off: windows only
        before = computed(r)
        r.locator('input[data-hfa-control="answers"]').uncheck()
        js = wait_computed(r, before)
        assert js["answers"] is False and all(w["best"] is None for w in js["windows"])
        _same(r, explorer, js)
        # bad settings and an empty context: a status line (Python's words), the drawing hidden
        state = json.loads(r.get_attribute("data-hfa-state"))
        before = computed(r)
        r.locator('input[data-hfa-control="doc_stride"]').fill("250")
        page.wait_for_function("([el, n]) => Number(el.dataset.hfaComputed || 0) > n",
                               arg=[r.element_handle(), before])
        _, status = explorer.run({**state, "doc_stride": 250})
        assert status.startswith("error: doc_stride=250 must be smaller")
        shown = view.locator(".hfa-status").inner_text().splitlines()
        assert shown == [status]  # the error alone
        assert "hfa-stale" in view.locator(".hfa-live-view").get_attribute("class")
        assert not view.locator(".hfa-body").is_visible()
        slide(r, "doc_stride", 16)
        before = computed(r)
        r.locator('[data-hfa-input="context"]').fill("   ")
        page.wait_for_function("([el, n]) => Number(el.dataset.hfaComputed || 0) > n",
                               arg=[r.element_handle(), before])
        assert "context is empty" in r.locator(".hfa-status").inner_text()
        assert not view.locator(".hfa-body").is_visible()  # the last drawing is not shown
        assert view.locator(".hfa-body").get_attribute("aria-hidden") == "true"


@pytest.mark.parametrize("over", ["file"])  # over http: tests/site/test_explorer_states.py, every explorer
def test_the_page_computes_what_python_computes(explorer, browser, tmp_path, over):
    with served(tmp_path, over, explorer) as (url, base):
        _drive(browser, url, base, explorer)
