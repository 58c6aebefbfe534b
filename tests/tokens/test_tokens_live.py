"""The token table explorer, live: Python's compute equals token_table, and the page's
compute (web/compute/tokens.js) equals Python's for typed texts, examples and batches."""

from __future__ import annotations

import pytest
from live import assert_same, checked_page, choose, root, served, type_into
from token_pages import TWO, token_explorers

from hfanatomy import load_classifier, load_qa
from hfanatomy.tokens import token_table


@pytest.fixture(scope="module")
def explorers():
    _, bpe = load_classifier()
    _, wp = load_qa()
    return token_explorers(bpe, wp)


def test_compute_is_the_token_table(explorers):
    bpe = explorers[0].tokenizer
    data = explorers[0].compute({"text": TWO, "padding": True, "padding_side": "left"})
    table = token_table(bpe, TWO, padding=True, padding_side="left")
    assert [[r["id"] for r in seq] for seq in data["sequences"]] == table.input_ids
    assert [r["mask"] for r in data["sequences"][0]][:3] == [0, 0, 0]  # the short text, padded left
    assert "".join(r["covers"] or "" for r in data["sequences"][1]).startswith("Toolong,")  # offsets leave spaces out
    long = explorers[0].compute({"text": "good " * 600})
    n = len(long["sequences"][0])
    assert n > 512 and f"{n} tokens, more than the model's 512" in long["warnings"][0]
    empty = explorers[0].compute({"text": ""})
    assert [r["piece"] for r in empty["sequences"][0]] == ["<s>", "</s>"]  # not a space


def test_bad_input_is_a_status_line(explorers):
    data, status = explorers[0].run({"text": 3})
    assert data is None and status.startswith("error: text must be a string")


TYPED = [
    ("text", "The food was never good, 영화는 별로였어요 😀"),
    ("text", "  spaces   and\ttabs!!! ?? ...  "),
    ("text", ""),
    ("text", "Hello " * 300),
]


def _check(page, kind_index, typed, explorer):
    r = root(page, "tokens", kind_index)
    for name, text in typed:
        js = type_into(r, name, text)
        state = {**explorer.initial_state(), "example": None, name: text}
        assert_same(js, explorer.compute(state))


@pytest.mark.parametrize("over", ["file"])  # over http: tests/site/test_explorer_states.py, every explorer
def test_typing_in_the_page_equals_python(explorers, browser, tmp_path, over):
    with served(tmp_path, over, *explorers) as (url, base):
        _drive(browser, url, base, explorers)


def _drive(browser, url, base, explorers):
    with checked_page(browser, url, base) as page:
        bpe_root, wp_root = root(page, "tokens", 0), root(page, "tokens", 1)
        for name, text in TYPED:
            js = type_into(bpe_root, name, text)
            assert_same(js, explorers[0].compute({"text": text, "example": None}))
        # a pair typed into the QA tokenizer's view (token type ids, [UNK]-free Korean)
        type_into(wp_root, "text", "누가 민지를 고용해요?")
        js = type_into(wp_root, "text_pair", "김민지는 부산에 살아요. 김민지는 Harbor Labs에서 일해요.")
        assert_same(js, explorers[1].compute({"text": "누가 민지를 고용해요?",
                                             "text_pair": "김민지는 부산에 살아요. 김민지는 Harbor Labs에서 일해요."}))
        for kind_index, label in [(0, "left-padded batch"), (0, "pair of texts"), (1, "short window")]:
            js = choose(root(page, "tokens", kind_index), "example", label)
            e = explorers[kind_index]
            assert_same(js, e.compute(e.examples[label]))
        # an edit inside a batch example: the second text of the padded batch
        choose(bpe_root, "example", "padded batch")
        js = type_into(bpe_root, "text.1", "Not for me.")
        assert_same(js, explorers[0].compute({"text": [TWO[0], "Not for me."], "padding": True}))
        assert bpe_root.locator(".hfa-live-host table.hfa-table").count() == 2
