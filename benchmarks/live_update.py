"""How long one update of a live explorer takes, in the kernel and in the page.

``measure(explorer, input_name, texts)`` times, for the explorer's kind:

* kernel: ``explorer.run(state)`` (Python's compute, what the LiveView does on a change of
  state) for each typed text, median / p90;
* page (headless Chromium, the harness page of ``tests/helpers/live.py`` from ``file://``): the
  text is typed into the view's box ``input_name``; the time runs from the end of the
  view's debounce (its timer fires and sends the state) until the root has the new data
  drawn (``data-hfa-computed`` moved, layout forced): state, compute, redraw;
* ready: from navigation until every live root on the page is drawn;
* the page's size without the shared weights asset.

Used by ``benchmarks/live_positions.py`` and ``benchmarks/live_loss.py`` (and any other
kind: pass its explorer). Not a test: figures depend on the machine's load.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "helpers")]

from live import live_page  # noqa: E402
from web_pages import chromium  # noqa: E402

_WATCH = """([root, name, text]) => new Promise((resolve) => {
  const box = root.querySelector(`.hfa-live-host [data-hfa-input="${name}"]`);
  const before = Number(root.dataset.hfaComputed || 0);
  let start = null;
  const seen = new MutationObserver(() => {
    if (Number(root.dataset.hfaComputed || 0) > before && !root.dataset.hfaBusy) {
      void root.offsetHeight;  // the layout of what was drawn
      seen.disconnect();
      resolve({ ms: performance.now() - start, error: root.dataset.hfaError ?? null });
    }
  });
  seen.observe(root, { attributes: true });
  // the view's debounce timer: the update starts when it fires (the state is sent)
  const setTimer = globalThis.setTimeout;
  globalThis.setTimeout = (fn, ms, ...args) => setTimer(() => {
    start ??= performance.now();
    fn(...args);
  }, ms);
  box.value = text;
  box.dispatchEvent(new Event("input", { bubbles: true }));
  globalThis.setTimeout = setTimer;
})"""


def _stats(ms: list[float]) -> dict:
    s = sorted(ms)
    return {"median_ms": round(statistics.median(s), 2),
            "p90_ms": round(s[min(len(s) - 1, round(0.9 * (len(s) - 1)))], 2),
            "min_ms": round(s[0], 2), "n": len(s)}


def measure(explorer, input_name: str, texts: list[str], state_of=None) -> dict:
    """Kernel and page update times of ``explorer`` for ``texts`` typed into ``input_name``.

    ``state_of(text)`` is the state the typed text makes (default: the initial state with
    ``input_name`` replaced and no example).
    """
    import torch

    torch.set_num_threads(1)
    first = explorer.initial_state()
    state_of = state_of or (lambda t: {**first, input_name: t, "example": None})
    kernel = []
    for text in texts:
        t = time.perf_counter()
        data, status = explorer.run(state_of(text))
        kernel.append((time.perf_counter() - t) * 1000)
        assert data is not None, status
    with tempfile.TemporaryDirectory() as tmp:
        page_path = live_page(Path(tmp), explorer)
        page_bytes = page_path.stat().st_size
        with chromium() as browser:
            page = browser.new_page()
            t = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_function("() => [...document.querySelectorAll('[data-hfa-live]')]"
                                   ".every((r) => r.dataset.hfaReady)")
            ready_ms = (time.perf_counter() - t) * 1000
            root = page.locator(f'[data-hfa-live="{explorer.kind}"]').first.element_handle()
            page.evaluate(_WATCH, [root, input_name, "warm up"])
            browser_ms = []
            for text in texts:
                out = page.evaluate(_WATCH, [root, input_name, text])
                assert out["error"] is None, out["error"]
                browser_ms.append(out["ms"])
            result = json.loads(root.get_attribute("data-hfa-result"))
            version = browser.version
    return {"kind": explorer.kind, "date": time.strftime("%Y-%m-%d %H:%M"), "chromium": version,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "texts": len(texts), "page_bytes": page_bytes, "page_ready_ms": round(ready_ms, 1),
            "kernel_update": _stats(kernel), "browser_update": _stats(browser_ms),
            "last_result_keys": sorted(result)}


def report(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    k, b = result["kernel_update"], result["browser_update"]
    print(f"{result['kind']}: load average {result['load_average']}; page "
          f"{result['page_bytes'] / 1e3:.0f} KB, ready {result['page_ready_ms']:.0f} ms | update "
          f"median / p90: kernel {k['median_ms']:.1f} / {k['p90_ms']:.1f} ms, browser "
          f"{b['median_ms']:.1f} / {b['p90_ms']:.1f} ms ({b['n']} texts)")
    print(f"wrote {out}")
