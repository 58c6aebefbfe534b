"""Nothing on a built page hides to the right (listings, outputs, source views, explorers).

Each chapter of the built site is opened in headless Chromium at the width of
test_site.py's browser pass; :func:`overflow.hidden_boxes` lists every box whose content
is wider than the box, unless the box scrolls with a visible cue (``data-hfa-scroll-cue``).
The first test proves the check itself can fail, on a small page made for it.
"""

from __future__ import annotations

import re

import pytest
from overflow import CHROMIUM, hidden_boxes

from chapters import ROOT, toc_chapters

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is absent (apt install chromium)")

WIDTH = 1280  # the viewport of test_site.py's page pass

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


@pytest.mark.parametrize("chapter", toc_chapters(), ids=[p.stem for p in toc_chapters()])
def test_nothing_hides_to_the_right(chapter, site, server, browser):
    rel = chapter.relative_to(ROOT).with_suffix(".html").as_posix()
    page = browser.new_page(viewport={"width": WIDTH, "height": 900})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        (server, "data:")) else route.abort())
    page.goto(f"{server}/{rel}", wait_until="load")
    page.wait_for_timeout(200)
    found = hidden_boxes(page)
    page.close()
    assert not found, f"{rel}: content hidden to the right:\n" + "\n".join(found)


def _luminance(css_rgb: str) -> float:
    r, g, b = (float(v) / 255 for v in re.findall(r"[\d.]+", css_rgb)[:3])  # rgb(...) / rgba(...)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 768, 1280])
def test_no_page_scrolls_sideways_and_explorers_follow_the_theme(width, theme, site, server,
                                                                  browser):
    """Every chapter at a phone's, a tablet's and a laptop's width, in the theme switch's light
    and dark: the page never scrolls sideways, and every live explorer's card takes the
    theme's colours (a dark card with light text in dark, the reverse in light)."""
    ctx = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme)
    ctx.add_init_script(f"localStorage.setItem('mode','{theme}');"
                        f"localStorage.setItem('theme','{theme}');")
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        (server, "data:")) else route.abort())
    page = ctx.new_page()
    wide, wrong = [], []
    for chapter in toc_chapters():
        rel = chapter.relative_to(ROOT).with_suffix(".html").as_posix()
        page.goto(f"{server}/{rel}", wait_until="load")
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        over = page.evaluate("document.documentElement.scrollWidth - "
                             "document.documentElement.clientWidth")
        if over > 0:
            wide.append(f"{rel}: {over} px")
        if width == 1280 and page.locator("[data-hfa-live]").count():
            page.wait_for_function("""() => [...document.querySelectorAll('[data-hfa-live]')]
                .every((r) => r.dataset.hfaReady || r.dataset.hfaError)""", timeout=30_000)
            for card in page.locator(".hfa-live-view").all():
                bg, fg = card.evaluate("e => [getComputedStyle(e).backgroundColor, "
                                       "getComputedStyle(e).color]")
                dark_card = _luminance(bg) < 0.3 and _luminance(fg) > 0.7
                light_card = _luminance(bg) > 0.9 and _luminance(fg) < 0.3
                if not (dark_card if theme == "dark" else light_card):
                    wrong.append(f"{rel}: background {bg}, text {fg}")
    ctx.close()
    assert not wide, f"pages that scroll sideways at {width} px ({theme}):\n" + "\n".join(wide)
    assert not wrong, f"explorer cards not in the {theme} theme:\n" + "\n".join(wrong)


LONG_INPUT = ("The waiter was friendly, but the pasta was never hot and the sauce was hardly "
              "edible. " * 6 + "음식이 너무 짜고 서비스도 별로였어요. " * 4).strip()

#: explorers of the tokenizer alone: an empty text is valid there (its special tokens)
TOKENIZER_VIEWS = ("tokens", "positions")

_WAIT = """([el, n]) => Number(el.dataset.hfaComputed || 0) > n && !el.dataset.hfaBusy"""


def _explorer_states(page, root):
    """Drive one live explorer through its states: (name, done) pairs, where done() waits
    until the state is drawn. First state, every example, a long typed input, an error."""
    def after(action):
        def done():
            before = int(root.get_attribute("data-hfa-computed") or 0)
            action()
            page.wait_for_function(_WAIT, arg=[root.element_handle(), before], timeout=30_000)
        return done

    yield "first state", lambda: None
    picker = root.locator('.hfa-live-host select[data-hfa-control="example"]')
    if picker.count():
        options = picker.locator("option")
        for i in range(options.count()):
            if options.nth(i).inner_text() != "(your text)":
                yield f"example {i}", after(lambda i=i: picker.select_option(index=i))
    box = root.locator(".hfa-live-host [data-hfa-input]").first
    if box.count():
        yield "long input", after(lambda: box.fill(LONG_INPUT))
        yield "error", after(lambda: box.fill(""))


@pytest.mark.parametrize("width", [360, 768, 1280])
def test_every_explorer_state_fits_or_says_it_scrolls(width, site, server, browser):
    """Every live explorer at a phone's, a tablet's and a laptop's width: in each example, with
    a long typed input, and in an error state (its first box emptied), nothing hides to the
    right unless it scrolls with the visible cue; the error state hides the last drawing."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        (server, "data:")) else route.abort())
    page = ctx.new_page()
    found, states = [], 0
    for chapter in toc_chapters():
        rel = chapter.relative_to(ROOT).with_suffix(".html").as_posix()
        if "data-hfa-live=" not in site.page(chapter).read_text(encoding="utf-8"):
            continue
        page.goto(f"{server}/{rel}", wait_until="load")
        page.wait_for_function("""() => [...document.querySelectorAll('[data-hfa-live]')]
            .every((r) => r.dataset.hfaReady || r.dataset.hfaError)""", timeout=30_000)
        for root in page.locator("[data-hfa-live]").all():
            kind = root.get_attribute("data-hfa-live")
            for what, reach in _explorer_states(page, root):
                reach()
                states += 1
                found.extend(f"{rel} {kind} ({what}): {box}" for box in hidden_boxes(page))
                if what == "error" and kind not in TOKENIZER_VIEWS:
                    # the error state alone: the last drawing not shown, hidden from readers
                    view = root.locator(".hfa-live-view")
                    assert root.get_attribute("data-hfa-error"), f"{rel} {kind}: no error"
                    assert "hfa-stale" in view.get_attribute("class"), f"{rel} {kind}"
                    assert view.locator(".hfa-body").get_attribute("aria-hidden") == "true"
                    assert not view.locator(".hfa-body").is_visible(), f"{rel} {kind}"
    ctx.close()
    assert states > 30  # every explorer was driven
    assert not found, f"content hidden to the right at {width} px:\n" + "\n".join(found)
