"""Time the live logits explorer: one update in the kernel and in the browser.

    .venv/bin/python benchmarks/live_logits.py [--updates 20] [--out benchmarks/results/live_logits.json]

Kernel: ``LogitsExplorer.compute(state)`` for new texts (tokenize, forward, logits_view)
and for a new temperature alone (the logits of the text are kept). Browser (headless
Chromium, the harness page of tests/helpers/live.py from file://): from the state change to the
drawn view (the control's event, or the typing debounce firing, -> ``data-hfa-computed``
counted, then one animation frame), for texts typed into the box and for slider moves.
The debounce of typing (150 ms) is not counted: it is a wait, not work. Budget (issue 13): one update <= 30 ms
median at <= 64 tokens.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "helpers")]

#: in the page: set a control's value, fire its event, and time busy -> computed + a frame
TIME_UPDATES = """async ([kind, selector, values, event]) => {
  const root = document.querySelector(`[data-hfa-live="${kind}"]`);
  const input = root.querySelector(`.hfa-live-host ${selector}`);
  if (!window.__timed) {  // note when a timer (the typing debounce) fires: work starts there
    const orig = window.setTimeout;
    window.setTimeout = (fn, ms, ...rest) => orig(() => {
      window.__fired = performance.now();
      fn(...rest);
    }, ms);
    window.__timed = true;
  }
  const times = [];
  for (const value of values) {
    const n = Number(root.dataset.hfaComputed || 0);
    const done = new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (Number(root.dataset.hfaComputed || 0) > n && !root.dataset.hfaBusy) {
          obs.disconnect();
          requestAnimationFrame(() => resolve(performance.now()));
        }
      });
      obs.observe(root, { attributes: true });
    });
    window.__fired = 0;
    input.value = value;
    const sent = performance.now();
    input.dispatchEvent(new Event(event, { bubbles: true }));
    const end = await done;
    times.push(end - Math.max(sent, window.__fired));
    if (root.dataset.hfaError) throw new Error(root.dataset.hfaError);
  }
  return times;
}"""


def summary(times: list[float]) -> dict:
    times = sorted(times)
    return {"median_ms": round(statistics.median(times), 2),
            "p90_ms": round(times[int(0.9 * (len(times) - 1))], 2), "n": len(times)}


def browser_times(explorers, runs) -> dict:
    """runs: [(name, kind, selector, values, event)] -> {name: summary}."""
    from live import live_page, open_live
    from web_pages import chromium

    out = {}
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        path = live_page(Path(tmp), *explorers)
        t0 = time.perf_counter()
        page = open_live(browser, path.as_uri())
        out["page_ready_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        for name, kind, selector, values, event in runs:
            page.evaluate(TIME_UPDATES, [kind, selector, values[:2], event])  # warm-up
            out[name] = summary(page.evaluate(TIME_UPDATES, [kind, selector, values, event]))
        assert page.errors == [], page.errors
    return out


def main() -> None:
    import torch
    from web_pages import texts

    import hfanatomy
    from hfanatomy.explorers.logits import LogitsExplorer

    ap = argparse.ArgumentParser()
    ap.add_argument("--updates", type=int, default=20)
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/live_logits.json"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    model, tokenizer = hfanatomy.load_classifier()
    explorer = LogitsExplorer(model, tokenizer, ["The soup was not good."])
    sentences = [t for t in texts(200) if 4 <= len(tokenizer(t)["input_ids"]) <= 64][:args.updates]
    long = [f"The plot was thin but the music was wonderful, {i}. " * 10 for i in range(6)]
    kernel_text, kernel_t = [], []
    for i, t in enumerate(sentences):
        t0 = time.perf_counter()
        explorer.compute({"text": t, "temperature": 1.0})
        kernel_text.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        explorer.compute({"text": t, "temperature": 0.5 + i / 4})
        kernel_t.append((time.perf_counter() - t0) * 1000)
    slider = [str(round(-1 + 2 * i / args.updates, 2)) for i in range(args.updates)]
    result = {
        "tokens": [min(len(tokenizer(t)["input_ids"]) for t in sentences),
                   max(len(tokenizer(t)["input_ids"]) for t in sentences)],
        "kernel_new_text": summary(kernel_text),
        "kernel_new_temperature": summary(kernel_t),
        "browser": browser_times([explorer], [
            ("new_text", "logits", "[data-hfa-input=text]", sentences, "input"),
            ("new_temperature", "logits", "[data-hfa-control=temperature]", slider, "input"),
            ("new_text_130_tokens_worker", "logits", "[data-hfa-input=text]", long, "input"),
        ]),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": round(__import__("os").getloadavg()[0], 2),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
