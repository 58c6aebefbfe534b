"""Small labelled sets for the training chapters, shipped with the package.

- :func:`reviews` (Part I ch8): 256 training and 64 validation reviews, English and Korean,
  labelled ``negative`` / ``positive``;
- :func:`questions` (Part II ch7): 384 training and 128 validation questions in SQuAD 2.0's
  row layout (``answers["text"]`` empty when the paragraph does not say).

Both are drawn by the package's generators (recipe: :mod:`hfanatomy.train.training_sets`)
and share no sentence with the learner's hand-written suites, which judge the embedded
models. They are small on purpose: a chapter trains on them in seconds.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Review", "reviews", "questions", "SPLITS"]

HERE = Path(__file__).parent
SPLITS = ("train", "validation")


@dataclass(frozen=True)
class Review:
    text: str
    label: str  # "negative" | "positive"
    lang: str  # "en" | "ko"


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")


def reviews(split: str) -> list[Review]:
    """The reviews of ``split`` (``"train"`` or ``"validation"``), in file order."""
    _check_split(split)
    with open(HERE / "reviews.tsv", encoding="utf-8", newline="") as f:
        return [Review(r["text"], r["label"], r["lang"])
                for r in csv.DictReader(f, delimiter="\t") if r["split"] == split]


def questions(split: str) -> list[dict]:
    """The questions of ``split`` as SQuAD 2.0 rows: ``id``, ``question``, ``context``,
    ``answers`` (``{"text": [...], "answer_start": [...]}``), plus ``lang``."""
    _check_split(split)
    rows = json.loads((HERE / "qa.json").read_text(encoding="utf-8"))["data"]
    return [{k: v for k, v in r.items() if k != "split"} for r in rows if r["split"] == split]
