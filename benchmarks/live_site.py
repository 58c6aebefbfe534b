"""The live explorers on the built site (``_build/html``, from ``make book``), in Chromium:

    .venv/bin/python benchmarks/live_site.py [--repeats 5] [--out PATH]

Per page with live explorers: its size, the size of the weights it loads, and how long
after navigation every explorer is ready for input (page.js's ``data-hfa-ready-at``). Per
explorer: the median time of one update (the page's compute and redraw, page.js's
``data-hfa-ms``) over ``--repeats`` different texts typed into its first text box.

Budgets (issues 13 and 14): ready <= 1 s after load; classifier explorers <= 30 ms per
update at <= 64 tokens; QA <= 100 ms; no page over 1.5 MB apart from the weights. Not a
test: the figures depend on the machine's load (the load average is recorded).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "helpers")]

TEXTS = ["The food was never good.", "Nobody liked the ending, but the music was lovely.",
         "정말 좋아요", "I hardly enjoyed it.", "What a wonderful film!", "It was not bad at all.",
         "The room was not clean.", "We never enjoyed the trip."]


def main(argv=None) -> int:
    from live import computed, open_live, wait_computed
    from playwright.sync_api import sync_playwright
    from web_pages import CHROMIUM, CHROMIUM_ARGS

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "live_site.json")
    args = ap.parse_args(argv)
    pages = sorted(p for p in args.site.rglob("*.html") if "data-hfa-live=" in p.read_text())
    if not pages:
        sys.exit(f"no page with live explorers under {args.site}: run `make book` first")
    results = {"load_average": os.getloadavg(), "pages": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path in pages:
            html = path.read_text()
            page = open_live(browser, path.as_uri())
            roots = page.locator("[data-hfa-live]")
            ready = max(int(roots.nth(i).get_attribute("data-hfa-ready-at")) for i in range(roots.count()))
            weights = sum((args.site / "_static" / "hfa" / f"hfa-{m}.js").stat().st_size
                          for m in {"classifier", "qa"} if f'data-hfa-needs="{m}"' in html)
            entry = {"page": path.relative_to(args.site).as_posix(), "bytes": len(html.encode()),
                     "weights_bytes": weights, "ready_ms": ready, "explorers": []}
            for i in range(roots.count()):
                root = roots.nth(i)
                box = root.locator(".hfa-live-host [data-hfa-input]").first
                kind = root.get_attribute("data-hfa-live")
                if box.count() == 0:
                    continue
                first = box.input_value()
                times = []
                for text in TEXTS[: args.repeats]:
                    before = computed(root)
                    box.fill(text if box.get_attribute("data-hfa-input") != "context"
                             else f"{first} {text}")
                    wait_computed(root, before, timeout=60_000)
                    times.append(float(root.get_attribute("data-hfa-ms")))
                entry["explorers"].append({"kind": kind, "input": box.get_attribute("data-hfa-input"),
                                           "update_ms_median": statistics.median(times),
                                           "update_ms_max": max(times)})
            assert page.errors == [], page.errors
            page.close()
            results["pages"].append(entry)
            print(json.dumps(entry))
        browser.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
