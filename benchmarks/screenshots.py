"""Screenshots of every live explorer of the built site, at 360, 768 and 1280 px, light and dark.

    .venv/bin/python benchmarks/screenshots.py [_build/html] [--out benchmarks/screenshots]

Builds nothing: run ``make book`` first. Each page with a live explorer opens in headless
Chromium (``/usr/bin/chromium``) at each width, in the site's light and dark theme (the
theme switch's own setting, ``localStorage.mode``); every explorer root is captured alone,
as ``<page>__<kind>[_<n>]__<width>_<theme>.jpg``, plus the error state of the page's first
text explorer (its text box emptied). ``index.json`` lists every shot with its page,
whether the page scrolled sideways, and the explorer's own overflow. Look at them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = (360, 768, 1280)
THEMES = ("light", "dark")


def live_pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html")
                  if "_static" not in p.parts and "data-hfa-live=" in p.read_text(encoding="utf-8"))


def shoot(html: Path, out: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.jpg"):
        old.unlink()
    shots = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
        for page_path in live_pages(html):
            stem = page_path.stem
            for theme in THEMES:
                for width in WIDTHS:
                    ctx = browser.new_context(viewport={"width": width, "height": 900},
                                              color_scheme=theme)
                    ctx.add_init_script(f"localStorage.setItem('mode', '{theme}');"
                                        f"localStorage.setItem('theme', '{theme}');")
                    page = ctx.new_page()
                    page.goto(page_path.as_uri())
                    page.wait_for_function("""() => [...document.querySelectorAll('[data-hfa-live]')]
                        .every((r) => r.dataset.hfaReady || r.dataset.hfaError)""", timeout=60_000)
                    sideways = page.evaluate(
                        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
                    roots = page.locator("[data-hfa-live]")
                    seen: dict[str, int] = {}
                    for i in range(roots.count()):
                        r = roots.nth(i)
                        kind = r.get_attribute("data-hfa-live")
                        n = seen[kind] = seen.get(kind, 0) + 1
                        name = f"{stem}__{kind}{'' if n == 1 else f'_{n}'}__{width}_{theme}.jpg"
                        r.scroll_into_view_if_needed()
                        r.screenshot(path=str(out / name), type="jpeg", quality=60)
                        inner = r.evaluate("e => e.scrollWidth - e.clientWidth")
                        shots.append({"file": name, "page": stem, "kind": kind, "width": width,
                                      "theme": theme, "page_overflow_px": sideways,
                                      "explorer_overflow_px": inner})
                    typed = [roots.nth(i) for i in range(roots.count())
                             if roots.nth(i).locator(".hfa-live-host [data-hfa-input]").count()]
                    if typed:
                        r = typed[0]
                        r.locator(".hfa-live-host [data-hfa-input]").first.fill("")
                        page.wait_for_timeout(800)
                        name = f"{stem}__error__{width}_{theme}.jpg"
                        r.screenshot(path=str(out / name), type="jpeg", quality=60)
                        shots.append({"file": name, "page": stem, "kind": "error", "width": width,
                                      "theme": theme, "page_overflow_px": sideways,
                                      "explorer_overflow_px": None})
                    ctx.close()
        browser.close()
    (out / "index.json").write_text(json.dumps(shots, indent=1) + "\n", encoding="utf-8")
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "screenshots")
    args = parser.parse_args(argv)
    if not args.html.is_dir():
        print(f"no site at {args.html}: run `make book` first", file=sys.stderr)
        return 1
    shots = shoot(args.html, args.out)
    wide = sorted({(s["page"], s["width"], s["theme"]) for s in shots if s["page_overflow_px"] > 0})
    print(f"{len(shots)} screenshots in {args.out}")
    for page, width, theme in wide:
        print(f"  page scrolls sideways: {page} at {width} px ({theme})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
