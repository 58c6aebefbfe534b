"""Benchmark of the live "one layer, step by step" explorer in headless Chromium:

    .venv/bin/python benchmarks/live_layer_steps.py [--repeats 9] [--out PATH]

On the harness page of tests/helpers/live.py (file://) holding a LayerStepsExplorer and an
AttentionExplorer of the embedded classifier, the update time of page.js (``data-hfa-ms`` on
the root: the compute in web/compute/<kind>.js and the redraw by web/views/<kind>.js) for

* a head change (the head select) and a query change (a click on a query token) at 128
  tokens: budget 30 ms (the forward pass and the layer's q/k/v are kept: one head's small
  math and one row's feed-forward are redone);
* a new text of 128 and of 512 tokens (the forward pass in the worker), beside the
  attention explorer's update for the same texts, text by text (budget: no slower); and
  the two compute modules alone on those texts (no view: what web/compute/<kind>.js costs);

each also timed from the event (for a typed text: the end of the view's debounce) to the
new drawing laid out ("to_layout"). Prints the page weight of each explorer's markup
(``static_html()``, what a chapter's output holds) and of the harness page. Not a test: the
figures depend on the machine's load (recorded). Writes the result as JSON to ``--out``
(default ``benchmarks/results/live_layer_steps.json``, which ``benchmarks/run.py`` collects).
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

SENTENCES = ["The food was never good.", "I loved every minute of this film.",
             "The acting was great, but the movie was not good.",
             "Not bad at all, and the music is lovely.", "A waste of two hours.",
             "Cold coffee, rude staff, and still I would go back for the view.",
             "이 영화는 정말 좋았다.", "The plot was thin but the soundtrack carried it."]

# One update of a root: the action runs, then the root's data-hfa-computed moves; returns
# page.js's data-hfa-ms and the time from the event (or the debounce timer firing) to the
# new drawing's layout.
_TIMED = """async ([index, action, value]) => {
  const root = document.querySelectorAll('[data-hfa-live]')[index];
  const host = root.querySelector('.hfa-live-host');
  const before = Number(root.dataset.hfaComputed || 0);
  let start = null;
  const done = new Promise((resolve) => {
    const seen = new MutationObserver(() => {
      if (Number(root.dataset.hfaComputed || 0) > before && !root.dataset.hfaBusy) {
        void root.offsetHeight;  // the layout of what was drawn
        seen.disconnect();
        resolve(performance.now());
      }
    });
    seen.observe(root, { attributes: true });
  });
  const setTimer = globalThis.setTimeout;  // a typed text starts when the debounce fires
  globalThis.setTimeout = (fn, ms, ...args) => setTimer(() => {
    start = performance.now();
    fn(...args);
  }, ms);
  start = performance.now();
  if (action === "text") {
    const box = host.querySelector('[data-hfa-input="text"]');
    box.value = value;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  } else if (action === "head") {
    const select = host.querySelector('select[data-hfa-control="head"]');
    select.value = String(value);
    select.dispatchEvent(new Event("change", { bubbles: true }));
  } else if (action === "query") {
    host.querySelector(`button[data-hfa-query="${value}"]`).click();
  }
  globalThis.setTimeout = setTimer;
  const end = await done;
  return { ms: Number(root.dataset.hfaMs), to_layout: end - start,
    error: root.dataset.hfaError ?? null, length: JSON.parse(root.dataset.hfaResult).tokens.length };
}"""


# web/compute/layer_steps.js and web/compute/attention.js alone (linked from the page's
# runtime bundle, with a context like page.js's and their own worker), text by text.
_COMPUTE = """async ([texts, attentionConfig]) => {
  const rt = await globalThis.hfaRuntime, b = globalThis.hfaRuntimeBundle;
  const el = document.querySelector('[data-hfa-live="layer_steps"]');
  const configs = {
    layer_steps: JSON.parse(el.querySelector("script[data-hfa-model]").textContent).config,
    attention: { ...attentionConfig, needs: "classifier" } };
  const worker = rt.startWorker();
  const got = { layer_steps: [], attention: [] }, mods = {};
  for (const kind of Object.keys(got)) mods[kind] = await b.link(b.sources, b.order, `compute/${kind}.js`);
  for (const text of texts) {  // a new text each time: nothing kept helps
    for (const kind of Object.keys(got)) {
      const mod = mods[kind];
      const ctx = { config: configs[kind], model: (name) => rt.loadModel(name),
        forwardAsync: (...args) => worker.forward(...args), progress: () => {}, signal: null };
      const t0 = performance.now();
      await mod.compute({ text, layer: 0, head: 0, query: 0, key: 0 }, ctx);
      got[kind].push(performance.now() - t0);
    }
  }
  worker.terminate();
  return JSON.stringify(got);
}"""


def stats(ms: list[float]) -> dict:
    s = sorted(ms)
    return {"median_ms": round(statistics.median(s), 1),
            "p90_ms": round(s[min(len(s) - 1, round(0.9 * (len(s) - 1)))], 1),
            "min_ms": round(s[0], 1), "n": len(s)}


def texts_of(tokenizer, n_tokens: int, count: int) -> list[str]:
    """``count`` different texts of exactly ``n_tokens`` tokens (special tokens included)."""
    def tokens(text: str) -> int:
        return len(tokenizer(text, verbose=False)["input_ids"])

    out = []
    for k in range(count):
        words = " ".join(SENTENCES[(k + i) % len(SENTENCES)] for i in range(200)).split()
        words = [f"({k})", *words]
        lo, hi = 1, len(words)  # the most words that stay within n_tokens
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if tokens(" ".join(words[:mid])) <= n_tokens:
                lo = mid
            else:
                hi = mid - 1
        text = " ".join(words[:lo])
        while tokens(text) < n_tokens:  # a word may be several tokens
            text += "!"
        assert tokens(text) == n_tokens, (k, n_tokens)
        out.append(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "live_layer_steps.json",
                        help="write the result here (JSON)")
    args = parser.parse_args()

    import torch
    from live import live_page, open_live
    from web_pages import chromium

    from hfanatomy import load_classifier
    from hfanatomy.explorers.attention import AttentionExplorer
    from hfanatomy.explorers.layer_steps import LayerStepsExplorer

    torch.set_num_threads(1)
    model, tok = load_classifier()
    steps = LayerStepsExplorer(model, tok, SENTENCES[2], query=2, key=3)
    attention = AttentionExplorer(model, tok, SENTENCES[2])
    n = args.repeats
    t128, t512 = texts_of(tok, 128, n + 1), texts_of(tok, 512, n + 1)
    markup = {"layer_steps": len(steps.static_html().encode()),
              "attention": len(attention.static_html().encode())}

    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        path = live_page(Path(tmp), steps, attention)
        page_bytes = path.stat().st_size
        page = open_live(browser, path.as_uri())

        def timed(index, action, value):
            out = page.evaluate(_TIMED, [index, action, value])
            assert out["error"] is None, out["error"]
            return out

        def series(index, action, values, length=None):
            timed(index, action, values[0])  # warm up
            got = [timed(index, action, v) for v in values[1:]]
            assert length is None or all(g["length"] == length for g in got), got
            return {"data_hfa_ms": stats([g["ms"] for g in got]),
                    "to_layout": stats([g["to_layout"] for g in got])}

        def new_texts(texts, length):
            """Both explorers, text by text (the same load on both)."""
            got = {"layer_steps": [], "attention": []}
            for k, text in enumerate(texts):
                for index, kind in enumerate(got):
                    out = timed(index, "text", text)
                    assert out["length"] == length, out
                    if k:  # the first: a warm-up
                        got[kind].append(out)
            return {kind: {"data_hfa_ms": stats([g["ms"] for g in v]),
                           "to_layout": stats([g["to_layout"] for g in v])}
                    for kind, v in got.items()}

        def compute_only(texts):
            """The compute modules alone (no view), text by text: ms."""
            got = json.loads(page.evaluate(_COMPUTE, [texts, attention.config()]))
            return {kind: stats(v[1:]) for kind, v in got.items()}

        result = {"new_text_128_tokens": new_texts(t128, 128),
                  "new_text_512_tokens": new_texts(t512, 512),
                  "compute_only_new_text_128_tokens": compute_only(t128),
                  "compute_only_new_text_512_tokens": compute_only(t512)}
        timed(0, "text", t128[0])  # 128 tokens, then heads and query tokens
        result["head_change_128_tokens"] = series(0, "head", [k % 4 for k in range(n + 1)], 128)
        result["query_change_128_tokens"] = series(0, "query", [(7 * k) % 128 for k in
                                                                range(1, n + 2)], 128)
        errors = page.errors
        version = browser.version
    result = {"date": time.strftime("%Y-%m-%d %H:%M"), "chromium": version,
              "load_average": [round(x, 2) for x in os.getloadavg()], "cores": os.cpu_count(),
              "markup_bytes": markup, "harness_page_bytes": page_bytes, **result,
              "console_errors": errors}
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    budget = result["head_change_128_tokens"]["data_hfa_ms"]["median_ms"], \
        result["query_change_128_tokens"]["data_hfa_ms"]["median_ms"]
    print(f"head / query change at 128 tokens (median data-hfa-ms): {budget[0]} / {budget[1]} ms "
          f"(budget 30 ms); markup: layer_steps {markup['layer_steps'] / 1e3:.1f} kB, attention "
          f"{markup['attention'] / 1e3:.1f} kB")


if __name__ == "__main__":
    main()
