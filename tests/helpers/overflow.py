"""Find what a rendered page hides to the right (used by tests/site/test_pages.py).

A listing, an output or an explorer whose content is wider than its box either spills
over the page's margin or needs a sideways scroll that a reader has no reason to try:
the line that matters is simply not seen. :data:`FIND_HIDDEN` (JavaScript, run in the
page) lists every such box that is on screen (an explorer's other states are drawn by its
view as a reader reaches them: tests/site/test_pages.py drives them); a box may only
scroll sideways when it says so visibly, with ``data-hfa-scroll-cue`` (and ``overflow-x``
auto or scroll).

Check one built page by hand (exit status 1 when something hides)::

    .venv/bin/python tests/helpers/overflow.py _build/html/book/part1/06_loss.html [--width 1280]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

#: the boxes a reader reads: listings, outputs, source views, explorers and their tables
BOXES = ("pre, div.highlight, div.cell_output, div.output, .hfa-source, .hfa-explorer, "
         ".hfa-explorer table, div.cell_output table")

FIND_HIDDEN = """(boxes) => {
  const root = document.querySelector('main') || document.body;
  const found = new Set();
  const check = (els, where) => {
    for (const el of els) {
      if (!el.getClientRects().length || el.closest('[hidden]')) continue;  // not on screen
      const hidden = el.scrollWidth - el.clientWidth;
      if (el.clientWidth === 0 || hidden <= 1) continue;
      const ox = getComputedStyle(el).overflowX;
      // reachable: the box, or the cue'd box around it, scrolls and says so
      const cued = el.closest('[data-hfa-scroll-cue]');
      const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
      if (cued && (scrolls(el) || scrolls(cued))) continue;
      const text = (el.innerText || el.textContent || '').trim().split('\\n')[0].slice(0, 60);
      const cls = typeof el.className === 'string' ? el.className.split(' ').join('.') : '';
      found.add(`${el.tagName.toLowerCase()}.${cls}${where}: ${hidden} px hidden ` +
                `(overflow-x ${ox}) at "${text}"`);
    }
  };
  check(root.querySelectorAll(boxes), '');
  return [...found];
}"""


def hidden_boxes(page) -> list[str]:
    """What the Playwright ``page`` (already loaded) hides to the right, one line per box."""
    return page.evaluate(FIND_HIDDEN, BOXES)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="+")
    ap.add_argument("--width", type=int, default=1280)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    bad = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        for name in args.pages:
            page.goto(Path(name).resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(200)
            found = hidden_boxes(page)
            bad += bool(found)
            print(f"{'ok  ' if not found else 'HIDE'} {name}")
            for line in found:
                print("     ", line)
        browser.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
