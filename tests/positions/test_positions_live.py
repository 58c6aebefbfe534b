"""The position-ids explorer, live: Python's compute equals transformers' RoBERTa position
ids, and the page's compute (web/compute/positions.js) equals Python's for typed texts,
examples, both padding sides, added and removed texts, and a text past the table's end."""

from __future__ import annotations

import pytest
import torch
from live import (
    assert_same,
    checked_page,
    choose,
    root,
    served,
    type_into,
    wait_computed,
)
from overflow import hidden_boxes
from transformers.models.roberta.modeling_roberta import RobertaEmbeddings

from hfanatomy import load_classifier
from hfanatomy.explorers.positions import PositionExplorer

EXAMPLES = {
    "short + long": ["A gem.", "Too long, and not funny at all."],
    "three texts": ["Loved it!", "Not for me.", "The plot was thin but the music was lovely."],
    "Korean + English": ["정말 좋아요", "I really liked it."],
}
LONG = "The food was never good, and the service was slow. " * 60  # ~720 tokens


@pytest.fixture(scope="module")
def explorer():
    model, tok = load_classifier()
    return PositionExplorer(tok, EXAMPLES, table_size=model.config.max_position_embeddings)


def test_compute_equals_transformers(explorer):
    tok = explorer.tokenizer
    for texts in EXAMPLES.values():
        for side in ("right", "left"):
            data = explorer.compute({"texts": texts, "padding_side": side})
            enc = tok(texts, padding=True, padding_side=side, return_tensors="pt")
            want = RobertaEmbeddings.create_position_ids_from_input_ids(enc["input_ids"], tok.pad_token_id)
            got = torch.tensor([s["roberta"] for s in data["sequences"]])
            assert torch.equal(got, want), (texts, side)
            L = enc["input_ids"].shape[1]
            assert all(s["bert"] == list(range(L)) for s in data["sequences"])
            assert [s["attention_mask"] for s in data["sequences"]] == enc["attention_mask"].tolist()
            assert data["warnings"] == []
    left = explorer.compute({"texts": EXAMPLES["short + long"], "padding_side": "left"})
    right = explorer.compute({"texts": EXAMPLES["short + long"], "padding_side": "right"})
    real = [p for p, m in zip(left["sequences"][0]["roberta"], left["sequences"][0]["attention_mask"]) if m]
    assert real == [p for p, m in zip(right["sequences"][0]["roberta"],
                                      right["sequences"][0]["attention_mask"]) if m]
    assert left["sequences"][0]["pieces"][0] == "<pad>" and left["sequences"][0]["roberta"][0] == 1
    pieces = ["<s>", *tok.tokenize("A gem."), "</s>"]  # "A gem." is the short text
    n = len(pieces)
    assert right["sequences"][0]["pieces"][:n] == pieces
    assert right["sequences"][0]["pieces"][n:] == ["<pad>"] * (len(right["sequences"][1]["pieces"]) - n)
    assert n < len(right["sequences"][1]["pieces"])


def test_long_text_warns_and_is_not_cut(explorer):
    data = explorer.compute({"texts": [LONG, "hi"], "padding_side": "right"})
    n = data["sequences"][0]["tokens"]
    assert n > 512 and len(data["sequences"][0]["roberta"]) == n  # drawn whole
    assert max(data["sequences"][0]["roberta"]) == n + 1  # past the table's last row, 513
    assert len(data["warnings"]) == 1
    assert f"sequence 0: {n} tokens" in data["warnings"][0]  # as its heading names it and "514 rows" in data["warnings"][0]
    assert "at most 512 tokens" in data["warnings"][0]


def test_empty_text_is_its_special_tokens(explorer):
    data = explorer.compute({"texts": ["", "a b"], "padding_side": "right"})
    assert data["sequences"][0]["pieces"] == ["<s>", "</s>", "<pad>", "<pad>"]
    assert data["sequences"][0]["roberta"] == [2, 3, 1, 1]


@pytest.mark.parametrize("state, message", [
    ({"texts": [], "padding_side": "right"}, "texts must hold 1 to 4 strings"),
    ({"texts": "one text", "padding_side": "right"}, "texts must be a list"),
    ({"texts": ["a", 3], "padding_side": "right"}, "text 1 must be a string"),
    ({"texts": ["a"], "padding_side": "up"}, "padding side must be 'left' or 'right'"),
])
def test_bad_input_is_a_status_line(explorer, state, message):
    data, status = explorer.run(state)
    assert data is None and status.startswith("error: ") and message in status


def _same(js, explorer, state):
    assert_same(js, explorer.compute(state))


def _drive(browser, url, base, explorer):
    with checked_page(browser, url, base) as page:
        r = root(page, "positions")
        assert r.locator(".hfa-live-host .hfa-explorer table").count() == 2  # first state drawn
        texts = list(EXAMPLES["short + long"])
        for i, text in [(0, "정말 좋아요 😀 영화는"), (1, ""), (1, "  spaces   and\ttabs!!! ??  ")]:
            texts[i] = text
            js = type_into(r, f"texts.{i}", text)
            _same(js, explorer, {"texts": texts, "padding_side": "right"})
        # typed, then straight to the side picker (the box loses focus before its debounce ran)
        box = r.locator(".hfa-live-host [data-hfa-input='texts.0']")
        box.fill("Not for me.")
        box.blur()
        texts[0] = "Not for me."
        r.locator(".hfa-live-host select[data-hfa-control='padding_side']").select_option(label="left")
        page.wait_for_timeout(400)  # the debounce would have run
        assert box.input_value() == "Not for me."
        js = wait_computed(r, 0)
        _same(js, explorer, {"texts": texts, "padding_side": "left"})
        pads = sum(js["length"] - seq["tokens"] for seq in js["sequences"])
        assert pads > 0 and r.locator(".hfa-live-host td.hfa-padcell").count() == 4 * pads  # 4 rows
        js = choose(r, "example", "three texts")
        _same(js, explorer, {"texts": EXAMPLES["three texts"], "padding_side": "left"})
        assert r.locator(".hfa-live-host [data-hfa-input^='texts.']").count() == 3
        before = int(r.get_attribute("data-hfa-computed"))
        r.locator(".hfa-live-host [data-hfa-control='add-text']").click()
        js = wait_computed(r, before)
        _same(js, explorer, {"texts": [*EXAMPLES["three texts"], ""], "padding_side": "left"})
        assert r.locator(".hfa-live-host [data-hfa-control='add-text']").is_disabled()  # 4 at most
        before = int(r.get_attribute("data-hfa-computed"))
        r.locator(".hfa-live-host [data-hfa-control='remove-text']").click()
        wait_computed(r, before)
        js = type_into(r, "texts.2", LONG)
        _same(js, explorer, {"texts": [*EXAMPLES["three texts"][:2], LONG], "padding_side": "left"})
        assert "at most 512 tokens" in r.locator(".hfa-live-host .hfa-status").inner_text()
        assert r.locator(".hfa-live-host table[data-seq='2'] td.hfa-over").count() == js["sequences"][2]["tokens"] - 512
        assert hidden_boxes(page) == []  # nothing spills out of the explorer
        assert r.locator(".hfa-live-host .hfa-pos [data-hfa-scroll-cue]").count() == 3  # every padded table scrolls
        assert "scroll sideways" in r.locator(".hfa-live-host .hfa-pos").inner_text()


@pytest.mark.parametrize("over", ["file"])  # over http: tests/site/test_explorer_states.py, every explorer
def test_typing_in_the_page_equals_python(explorer, browser, tmp_path, over):
    with served(tmp_path, over, explorer) as (url, base):
        _drive(browser, url, base, explorer)
