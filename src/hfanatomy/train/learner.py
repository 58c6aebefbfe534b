"""The learner's benchmark: reviews and questions written by hand, kept apart from training.

``learner_data/`` holds two suites per model, written by people, not by a generator:

- ``sentiment_{dev,test}.tsv``: reviews (text, label, group, kind), groups ``en_plain``,
  ``en_negation``, ``en_contrast``, ``en_nouns`` and ``korean``;
- ``qa_{dev,test}.json``: paragraphs with questions (SQuAD-like, ``answers == []`` when the
  paragraph does not say), each question in several groups (``en``/``ko``, ``pronoun``,
  ``reverse``, ``long``, ``unanswerable`` ...).

The dev suites choose recipes; the test suites are scored only for the card. No test
sentence is trained on, and the test suites' people, firms and places are absent from the
generator's pools (``tests/test_learner_suites.py`` checks both).

Scoring: the classifier's accuracy per group, its mean top probability on its errors and
its expected calibration error; the QA model's answers from the book's decoder
(``hfanatomy.qa.answer(..., handle_impossible_answer=True)``), matched with SQuAD's
normalisation (``metrics``) plus, for Korean, one trailing particle forgiven
(``metrics.learner_exact_match``).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("learner_data")
SUITES = ("dev", "test")
SENTIMENT_GROUPS = ("en_plain", "en_negation", "en_contrast", "en_nouns", "korean")
QA_GROUPS = ("en", "ko", "pronoun", "reverse", "long", "unanswerable")
LABELS = {"negative": 0, "positive": 1}


@dataclass(frozen=True)
class Review:
    text: str
    label: int  # 0 negative, 1 positive
    group: str
    kind: str


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    context: str
    answers: tuple[str, ...]  # () when the paragraph does not say
    lang: str
    groups: tuple[str, ...]


def _check_suite(suite: str) -> None:
    if suite not in SUITES:
        raise ValueError(f"suite must be one of {SUITES}, got {suite!r}")


def reviews(suite: str) -> list[Review]:
    """The hand-written reviews of ``suite`` ("dev" or "test")."""
    _check_suite(suite)
    with open(DATA / f"sentiment_{suite}.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Review(r["text"], LABELS[r["label"]], r["group"], r["kind"]) for r in rows]


def questions(suite: str) -> list[Question]:
    """The hand-written questions of ``suite``, each with its paragraph."""
    _check_suite(suite)
    doc = json.loads((DATA / f"qa_{suite}.json").read_text(encoding="utf-8"))
    return [Question(q["id"], q["question"], p["context"], tuple(q["answers"]), p["lang"],
                     tuple(q["groups"]))
            for p in doc["paragraphs"] for q in p["questions"]]


def score_classifier(model, tokenizer, suite: str = "dev") -> dict[str, Any]:
    """Accuracy overall and per group, mean top probability on the errors, ECE, errors."""
    import torch

    from hfanatomy.train.calibration import ece
    from hfanatomy.train.classifier import logits_of

    items = reviews(suite)
    probs = logits_of(model, tokenizer, [r.text for r in items]).softmax(-1)  # (N, 2)
    conf, pred = probs.max(-1)  # (N,), (N,)
    gold = torch.tensor([r.label for r in items])  # (N,)
    right = pred == gold

    def part(idx: list[int]) -> dict[str, Any]:
        ok = right[idx]
        wrong = [i for i in idx if not right[i]]
        return {"n": len(idx), "accuracy": ok.float().mean().item(),
                "mean_confidence_on_errors": conf[wrong].mean().item() if wrong else None}

    out = part(list(range(len(items))))
    out["ece"] = ece(conf, right)
    out["groups"] = {g: part([i for i, r in enumerate(items) if r.group == g])
                     for g in SENTIMENT_GROUPS}
    out["errors"] = [{"text": r.text, "label": r.label, "group": r.group,
                      "p_positive": round(probs[i, 1].item(), 3)}
                     for i, r in enumerate(items) if not right[i]]
    return out


def qa_answers(model, tokenizer, items: list[Question], batch: int = 16) -> list[str]:
    """The book decoder's answer to each question ("" = no answer)."""
    from hfanatomy.qa import answer

    out: list[str] = []
    for i in range(0, len(items), batch):
        chunk = items[i : i + batch]
        res = answer([q.question for q in chunk], [q.context for q in chunk], model, tokenizer,
                     handle_impossible_answer=True)
        out += [r[0].text if r else "" for r in res]
    return out


def score_qa(model, tokenizer, suite: str = "dev") -> dict[str, Any]:
    """Exact match (SQuAD's rule, one Korean particle forgiven) overall and per group."""
    from hfanatomy.metrics import learner_exact_match, learner_f1

    items = questions(suite)
    preds = qa_answers(model, tokenizer, items)
    em = [learner_exact_match(p, q.answers or [""], q.lang) for p, q in zip(preds, items)]
    f1s = [learner_f1(p, q.answers or [""], q.lang) for p, q in zip(preds, items)]

    def part(idx: list[int]) -> dict[str, Any]:
        return {"n": len(idx), "exact_match": sum(em[i] for i in idx) / max(1, len(idx)),
                "f1": sum(f1s[i] for i in idx) / max(1, len(idx))}

    out = part(list(range(len(items))))
    groups = sorted({g for q in items for g in q.groups})
    out["groups"] = {g: part([i for i, q in enumerate(items) if g in q.groups]) for g in groups}
    out["errors"] = [{"id": q.id, "question": q.question, "gold": list(q.answers),
                      "answer": p} for p, q, ok in zip(preds, items, em) if not ok]
    return out
