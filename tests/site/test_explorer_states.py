"""Every state of every live explorer on the built site fits a phone and a laptop: nothing
hides to the right unless it scrolls with a visible cue (``overflow.hidden_boxes``), and an
error state shows the error alone.

Each explorer is driven through its first state, every example of its picker, a long typed
input and an error (its first box emptied). The pages themselves, at three widths and in
both themes, are test_pages.py's.
"""

from __future__ import annotations

import pytest
from overflow import CHROMIUM, hidden_boxes
from web_pages import EXPLORERS_DRAWN, site_only

from chapters import ROOT, toc_chapters

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is absent (apt install chromium)")


LONG_INPUT = ("The waiter was friendly, but the pasta was never hot and the sauce was hardly "
              "edible. " * 6 + "음식이 너무 짜고 서비스도 별로였어요. " * 4).strip()

#: explorers of the tokenizer alone: an empty text is valid there (its special tokens)
TOKENIZER_VIEWS = ("tokens", "positions")

_WAIT = """([el, n]) => Number(el.dataset.hfaComputed || 0) > n && !el.dataset.hfaBusy"""


def _explorer_states(page, root, examples: bool = True):
    """Drive one live explorer through its states: (name, done) pairs, where done() waits
    until the state is drawn. First state, every example (unless ``examples`` is false), a
    long typed input, an error."""
    def after(action):
        def done():
            before = int(root.get_attribute("data-hfa-computed") or 0)
            action()
            page.wait_for_function(_WAIT, arg=[root.element_handle(), before], timeout=30_000)
        return done

    yield "first state", lambda: None
    picker = root.locator('.hfa-live-host select[data-hfa-control="example"]')
    if picker.count() and examples:
        options = picker.locator("option")
        for i in range(options.count()):
            if options.nth(i).inner_text() != "(your text)":
                yield f"example {i}", after(lambda i=i: picker.select_option(index=i))
    box = root.locator(".hfa-live-host [data-hfa-input]").first
    if box.count():
        yield "long input", after(lambda: box.fill(LONG_INPUT))
        yield "error", after(lambda: box.fill(""))


@pytest.mark.parametrize("width", [360, 1280])
def test_every_explorer_state_fits_or_says_it_scrolls(width, site, server, browser):
    """Every live explorer at a phone's and a laptop's width (test_pages.py's page
    pass sees the tablet's, in the first state): in each example (on the phone, where they are
    the narrowest), with
    a long typed input, and in an error state (its first box emptied), nothing hides to the
    right unless it scrolls with the visible cue; the error state hides the last drawing."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    site_only(ctx, server)
    page = ctx.new_page()
    found, states = [], 0
    for chapter in toc_chapters():
        rel = chapter.relative_to(ROOT).with_suffix(".html").as_posix()
        if "data-hfa-live=" not in site.page(chapter).read_text(encoding="utf-8"):
            continue
        page.goto(f"{server}/{rel}", wait_until="load")
        page.wait_for_function(EXPLORERS_DRAWN, timeout=30_000)
        for root in page.locator("[data-hfa-live]").all():
            kind = root.get_attribute("data-hfa-live")
            for what, reach in _explorer_states(page, root, examples=width < 1000):
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
