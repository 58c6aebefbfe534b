"""The page pass: every built page at a phone's, a tablet's and a laptop's width, in light
and dark, in headless Chromium (Debian's, driven by Playwright). Each page loads clean (a
title, no console error, no request leaving the site), never scrolls sideways and hides
nothing to the right, and its explorer cards take the theme's colours. Every state of every
live explorer is test_explorer_states.py's.

:func:`overflow.hidden_boxes` lists every box whose content is wider than the box, unless
the box scrolls with a visible cue (``data-hfa-scroll-cue``); the first test proves the check
itself can fail, on a small page made for it.
"""

from __future__ import annotations

import re

import pytest
from accessibility import TO_DARK
from live import offsite
from overflow import CHROMIUM, hidden_boxes
from web_pages import ALLOWED_EXTERNAL, EXPLORERS_DRAWN, recorded, site_only

from chapters import ROOT, toc_chapters

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is absent (apt install chromium)")

LONG = "x = " + " + ".join(f"value_{i}" for i in range(40))


def test_the_check_finds_hidden_content(browser, tmp_path):
    boxes = {
        "scrolls": f'<pre style="overflow-x:auto;white-space:pre">{LONG}</pre>',
        "clipped": f'<div class="cell_output" style="overflow:hidden"><pre style="white-space:pre;'
                   f'overflow:visible">{LONG}</pre></div>',
        "wide-explorer": '<div class="hfa-explorer" style="overflow-x:auto">'
                         '<svg width="900" height="10"></svg></div>',
        "wrapped": f'<pre style="white-space:pre-wrap;overflow-wrap:anywhere">{LONG}</pre>',
        "cued": f'<pre data-hfa-scroll-cue style="overflow-x:auto;white-space:pre">{LONG}</pre>',
    }
    page = browser.new_page(viewport={"width": 800, "height": 600})
    found = {}
    for name, box in boxes.items():
        path = tmp_path / f"{name}.html"
        path.write_text(f'<!doctype html><html><body><main style="width:400px">{box}</main>'
                        "</body></html>", encoding="utf-8")
        page.goto(path.as_uri())
        found[name] = hidden_boxes(page)
    page.close()
    assert found["scrolls"] and found["clipped"] and found["wide-explorer"], found
    assert not found["wrapped"] and not found["cued"], found


def _luminance(css_rgb: str) -> float:
    r, g, b = (float(v) / 255 for v in re.findall(r"[\d.]+", css_rgb)[:3])  # rgb(...) / rgba(...)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


#: (width, theme loaded) of the page pass: a phone in dark, a tablet in light, a laptop in light
#: then switched to dark in place, as the theme switch does (the layout does not depend on the
#: theme; the explorer cards' colours are checked at 1280 in both)
PAGE_CASES = [(360, "dark"), (768, "light"), (1280, "light")]


@pytest.mark.parametrize("width,theme", PAGE_CASES)
def test_every_page_loads_clean_fits_and_follows_the_theme(width, theme, site, server, browser):
    """Every chapter at a phone's, a tablet's or a laptop's width, loaded in the theme switch's
    light or dark, once its explorers are drawn: it has a title, logs no console error and
    asks nothing from outside the site (but MathJax, which is refused); the page never scrolls
    sideways, nothing hides to the right (listings, outputs, source views, explorers), and at
    1280 px every live explorer's card takes the theme's colours (a light card with dark text
    in light; then, switched to dark, the reverse)."""
    ctx = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme)
    ctx.add_init_script(f"localStorage.setItem('mode','{theme}');"
                        f"localStorage.setItem('theme','{theme}');")
    site_only(ctx, server)
    page = recorded(ctx.new_page())
    unclean, wide, wrong, hidden = [], [], [], []
    for chapter in toc_chapters():
        rel = chapter.relative_to(ROOT).with_suffix(".html").as_posix()
        page.errors.clear()
        page.requests.clear()
        page.goto(f"{server}/{rel}", wait_until="load")
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        if page.locator("[data-hfa-live]").count():
            page.wait_for_function(EXPLORERS_DRAWN, timeout=30_000)
        if not page.locator("h1").count():
            unclean.append(f"{rel}: no title")
        external = offsite(page.requests, server)
        unclean.extend(f"{rel}: asks {u}" for u in external
                       if not any(a in u for a in ALLOWED_EXTERNAL))
        # a refused MathJax request logs net::ERR_FAILED: that one is ours
        unclean.extend(f"{rel}: console error {e}" for e in page.errors
                       if not (external and "net::ERR_FAILED" in e))
        over = page.evaluate("document.documentElement.scrollWidth - "
                             "document.documentElement.clientWidth")
        if over > 0:
            wide.append(f"{rel}: {over} px")
        hidden.extend(f"{rel}: {box}" for box in hidden_boxes(page))
        if width == 1280:
            for shown in (theme, "dark") if theme == "light" else (theme,):
                if shown != theme:
                    page.evaluate(TO_DARK)
                for card in page.locator(".hfa-live-view").all():
                    bg, fg = card.evaluate("e => [getComputedStyle(e).backgroundColor, "
                                           "getComputedStyle(e).color]")
                    dark_card = _luminance(bg) < 0.3 and _luminance(fg) > 0.7
                    light_card = _luminance(bg) > 0.9 and _luminance(fg) < 0.3
                    if not (dark_card if shown == "dark" else light_card):
                        wrong.append(f"{rel} ({shown}): background {bg}, text {fg}")
    ctx.close()
    assert not unclean, f"pages that do not load clean at {width} px ({theme}):\n" + "\n".join(unclean)
    assert not wide, f"pages that scroll sideways at {width} px ({theme}):\n" + "\n".join(wide)
    assert not hidden, f"content hidden to the right at {width} px:\n" + "\n".join(hidden)
    assert not wrong, "explorer cards not in the page's theme:\n" + "\n".join(wrong)
