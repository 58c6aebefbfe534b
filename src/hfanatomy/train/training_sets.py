"""The recipe of the small labelled sets the training chapters ship (``hfanatomy/training_sets``).

Part I ch8 and Part II ch7 fine-tune a fresh head in seconds, so they need a few hundred
labelled examples that the wheel carries (a Colab reader has no generator lexicons):

- ``reviews.tsv``: 256 training and 64 validation reviews (text, label, lang, split),
  drawn by :func:`hfanatomy.train.reviews.review_data` on the two sides of its hash split;
- ``qa.json``: 384 training and 128 validation questions in SQuAD 2.0's row layout (``id``,
  ``question``, ``context``, ``answers: {text, answer_start}``, empty for unanswerable
  ones), drawn by :func:`hfanatomy.train.data.qa_data`, the generator the embedded QA model
  learned from (short paragraphs about invented people, English and Korean; a tenth long).

No sentence of either set appears in the learner's hand-written suites
(:mod:`hfanatomy.train.learner`): an item that shares one is redrawn.
``python -m hfanatomy.train training-sets`` rewrites both files (about 5 s);
``tests/training/test_training_sets.py`` checks that they equal a fresh run.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from hfanatomy.train import data, learner, reviews

OUT = Path(__file__).resolve().parents[1] / "training_sets"
SEED = 20261207
SIZES = {"reviews": {"train": 256, "validation": 64}, "qa": {"train": 384, "validation": 128}}
SPLIT_SIDE = {"train": "train", "validation": "test"}  # the generators' hash split
LABEL_NAMES = ("negative", "positive")


def sentences(text: str) -> set[str]:
    """The sentences of ``text``, lower-cased, stripped of end punctuation (for overlap)."""
    parts = re.split(r"(?<=[.!?~])\s+", text)
    return {p.strip().rstrip(".!?~").lower() for p in parts if p.strip().rstrip(".!?~")}


def hand_written_sentences() -> set[str]:
    """Every sentence of the learner's suites (reviews, contexts and questions)."""
    seen: set[str] = set()
    for suite in learner.SUITES:
        for r in learner.reviews(suite):
            seen |= sentences(r.text)
        for q in learner.questions(suite):
            seen |= sentences(q.context) | sentences(q.question)
    return seen


def review_rows(avoid: set[str]) -> list[dict]:
    rows = []
    for split, n in SIZES["reviews"].items():
        items = reviews.review_data(n * 2, SEED + len(rows), SPLIT_SIDE[split])
        kept = [it for it in items if not sentences(it.text) & avoid][:n]
        if len(kept) < n:
            raise RuntimeError(f"only {len(kept)} {split} reviews avoid the hand-written suites")
        rows += [{"text": it.text, "label": LABEL_NAMES[it.label],
                  "lang": "ko" if it.group == "korean" else "en", "split": split} for it in kept]
    return rows


def qa_rows(avoid: set[str]) -> list[dict]:
    rows = []
    for split, n in SIZES["qa"].items():
        items = data.qa_data(n * 2, SEED + 1 + len(rows), SPLIT_SIDE[split], long_share=0.1)
        kept = [it for it in items
                if not (sentences(it.context) | sentences(it.question)) & avoid][:n]
        if len(kept) < n:
            raise RuntimeError(f"only {len(kept)} {split} questions avoid the hand-written suites")
        for i, it in enumerate(kept):
            answers = ({"text": [it.answer], "answer_start": [it.answer_start]} if it.answer
                       else {"text": [], "answer_start": []})
            rows.append({"id": f"{split}-{i:03d}", "question": it.question, "context": it.context,
                         "answers": answers, "lang": it.lang, "split": split})
    return rows


def reviews_tsv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, ["text", "label", "lang", "split"], delimiter="\t",
                       lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def qa_json(rows: list[dict]) -> str:
    return json.dumps({"version": "hfanatomy-training-sets-1", "data": rows},
                      ensure_ascii=False, indent=1) + "\n"


def build() -> dict[str, str]:
    """File name -> contents of both sets (deterministic)."""
    avoid = hand_written_sentences()
    return {"reviews.tsv": reviews_tsv(review_rows(avoid)), "qa.json": qa_json(qa_rows(avoid))}


def run(out: Path | None = None) -> None:
    out = Path(out) if out is not None else OUT
    out.mkdir(parents=True, exist_ok=True)
    for name, text in build().items():
        (out / name).write_text(text, encoding="utf-8")
