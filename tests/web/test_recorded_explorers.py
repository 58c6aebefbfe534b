"""Recorded explorers: a page built with a checkpoint other than the embedded models (which
the page cannot run) draws the same JS view over the states recorded at build time, offers
those examples only, and answers any other state with a clear error, never a stale result.
With JavaScript off a reader gets one line, not a second drawing."""

from __future__ import annotations

import pytest
from live import checked_page, choose, root, served, type_error, wait_computed
from tiny_encoder import bpe_tokenizer

from hfanatomy.explorers.live import NOSCRIPT, RECORDED_ONLY
from hfanatomy.explorers.positions import PositionExplorer

EXAMPLES = {"two": ["I loved it", "what a wonderful film"],
            "three": ["a", "I loved it", "what a terrible, boring film"]}


@pytest.fixture(scope="module")
def explorer():
    return PositionExplorer(bpe_tokenizer(), EXAMPLES, table_size=64)


def test_the_recorded_model(explorer):
    model = explorer.recorded_model()
    states = [(r["state"]["example"], r["state"]["padding_side"]) for r in model["recorded"]]
    assert states == [("two", "right"), ("two", "left"), ("three", "right"), ("three", "left")]
    assert model["config"]["needs"] is None
    for r in model["recorded"]:
        assert r["data"] == explorer.compute(r["state"])
    html = explorer.static_html()
    assert f"<noscript><div class=\"hfa-note\">{NOSCRIPT}</div></noscript>" in html
    assert "<svg" not in html and "<table" not in html  # no second drawing


def test_a_recorded_page_draws_picks_and_refuses(tmp_path, browser, explorer):
    with served(tmp_path, "file", explorer) as (url, _):
        with checked_page(browser, url) as page:
            r = root(page, "positions")
            assert r.get_attribute("data-hfa-error") is None
            assert r.locator(".hfa-live-host table").count() == 2  # the first state, drawn
            picker = r.locator(".hfa-live-host select[data-hfa-control='example']")
            assert picker.locator("option").all_inner_texts() == ["(your text)", "two", "three"]
            js = choose(r, "example", "three")
            assert js == explorer.compute({"example": "three", "texts": EXAMPLES["three"],
                                           "padding_side": "right"})
            assert r.locator(".hfa-live-host table").count() == 3
            before = int(r.get_attribute("data-hfa-computed"))
            r.locator(".hfa-live-host select[data-hfa-control='padding_side']").select_option(
                label="left")
            assert wait_computed(r, before)["padding_side"] == "left"
            # the page's words are Python's (web/page.js RECORDED_ONLY = live.RECORDED_ONLY)
            assert type_error(r, "texts.0", "typed by a reader") == RECORDED_ONLY
