"""Nothing on a built page hides to the right (listings, outputs, source views, explorers).

Each chapter of the built site is opened in headless Chromium at the width of
test_site.py's browser pass; :func:`overflow.hidden_boxes` lists every box whose content
is wider than the box, unless the box scrolls with a visible cue (``data-hfa-scroll-cue``).
The first test proves the check itself can fail, on a small page made for it.
"""

from __future__ import annotations

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
