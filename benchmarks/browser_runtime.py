"""Benchmarks of the browser runtime (src/hfanatomy/web) in headless Chromium:

    .venv/bin/python benchmarks/browser_runtime.py [--repeats 15] [--out PATH]

Measures, on a page loading hfa-runtime.js and both weights assets from file://:

* ready: from navigation to the runtime module linked (``await hfaRuntime``), and the
  first ``loadModel`` of each model (base85 -> fp16 -> float32, tokenizer set-up);
* one forward pass (``forwardOne``: every layer's attentions and hidden states, and the
  head) at 16, 64, 128, 256 and 512 tokens, median / p90 / min over ``--repeats`` runs;
* tokenize + forward of a typical sentence (what one keystroke costs the classifier
  explorers, before drawing);
* the same through ``startWorker()`` (round trip: message in, forward, outputs copied
  back), and one 384-token QA window in the worker.

Writes ``benchmarks/results/browser_runtime.json`` and prints a table. Not a test: the
figures depend on the machine's load (the load average is recorded).
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

SIZES = (16, 64, 128, 256, 512)

JS = """async ([sizes, repeats]) => {
  const rt = await globalThis.hfaRuntime;
  const stats = (ms) => { const s = [...ms].sort((a, b) => a - b);
    return { median_ms: +s[s.length >> 1].toFixed(2),
             p90_ms: +s[Math.min(s.length - 1, Math.round(0.9 * (s.length - 1)))].toFixed(2),
             min_ms: +s[0].toFixed(2), n: s.length }; };
  const out = {};
  for (const name of ["classifier", "qa"]) {
    let t = performance.now();
    const model = rt.loadModel(name);
    const res = { load_model_ms: +(performance.now() - t).toFixed(1), forward: {} };
    const [cls, sep] = name === "qa" ? [2, 3] : [0, 2];
    for (const L of sizes) {
      const ids = [cls];
      for (let i = 1; i < L - 1; i++) ids.push(10 + ((i * 37) % 4000));
      ids.push(sep);
      const mask = ids.map(() => 1), types = name === "qa" ? ids.map(() => 0) : null;
      rt.forwardOne(model, ids, mask, types);  // warm-up
      const ms = [];
      for (let r = 0; r < (L >= 256 ? Math.max(3, repeats >> 2) : repeats); r++) {
        t = performance.now();
        rt.forwardOne(model, ids, mask, types);
        ms.push(performance.now() - t);
      }
      res.forward[L] = stats(ms);
    }
    const texts = ["The acting was great, but the movie was not good.",
      "Although the plot was thin, the music was wonderful, and I laughed a lot."];
    const ms = [];
    for (let r = 0; r < repeats; r++) {
      t = performance.now();
      model.run(texts[r % 2] + " ".repeat(r), name === "qa" ? "Who laughed?" : null);
      ms.push(performance.now() - t);
    }
    res.tokenize_and_forward_sentence = stats(ms);
    res.sentence_tokens = model.tokenizer.encode(texts[1], name === "qa" ? "Who laughed?" : null)
      .input_ids.length;
    out[name] = res;
  }
  // the same in a Web Worker: round trip (copy in, forward, copy the outputs back)
  const worker = rt.startWorker(["classifier", "qa"]);
  await worker.run("classifier", "warm up");
  const ms = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    await worker.run("classifier", "The acting was great, but the movie was not good." + " ".repeat(r));
    ms.push(performance.now() - t);
  }
  out.worker_classifier_sentence = stats(ms);
  const t = performance.now();
  const window = await worker.run("qa", "Who laughed?", "word ".repeat(370));
  out.worker_qa_window = { tokens: window.encoding.input_ids.length,
    ms: +(performance.now() - t).toFixed(1) };
  worker.terminate();
  return out;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--out", type=Path,
                        default=ROOT / "benchmarks" / "results" / "browser_runtime.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page_path = runtime_page(Path(tmp))
        sizes = {f.name: f.stat().st_size for f in Path(tmp).glob("hfa-*.js")}
        with chromium() as browser:
            page = browser.new_page()
            t = time.perf_counter()
            page.goto(page_path.as_uri())
            page.evaluate("async () => { await globalThis.hfaRuntime; }")
            ready_ms = (time.perf_counter() - t) * 1000
            result = page.evaluate(JS, [list(SIZES), args.repeats])
            version = browser.version
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "chromium": version,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "asset_bytes": sizes, "page_ready_ms": round(ready_ms, 1), **result,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"load average {report['load_average']}; page ready {ready_ms:.0f} ms; assets "
          + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sizes.items()))
    for name in ("classifier", "qa"):
        r = report[name]
        row = "  ".join(f"{L}: {r['forward'][str(L)]['median_ms']:.1f}" for L in SIZES)
        s = r["tokenize_and_forward_sentence"]
        print(f"{name:10s} load {r['load_model_ms']:.0f} ms | forward median ms by tokens {row} | "
              f"sentence ({r['sentence_tokens']} tokens) tokenize+forward {s['median_ms']:.1f} ms")
    w = report["worker_classifier_sentence"]
    print(f"worker: classifier sentence round trip median {w['median_ms']:.1f} ms; QA window of "
          f"{report['worker_qa_window']['tokens']} tokens {report['worker_qa_window']['ms']:.0f} ms")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
