"""The loss explorer, live: Python's compute equals the model's own outputs.loss for each
kind of target, and the page's compute (web/compute/loss.js) equals Python's for typed
sentences (English, Korean, empty, past 512 tokens) and every control."""

from __future__ import annotations

import pytest
import torch
from live import (
    assert_same,
    checked_page,
    choose,
    root,
    served,
    type_error,
    type_into,
    wait_computed,
)

from hfanatomy import load_classifier
from hfanatomy.explorers.loss import LossExplorer
from hfanatomy.losses import MODES, target_tensor

TEXTS = ["I loved this movie, the acting was wonderful.", "The soup was not good.",
         "영화가 정말 좋았어요"]
LONG = "The food was never good, and the service was slow. " * 60  # ~720 tokens


@pytest.fixture(scope="module")
def explorer():
    model, tok = load_classifier()
    return LossExplorer(model, tok, TEXTS)


def _state(text, mode, gold=0, hots=(0, 0), target=0.0):
    return {"example": None, "text": text, "problem_type": mode, "gold": gold, "hots": list(hots),
            "target": target}


@pytest.mark.parametrize("mode, target", [(MODES[0], 1), (MODES[1], [1, 0]), (MODES[1], [1, 1]),
                                          (MODES[2], -1.5)])
def test_compute_is_the_models_loss(explorer, mode, target):
    model, tok = explorer.model, explorer.tokenizer
    state = _state(TEXTS[1], mode, gold=target if mode == MODES[0] else 0,
                   hots=target if mode == MODES[1] else (0, 0),
                   target=target if mode == MODES[2] else 0.0)
    data = explorer.compute(state)
    old = model.config.problem_type
    model.config.problem_type = mode
    try:
        with torch.no_grad():
            out = model(**tok(TEXTS[1], return_tensors="pt"), labels=target_tensor(mode, target, 2))
    finally:
        model.config.problem_type = old
    assert data["loss"] == pytest.approx(out.loss.item(), rel=1e-5)
    assert data["logits"] == pytest.approx(out.logits[0].tolist(), rel=1e-5)
    total = sum(data["terms"]) if data["reduction"] == "sum" else sum(data["terms"]) / 2
    assert total == pytest.approx(data["loss"], rel=1e-5)
    assert data["labels"] == ["negative", "positive"] and data["warnings"] == []


def test_long_text_is_cut_with_a_warning(explorer):
    model, tok = explorer.model, explorer.tokenizer
    data, status = explorer.run(_state(LONG, MODES[0]))
    assert "indexing errors" not in status  # the model gets the text cut
    n = len(tok(LONG)["input_ids"])
    assert n > 512 and data["tokens"] == 512
    assert data["warnings"] == [f"{n} tokens: the model reads the first 512 (the text is cut, "
                                "as truncation=True does)."]
    with torch.no_grad():
        want = model(**tok(LONG, truncation=True, max_length=512, return_tensors="pt")).logits[0]
    assert data["logits"] == pytest.approx(want.tolist(), rel=1e-5)
    for blank in ("", "   "):
        data, status = explorer.run(_state(blank, MODES[0]))
        assert data is None
        assert status == "error: text is empty: type some words to see the terms of the loss"


@pytest.mark.parametrize("patch, message", [
    ({"gold": 2}, "gold must be a label id in 0..1"),
    ({"problem_type": MODES[1], "hots": [1]}, "hots must be 2 zeros/ones"),
    ({"problem_type": MODES[2], "target": None}, "regression target must be a finite number"),
    ({"problem_type": "ranking"}, "problem_type must be one of"),
    ({"text": None}, "text must be a string"),
])
def test_bad_input_is_a_status_line(explorer, patch, message):
    data, status = explorer.run({**_state("ok", MODES[0]), **patch})
    assert data is None and status.startswith("error: ") and message in status


def _drive(browser, url, base, explorer):
    with checked_page(browser, url, base) as page:
        r = root(page, "loss")
        host = r.locator(".hfa-live-host")
        assert host.locator("svg rect[data-kind='term']").count() == 2  # first state drawn
        state = _state(TEXTS[0], MODES[0])
        for text in ["The food was never good", "영화는 별로였어요 😀", "", "  !!! ?? ...  "]:
            state["text"] = text
            if not text.strip():  # an error, word for word Python's; the drawing hidden
                assert type_error(r, "text", text) == explorer.run(state)[1][len("error: "):]
                continue
            assert_same(type_into(r, "text", text), explorer.compute(state))
        # typed, then straight to a picker (the box loses focus before its debounce ran)
        box = host.locator("[data-hfa-input='text']")
        box.fill("Not for me, thanks.")
        box.blur()
        state["text"], state["gold"] = "Not for me, thanks.", 1
        host.locator("select[data-hfa-control='gold']").select_option(label="positive")
        page.wait_for_timeout(400)  # the debounce has run
        assert box.input_value() == "Not for me, thanks."
        assert_same(wait_computed(r, 0), explorer.compute(state))
        state["problem_type"] = MODES[1]
        assert_same(choose(r, "problem_type", "multi-label (BCE with logits)"), explorer.compute(state))
        assert host.locator("[data-hfa-control='gold']").is_hidden()
        before = int(r.get_attribute("data-hfa-computed"))
        host.locator("[data-hfa-control='hot0']").check()
        state["hots"] = [1, 0]
        assert_same(wait_computed(r, before), explorer.compute(state))
        state["problem_type"] = MODES[2]
        choose(r, "problem_type", "regression (MSE)")
        before = int(r.get_attribute("data-hfa-computed"))
        host.locator("input[data-hfa-control='target']").evaluate(
            "el => { el.value = '1.5'; el.dispatchEvent(new Event('input', { bubbles: true })); }")
        state["target"] = 1.5
        js = wait_computed(r, before)
        assert_same(js, explorer.compute(state))
        assert js["probabilities"] is None
        state["text"] = LONG
        before = int(r.get_attribute("data-hfa-computed"))
        host.locator("[data-hfa-input='text']").fill(LONG)  # 512 tokens: in the worker
        host.locator(".hfa-status", has_text="running the classifier on 512 tokens").wait_for()
        js = wait_computed(r, before)
        assert_same(js, explorer.compute(state))
        assert "the model reads the first 512" in host.locator(".hfa-status").inner_text()
        host.locator("[data-hfa-input='text']").blur()  # a reader leaves the box for the picker
        state["text"] = TEXTS[2]
        assert_same(choose(r, "example", TEXTS[2]), explorer.compute(state))
        assert host.locator("[data-hfa-input='text']").input_value() == TEXTS[2]
        shown = host.locator("[data-loss]").get_attribute("data-loss")
        assert float(shown) == pytest.approx(explorer.compute(state)["loss"], rel=1e-4)


@pytest.mark.parametrize("over", ["file"])  # over http: tests/site/test_explorer_states.py, every explorer
def test_typing_in_the_page_equals_python(explorer, browser, tmp_path, over):
    with served(tmp_path, over, explorer) as (url, base):
        _drive(browser, url, base, explorer)
