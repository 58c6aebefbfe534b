"""The live explorers on the built site, driven in Chromium as a reader would.

On every page that holds live explorers, opened from file:// as README.md tells a reader to
open the built site (test_explorer_states.py drives them over http), each explorer

* is drawn by its view (the recording hidden) with no console error and no request
  leaving the site;
* recomputes in the page when a new text is typed into its first text box, and the
  drawing changes;
* gives, when the text it opened on is typed back, exactly the data Python computed for
  it at build time (the model JSON in the page): the page's computation and the kernel's
  are the same, on the site itself.

The per-kind tests (tests/*/test_*_live.py) compare more typed states with Python.
Every recorded explorer (drawn by its view over the states Python recorded) says in one
line why it is recorded.
"""

from __future__ import annotations

import json
import re

from live import LOGITS, ROUNDED, STEPS, assert_same, computed, offsite, open_live, wait_computed

TYPED = "Nobody enjoyed it, 정말 별로였어요."


def live_pages(site) -> list[str]:
    return sorted(p.relative_to(site.html).as_posix() for p in site.html.rglob("*.html")
                  if "data-hfa-live=" in p.read_text(encoding="utf-8"))


def test_live_explorers_are_on_the_pages(site):
    pages = live_pages(site)
    kinds = set()
    for rel in pages:
        kinds |= set(re.findall(r'data-hfa-live="(\w+)"', (site.html / rel).read_text()))
    assert {"tokens"} <= kinds, kinds
    assert (site.html / "_static/hfa/hfa-runtime.js").is_file()


def test_every_recorded_explorer_says_why(site):
    """Every explorer is a live root drawn by its view: none is a Python drawing with controls
    (hfa-controls outside a root). A recorded root (data-hfa-needs="": the explorers only
    Python can compute, the data objects a chapter shows) says why in one line
    (data-hfa-recorded) right after it."""
    recorded = 0
    for page in site.html.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        outside = re.sub(r'<div class="hfa-live".*?<!--/hfa-live-->', "", html, flags=re.S)
        assert 'class="hfa-controls"' not in outside, page.name
        for root in re.finditer(r'<div class="hfa-live" data-hfa-live="(\w+)" '
                                r'data-hfa-needs="">.*?<!--/hfa-live-->(.{0,120})', html, re.S):
            recorded += 1
            assert "data-hfa-recorded" in root.group(2), f"{page.name}: {root.group(1)}"
    assert recorded >= 4  # the model tree, a shown token table, the two return-value explorers


def _drive(browser, url: str, base: str) -> int:
    page = open_live(browser, url)
    roots = page.locator("[data-hfa-live]")
    try:
        n = roots.count()
        for i in range(n):
            root = roots.nth(i)
            assert root.get_attribute("data-hfa-error") is None, root.get_attribute("data-hfa-error")
            spec = json.loads(root.locator("script[data-hfa-model]").text_content())
            box = root.locator(".hfa-live-host [data-hfa-input]").first
            if box.count() == 0 or not spec["config"].get("needs"):
                continue  # a recorded root types nothing (tests/web/test_recorded_views.py)
            name = box.get_attribute("data-hfa-input")
            first_text = box.input_value()
            body = root.locator(".hfa-live-host .hfa-body")
            drawn = body.inner_html()
            before = computed(root)
            box.fill(TYPED + " " + first_text[:40])
            wait_computed(root, before)
            assert body.inner_html() != drawn, f"{spec['kind']}: the drawing did not change"
            before = computed(root)
            box.fill(first_text)
            js = wait_computed(root, before)
            assert_same(js, spec["data"], rtol=1e-3, atol=1e-9,
                        keys={**LOGITS, **ROUNDED, **STEPS},
                        where=f"{url} {spec['kind']}[{name}]")
        assert page.errors == []
        assert offsite(page.requests, base) == []
        return n
    finally:
        page.close()


def test_typing_into_every_live_explorer(site, browser):
    total = 0
    for rel in live_pages(site):
        total += _drive(browser, (site.html / rel).as_uri(), site.html.as_uri())
    assert total >= 2


def test_page_weight(site):
    """No page over 1.5 MB; the runtime and both models' weights together within 10 MB."""
    for page in site.html.rglob("*.html"):
        assert page.stat().st_size <= 1_500_000, f"{page.name}: {page.stat().st_size} bytes"
    assets = sum(f.stat().st_size for f in (site.html / "_static" / "hfa").iterdir())
    assert assets <= 10_000_000, assets
