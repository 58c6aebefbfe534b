"""One update of the live position-ids explorer, in the kernel and in Chromium:

    .venv/bin/python benchmarks/live_positions.py [--out PATH]

Types 30 texts of 4 to ~60 tokens into the first text box of the chapter's explorer (a
batch of two, padded right) and times each update (benchmarks/live_update.py says how).
Budget (issue 13): <= 30 ms median at <= 64 tokens in the page, <= 100 ms in the kernel.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from live_update import ROOT, measure, report

TEXTS = [("The food was never good" + ", and the service was slow" * (i % 6)
          + " 영화는 좋았어요" * (i % 3)) for i in range(30)]


def main() -> None:
    from hfanatomy import load_classifier
    from hfanatomy.explorers.positions import PositionExplorer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/live_positions.json")
    args = parser.parse_args()
    model, tok = load_classifier()
    explorer = PositionExplorer(tok, {"short + long": ["A gem.", "Too long, and not funny at all."]},
                                table_size=model.config.max_position_embeddings)
    first = explorer.initial_state()
    result = measure(explorer, "texts.0", TEXTS,
                     state_of=lambda t: {**first, "texts": [t, first["texts"][1]], "example": None})
    report(result, args.out)


if __name__ == "__main__":
    main()
