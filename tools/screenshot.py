"""Screenshot an HTML file or URL in headless Chromium (Playwright, Debian's chromium).

    .venv/bin/python tools/screenshot.py PAGE.html OUT.png [--width 1200] [--full]

Prints console errors and any request that leaves file:// or localhost.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ap = argparse.ArgumentParser()
ap.add_argument("page")
ap.add_argument("out")
ap.add_argument("--width", type=int, default=1200)
ap.add_argument("--full", action="store_true")
args = ap.parse_args()
url = args.page if "://" in args.page else Path(args.page).resolve().as_uri()
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
    page = browser.new_page(viewport={"width": args.width, "height": 900})
    page.on("console", lambda m: m.type == "error" and print("console error:", m.text))
    page.on("request", lambda r: not r.url.startswith(("file:", "http://localhost", "http://127.0.0.1", "data:"))
            and print("external request:", r.url))
    page.goto(url)
    page.wait_for_timeout(500)
    page.screenshot(path=args.out, full_page=args.full)
    browser.close()
print(args.out)
