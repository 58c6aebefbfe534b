"""``python -m hfanatomy.train tokenizers|classifier|qa|all|learner|training-sets [--steps N] [--out DIR]``.

Without options it regenerates the shipped files under ``hfanatomy/embedded`` from
the fixed seed. ``--out DIR`` writes ``DIR/classifier`` and ``DIR/qa`` instead
(used by the tests for a quick smoke run with a few ``--steps``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hfanatomy.train.common import SEED, Clock, say


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hfanatomy.train", description=__doc__)
    parser.add_argument("what", choices=["tokenizers", "classifier", "qa", "all", "learner", "training-sets"],
                        help="learner: re-score the embedded models on the hand-written "
                             "suites and write the scores into their cards (no training); "
                             "training-sets: rewrite the training chapters' small sets")
    parser.add_argument("--steps", type=int, default=None,
                        help="training steps (default: the shipped recipe); QA: fine-tuning "
                             "steps, MLM pretraining gets the same number scaled by the recipe")
    parser.add_argument("--out", type=Path, default=None,
                        help="write DIR/classifier and DIR/qa instead of the package's files")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--stop-after", type=int, default=None,
                        help="QA: stop after this many steps of the scheduled --steps")
    parser.add_argument("--small", action="store_true",
                        help="tiny data sets (smoke runs): seconds instead of minutes")
    args = parser.parse_args(argv)
    clock = Clock()
    out = args.out
    if args.what in ("tokenizers", "all"):
        from hfanatomy.train import tokenizer

        tokenizer.run("all", args.seed, out, small=args.small)
    if args.what in ("classifier", "all"):
        from hfanatomy.train import classifier

        kw = {"steps": args.steps} if args.steps else {}
        if args.small:
            kw.update(train_items=500, test_items=100, unseen_items=50, cal_items=100,
                      review_test_items=100,
                      log_every=max(1, (args.steps or 10) // 2))
        classifier.run(seed=args.seed, out=out / "classifier" if out else None,
                       small=args.small, **kw)
    if args.what in ("qa", "all"):
        from hfanatomy.train import qa

        kw = {"steps": args.steps} if args.steps else {}
        if args.stop_after:
            kw["stop_after"] = args.stop_after
        qa.run(seed=args.seed, out=out / "qa" if out else None, small=args.small, **kw)
    if args.what == "learner":
        from hfanatomy.train import learner

        for kind in ("classifier", "qa"):
            card = learner.update_card(kind, out / kind if out else None)
            say(f"{kind}: learner test {card['learner_test']}")
    if args.what in ("training-sets", "all"):
        from hfanatomy.train import training_sets

        training_sets.run(out / "training_sets" if out else None)
    say(f"done in {clock():.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
