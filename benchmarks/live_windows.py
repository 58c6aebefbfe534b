"""Benchmarks of the live windows explorer (kind "windows"), kernel and browser:

    .venv/bin/python benchmarks/live_windows.py [--repeats 9] [--out PATH]

For each case (a state of WindowsExplorer over the embedded QA model):

* kernel: ``explorer.compute(state)`` and one LiveView round trip (``widget.state = ...``,
  data recomputed), median / p90 over ``--repeats`` different questions (no cache helps);
* browser: on a harness page (tests/helpers/live.py's ``live_page``, file://), a state set on the
  view's model until the data is drawn (compute/windows.js, with the model run window
  after window, the worker for windows over 128 tokens, then views/windows.js and layout):
  "cold" with a new question each time (every window runs), "warm" a window-slider move
  (the logits are cached, nothing reruns).

Budgets (issue 14): one QA update <= 100 ms median at <= 64 tokens; one full 384-token
window <= 1.5 s. ``measure`` is shared with benchmarks/live_qa_loss.py. Not a test: the
figures depend on the machine's load (the load average is recorded).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "helpers")]

# In the page: mount a second root of the same explorer (page.js's mount returns its
# model), then time model.set("state", s) until the data is drawn (the view's redraw runs
# first on change:data) and laid out.
JS = """async ([states, warm]) => {
  const page = await globalThis.hfaPage;
  const first = document.querySelector('[data-hfa-live]');
  const root = document.createElement('div');
  root.dataset.hfaLive = first.dataset.hfaLive;
  root.dataset.hfaNeeds = first.dataset.hfaNeeds;
  root.append(first.querySelector('script[data-hfa-model]').cloneNode(true));
  document.body.append(root);
  const model = page.mount(root);
  const run = (state) => new Promise((resolve, reject) => {
    const t0 = performance.now();
    const done = () => { model.off('change:data', done); model.off('change:status', failed);
      void root.offsetHeight; resolve(performance.now() - t0); };
    const failed = (s) => { if (s.startsWith('error')) reject(new Error(s)); };
    model.on('change:data', done);
    model.on('change:status', failed);
    model.set('state', state);
  });
  const stats = (ms) => { const s = [...ms].sort((a, b) => a - b);
    return { median_ms: +s[s.length >> 1].toFixed(1),
             p90_ms: +s[Math.min(s.length - 1, Math.round(0.9 * (s.length - 1)))].toFixed(1),
             min_ms: +s[0].toFixed(1), n: s.length }; };
  await run(states[0]);  // warm-up: the model decoded, the worker started
  const cold = [];
  for (const s of states.slice(1)) cold.push(await run(s));
  const out = { cold: stats(cold) };
  if (warm) {
    const last = states.at(-1), ms = [];
    for (let k = 0; k < warm.length; k++) ms.push(await run({ ...last, ...warm[k] }));
    out.warm = stats(ms);
  }
  root.remove();
  return out;
}"""


def _stats(ms: list[float]) -> dict:
    s = sorted(ms)
    return {"median_ms": round(statistics.median(s), 1),
            "p90_ms": round(s[min(len(s) - 1, round(0.9 * (len(s) - 1)))], 1),
            "min_ms": round(s[0], 1), "n": len(s)}


def measure(explorer, cases: dict[str, tuple[list[dict], list[dict] | None]]) -> dict:
    """{case: {kernel_compute, kernel_view, browser_cold, browser_warm?}} for ``explorer``;
    each case is (states, warm patches): states[0] is a warm-up, the rest are timed."""
    from live import live_page, open_live
    from web_pages import chromium

    out = {name: {} for name in cases}
    widget = explorer.widget
    for name, (states, _) in cases.items():
        explorer.compute(states[0])
        ms, view = [], []
        for s in states[1:]:
            t = time.perf_counter()
            explorer.compute(s)
            ms.append((time.perf_counter() - t) * 1000)
        for s in states[1:]:
            t = time.perf_counter()
            widget.state = {**s, "question": s["question"] + " "}  # a new state: recomputed
            view.append((time.perf_counter() - t) * 1000)
            assert not widget.status.startswith("error"), widget.status
        out[name]["kernel_compute"] = _stats(ms)
        out[name]["kernel_view"] = _stats(view)
    with tempfile.TemporaryDirectory() as tmp:
        page_path = live_page(Path(tmp), explorer)
        with chromium() as browser:
            page = open_live(browser, page_path.as_uri())
            for name, (states, warm) in cases.items():
                r = page.evaluate(JS, [states, warm])
                out[name]["browser_cold"] = r["cold"]
                if "warm" in r:
                    out[name]["browser_warm"] = r["warm"]
            assert page.errors == [], page.errors
            out["_chromium"] = browser.version
    return out


def report(result: dict, budgets: dict, path: Path) -> None:
    chromium = result.pop("_chromium")
    full = {"date": time.strftime("%Y-%m-%d %H:%M"), "chromium": chromium,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "load_average": [round(x, 2) for x in os.getloadavg()], "budgets_ms": budgets,
            **result}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
    print(f"load average {full['load_average']}")
    for name, r in result.items():
        parts = [f"{k} {v['median_ms']:.1f} (p90 {v['p90_ms']:.1f})" for k, v in r.items()
                 if isinstance(v, dict)]
        print(f"{name:28s} " + " · ".join(parts) + " ms")
    print(f"wrote {path}")


QUESTIONS = ["When was Yuki Tanaka born?", "Where does Mina Park live?", "Who lives in Cairo?",
             "When was Jun Seo born?", "Where does Lena Vogel live?", "Who was born in 1962?",
             "Where does Omar Haddad live?", "Who lives in Lisbon?", "When was Hana Kim born?",
             "Who lives in Osaka?", "Where does Alan Turing live?", "Who was born in 1953?"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--out", type=Path,
                        default=ROOT / "benchmarks" / "results" / "live_windows.json")
    args = parser.parse_args()
    import torch
    from qa_corpus import LONG
    from transformers.utils import logging

    from hfanatomy import load_qa
    from hfanatomy.explorers.windows import WindowsExplorer

    torch.set_num_threads(1)
    logging.set_verbosity_error()
    model, tok = load_qa()
    ex = WindowsExplorer(tok, QUESTIONS[0], LONG, max_seq_lens=(128,), strides=(32,), model=model)
    base = ex.initial_state()
    short = "Mina lives in Busan. Mina works at Harbor Labs. Mina owns a red bicycle."
    words = (LONG * 3).split(" ")
    fill384 = " ".join(words[:next(n for n in range(50, len(words)) if len(
        tok(QUESTIONS[0], " ".join(words[:n]))["input_ids"]) > 384) - 1])
    qs = (QUESTIONS * 3)[:args.repeats + 1]
    some = lambda **kw: [{**base, **kw, "question": q} for q in qs]  # noqa: E731
    cases = {
        "short, <= 64 tokens, answers": (some(context=short, max_seq_len=64, doc_stride=16), None),
        "one full 384-token window": (some(context=fill384, max_seq_len=384, doc_stride=128), None),
        "long, 128/32, answers": (some(context=LONG * 2, max_seq_len=128, doc_stride=32),
                                  [{"window": k % 6} for k in range(args.repeats)]),
        "long, 128/32, windows only": (some(context=LONG * 2, max_seq_len=128, doc_stride=32,
                                            answers=False), None),
    }
    n384 = len(tok(QUESTIONS[0], fill384)["input_ids"])
    print(f"one full window: {n384} tokens; short: "
          f"{len(tok(QUESTIONS[0], short)['input_ids'])} tokens")
    report(measure(ex, cases), {"update_at_64_tokens": 100, "full_384_window": 1500}, args.out)


if __name__ == "__main__":
    main()
