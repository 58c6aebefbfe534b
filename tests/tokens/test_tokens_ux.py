"""The token and position explorers as a reader on a phone (360 px, touch) and a laptop
meets them (issue #24): "(your text)" is one plain text and the call says what is
tokenised; a long text shows its first and last rows; cells never break inside a number
or a piece, and a table wider than the screen scrolls in its own box with the cue; a long
text's heading is short, its 4-digit row chips fit, and its warning names the sequence as
the heading does; a tap shows what hover shows; WordPiece pieces keep their ``##``."""

from __future__ import annotations

import pytest
from live import (
    assert_same,
    choose,
    open_device,
    root,
    served,
    state,
    type_into,
    wait_computed,
)
from overflow import hidden_boxes
from token_pages import TWO, token_explorers

from hfanatomy import load_classifier, load_qa
from hfanatomy.explorers.positions import PositionExplorer, positions_data, short_text
from hfanatomy.explorers.tokens import table_data
from hfanatomy.tokens import token_table

WORDS = "The food was never good, and the service was slow. " * 60  # 600 words, 723 tokens
LONGER = WORDS * 2  # 1,443 tokens: position rows past 1000
HEAD, TAIL = 64, 8  # views/tokens.js


@pytest.fixture(scope="module")
def explorers():
    model, bpe = load_classifier()
    _, wp = load_qa()
    return [*token_explorers(bpe, wp),
            PositionExplorer(bpe, {"short + long": TWO}, table_size=model.config.max_position_embeddings)]


@pytest.fixture(scope="module")
def url(explorers, tmp_path_factory):
    with served(tmp_path_factory.mktemp("ux"), "file", *explorers) as (page_url, _):
        yield page_url


@pytest.fixture
def phone(browser, url):
    """The harness page on a 360 px touch screen, every explorer drawn."""
    with open_device(browser, url, 360, touch=True) as page:
        yield page
        assert page.errors == []


def _settle(page):
    """Two animation frames: the frame's width check (scroll cue) has run."""
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


# 1. "(your text)" ---------------------------------------------------------------------------

def test_your_text_is_one_plain_text_and_the_call_shows_the_batch(phone, explorers):
    r, bpe = root(phone, "tokens", 0), explorers[0]
    choose(r, "example", "left-padded batch")
    js = choose(r, "example", "(your text)")
    now = state(r)
    assert now["text"] == TWO[0] and not now.get("text_pair")
    assert all(now.get(k) is None for k in ("padding", "padding_side", "truncation", "max_length"))
    assert_same(js, bpe.compute(now))
    assert_same(js, bpe.compute({"text": TWO[0]}))  # one sequence, no padding
    boxes = r.locator(".hfa-live-host [data-hfa-input]")
    assert [boxes.nth(i).get_attribute("data-hfa-input") for i in range(boxes.count())] == ["text", "text_pair"]
    call = r.locator(".hfa-live-host [data-hfa-call]")
    assert call.inner_text() == "the call: tokenizer(text)"
    choose(r, "example", "left-padded batch")
    assert call.inner_text() == 'the call: tokenizer([text 0, text 1], padding=True, padding_side="left")'
    # an edit inside the batch keeps the batch: the call says so, and a button makes it plain
    choose(r, "example", "left-padded batch")
    js = type_into(r, "text.1", "Not for me.")
    assert_same(js, bpe.compute({"text": [TWO[0], "Not for me."], "padding": True, "padding_side": "left"}))
    assert 'padding_side="left"' in call.inner_text()
    before = int(r.get_attribute("data-hfa-computed"))
    call.locator("[data-hfa-control='plain']").click()
    js = wait_computed(r, before)
    assert_same(js, bpe.compute({"text": TWO[0]}))
    assert call.locator("[data-hfa-control='plain']").count() == 0
    # a keyword example of the WordPiece view: "(your text)" keeps the pair, drops the cut
    w, wp = root(phone, "tokens", 1), explorers[1]
    choose(w, "example", "short window")
    js = choose(w, "example", "(your text)")
    assert_same(js, wp.compute({"text": "Who employs Mina?", "text_pair": "Mina lives in Busan. " * 8}))
    assert w.locator(".hfa-live-host [data-hfa-call]").inner_text() == "the call: tokenizer(text, text_pair)"


# 2. a long paste --------------------------------------------------------------------------

def test_a_long_text_shows_its_first_and_last_rows(phone, explorers):
    r = root(phone, "tokens", 0)
    js = type_into(r, "text", WORDS)
    assert_same(js, explorers[0].compute({"text": WORDS}))  # the data is whole
    n = len(js["sequences"][0])
    assert n == 723
    table = r.locator(".hfa-live-host table.hfa-table")
    rows = table.locator("tr:has(td[data-col='index'])")
    assert rows.count() == HEAD + TAIL
    index = [int(rows.nth(i).locator("td[data-col='index']").inner_text()) for i in (0, HEAD - 1, HEAD, HEAD + TAIL - 1)]
    assert index == [0, HEAD - 1, n - TAIL, n - 1]
    gap = table.locator("tr.hfa-gap")
    assert gap.get_attribute("data-hfa-gap") == str(n - HEAD - TAIL)
    assert f"{n - HEAD - TAIL} rows left out (#{HEAD} to #{n - TAIL - 1})" in gap.inner_text()
    strip = r.locator(".hfa-live-host .hfa-strip")
    assert strip.locator(".hfa-chip[data-hfa-readout]").count() == HEAD + TAIL
    assert f"{n - HEAD - TAIL} more" in strip.locator(".hfa-gap").inner_text()
    assert r.bounding_box()["height"] < 6000  # not 50,000 px
    gap.locator("[data-hfa-control='show-all']").click()  # the reader may ask for every row
    assert rows.count() == n and strip.locator(".hfa-chip[data-hfa-readout]").count() == n
    choose(r, "example", "English")  # a new example: short again
    type_into(r, "text", WORDS)
    assert rows.count() == HEAD + TAIL


# 3. cells that do not break, a table that scrolls in its box -----------------------------

NO_BREAK = """(root) => {
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  };
  return [...root.querySelectorAll('.hfa-live-host table.hfa-table td[data-col]')]
    .filter((td) => td.textContent && lines(td) > 1).map((td) => td.textContent);
}"""


def test_cells_do_not_break_and_the_table_scrolls_in_its_box(phone):
    r = root(phone, "tokens", 1)  # WordPiece: the widest table (token types)
    type_into(r, "text", "Who employs Mina? 30/9 70/8 employees, 2,000,000 lines")
    _settle(phone)
    host = r.locator(".hfa-live-host")
    assert r.evaluate(NO_BREAK) == []
    heads = host.locator("table.hfa-table th")
    assert [heads.nth(i).inner_text() for i in range(3)] == ["#", "piece (vocabulary)", "id"]
    spaces = r.evaluate("(root) => [...root.querySelectorAll('.hfa-live-host table.hfa-table td[data-col]')]"
                        ".map((td) => getComputedStyle(td).whiteSpace)")
    assert set(spaces) <= {"pre", "nowrap"}
    box = host.locator(".hfa-table-scroll").first
    assert box.evaluate("(b) => getComputedStyle(b).overflowX") == "auto"
    assert box.evaluate("(b) => b.scrollWidth > b.clientWidth")  # 360 px: it scrolls...
    assert host.locator(".hfa-live-view[data-hfa-scroll-cue]").count() == 1  # ...and says so
    assert host.locator(".hfa-cue").is_visible()
    assert hidden_boxes(phone) == []


# 4. the position explorer on a long text --------------------------------------------------

def test_a_long_text_in_the_position_explorer(phone, explorers):
    r = root(phone, "positions")
    js = type_into(r, "texts.1", LONGER)
    assert_same(js, explorers[2].compute({"texts": [TWO[0], LONGER], "padding_side": "right"}))
    head = r.locator(".hfa-live-host .hfa-seqhead").nth(1)
    shown = head.locator(".hfa-mono")
    assert shown.inner_text() == short_text(LONGER) and len(shown.inner_text()) == 61
    assert shown.get_attribute("title") == LONGER
    assert head.inner_text().startswith("sequence 1:")
    warning = r.locator(".hfa-live-host .hfa-warn").inner_text()
    assert warning.startswith("⚠ sequence 1: 1443 tokens")  # the heading's name for it
    assert r.locator(".hfa-live-host label.hfa-textrow span").nth(1).inner_text() == "text 1"
    clipped = r.evaluate("""(root) => [...root.querySelectorAll('.hfa-rows .hfa-row')]
      .filter((c) => c.scrollWidth > c.clientWidth || c.scrollHeight > c.clientHeight)
      .map((c) => c.textContent)""")
    assert clipped == []
    assert r.locator(".hfa-live-host .hfa-rows .hfa-row", has_text="1088").count() >= 1
    _settle(phone)
    assert hidden_boxes(phone) == []


def test_position_headings_and_warnings_in_python(explorers):
    tok = explorers[2].tokenizer
    data = positions_data(tok, ["hi", LONGER], "right", table_size=514)
    assert data["warnings"][0].startswith("sequence 1: 1443 tokens")
    assert short_text("x" * 60) == "x" * 60 and short_text("x" * 61) == "x" * 60 + "…"
    with pytest.raises(ValueError, match="text 1 must be a string"):  # its box is "text 1"
        positions_data(tok, ["a", 3])


# 5. a tap shows what hover shows -------------------------------------------------------------

def test_a_tap_or_focus_shows_the_id(phone):
    r = root(phone, "tokens", 0)
    choose(r, "example", "English")
    host = r.locator(".hfa-live-host")
    readout = host.locator(".hfa-readout").first
    chip = host.locator(".hfa-strip .hfa-chip").nth(2)
    title = chip.get_attribute("title")
    assert f"id {chip.get_attribute('data-value')}" in title
    chip.tap()
    assert readout.inner_text() == title
    other = host.locator(".hfa-strip .hfa-chip").nth(3)
    other.focus()  # a keyboard reader: the chips are focusable
    assert other.get_attribute("tabindex") == "0" and readout.inner_text() == other.get_attribute("title")
    p = root(phone, "positions")
    row = p.locator(".hfa-live-host .hfa-rows .hfa-row.hfa-real").first
    row.tap()
    said = p.locator(".hfa-live-host .hfa-readout").first.inner_text()
    assert said == row.get_attribute("title") and "read by real tokens" in said


# 6. WordPiece pieces as the tokenizer writes them --------------------------------------------

def test_wordpiece_pieces_keep_their_prefix(phone, explorers):
    wp = explorers[1].tokenizer
    text = "Who employs Mina? 30/9"
    pieces = wp.convert_ids_to_tokens(wp(text)["input_ids"])
    assert "##0" in pieces
    data = explorers[1].compute({"text": text})
    assert [row["reads"] for row in data["sequences"][0]] == pieces
    shown = [row["reads"] for row in table_data(token_table(wp, text))["sequences"][0]]
    assert "##0" in shown and not any("…" in p for p in shown)
    assert positions_data(wp, [text, "Mina"])["sequences"][0]["pieces"] == pieces
    # the page: its data and its chips
    r = root(phone, "tokens", 1)
    choose(r, "example", "(your text)")  # keeps the example's pair: empty its box
    type_into(r, "text_pair", "")
    js = type_into(r, "text", text)
    assert_same(js, explorers[1].compute({"text": text}))
    chips = r.locator(".hfa-live-host .hfa-strip .hfa-chip")
    assert "##0" in [chips.nth(i).evaluate("(c) => c.firstChild.textContent") for i in range(chips.count())]
