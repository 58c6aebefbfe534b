"""The "one layer, step by step" view (web/views/layer_steps.js) in Chromium, on the harness
page of tests/helpers/live.py, where page.js computes new states with compute/layer_steps.js:

* the first state draws every one of the seven steps (numbered buttons, Previous / Next),
  each with its title, shapes, the installed source lines and its figures;
* the query and key chips (buttons, keyboard too) set state.query / state.key, and the step
  shown stays; a typed text is shown as text, never as HTML;
* no padding: the score step says that transformers passes no mask; a longer batch_with
  pads the text, and the mask row appears (padded chips dashed, a padded key's "min");
* an empty text hides the last drawing: the view shows the error alone;
* at 360 px, light and dark, every step fits (nothing hides to the right), in the theme's
  colours; a tap on a cell (or the arrow keys) writes its exact value in the readout line.

The data's correctness is tests/attention/test_layer_steps_live.py's (page = Python).
"""

from __future__ import annotations

import re

import pytest
from live import (
    choose,
    computed,
    open_live,
    root,
    served,
    state,
    type_error,
    type_into,
    wait_computed,
)
from overflow import hidden_boxes

from hfanatomy import load_classifier, load_qa
from hfanatomy.explorers.layer_steps import LayerStepsExplorer
from hfanatomy.web.assets import view_module

pytestmark = pytest.mark.usefixtures("one_thread")

SENTENCE = "The soup was cold."
LONGER = "I loved this movie, the actors were great and the music was lovely too."
NO_MASK = "no mask: transformers 5 passes attention_mask=None when nothing is padded"
STEP_FIGURES = {  # the figures (data-hfa-vector) each step draws
    "hidden": ["hidden_in", "norms"],
    "qkv": ["q", "k", "v"],
    "score": ["q·k"],
    "softmax": ["weights"],
    "context": ["weighted v", "context"],
    "attention_out": ["attn_dense", "hidden_in", "attn_residual", "attention_out"],
    "ffn": ["intermediate_pre", "intermediate", "ffn_dense", "attention_out", "ffn_residual",
            "out"],
}


@pytest.fixture(scope="module")
def explorers():
    model, tok = load_classifier()
    qa, qa_tok = load_qa()
    return [
        LayerStepsExplorer(model, tok, SENTENCE, query=2, key=3,
                           examples={"soup": {"text": SENTENCE, "query": 2},
                                     "padded": {"text": SENTENCE, "batch_with": LONGER,
                                                "query": 2}}),
        LayerStepsExplorer(qa, qa_tok, "Who employs Mina?",
                           "Mina lives in Busan. Mina works at Harbor Labs.", query=3, key=10),
    ]


@pytest.fixture(scope="module")
def url(explorers, tmp_path_factory):
    with served(tmp_path_factory.mktemp("layer_steps_view"), "file", *explorers) as (u, _):
        yield u


@pytest.fixture
def page(browser, url):
    p = open_live(browser, url)
    yield p
    assert not p.errors, p.errors
    p.close()


def host(r):
    return r.locator(".hfa-live-host")


def shown(r) -> str:
    return host(r).locator(".hfa-ls-step").get_attribute("data-hfa-step-shown")


def go_to(r, step_id: str) -> None:
    host(r).locator(f'.hfa-ls-nav [data-hfa-step="{step_id}"]').click()
    assert shown(r) == step_id


def click(r, selector: str) -> dict:
    """Click a chip (or any control) that sets the state; the computed data."""
    before = computed(r)
    host(r).locator(selector).click()
    return wait_computed(r, before)


def test_the_first_state_draws_every_step(page, explorers):
    for i, e in enumerate(explorers):
        r = root(page, "layer_steps", i)
        config, data = e.config(), e.compute(e.initial_state())
        view = host(r)
        assert r.get_attribute("data-hfa-error") is None, r.get_attribute("data-hfa-error")
        assert page.locator("[data-hfa-fallback]").nth(i).is_hidden()
        labels = view.locator(".hfa-controls label > span").all_inner_texts()
        assert labels[:4] == (["example", "question", "context", "batch with"] if config["pair"]
                              else ["example", "text", "batch with", "layer"])
        assert view.locator(".hfa-ls-chips [data-hfa-query]").count() == data["length"]
        assert view.locator(f'[data-hfa-query="{data["query"]}"]').get_attribute(
            "aria-pressed") == "true"
        assert view.locator(f'[data-hfa-key="{data["key"]}"]').get_attribute(
            "aria-pressed") == "true"
        prev, nxt = view.locator('[data-hfa-nav="prev"]'), view.locator('[data-hfa-nav="next"]')
        assert shown(r) == "hidden" and prev.is_disabled()
        for n, step in enumerate(config["steps"]):
            if n:
                nxt.click()  # Next walks the steps in order
            assert shown(r) == step["id"]
            panel = view.locator(".hfa-ls-step")
            assert panel.locator("h4").inner_text() == f"{n + 1}. {step['title']}"
            assert view.locator(f'[data-hfa-step="{step["id"]}"]').get_attribute(
                "aria-current") == "step"
            assert panel.locator("[data-hfa-shape]").count() >= 1
            for shape in panel.locator("[data-hfa-shape]").all_inner_texts():
                name = shape.split(":")[0]
                assert shape.endswith(f"= ({', '.join(map(str, data['shapes'][name]))})"), shape
            code = panel.locator("pre.hfa-ls-code")
            assert code.count() == len(step["sources"])
            for k, src in enumerate(step["sources"]):
                lines = code.nth(k).inner_text().split("\n")
                assert len(lines) == len(src["lines"])
                for line, (number, text) in zip(lines, src["lines"]):
                    assert line.startswith(str(number)) and line.endswith(text)
            figures = panel.locator("[data-hfa-vector]")
            assert [figures.nth(k).get_attribute("data-hfa-vector")
                    for k in range(figures.count())] == STEP_FIGURES[step["id"]]
        assert nxt.is_disabled()
        assert view.locator('[data-hfa-nav-foot="next"]').is_disabled()
        view.locator('[data-hfa-nav-foot="prev"]').click()  # the same under the step
        assert shown(r) == "attention_out"
        assert view.locator(".hfa-ls-where").inner_text() == "step 6 of 7"
        prev.click()
        assert shown(r) == "context"
        go_to(r, "score")  # a numbered button; no padding here: no mask
        assert NO_MASK in view.locator(".hfa-ls-sums").inner_text()
        assert view.locator("[data-hfa-mask]").count() == 0
        # the vectors: one cell per number
        go_to(r, "ffn")
        strip = view.locator('[data-hfa-vector="intermediate"] [data-hfa-cell]')
        assert strip.count() == config["intermediate_size"]
        assert view.locator('[data-hfa-vector="out"] [data-hfa-cell]').count() == \
            config["hidden_size"]


def test_the_chips_choose_the_query_and_the_key(page):
    r = root(page, "layer_steps")
    view = host(r)
    go_to(r, "score")
    js = click(r, '[data-hfa-key="5"]')
    assert (state(r)["key"], js["key"]) == (5, 5)
    assert view.locator('[data-hfa-key="5"]').get_attribute("aria-pressed") == "true"
    assert view.locator('[data-hfa-key="3"]').get_attribute("aria-pressed") == "false"
    js = click(r, '[data-hfa-query="1"]')
    assert (state(r)["query"], state(r)["key"], js["query"]) == (1, 5, 1)
    assert shown(r) == "score"  # the step is the view's own: it stays
    sums = view.locator(".hfa-ls-sums").inner_text()
    assert re.search(r"q · k = -?[\d.e-]+", sums)
    assert "attn_weights[0, 0, 1, 5]" in sums
    # from the keyboard: a chip is a button
    before = computed(r)
    view.locator('[data-hfa-key="0"]').focus()
    page.keyboard.press("Enter")
    wait_computed(r, before)
    assert state(r)["key"] == 0
    # a layer and a head from their selects
    js = choose(r, "layer", "layer 1")
    js = choose(r, "head", "head 2")
    assert (js["layer"], js["head"], state(r)["key"]) == (1, 2, 0)
    assert "attn_weights[0, 2, 1, 0]" in view.locator(".hfa-ls-sums").inner_text()
    # typed text is text
    typed = '<img src=x onerror="window.hacked=1"><b>bold</b>'
    js = type_into(r, "text", typed)
    assert view.locator(".hfa-ls-tokens b, img").count() == 0
    assert not page.evaluate("window.hacked")
    assert view.locator(".hfa-ls-chips [data-hfa-query]").count() == js["length"]
    chips = view.locator(".hfa-ls-chips").first.inner_text()
    assert "<" in chips and any("<" in t for t in js["tokens"])  # shown as typed


def test_a_longer_batch_with_brings_the_mask(page):
    r = root(page, "layer_steps")
    view = host(r)
    go_to(r, "score")
    js = type_into(r, "batch_with", LONGER)
    pads = js["padded"].count(True)
    assert js["batch"] == 2 and pads > 0 and js["mask"] is not None
    assert view.locator(".hfa-ls-chips .hfa-pad[data-hfa-key]").count() == pads
    assert view.locator(".hfa-ls-chips .hfa-pad[data-hfa-query]").count() == pads
    assert NO_MASK not in view.locator(".hfa-ls-sums").inner_text()
    mask = view.locator("[data-hfa-mask] .hfa-chip")
    assert mask.count() == js["length"]
    assert view.locator("[data-hfa-mask] .hfa-ls-dropped").count() == pads
    assert "+ mask[key]" in view.locator(".hfa-ls-sums").inner_text()
    assert "0: " in view.locator(".hfa-ls-sums").inner_text()  # the key is a real token
    # a padded key: min float32, its weight 0
    last = js["length"] - 1
    js = click(r, f'[data-hfa-key="{last}"]')
    sums = view.locator(".hfa-ls-sums").inner_text()
    assert "min float32" in sums and "is padding" in sums
    go_to(r, "softmax")
    rows = view.locator('[data-hfa-vector="weights"] .hfa-ls-padrow.hfa-ls-num')
    assert rows.count() == 2 * pads  # score and weight columns
    assert re.search(r"Σ weights\s*= 1\.0000", view.locator(".hfa-ls-sums").inner_text())
    # the example picker sets batch_with too; clearing it takes the mask away
    js = choose(r, "example", "soup")
    assert js["mask"] is None and host(r).locator('[data-hfa-input="batch_with"]').input_value() == ""
    js = choose(r, "example", "padded")
    assert js["mask"] is not None
    assert host(r).locator('[data-hfa-input="batch_with"]').input_value() == LONGER
    go_to(r, "score")
    js = type_into(r, "batch_with", "")
    assert js["mask"] is None and NO_MASK in view.locator(".hfa-ls-sums").inner_text()


def test_an_error_hides_the_last_drawing(page):
    r = root(page, "layer_steps")
    go_to(r, "softmax")
    error = type_error(r, "text", "   ")
    assert "text is empty" in error
    view = host(r).locator(".hfa-live-view")
    assert view.locator(".hfa-status").inner_text().strip() == f"error: {error}"
    assert view.locator(".hfa-body").evaluate("b => b.inert")
    assert not view.locator(".hfa-body").is_visible()
    js = type_into(r, "text", "The bread was warm.")
    assert "hfa-stale" not in view.get_attribute("class")
    assert view.locator(".hfa-body").is_visible()
    assert view.locator(".hfa-status").inner_text().strip() == ""
    assert shown(r) == "softmax" and "warm" in "".join(js["tokens"])


def _luminance(css: str) -> float:
    """Of "rgb(r, g, b)" (0..255) or "color(srgb r g b)" (0..1, what color-mix() gives)."""
    scale = 1 if css.startswith("color(srgb") else 255
    r, g, b = (float(v) / scale for v in re.findall(r"[\d.]+", css.replace("srgb", ""))[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_step_fits_a_phone_in_both_themes(browser, url, theme):
    ctx = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=2,
                              has_touch=True, color_scheme=theme)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url)
        page.wait_for_function("""() => [...document.querySelectorAll('[data-hfa-live]')]
            .every((r) => r.dataset.hfaReady)""", timeout=30_000)
        for i in range(2):
            r = root(page, "layer_steps", i)
            card = host(r).locator(".hfa-live-view")
            bg, fg = card.evaluate("e => [getComputedStyle(e).backgroundColor, "
                                   "getComputedStyle(e).color]")
            # the scale's 0 is the card's background: a dark cell in dark, a light one in light
            zero = host(r).locator(".hfa-ls-legend .hfa-ls-c").nth(2).evaluate(
                "e => getComputedStyle(e).backgroundColor")
            if theme == "dark":
                assert _luminance(bg) < 0.3 < 0.7 < _luminance(fg) and _luminance(zero) < 0.3
            else:
                assert _luminance(bg) > 0.9 > 0.3 > _luminance(fg) and _luminance(zero) > 0.9
            for step in STEP_FIGURES:
                host(r).locator(f'.hfa-ls-nav [data-hfa-step="{step}"]').tap()
                assert shown(r) == step
                over = page.evaluate("document.documentElement.scrollWidth - "
                                     "document.documentElement.clientWidth")
                assert over <= 0, f"explorer {i}, step {step}: the page scrolls {over} px"
                found = hidden_boxes(page)
                assert not found, f"explorer {i}, step {step}:\n" + "\n".join(found)
                # a source box too wide for the phone scrolls, says so and takes focus
                for pre in host(r).locator("pre.hfa-ls-code").all():
                    if pre.evaluate("p => p.scrollWidth > p.clientWidth + 1"):
                        assert pre.get_attribute("data-hfa-scroll-cue") is not None
                        assert pre.get_attribute("tabindex") == "0"
                        assert pre.evaluate("p => !p.nextElementSibling.hidden")
        assert not errors, errors
    finally:
        ctx.close()


def test_a_tap_or_the_arrow_keys_read_a_cell(browser, url):
    # no is_mobile: the harness page has no viewport meta, so a mobile browser would lay it
    # out 980 px wide
    ctx = browser.new_context(viewport={"width": 360, "height": 800}, has_touch=True)
    page = ctx.new_page()
    try:
        page.goto(url)
        page.wait_for_function("() => document.querySelector('[data-hfa-live]').dataset.hfaReady",
                               timeout=30_000)
        r = root(page, "layer_steps")
        go = host(r).locator('.hfa-ls-nav [data-hfa-step="hidden"]')
        go.tap()
        fig = host(r).locator('.hfa-ls-fig:has([data-hfa-vector="hidden_in"])')
        readout = fig.locator("[data-hfa-readout]")
        assert readout.inner_text().strip() == ""
        cell = fig.locator("[data-hfa-cell]").nth(5)
        cell.tap()
        title = cell.get_attribute("title")
        assert title.startswith("hidden_in[5] = ") and readout.inner_text() == title
        assert "hfa-picked" in cell.get_attribute("class")
        # the keyboard: the strip takes focus, the arrows move over its cells
        strip = fig.locator('[data-hfa-vector="hidden_in"]')
        strip.focus()
        page.keyboard.press("ArrowRight")
        assert readout.inner_text().startswith("hidden_in[6] = ")
        page.keyboard.press("Home")
        assert readout.inner_text().startswith("hidden_in[0] = ")
        page.keyboard.press("ArrowDown")  # a row of 32 cells down
        assert readout.inner_text().startswith("hidden_in[32] = ")
        # a bar reads the same way
        bars = host(r).locator('.hfa-ls-fig:has([data-hfa-vector="norms"])')
        bar = bars.locator("[data-hfa-cell]").nth(2)
        bar.tap()
        assert bars.locator("[data-hfa-readout]").inner_text() == bar.get_attribute("title")
        assert "‖hidden_states[0][0, 2]‖" in bar.get_attribute("title")
    finally:
        ctx.close()


def test_the_kernel_module_links_the_view():
    """The kernel's anywidget _esm holds the view and what it imports."""
    esm = view_module("layer_steps")
    for name in ("views/layer_steps.js", "views/common.js", "views/readout.js", "views/theme.js"):
        assert name in esm
