"""Benchmarks of the browser QA decoder (src/hfanatomy/web/qa.js) in headless Chromium:

    .venv/bin/python benchmarks/browser_qa.py [--repeats 15] [--out PATH]

Measures, on a page loading hfa-runtime.js and the QA weights asset from file://, with
v4's defaults (max_seq_len 384, doc_stride 128, top_k 1, max_answer_len 15):

* one QA update -- tokenize into windows, the forward pass, decode -- for a question and
  context of 32 and of 64 tokens in all (issue 14's budget: <= 100 ms median at <= 64);
* one full 384-token window, the same three steps (budget: <= 1.5 s), and its steps alone
  (encodeWindows, runModel, decode);
* a long context (about 3,000 characters, several windows), window by window;
* decode alone with top_k 5 and handle_impossible_answer on the 384-token window.

Median / p90 / min over ``--repeats`` runs (fewer for the large inputs). Writes
``benchmarks/results/browser_qa.json`` and prints a table. Not a test: the figures depend
on the machine's load (the load average is recorded).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "helpers")]

from web_pages import chromium, runtime_page  # noqa: E402

QUESTION = "Where does Ada Lovelace live?"
SENTENCES = ("Ada Lovelace lives in London. Ada Lovelace works at the train station. "
             "Ada Lovelace owns a wooden desk. Ada Lovelace was born in 1953. Alan Turing "
             "lives in Manchester. Alan Turing works at a bike workshop. Alan Turing owns a "
             "brown dog. Alan Turing was born in 1962. Grace Hopper lives in Boston. Grace "
             "Hopper works at the harbour office. Grace Hopper owns a black camera. ")

JS = """async ([inputs, repeats]) => {
  const rt = await globalThis.hfaRuntime;
  const model = rt.loadModel("qa");
  const { qa } = rt;
  const stats = (ms) => { const s = [...ms].sort((a, b) => a - b);
    return { median_ms: +s[s.length >> 1].toFixed(2),
             p90_ms: +s[Math.min(s.length - 1, Math.round(0.9 * (s.length - 1)))].toFixed(2),
             min_ms: +s[0].toFixed(2), n: s.length }; };
  const time = (fn, n) => { fn(); const ms = [];  // one warm-up run
    for (let r = 0; r < n; r++) { const t = performance.now(); fn(); ms.push(performance.now() - t); }
    return stats(ms); };
  const update = (q, c, opts = {}) => {
    const encoded = qa.encodeWindows(q, c, model.tokenizer);
    return qa.decode(encoded, qa.runModel(model, encoded), opts);
  };
  const out = {};
  for (const [name, q, c] of inputs) {
    const encoded = qa.encodeWindows(q, c, model.tokenizer);
    const lengths = encoded.windows.map((w) => w.input_ids.length);
    const n = Math.max(...lengths) >= 256 ? Math.max(3, repeats >> 2) : repeats;
    const logits = qa.runModel(model, encoded);
    const res = { windows: lengths.length, tokens: lengths,
      answer: update(q, c)[0], update: time(() => update(q, c), n) };
    if (name === "window384") {
      res.encode = time(() => qa.encodeWindows(q, c, model.tokenizer), repeats);
      res.forward = time(() => qa.runModel(model, encoded), n);
      res.decode = time(() => qa.decode(encoded, logits), repeats);
      res.decode_top5_null = time(() => qa.decode(encoded, logits,
        { topK: 5, handleImpossibleAnswer: true }), repeats);
    }
    if (name === "long") {
      const per = [performance.now()];
      qa.runModel(model, encoded, { onWindow: () => per.push(performance.now()) });
      res.per_window_ms = per.slice(1).map((t, i) => +(t - per[i]).toFixed(1));
    }
    out[name] = res;
  }
  return out;
}"""


def _inputs(tokenizer) -> list[tuple[str, str, str]]:
    """(name, question, context): 32 and 64 tokens in all, a context filling one 384-token
    window exactly, and a ~3,000-character context."""
    words = (SENTENCES * 12).split(" ")

    def fill(total: int) -> str:  # the longest run of words whose pair has <= total tokens
        lo, hi = 1, len(words)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            ok = len(tokenizer(QUESTION, " ".join(words[:mid]))["input_ids"]) <= total
            lo, hi = (mid, hi) if ok else (lo, mid - 1)
        return " ".join(words[:lo])

    return [("tokens32", QUESTION, fill(32)), ("tokens64", QUESTION, fill(64)),
            ("window384", QUESTION, fill(384)), ("long", QUESTION, (SENTENCES * 8)[:3000])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--out", type=Path,
                        default=ROOT / "benchmarks" / "results" / "browser_qa.json")
    args = parser.parse_args()
    from transformers.utils import logging

    from hfanatomy import load_qa

    logging.set_verbosity_error()  # no "longer than model_max_length" note for the long text
    _, tokenizer = load_qa()
    inputs = _inputs(tokenizer)
    with tempfile.TemporaryDirectory() as tmp:
        page_path = runtime_page(Path(tmp))
        with chromium() as browser:
            page = browser.new_page()
            page.goto(page_path.as_uri())
            page.evaluate("async () => { await globalThis.hfaRuntime; }")
            result = page.evaluate(JS, [inputs, args.repeats])
            version = browser.version
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "chromium": version,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "budgets_ms": {"update_at_64_tokens": 100, "full_384_window": 1500}, **result,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"load average {report['load_average']}")
    for name, r in result.items():
        u = r["update"]
        print(f"{name:10s} {r['windows']} window(s) of {r['tokens']} tokens: one update "
              f"median {u['median_ms']:.1f} ms (p90 {u['p90_ms']:.1f}, min {u['min_ms']:.1f})")
    w = result["window384"]
    print(f"  384 window steps, median ms: encode {w['encode']['median_ms']:.1f}, forward "
          f"{w['forward']['median_ms']:.1f}, decode {w['decode']['median_ms']:.1f} (top 5 + null "
          f"{w['decode_top5_null']['median_ms']:.1f})")
    print(f"  long context, ms per window: {result['long']['per_window_ms']}")
    print(f"budgets: update at 64 tokens {result['tokens64']['update']['median_ms']:.1f} / 100 ms; "
          f"full 384 window {w['update']['median_ms']:.0f} / 1500 ms")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
