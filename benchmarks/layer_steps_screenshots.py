"""Step through one layer on the built site, as a reader would, and photograph each step.

    .venv/bin/python benchmarks/layer_steps_screenshots.py [_build/html] [--out benchmarks/screenshots]

Opens Part I chapter 4 of the built book (file://), types a sentence of our own into the
"one layer, step by step" explorer, picks a query and a key token by clicking their chips,
then clicks through the seven steps and saves the explorer at each one
(``layer_steps__<n>_<step>__1280_light.jpg``), then once more with a padded batch (step 3,
the mask) and at 360 px in the dark theme. Prints what each step showed. Not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "helpers")]

SENTENCE = "The waiter forgot our order, but the dessert made up for it."
PADDING = "We waited an hour for a table, the soup was cold and nobody said sorry."


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright
    from web_pages import CHROMIUM, CHROMIUM_ARGS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", nargs="?", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "screenshots")
    args = ap.parse_args(argv)
    page_path = args.html / "book" / "part1" / "04_encoder_attention.html"
    args.out.mkdir(parents=True, exist_ok=True)
    seen = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for width, scheme in ((1280, "light"), (360, "dark")):
            ctx = browser.new_context(viewport={"width": width, "height": 3000},  # no stitching
                                      color_scheme=scheme)
            ctx.add_init_script(f"localStorage.setItem('mode', '{scheme}');"  # the theme's own
                                f"localStorage.setItem('theme', '{scheme}');")  # switch
            page = ctx.new_page()
            page.goto(page_path.as_uri())
            root = page.locator('[data-hfa-live="layer_steps"]').first
            root.wait_for(state="attached")
            page.wait_for_function("(el) => el.dataset.hfaReady", arg=root.element_handle())
            page.wait_for_function("() => !document.querySelector('[data-hfa-loading]')")

            def settle(before: int, page=page, root=root) -> dict:
                page.wait_for_function(
                    "([el, n]) => Number(el.dataset.hfaComputed || 0) > n && !el.dataset.hfaBusy",
                    arg=[root.element_handle(), before], timeout=30_000)
                return json.loads(root.get_attribute("data-hfa-result"))

            def shoot(name: str, page=page, root=root) -> None:
                page.wait_for_timeout(300)  # the view scrolls the chosen chips into view
                root.scroll_into_view_if_needed()
                page.wait_for_timeout(200)
                root.screenshot(path=str(args.out / name), type="jpeg", quality=60)

            def computed(root=root) -> int:
                return int(root.get_attribute("data-hfa-computed") or 0)

            before = computed()
            root.locator('[data-hfa-input="text"]').fill(SENTENCE)
            data = settle(before)
            query = data["tokens"].index("Ġdessert")
            key = data["tokens"].index("Ġforgot")
            for attr, index in (("data-hfa-query", query), ("data-hfa-key", key)):
                before = computed()
                root.locator(f'button[{attr}="{index}"]').click()
                data = settle(before)
            steps = [b.get_attribute("data-hfa-step")
                     for b in root.locator(".hfa-ls-nav [data-hfa-step]").all()]
            for n, step in enumerate(steps, start=1):
                root.locator(f'.hfa-ls-nav [data-hfa-step="{step}"]').click()
                shown = root.locator(".hfa-ls-step").first
                name = f"layer_steps__{n}_{step}__{width}_{scheme}.jpg"
                if width == 1280 or step in ("score", "softmax"):
                    shoot(name)
                    seen.append({"file": name, "step": step,
                                 "text": shown.inner_text()[:160].replace("\n", " | ")})
            if width == 1280:
                before = computed()
                root.locator('[data-hfa-input="batch_with"]').fill(PADDING)
                data = settle(before)
                root.locator('.hfa-ls-nav [data-hfa-step="score"]').click()
                name = f"layer_steps__3_score_padded__{width}_{scheme}.jpg"
                shoot(name)
                seen.append({"file": name, "padded": sum(data["padded"]),
                             "weight_on_padding": max(w for w, p in zip(data["weights"],
                                                                        data["padded"]) if p)})
            print(json.dumps({"width": width, "query": data["tokens"][data["query"]],
                              "key": data["tokens"][data["key"]], "layer": data["layer"],
                              "head": data["head"], "weight": data["weights"][data["key"]],
                              "ms": root.get_attribute("data-hfa-ms")}, ensure_ascii=False))
            ctx.close()
        browser.close()
    print(json.dumps(seen, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
