"""Helpers for the live explorers' tests: a harness page, typing into a view, comparing data.

``live_page(folder, *explorers)`` writes the runtime and weights assets and an
``index.html`` holding each explorer's ``static_html()`` (what a chapter's output holds on
the site) with the same script tags the site's pages get (tools/book_ext.live_scripts).
``open_live(browser, url)`` opens it and waits until every live root is drawn.
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
from pathlib import Path

from web_pages import EXPLORERS_DRAWN, open_page, recorded  # noqa: F401 - open_page re-exported for the tests

from hfanatomy.explorers.attention import DECIMALS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>live explorers</title>
<link rel="icon" href="data:,">{scripts}</head><body>{body}</body></html>
"""


def live_page(folder: Path, *explorers) -> Path:
    """The harness page for ``explorers`` in ``folder``; returns its path."""
    from book_ext import live_scripts
    from hfanatomy.web import write_assets

    folder = Path(folder)
    write_assets(folder / "_static" / "hfa")
    body = "\n".join(f'<section class="output">{e.static_html()}</section>' for e in explorers)
    scripts = "".join(f'<script defer src="{s}"></script>' for s in live_scripts(body))
    page = folder / "index.html"
    page.write_text(PAGE.format(scripts=scripts, body=body), encoding="utf-8")
    return page


@contextlib.contextmanager
def served(folder: Path, over: str, *explorers):
    """The harness page of ``explorers`` (see live_page), opened ``over`` "file" (file://) or
    "http" (a local server): yields (page URL, base URL of the page's folder)."""
    page = live_page(folder, *explorers)
    if over == "file":
        yield page.as_uri(), Path(folder).as_uri()
    elif over == "http":
        from web_pages import http_server

        with http_server(folder) as base:
            yield base + page.name, base
    else:
        raise ValueError(f"over must be 'file' or 'http', not {over!r}")


def open_live(browser, url: str):
    """The page at ``url`` with its console errors and requests recorded (page.errors,
    page.requests), once every live explorer root is drawn (data-hfa-ready)."""
    page = recorded(browser.new_page())
    page.goto(url)
    page.wait_for_function("""() => {
      const roots = [...document.querySelectorAll('[data-hfa-live]')];
      return roots.length > 0 && roots.every((r) => r.dataset.hfaReady || r.dataset.hfaError);
    }""", timeout=20_000)
    return page


@contextlib.contextmanager
def checked_page(browser, url: str, base: str | None = None):
    """open_live's page, for a ``with`` block; after the block it must have logged no console
    error and (given ``base``) requested nothing outside ``base``. Closed either way."""
    page = open_live(browser, url)
    try:
        yield page
        assert page.errors == [], page.errors
        if base is not None:
            assert offsite(page.requests, base) == []
    finally:
        page.close()


@contextlib.contextmanager
def open_device(browser, url: str, width: int, dpr: float = 1, touch: bool = False,
                init_script: str | None = None):
    """The page at ``url`` in a ``width`` px window at devicePixelRatio ``dpr`` (a phone: 360
    px, 2, touch), with ``init_script`` run first and console errors in page.errors, once
    every live explorer is drawn; its browser context is closed after."""
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  device_scale_factor=dpr, has_touch=touch)
    if init_script:
        context.add_init_script(script=init_script)
    page = recorded(context.new_page())
    try:
        page.goto(url)
        page.wait_for_function(EXPLORERS_DRAWN, timeout=20_000)
        yield page
    finally:
        context.close()


def root(page, kind: str, index: int = 0):
    """The index-th live root of ``kind`` on the page (a Playwright locator)."""
    return page.locator(f'[data-hfa-live="{kind}"]').nth(index)


def computed(root_) -> int:
    return int(root_.get_attribute("data-hfa-computed") or 0)


def wait_computed(root_, before: int, timeout: float = 20_000) -> dict:
    """Wait until the root computed a state after ``before`` and is idle; return its result
    (raises AssertionError with the page's error when the compute failed)."""
    root_.page.wait_for_function(
        "([el, n]) => Number(el.dataset.hfaComputed || 0) > n && !el.dataset.hfaBusy",
        arg=[root_.element_handle(), before], timeout=timeout)
    error = root_.get_attribute("data-hfa-error")
    assert error is None, error
    return json.loads(root_.get_attribute("data-hfa-result"))


def type_into(root_, name: str, text: str) -> dict:
    """Replace the text of the view's box ``name`` (``data-hfa-input``) as a reader would,
    wait for the page to compute it, and return the computed data."""
    before = computed(root_)
    box = root_.locator(f'.hfa-live-host [data-hfa-input="{name}"]')
    box.fill(text)  # one input event: the debounced update computes this text
    return wait_computed(root_, before)


def type_error(root_, name: str, text: str) -> str:
    """Type ``text`` (an invalid input) into box ``name``; wait for the page's error and
    check the view shows that state alone: the error in the status line, the last drawing
    not displayed and hidden from screen readers. Returns the error message."""
    before = computed(root_)
    root_.locator(f'.hfa-live-host [data-hfa-input="{name}"]').fill(text)
    root_.page.wait_for_function(
        "([el, n]) => Number(el.dataset.hfaComputed || 0) > n && !el.dataset.hfaBusy",
        arg=[root_.element_handle(), before], timeout=20_000)
    error = root_.get_attribute("data-hfa-error")
    assert error, "the page computed an invalid input without an error"
    view = root_.locator(".hfa-live-host .hfa-live-view")
    assert "hfa-stale" in view.get_attribute("class")
    assert view.locator(".hfa-body").get_attribute("aria-hidden") == "true"
    assert not view.locator(".hfa-body").is_visible(), "a stale drawing is still shown"
    assert f"error: {error}" in view.locator(".hfa-status").inner_text()
    return error


def choose(root_, name: str, label: str) -> dict:
    """Pick the option ``label`` of the view's select ``name``; return the computed data."""
    before = computed(root_)
    root_.locator(f'.hfa-live-host select[data-hfa-control="{name}"]').select_option(label=label)
    return wait_computed(root_, before)


def state(root_) -> dict:
    return json.loads(root_.get_attribute("data-hfa-state"))


def assert_same(js, py, rtol: float = 1e-4, atol: float = 1e-6, where: str = "data",
                keys: dict | None = None) -> None:
    """``js`` (the page's data) equals ``py`` (Python's): the same structure, equal strings,
    ints and booleans, floats within ``rtol`` relative (``atol`` only for values near 0).
    ``keys``: {key: (rtol, atol)} for the values under a key, e.g. logits, whose float32
    rounding in torch (about 1e-4 on values near 1) an absolute bound describes best."""
    if isinstance(py, dict):
        assert isinstance(js, dict), f"{where}: {type(js).__name__} in the page, dict in Python"
        assert set(js) == set(py), f"{where}: keys {sorted(set(js) ^ set(py))} differ"
        for k in py:
            r, a = (keys or {}).get(k, (rtol, atol))
            assert_same(js[k], py[k], r, a, f"{where}.{k}", keys)
    elif isinstance(py, list):
        assert isinstance(js, list), f"{where}: {type(js).__name__} in the page, list in Python"
        assert len(js) == len(py), f"{where}: {len(js)} items in the page, {len(py)} in Python"
        for i, (a, b) in enumerate(zip(js, py)):
            assert_same(a, b, rtol, atol, f"{where}[{i}]", keys)
    elif isinstance(py, float) or (isinstance(js, float) and isinstance(py, int)
                                    and not isinstance(py, bool)):
        assert isinstance(js, (int, float)) and not isinstance(js, bool), f"{where}: {js!r} vs {py!r}"
        assert math.isclose(js, py, rel_tol=rtol, abs_tol=atol), f"{where}: {js!r} vs {py!r}"
    else:
        assert js == py and type(js) is type(py) or (js == py and isinstance(py, int)), \
            f"{where}: {js!r} in the page, {py!r} in Python"


#: torch computes in float32, the page in float64: logits agree to a few 1e-4 (absolute),
#: probabilities and scores derived from them to 1e-3 relative

LOGITS = {k: (0.0, 5e-4) for k in ("logits", "start_logits", "end_logits")}
# attention weights travel rounded to DECIMALS decimals: a value on a rounding boundary
# lands one unit apart in float32 (torch) and float64 (the page), e.g. 4.95e-05 / 4.96e-05
ROUNDED = {k: (1e-3, 1.5 * 10.0 ** -DECIMALS) for k in ("weights", "thumbs")}
#: the layer-steps explorer's vectors: float32 in torch, float64 in the page, values up to
#: ~20 before a LayerNorm, so about 1e-5 apart in absolute terms near 0
STEPS = {k: (1e-3, 2e-5) for k in (
    "hidden_in", "norms", "q", "k", "v", "products", "dot", "scores", "head_out", "context",
    "attn_dense", "attn_residual", "attention_out", "intermediate_pre", "intermediate",
    "ffn_dense", "ffn_residual", "out")}


def offsite(requests: list[str], base: str) -> list[str]:
    """The requests that left the page's own folder or server."""
    return [u for u in requests if not (u.startswith(base) or u.startswith("blob:")
                                        or u.startswith("data:"))]
