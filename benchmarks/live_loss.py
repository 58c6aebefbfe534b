"""One update of the live loss explorer, in the kernel and in Chromium:

    .venv/bin/python benchmarks/live_loss.py [--out PATH]

Types 30 sentences of 6 to ~60 tokens into the explorer's text box (tokenize, one forward
pass of the embedded classifier, the loss terms, the redraw) and times each update
(benchmarks/live_update.py says how). Budget (issue 13): <= 30 ms median at <= 64 tokens
in the page, <= 100 ms in the kernel.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from live_update import ROOT, measure, report

TEXTS = [("The food was never good" + ", and the service was slow" * (i % 6)
          + " 영화는 좋았어요" * (i % 3)) for i in range(30)]


def main() -> None:
    from hfanatomy import load_classifier
    from hfanatomy.explorers.loss import LossExplorer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/live_loss.json")
    args = parser.parse_args()
    model, tok = load_classifier()
    explorer = LossExplorer(model, tok, ["I loved this movie, the acting was wonderful.",
                                         "The soup was not good."])
    report(measure(explorer, "text", TEXTS), args.out)


if __name__ == "__main__":
    main()
