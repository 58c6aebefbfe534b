"""Benchmarks of the book's interactive parts: ``make benchmarks`` or

    .venv/bin/python benchmarks/run.py [--updates 30] [--build] [--out PATH]

Measures, with the embedded models (the QA model too when it is shipped):

* one live update of the attention explorer: new text typed -> forward pass with
  ``output_attentions=True`` -> SVG redrawn in the widget (median / p90 over
  ``--updates`` different texts), split into forward and redraw, plus a
  layer/head change (redraw only) and, for comparison, the same heatmap drawn
  with matplotlib (figure -> PNG, what an ``ipywidgets.Output`` would show);
* the static HTML size of the explorer (lazy states, and every state drawn), also
  for a 12-layer x 12-head model at 16 and 64 tokens (random attention: the size
  does not depend on the values);
* peak memory: Python allocations (tracemalloc) during the updates and the
  process's peak resident set size (``resource.getrusage``).
* ``--build``: also times ``jupyter-book build .`` (the whole book; slow).

Writes ``benchmarks/results/latest.json`` and prints a short table. Not a test.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import torch  # noqa: E402

SENTENCES = [
    "The acting was great, but the movie was not good.",
    "I did not enjoy it at all.",
    "Although the plot was thin, the music was wonderful.",
    "A boring film; however, the ending was lovely.",
    "What a wonderful, warm and funny story.",
    "The service was slow and the food was cold.",
]
QUESTIONS = ["Who wrote the book?", "Where did she live?", "When did the war end?"]
CONTEXT = ("The book was written by Mary Shelley, who lived in London and Geneva. "
           "The war ended in 1815, a year before the summer she began the story.")


def stats(ms: list[float]) -> dict:
    ordered = sorted(ms)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return {"median_ms": round(statistics.median(ordered), 2), "p90_ms": round(p90, 2),
            "min_ms": round(ordered[0], 2), "n": len(ordered)}


def texts(kind: str, n: int) -> list[tuple[str, str | None]]:
    """n different inputs (so each update really runs the model on new text)."""
    out = []
    for i in range(n):
        if kind == "qa":
            out.append((QUESTIONS[i % len(QUESTIONS)] + " " * (i // len(QUESTIONS)), CONTEXT))
        else:
            base = SENTENCES[i % len(SENTENCES)]
            out.append((base if i < len(SENTENCES) else f"{base} Really, {i} times.", None))
    return out


def bench_model(name: str, kind: str, loader, updates: int) -> dict:
    from hfanatomy.attention import compute_attention, torch_threads
    from hfanatomy.explorers.attention import AttentionExplorer, render_view
    from hfanatomy.plots.attention import plot_heatmap

    t0 = time.perf_counter()
    model, tokenizer = loader()
    load_s = time.perf_counter() - t0
    first, pair = texts(kind, 1)[0]
    ex = AttentionExplorer(model, tokenizer, first, pair)
    widget = ex.widget  # the live view (LiveView): its state is what the front end sets
    inputs = texts(kind, updates + 3)

    def type_text(text, text_pair):
        # what typing does: the front end sets the state, the kernel recomputes the data
        widget.state = {**widget.state, "text": text, "text_pair": text_pair}
        json.dumps(widget.data)  # what the comm sends

    for text, text_pair in inputs[:3]:  # warm-up
        type_text(text + " ", text_pair)

    update, forward, redraw, select, mpl, lengths = [], [], [], [], [], []
    for k, (text, text_pair) in enumerate(inputs[3:]):
        t = time.perf_counter()
        type_text(text, text_pair)  # forward + the view's data, through the widget
        update.append((time.perf_counter() - t) * 1000)
        assert widget.status == "", widget.status
        lengths.append(len(widget.data["tokens"]))
        t = time.perf_counter()
        data = compute_attention(model, tokenizer, text, text_pair, num_threads=ex.num_threads)
        forward.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        with torch_threads(ex.num_threads):  # the recorded view's SVG (fallback_html)
            render_view(data, "heatmap", k % data.num_layers, k % data.num_heads)
        redraw.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        widget.state = {**widget.state, "head": (k + 1) % data.num_heads}
        json.dumps(widget.data)
        select.append((time.perf_counter() - t) * 1000)
        if k < 10:  # matplotlib is slow: 10 samples are enough
            import matplotlib.pyplot as plt

            t = time.perf_counter()
            fig = plot_heatmap(data, 0, 0)
            fig.savefig(io.BytesIO(), format="png", dpi=80)
            plt.close(fig)
            mpl.append((time.perf_counter() - t) * 1000)
    # memory in a separate pass: tracemalloc slows Python code down several times
    tracemalloc.start()
    for text, text_pair in inputs[3:8]:
        type_text(text + "  ", text_pair)
        widget.state = {**widget.state, "view": "model"}
        widget.state = {**widget.state, "view": "heatmap"}
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    static = AttentionExplorer(model, tokenizer, first, pair)
    lazy = static.static_html()
    full = AttentionExplorer(model, tokenizer, first, pair, prerender="all").static_html()
    cfg = model.config
    return {
        "model": name, "class": type(model).__name__,
        "layers": cfg.num_hidden_layers, "heads": cfg.num_attention_heads,
        "hidden": cfg.hidden_size, "load_s": round(load_s, 2),
        "tokens_in_updates": [min(lengths), max(lengths)],
        "update_text_forward_plus_redraw": stats(update),
        "forward_only": stats(forward),
        "recorded_svg_redraw_only": stats(redraw),
        "layer_head_change": stats(select),
        "matplotlib_heatmap_png": stats(mpl),
        "static_html_bytes": {"lazy": len(lazy.encode()), "all_states": len(full.encode()),
                              "tokens": static.data.length},
        "python_peak_alloc_mb": round(py_peak / 2**20, 2),
    }


def qa_standin():
    """While the trained QA checkpoint is not shipped: an untrained BertForQuestionAnswering
    with the training script's architecture and the shipped QA tokenizer (the timing
    depends on the architecture and the tokens, not on the weights)."""
    from transformers import AutoTokenizer, BertConfig, BertForQuestionAnswering

    from hfanatomy.models import QA_DIR
    from hfanatomy.train.qa import ARCH

    tokenizer = AutoTokenizer.from_pretrained(QA_DIR)
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(tokenizer), **ARCH)
    return BertForQuestionAnswering._from_config(cfg, attn_implementation="eager").eval(), \
        tokenizer


def size_big(layers: int = 12, heads: int = 12, length: int = 16) -> dict:
    """Static HTML size for a bert-base-sized layout (random softmax attention)."""
    from hfanatomy.explorers.attention import AttentionExplorer

    g = torch.Generator().manual_seed(0)
    attention = [torch.randn(1, heads, length, length, generator=g).mul(3).softmax(-1)
                 for _ in range(layers)]
    tokens = ["[CLS]"] + [f"tok{i}" for i in range(length - 2)] + ["[SEP]"]
    t = time.perf_counter()
    lazy = AttentionExplorer(attention=attention, tokens=tokens).static_html()
    lazy_s = time.perf_counter() - t
    out = {"layers": layers, "heads": heads, "tokens": length, "lazy_bytes": len(lazy.encode()),
           "lazy_build_s": round(lazy_s, 2)}
    if length <= 16:
        full = AttentionExplorer(attention=attention, tokens=tokens, prerender="all").static_html()
        out["all_states_bytes"] = len(full.encode())
    return out


def book_build() -> dict:
    """Time ``jupyter-book build .`` (the lead's hook; run with --build)."""
    exe = Path(sys.executable).with_name("jupyter-book")
    t = time.perf_counter()
    proc = subprocess.run([str(exe), "build", ".", "-W", "-n", "--keep-going"], cwd=ROOT,
                          capture_output=True, text=True)
    return {"seconds": round(time.perf_counter() - t, 1), "returncode": proc.returncode}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--updates", type=int, default=30)
    ap.add_argument("--build", action="store_true", help="also time jupyter-book build")
    ap.add_argument("--threads", type=int, default=0,
                    help="torch threads (0: torch's default; the book sets none)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "latest.json"))
    args = ap.parse_args(argv)

    import hfanatomy

    if args.threads:
        torch.set_num_threads(args.threads)

    results = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"python": platform.python_version(), "torch": torch.__version__,
                    "torch_threads": torch.get_num_threads(), "cpus": os.cpu_count(),
                    "load_avg_1min": round(os.getloadavg()[0], 2)},
        "attention_explorer": [], "skipped": {},
    }
    import transformers

    results["machine"]["transformers"] = transformers.__version__
    for name, kind, loader in (("embedded classifier", "cls", hfanatomy.load_classifier),
                               ("embedded QA", "qa", hfanatomy.load_qa)):
        try:
            results["attention_explorer"].append(bench_model(name, kind, loader, args.updates))
        except Exception as exc:  # noqa: BLE001 - a missing model is reported, not fatal
            results["skipped"][name] = f"{type(exc).__name__}: {exc}"[:300]
    if "embedded QA" in results["skipped"]:
        try:
            results["attention_explorer"].append(
                bench_model("QA stand-in (untrained)", "qa", qa_standin, args.updates))
        except Exception as exc:  # noqa: BLE001
            results["skipped"]["QA stand-in"] = f"{type(exc).__name__}: {exc}"[:300]
    results["static_html_12x12"] = [size_big(length=16), size_big(length=64)]
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.build:
        results["book_build"] = book_build()

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")

    print(f"{'attention explorer':<22} {'update med/p90 ms':>18} {'forward':>8} {'svg':>6} "
          f"{'sel':>6} {'mpl':>6} {'html lazy/all KB':>17}")
    for r in results["attention_explorer"]:
        u, h = r["update_text_forward_plus_redraw"], r["static_html_bytes"]
        print(f"{r['model']:<22} {u['median_ms']:>8.1f} / {u['p90_ms']:<7.1f} "
              f"{r['forward_only']['median_ms']:>8.1f} {r['recorded_svg_redraw_only']['median_ms']:>6.1f} "
              f"{r['layer_head_change']['median_ms']:>6.1f} "
              f"{r['matplotlib_heatmap_png']['median_ms']:>6.0f} "
              f"{h['lazy'] / 1000:>8.1f} / {h['all_states'] / 1000:<7.1f}")
    for name, why in results["skipped"].items():
        print(f"{name:<22} skipped: {why[:90]}")
    for b in results["static_html_12x12"]:
        extra = f", all states {b['all_states_bytes'] / 1000:.0f} KB" if "all_states_bytes" in b \
            else ""
        print(f"12x12 heads, {b['tokens']} tokens: static HTML {b['lazy_bytes'] / 1000:.0f} KB "
              f"(lazy){extra}")
    print(f"peak RSS {results['peak_rss_mb']} MB; torch threads "
          f"{results['machine']['torch_threads']}; load avg {results['machine']['load_avg_1min']}")
    if "book_build" in results:
        print(f"book build: {results['book_build']['seconds']} s "
              f"(exit {results['book_build']['returncode']})")
    print(f"-> {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
