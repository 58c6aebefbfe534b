"""Benchmarks of the live QA-loss explorer (kind "qa_loss"), kernel and browser:

    .venv/bin/python benchmarks/live_qa_loss.py [--repeats 9] [--out PATH]

As benchmarks/live_windows.py (its ``measure``): ``explorer.compute(state)``, a LiveView
round trip, and in the page a state set until drawn: "cold" with a new question each
time (the model runs), "warm" a gold-slider move (the logits are cached). Cases: the
chapter's pair (24 tokens), a 64-token pair, and a context cut to one 384-token window.
Budget (issue 14): one QA update <= 100 ms median at <= 64 tokens.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "helpers"), str(ROOT / "benchmarks")]

from live_windows import QUESTIONS, measure, report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--out", type=Path,
                        default=ROOT / "benchmarks" / "results" / "live_qa_loss.json")
    args = parser.parse_args()
    import torch
    from qa_corpus import LONG
    from transformers.utils import logging

    from hfanatomy import load_qa
    from hfanatomy.explorers.qa_loss import QALossExplorer

    torch.set_num_threads(1)
    logging.set_verbosity_error()
    model, tok = load_qa()
    chapter = "Mina lives in Busan. Mina works at Harbor Labs. Mina owns a red bicycle."
    ex = QALossExplorer(model, tok, "Who employs Mina?", chapter, answer="Harbor Labs")
    base = ex.initial_state()
    words = LONG.split(" ")
    ctx64 = " ".join(words[:next(n for n in range(5, len(words)) if len(
        tok(QUESTIONS[0], " ".join(words[:n]))["input_ids"]) > 64) - 1])
    qs = (QUESTIONS * 3)[:args.repeats + 1]
    some = lambda **kw: [{**base, **kw, "question": q} for q in qs]  # noqa: E731
    slides = [{"gold_start": k - 3, "gold_end": 30 - k, "follow_answer": False}
              for k in range(args.repeats)]
    cases = {
        "chapter pair, 24 tokens": (some(), slides),
        "64-token pair": (some(context=ctx64, answer=""), slides),
        "384-token window (cut)": (some(context=LONG * 3, answer=""), slides),
    }
    report(measure(ex, cases), {"update_at_64_tokens": 100}, args.out)


if __name__ == "__main__":
    main()
