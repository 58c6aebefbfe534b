"""The static attention explorer in a real browser (Playwright + Debian's Chromium).

Two explorers of the same example on one page: one lazy (states filled by the inline
script from the embedded weights), one with every state drawn in Python. Selecting
the same layer/head in both must give the same cells (values and fills), which
proves the script redraws exactly what Python would. Screenshots go to
``_build/screenshots/attention_*.png``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch
from test_attention import roberta, tiny_tokenizer

from hfanatomy.explorers.attention import AttentionExplorer, colour_index, colour_table, f4

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "_build" / "screenshots"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is absent (apt install chromium)")

VISIBLE = "[data-hfa-state]:not([hidden])"


def _expected(data, layer, head) -> tuple[list[str], list[str]]:
    q = torch.round(data.map(layer, head) * 1e4).int().tolist()
    keep = data.shown
    values = [f4(q[i][j]) for i in keep for j in keep]
    fills = [colour_table()[colour_index(q[i][j])] for i in keep for j in keep]
    return values, fills


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    lazy = AttentionExplorer(roberta(), tiny_tokenizer(), "i loved the film and it was very good",
                             "not bad")
    full = AttentionExplorer(roberta(), tiny_tokenizer(), "i loved the film and it was very good",
                             "not bad", prerender="all")
    path = tmp_path_factory.mktemp("attn") / "attention.html"
    path.write_text('<!doctype html><html><head><meta charset="utf-8"><title>attention</title>'
                    '</head><body style="max-width:900px">' + lazy.static_html()
                    + full.static_html() + "</body></html>", encoding="utf-8")
    return path, lazy.data


def _cells(root, what="rect"):
    return root.locator(f"{VISIBLE} {what}[data-value]").evaluate_all(
        "els => els.map(e => [e.getAttribute('data-value'), e.getAttribute('fill'),"
        " e.getAttribute('stroke-opacity'), e.querySelector('title').textContent])")


def test_static_attention_explorer_in_chromium(page_file, browser):
    path, data = page_file
    n = len(data.shown)
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors, requests = [], []
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    try:
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        lazy, full = page.locator(".hfa-explorer").nth(0), page.locator(".hfa-explorer").nth(1)

        # the first state renders: n x n visible cells with the exact values
        first = _cells(lazy)
        assert len(first) == n * n
        box = lazy.locator(f"{VISIBLE} rect[data-value]").first.bounding_box()
        assert box and box["width"] > 5 and box["height"] > 5
        assert [c[0] for c in first] == _expected(data, 0, 0)[0]
        page.screenshot(path=str(SHOTS / "attention_heatmap.png"), full_page=True)

        # another layer/head: the visible cells change to that map's values and colours
        for root in (lazy, full):
            root.locator('select[name="layer"]').select_option("1")
            root.locator('select[name="head"]').select_option("2")
        after = _cells(lazy)
        assert [c[0] for c in after] != [c[0] for c in first]
        values, fills = _expected(data, 1, 2)
        assert [c[0] for c in after] == values and [c[1] for c in after] == fills
        assert after == _cells(full)  # script-filled state == Python-drawn state
        assert all(c[3].endswith(": " + c[0]) for c in after)  # hover titles follow
        assert lazy.locator(f"{VISIBLE} .hfa-cap").text_content() == "layer 1 \u00b7 head 2"
        assert lazy.locator(f"{VISIBLE} svg").get_attribute("aria-label") == \
            "attention heatmap, layer 1 \u00b7 head 2"

        # mean of heads, then the lines view
        lazy.locator('select[name="head"]').select_option("mean")
        assert [c[0] for c in _cells(lazy)] == _expected(data, 1, "mean")[0]
        for root in (lazy, full):
            root.locator('select[name="view"]').select_option("lines")
            root.locator('select[name="head"]').select_option("mean")
        lines = _cells(lazy, "line")
        assert len(lines) == n * n and all(c[2] == c[0] for c in lines)
        assert lines == _cells(full, "line")
        lazy.locator(f"{VISIBLE} g.hfa-from text").nth(3).hover(timeout=5000)
        page.screenshot(path=str(SHOTS / "attention_lines.png"), full_page=True)

        # model view: every layer x head; clicking a small map opens its heatmap
        lazy.locator('select[name="view"]').select_option("model")
        assert lazy.locator(f"{VISIBLE} g.hfa-mini").count() == data.num_layers * 5
        assert lazy.locator('select[name="head"]').is_disabled()
        page.screenshot(path=str(SHOTS / "attention_model.png"), full_page=True)
        lazy.locator('g.hfa-mini[data-hfa-open="0|3"]').click()
        assert lazy.locator('select[name="view"]').input_value() == "heatmap"
        assert [c[0] for c in _cells(lazy)] == _expected(data, 0, 3)[0]
        assert lazy.locator(VISIBLE).get_attribute("data-hfa-state") == "heatmap|0|3"
    finally:
        page.close()
    assert errors == []
    left = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert left == [], left


def test_readable_without_javascript(page_file, browser):
    path, data = page_file
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        root = page.locator(".hfa-explorer").first
        assert root.locator(f"{VISIBLE} rect[data-value]").count() == len(data.shown) ** 2
        visible = root.locator(".hfa-state:visible")
        assert visible.count() == 1
        text = re.sub(r"\s+", " ", root.inner_text())
        assert "layer 0 \u00b7 head 0" in text and "type your own text" in text
    finally:
        context.close()
