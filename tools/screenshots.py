"""Screenshots of the built site's live explorers in a typed state (for notes and review).

    .venv/bin/python tools/screenshots.py [--site _build/html] [--out benchmarks/screenshots]

Opens every page with live explorers from file://, types the text below into each
explorer's first text box (after its current text, for context boxes), waits for the page
to compute it and saves a PNG of the explorer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "helpers")]

TYPED = {"text": "Nobody enjoyed the trip, 정말 별로였어요.",
         "question": "Where does Kim Minji work?",
         "texts.0": "We never enjoyed it."}


def main(argv=None) -> int:
    from live import computed, open_live, wait_computed
    from playwright.sync_api import sync_playwright
    from web_pages import CHROMIUM, CHROMIUM_ARGS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "screenshots")
    ap.add_argument("--only", nargs="*", default=None, help="kinds to keep (default: all)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pages = sorted(p for p in args.site.rglob("*.html") if "data-hfa-live=" in p.read_text())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path in pages:
            page = open_live(browser, path.as_uri())
            page.set_viewport_size({"width": 1100, "height": 900})
            # the theme's sticky header and skip link would cover a scrolled-to explorer
            page.add_style_tag(content="header, .skip-link { display: none !important; }")
            roots = page.locator("[data-hfa-live]")
            for i in range(roots.count()):
                root = roots.nth(i)
                box = root.locator(".hfa-live-host [data-hfa-input]").first
                if box.count():
                    name = box.get_attribute("data-hfa-input")
                    before = computed(root)
                    box.fill(TYPED.get(name, box.input_value() + " Kim Minji works at Blue Pine."))
                    wait_computed(root, before, timeout=60_000)
                root.scroll_into_view_if_needed()
                kind = root.get_attribute("data-hfa-live")
                if args.only and kind not in args.only:
                    continue
                shot = args.out / f"{path.stem}__{kind}.png"
                root.locator(".hfa-live-host").screenshot(path=str(shot))
                print(shot)
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
