"""The live logits explorer (kind "logits"): its data equal the model's, long text warns.

Python: ``LogitsExplorer.compute(state)`` equals transformers' logits and a softmax of
logits / T for a few states (English, Korean, empty, > 512 tokens); bad input is a clear
ValueError. The browser half (``web/compute/logits.js`` through ``web/views/logits.js``)
is below, on the lead's harness page.
"""

from __future__ import annotations

import math

import pytest
import torch
from live import served

import hfanatomy
from hfanatomy.explorers.logits import LogitsExplorer

pytestmark = pytest.mark.usefixtures("one_thread")

TEXTS = ["I loved this movie, the acting was wonderful.", "The soup was not good.",
         "영화가 정말 좋았어요"]
LONG = "The plot was thin but the music was wonderful. " * 60  # > 512 tokens


@pytest.fixture(scope="module")
def explorer():
    model, tokenizer = hfanatomy.load_classifier()
    return LogitsExplorer(model, tokenizer, TEXTS)


def torch_logits(explorer, text: str, max_length: int | None = None) -> torch.Tensor:
    enc = explorer.tokenizer(text, return_tensors="pt", truncation=max_length is not None,
                             max_length=max_length)
    with torch.no_grad():
        return explorer.model(**enc).logits[0]  # (C,)


@pytest.mark.parametrize("text,temperature", [(TEXTS[0], 1.0), (TEXTS[2], 0.3), ("!", 2.0),
                                              ("The food was never good", 7.5)])
def test_compute_equals_the_model(explorer, text, temperature):
    d = explorer.compute({"example": None, "text": text, "temperature": temperature})
    z = torch_logits(explorer, text)
    assert d["logits"] == pytest.approx(z.tolist(), rel=1e-6)
    assert d["scaled"] == pytest.approx((z / temperature).tolist(), rel=1e-6)
    p = (z / temperature).softmax(-1)
    assert d["probabilities"] == pytest.approx(p.tolist(), rel=1e-5)
    assert d["predicted"] == explorer.model.config.id2label[int(z.argmax())]
    assert d["active"] == [i == int(z.argmax()) for i in range(len(z))]
    assert d["labels"] == ["negative", "positive"] and d["function"] == "softmax"
    n = len(explorer.tokenizer(text)["input_ids"])
    assert d["tokens"] == d["read"] == n
    assert d["scale"] == pytest.approx(z.abs().max().item() / 0.5, rel=1e-6)
    assert d["warnings"] == []


@pytest.mark.parametrize("text", ["", "  ", "\n\t"])
def test_an_empty_text_is_an_error_that_says_what_to_do(explorer, text):
    data, status = explorer.run({"text": text, "temperature": 1.0})
    assert data is None and status == "error: text is empty: type some words to see the model's scores"


def test_long_text_warns_and_says_what_is_read(explorer):
    n = len(explorer.tokenizer(LONG, verbose=False)["input_ids"])
    assert n > 512
    d = explorer.compute({"text": LONG, "temperature": 1.0})
    assert d["tokens"] == n and d["read"] == 512
    assert len(d["warnings"]) == 1 and f"{n} tokens" in d["warnings"][0]
    assert "first 512" in d["warnings"][0] and f"last {n - 512}" in d["warnings"][0]
    assert d["logits"] == pytest.approx(torch_logits(explorer, LONG, 512).tolist(), rel=1e-6)


@pytest.mark.parametrize("state,match", [
    ({"text": "ok", "temperature": 0}, "temperature must be a number > 0"),
    ({"text": "ok", "temperature": -1.0}, "temperature must be a number > 0"),
    ({"text": "ok", "temperature": math.nan}, "temperature must be a number > 0"),
    ({"text": "ok", "temperature": "2"}, "temperature must be a number > 0"),
    ({"text": None, "temperature": 1.0}, "text must be a string"),
])
def test_bad_input_is_a_clear_error(explorer, state, match):
    with pytest.raises(ValueError, match=match):
        explorer.compute(state)


def test_config_and_initial_state_are_json_and_consistent(explorer):
    import json

    config, state = explorer.config(), explorer.initial_state()
    json.dumps(config, allow_nan=False)
    json.dumps(state, allow_nan=False)
    assert list(config["examples"].values()) == [{"text": t} for t in TEXTS]
    assert state["example"] in config["examples"] and state["text"] == TEXTS[0]
    assert config["max_tokens"] == 512 and config["labels"] == ["negative", "positive"]
    assert config["temperature_range"] == [0.1, 10.0] and 1.0 in config["temperatures"]


# ---------------------------------------------------------------------------
# in the page: web/compute/logits.js through web/views/logits.js, in Chromium
# ---------------------------------------------------------------------------
TYPED = ["The food was never good, the waiter was rude", "영화는 별로였어요 😀 but the music was fine",
         "", "  !!! ...  ", LONG]


def test_run_reports_bad_input_as_status(explorer):
    data, status = explorer.run({"text": "ok", "temperature": -2})
    assert data is None and status.startswith("error: temperature must be a number > 0")


def test_kernel_view_recomputes_on_state(explorer):
    w = explorer.widget
    assert w.config["needs"] == "classifier"
    assert w.data["read"] == len(explorer.tokenizer(TEXTS[0])["input_ids"])
    w.state = {**w.state, "text": "The soup was not good.", "temperature": 5.0}
    assert w.data == explorer.compute(w.state) and w.data["temperature"] == 5.0
    assert w.data["probabilities"][0] < 0.9  # flattened by T = 5


def _drive(browser, url, base, explorer):
    from live import (
        assert_same,
        checked_page,
        choose,
        computed,
        root,
        type_error,
        type_into,
        wait_computed,
    )

    with checked_page(browser, url, base) as page:
        r = root(page, "logits")
        label = r.locator(".hfa-live-host label", has_text="temperature")
        box = label.bounding_box()
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1") and box["width"] > 100
        for text in TYPED:
            if not text.strip():  # the same error as Python's, the last drawing hidden
                assert type_error(r, "text", text) == explorer.run({"text": text})[1][7:]
                continue
            js = type_into(r, "text", text)
            assert_same(js, explorer.compute({"text": text, "temperature": 1.0}), atol=1e-5)
            shown = r.locator(".hfa-live-host [data-hfa-input=text]").input_value()
            assert shown == text  # the box keeps what was typed
        assert "the model reads only the first 512" in r.locator(".hfa-live-host .hfa-status").inner_text()
        # the temperature slider (log10 T): 0.5 -> T = 3.16
        before = computed(r)
        r.locator(".hfa-live-host [data-hfa-control=temperature]").fill("0.5")
        js = wait_computed(r, before)
        assert js["temperature"] == pytest.approx(3.16)
        assert_same(js, explorer.compute({"text": LONG, "temperature": 3.16}), atol=1e-5)
        host = r.locator(".hfa-live-host")
        assert "T = 3.16" in host.inner_text() and "logits / T (T=3.16)" in host.inner_text()
        # a preset button, then an example: the example sets the text, T stays
        before = computed(r)
        r.locator(".hfa-live-host .hfa-presets").get_by_role("button", name="5", exact=True).click()
        wait_computed(r, before)
        js = choose(r, "example", "2: The soup was not good.")
        assert_same(js, explorer.compute({"text": TEXTS[1], "temperature": 5.0}), atol=1e-5)
        assert r.locator(".hfa-live-host [data-hfa-input=text]").input_value() == TEXTS[1]
        bars = r.locator('.hfa-live-host rect[data-kind="probability"]')
        assert bars.count() == 2
        assert float(bars.nth(0).get_attribute("data-value")) == pytest.approx(js["probabilities"][0])
        # typed text is shown as text, never run
        type_into(r, "text", "<img src=x onerror=alert(1)> <b>bold</b>")
        assert r.locator(".hfa-live-host img").count() == 0


@pytest.mark.parametrize("over", ["file"])  # over http: tests/site/test_explorer_states.py, every explorer
def test_typing_in_the_page_equals_python(explorer, browser, tmp_path, over):
    with served(tmp_path, over, explorer) as (url, base):
        _drive(browser, url, base, explorer)
