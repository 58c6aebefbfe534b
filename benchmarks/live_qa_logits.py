"""Time the live QA logits explorer: one update in the kernel and in the browser.

    .venv/bin/python benchmarks/live_qa_logits.py [--updates 20] [--out benchmarks/results/live_qa_logits.json]

Kernel: ``QALogitsExplorer.compute(state)`` for new questions (encode the windows, run
each, decode the answer). Browser (headless Chromium, file://), timed as in
benchmarks/live_logits.py (from the typing debounce firing to the drawn view): a new
question at <= 64 tokens (main thread), a context of one full 384-token window and one of
two windows (each run in the worker, with progress), and a switch to raw logits (redraw
only). Budgets (issue 14): one QA update <= 100 ms median at <= 64 tokens; one full
384-token window <= 1.5 s, with visible progress and no frozen page.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "helpers"), str(ROOT / "benchmarks")]

from live_logits import browser_times, summary  # noqa: E402

CONTEXT = "Mina lives in Busan. Mina works at Harbor Labs. Joon works at Blue Bank."
QUESTIONS = ["Who employs Mina?", "Where does Joon work?", "Where does Mina live?",
             "Who works at Blue Bank?", "Which city does Mina live in?", "What is Harbor Labs?",
             "누가 민지를 고용해요?", "Where is the bank?", "Who lives in Busan?",
             "What does Joon do?"]


def main() -> None:
    import torch

    import hfanatomy
    from hfanatomy.explorers.qa_logits import QALogitsExplorer

    ap = argparse.ArgumentParser()
    ap.add_argument("--updates", type=int, default=20)
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/live_qa_logits.json"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    model, tokenizer = hfanatomy.load_qa()
    explorer = QALogitsExplorer(model, tokenizer, [(QUESTIONS[0], CONTEXT)])
    questions = [f"{q} ({i})" for i, q in enumerate(QUESTIONS * (args.updates // len(QUESTIONS) + 1))]
    questions = questions[:args.updates]
    kernel = []
    for q in questions:
        t0 = time.perf_counter()
        explorer.compute({**explorer.initial_state(), "question": q})
        kernel.append((time.perf_counter() - t0) * 1000)
    # one full window: the context fills 384 tokens exactly; two windows: a little more
    room = 384 - len(tokenizer(QUESTIONS[1], add_special_tokens=False)["input_ids"]) - 3
    words = (CONTEXT + " ").split(" ") * 40
    one = " ".join(words[:room])
    while len(tokenizer(one, add_special_tokens=False)["input_ids"]) > room:
        one = one.rsplit(" ", 1)[0]
    ones = [f"{i} {one.split(' ', 1)[1]}" for i in range(4)]
    twos = [f"{i} " + " ".join(words[:room + 60]) for i in range(4)]
    lengths = [len(w["tokens"]) for w in explorer.compute(
        {**explorer.initial_state(), "question": QUESTIONS[1], "context": ones[0]})["windows"]]
    t0 = time.perf_counter()
    explorer.compute({**explorer.initial_state(), "question": QUESTIONS[1], "context": twos[0]})
    kernel_two = (time.perf_counter() - t0) * 1000
    result = {
        "kernel_new_question": summary(kernel),
        "kernel_two_windows_ms": round(kernel_two, 1),
        "one_window_tokens": lengths,
        "browser": browser_times([explorer], [
            ("new_question", "qa_logits", "[data-hfa-input=question]", questions, "input"),
            ("mode_switch", "qa_logits", "select[data-hfa-control=mode]", ["1", "0"] * 5, "change"),
            ("one_full_window_384", "qa_logits", "[data-hfa-input=context]", ones, "input"),
            ("two_windows", "qa_logits", "[data-hfa-input=context]", twos, "input"),
        ]),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": round(__import__("os").getloadavg()[0], 2),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
