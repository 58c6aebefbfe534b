"""Benchmarks of the live attention explorer, in the kernel and in headless Chromium:

    .venv/bin/python benchmarks/live_attention.py [--repeats 15] [--out PATH]

* kernel (``LiveView``, no front end): one update for a new text of the classifier
  (<= 64 tokens: tokenize, forward, data) and a layer or head change at 512 tokens
  (slice the kept attentions, pack the map), each followed by ``json.dumps`` of the data
  (what the comm sends); the data's size at 512 tokens;
* the page (the harness page of tests/helpers/live.py, file://): typing a text (<= 64 tokens:
  tokenize, forward, data, draw), a layer or head change at 512 tokens (compute and the
  canvas drawn), and the first state at 512 tokens (the forward pass in the worker).
  A page figure is from the control's event to the next frame after the result.

Writes ``benchmarks/results/live_attention.json`` and prints it. Not a test: the figures
depend on the machine's load (the load average is recorded).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "helpers")]

import torch  # noqa: E402

SENTENCES = ["The food was never good.", "I loved every minute of this film.",
             "The acting was great, but the movie was not good.",
             "Not bad at all, and the music is lovely.", "A waste of two hours.",
             "Cold coffee, rude staff, and still I would go back for the view."]
LONG = "good " * 600  # 604 tokens: cut to 512
SELECTIONS = [(0, 1), (0, 2), (1, 3), (1, "mean"), (0, 0), (1, 1), (1, 2), (0, 3)]


def stats(ms: list[float]) -> dict:
    s = sorted(ms)
    return {"median_ms": round(statistics.median(s), 2),
            "p90_ms": round(s[min(len(s) - 1, round(0.9 * (len(s) - 1)))], 2),
            "min_ms": round(s[0], 2), "n": len(s)}


def kernel(explorer, repeats: int) -> dict:
    widget = explorer.widget
    update, select = [], []
    for k in range(repeats):
        text = f"{SENTENCES[k % len(SENTENCES)]} ({k})"
        t = time.perf_counter()
        widget.state = {**widget.state, "text": text}
        json.dumps(widget.data)
        update.append((time.perf_counter() - t) * 1000)
    widget.state = {**widget.state, "text": LONG}
    for k in range(repeats):
        layer, head = SELECTIONS[k % len(SELECTIONS)]
        t = time.perf_counter()
        widget.state = {**widget.state, "layer": layer, "head": head}
        json.dumps(widget.data)
        select.append((time.perf_counter() - t) * 1000)
    return {"update_new_text_le_64_tokens": stats(update),
            "layer_head_change_512_tokens": stats(select),
            "data_bytes_512_tokens": len(json.dumps(widget.data))}


PAGE_JS = """async ([sentences, long, repeats]) => {
  const root = document.querySelector('[data-hfa-live="attention"]');
  const host = root.querySelector('.hfa-live-host');
  const box = host.querySelector('[data-hfa-input="text"]');
  const head = host.querySelector('select[data-hfa-control="head"]');
  const layer = host.querySelector('select[data-hfa-control="layer"]');
  // work starts when the typing debounce fires (a wait, not work), or at the event
  const orig = window.setTimeout;
  window.setTimeout = (fn, ms, ...rest) => orig(() => { window.__fired = performance.now(); fn(...rest); }, ms);
  async function timed(act) {
    const n = Number(root.dataset.hfaComputed || 0);
    const done = new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (Number(root.dataset.hfaComputed || 0) > n && !root.dataset.hfaBusy) {
          obs.disconnect();
          requestAnimationFrame(() => resolve(performance.now()));  // drawn
        }
      });
      obs.observe(root, { attributes: true });
    });
    window.__fired = 0;
    const sent = performance.now();
    act();
    const end = await done;
    if (root.dataset.hfaError) throw new Error(root.dataset.hfaError);
    return end - Math.max(sent, window.__fired);
  }
  const send = (text) => { box.value = text; box.dispatchEvent(new Event('input', { bubbles: true })); };
  const out = { typed: [], first512: 0, select: [] };
  for (let k = 0; k < repeats; k++) {
    out.typed.push(await timed(() => send(`${sentences[k % sentences.length]} (${k})`)));
  }
  out.first512 = await timed(() => send(long));
  for (let k = 0; k < repeats; k++) {
    const [sel, value] = k % 2 ? [layer, String((k >> 1) % 2)] : [head, String(k % 5)];
    out.select.push(await timed(() => { sel.value = value; sel.dispatchEvent(new Event('change')); }));
  }
  return out;
}"""


def page(explorer, repeats: int) -> dict:
    from live import live_page, open_live
    from web_pages import chromium

    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        path = live_page(Path(tmp), explorer)
        page_bytes = path.stat().st_size
        t = time.perf_counter()
        p = open_live(browser, path.as_uri())
        ready = (time.perf_counter() - t) * 1000
        out = p.evaluate(PAGE_JS, [SENTENCES, LONG, repeats])
        errors = p.errors
    return {"page_bytes": page_bytes, "ready_ms_incl_navigation": round(ready, 1),
            "typed_text_le_64_tokens_compute_and_draw": stats(out["typed"]),
            "first_state_512_tokens_worker": round(out["first512"], 1),
            "layer_head_change_512_tokens_compute_and_draw": stats(out["select"]),
            "console_errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results"
                        / "live_attention.json")
    args = parser.parse_args()
    torch.set_num_threads(1)
    from hfanatomy import load_classifier
    from hfanatomy.explorers.attention import AttentionExplorer

    model, tok = load_classifier()
    make = lambda: AttentionExplorer(model, tok, SENTENCES[2], layer=1)  # noqa: E731
    result = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "load_average": [round(x, 2) for x in os.getloadavg()],
              "cores": os.cpu_count(), "kernel": kernel(make(), args.repeats),
              "page": page(make(), args.repeats)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
