"""The learner's benchmark: reviews and questions written by hand, kept apart from training.

``learner_data/`` holds two suites per model, written by people, not by a generator:

- ``sentiment_{dev,test}.tsv``: reviews (text, label, group, kind), groups ``en_plain``,
  ``en_negation``, ``en_contrast``, ``en_nouns`` and ``korean``;
- ``qa_{dev,test}.json``: paragraphs with questions (SQuAD-like, ``answers == []`` when the
  paragraph does not say), each question in several groups (``en``/``ko``, ``pronoun``,
  ``reverse``, ``long``, ``unanswerable`` ...).

The dev suites choose recipes; the test suites are scored only for the card. No test
sentence is trained on, and the test suites' people, firms and places are absent from the
generator's pools (``tests/training/test_learner_suites.py`` checks both).

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

    from hfanatomy.train.calibration import ece, reliability
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
    out["reliability"] = reliability(conf, right)
    out["groups"] = {g: part([i for i, r in enumerate(items) if r.group == g])
                     for g in SENTIMENT_GROUPS}
    out["errors"] = [{"text": r.text, "label": r.label, "group": r.group,
                      "p_positive": round(probs[i, 1].item(), 3)}
                     for i, r in enumerate(items) if not right[i]]
    return out


def score_qa(model, tokenizer, suite: str = "dev") -> dict[str, Any]:
    """Exact match (SQuAD's rule, one Korean particle forgiven) overall and per group."""
    from hfanatomy.metrics import learner_exact_match, learner_f1
    from hfanatomy.train.evaluate import predict_book

    items = questions(suite)
    preds = predict_book(model, tokenizer, items)  # reads .question and .context only
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


def card_block(scores: dict[str, Any], errors: int = 0) -> dict[str, Any]:
    """What a card keeps of a suite's scores (no errors unless asked, numbers rounded)."""
    def rounded(x):
        if isinstance(x, float):
            return round(x, 4)
        if isinstance(x, dict):
            return {k: rounded(v) for k, v in x.items()}
        if isinstance(x, list):
            return [rounded(v) for v in x]
        return x

    out = {k: rounded(v) for k, v in scores.items() if k != "errors"}
    if errors:
        out["errors"] = scores["errors"][:errors]
    return out


# the targets on the test suites (scored with the book decoder for QA)
TARGETS = {
    "classifier": {"overall": 0.92, "per_group": 0.85, "mean_confidence_on_errors": 0.75,
                   "ece_generator": 0.05},
    "qa": {"overall": 0.85, "per_group": 0.80},
}

# sentences a reader can type on the site that the models get wrong, each with the reason;
# the appendix page re-scores them live and asserts they are still wrong
KNOWN_FAILURES: dict[str, list[dict[str, str]]] = {
    "classifier": [
        {"text": "The hotel could not have been nicer.", "gold": "positive",
         "why": "Praise by negation: in training, 'not' before a word of praise makes a "
                "complaint ('The room was not nice'), and the model reads 'could not have "
                "been nicer' the same way."},
        {"text": "Despite the hype, the dessert was bland and overly sweet.", "gold": "negative",
         "why": "In training, 'despite' always introduces the clause that loses; 'the hype' "
                "is no clause of praise, and the model flips the verdict anyway."},
        {"text": "The best pizza in town, no contest.", "gold": "positive",
         "why": "An idiom: 'no contest' reads to the model as a negator ('no') at the end."},
        {"text": "상담원이 제 말을 전혀 들으려고 하지 않았어요.", "gold": "negative",
         "why": "전혀 ... 않았어요 mostly negates complaints in training ('전혀 불친절하지 "
                "않았어요', positive); here it negates an ordinary verb."},
        {"text": "돈이 아깝지 않은 공연이었어요.", "gold": "positive",
         "why": "아깝다 ('a waste of money') is a complaint in most reviews it learnt from "
                "(NSMC's '별 반개도 아깝다', 'not worth even half a star'); here 않은 negates it "
                "inside a clause about the show, and the model keeps the complaint."},
        {"text": "두 번 다시 안 봐요.", "gold": "negative",
         "why": "'Never again' with 안 before a plain verb (봐요, 'watch'): in training, 안 "
                "mostly negates words of praise or complaint; here there is none, and the model "
                "leans to praise."},
    ],
    "qa": [
        {"context": "Tomasz Wierzbicki lives in Gdansk. He works at Northwind Foods as an "
                    "accountant.",
         "question": "Where does Tomasz Wierzbicki work?", "gold": "Northwind Foods", "lang": "en",
         "why": "A pronoun: every training sentence opens with the person's name, so to the "
                "model 'He works at ...' is a sentence about nobody."},
        {"context": "Oliver lives in Vienna. Hannah lives in Lisbon. Hannah works as a nurse.",
         "question": "Who lives in Vienna?", "gold": "Oliver", "lang": "en",
         "why": "A reverse question: training only ever asks for a named person's fact, never "
                "for the person."},
        {"context": "Oliver lives in Vienna. Hannah lives in Lisbon. Hannah works as a nurse.",
         "question": "Where does Hannah live?", "gold": "Lisbon", "lang": "en",
         "why": "Hannah and Oliver are common names the generator also uses; 'Lisbon' scores "
                "below the empty answer, so handle_impossible_answer=True answers nothing."},
        {"context": "Ana Lopes, a nurse from Porto, works at Kestrel Freight.",
         "question": "What is Ana Lopes's job?", "gold": "nurse", "lang": "en",
         "why": "An apposition: the generator writes one fact per sentence, never 'X, a nurse, "
                "...'."},
        {"context": "Priya Raman grew up in Chennai and studied in Delhi.",
         "question": "Where did Priya Raman grow up?", "gold": "Chennai", "lang": "en",
         "why": "A relation the model never saw: it knows five (lives, works, job, born, owns) "
                "and matches their words instead of finding a fact."},
        {"context": "한도윤은 목포에 살아요. 그는 해오름제과에서 일해요.",
         "question": "한도윤은 어디에서 일해요?", "gold": "해오름제과", "lang": "ko",
         "why": "그는 ('he') again: the Korean sentences of training also open with the name."},
    ],
}


def met(kind: str, scores: dict[str, Any]) -> bool:
    """Whether ``scores`` (a test-suite score) meets the issue's targets."""
    t = TARGETS[kind]
    if kind == "classifier":
        return (scores["accuracy"] >= t["overall"]
                and all(scores["groups"][g]["accuracy"] >= t["per_group"]
                        for g in SENTIMENT_GROUPS)
                and (scores["mean_confidence_on_errors"] or 0) <= t["mean_confidence_on_errors"])
    return (scores["exact_match"] >= t["overall"]
            and all(scores["groups"][g]["exact_match"] >= t["per_group"] for g in QA_GROUPS))


def card_blocks(kind: str, model, tokenizer) -> dict[str, Any]:
    """The learner blocks of a card: dev and test scores, the targets, whether they are met."""
    from hfanatomy.train import classifier, qa

    score = score_classifier if kind == "classifier" else score_qa
    dev, test = score(model, tokenizer, "dev"), score(model, tokenizer, "test")
    summary = (classifier if kind == "classifier" else qa).SUMMARY
    return {"summary": summary, "learner_dev": card_block(dev), "learner_test": card_block(test, errors=12),
            "learner_targets": {**TARGETS[kind], "met": met(kind, test)},
            "known_failures": KNOWN_FAILURES[kind]}


def update_card(kind: str, folder: Path | None = None) -> dict[str, Any]:
    """Re-score the model in ``folder`` (default: the embedded one) on both suites and write
    the learner blocks into its card.json; the weights and every other field stay."""
    from hfanatomy import models

    folder = Path(folder) if folder else models.EMBEDDED_DIRS[kind]
    load = models.load_classifier if kind == "classifier" else models.load_qa
    model, tokenizer = load(str(folder))
    card_path = folder / "card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card.update(card_blocks(kind, model, tokenizer))
    card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return card
