"""SQuAD's evaluation rules: exact match, F1 and the SQuAD 2.0 summary, written out small.

The rules are those of the official evaluation scripts of the SQuAD explorer
(https://rajpurkar.github.io/SQuAD-explorer/), ``evaluate-v1.1.py`` and
``evaluate-v2.0.py``. This module is our own writing of those rules, not a copy of the
scripts; ``tests/qa/test_squad_metrics.py`` checks it against numbers that the unchanged
v2.0 script produced on 300 generated questions (``tests/fixtures/squad_v2_golden.json``).

The official rules, in order:

* :func:`normalize_answer`: lower-case; delete every character of ``string.punctuation``;
  replace the whole words ``a``, ``an``, ``the`` by a space; collapse whitespace. The order
  matters: punctuation goes first, so ``"the-end"`` becomes the one word ``"theend"``.
* :func:`exact_match`: 1 when the normalised prediction equals a normalised gold answer.
* :func:`f1`: the harmonic mean of precision and recall over the normalised words,
  counting repeated words at most as often as both sides have them. When either side has
  no words, F1 is 1 if both have none and 0 otherwise.
* Both take the best score over the gold answers. Gold answers that normalise to nothing
  are dropped; when none is left (an unanswerable question) the one gold answer is ``""``,
  so an empty prediction scores 1 and any other 0.
* :func:`squad_v2`: percentages over all questions and over the answerable (``HasAns``)
  and unanswerable (``NoAns``) ones, after a no-answer threshold; with no-answer
  probabilities it also finds the best threshold (:func:`best_threshold`).

SQuAD 1.1's script normalises the same way and takes the same maximum. It differs only
where 2.0 added unanswerable questions: it keeps gold answers that normalise to nothing,
and its F1 of two empty answers is 0. On 1.1 data (every question answerable) the
per-question scores here are 1.1's.

The end of the module holds an addition of ours for the book's learner suites, not part of
SQuAD: :func:`learner_exact_match` and :func:`learner_f1` forgive one Korean particle
trailing a predicted answer (``강릉에`` for ``강릉``).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "normalize_answer", "answer_tokens", "gold_answers", "exact_match", "f1",
    "QuestionScore", "raw_scores", "best_threshold", "squad_v2",
    "KOREAN_PARTICLES", "strip_particle", "learner_exact_match", "learner_f1",
]

_PUNCTUATION = frozenset(string.punctuation)
_ARTICLE = re.compile(r"\b(?:a|an|the)\b")  # whole words only: "theatre", "another" stay


# --- the official rules --------------------------------------------------------------------


def normalize_answer(s: str) -> str:
    """``s`` lower-cased, without punctuation and the articles a/an/the, spaces collapsed.

    Only the ASCII punctuation of ``string.punctuation`` is removed (``“``, ``«``, ``。``
    stay), and an article is removed only as a whole word (``\\b`` in Python's Unicode
    sense, so ``"the강릉"`` keeps its ``the``).
    """
    text = s.lower()
    text = "".join(ch for ch in text if ch not in _PUNCTUATION)
    text = _ARTICLE.sub(" ", text)
    return " ".join(text.split())


def answer_tokens(s: str) -> list[str]:
    """The words F1 counts: the normalised answer split on whitespace."""
    return normalize_answer(s).split()


def gold_answers(golds: Iterable[str]) -> list[str]:
    """The gold answers the scores compare with: those that normalise to something, or
    ``[""]`` when none does (an unanswerable question, or golds such as ``"the"``)."""
    kept = [g for g in golds if normalize_answer(g)]
    return kept or [""]


def _f1_one(prediction: str, gold: str) -> float:
    """F1 of one prediction against one gold answer."""
    pred_toks, gold_toks = answer_tokens(prediction), answer_tokens(gold)
    if not pred_toks or not gold_toks:
        return float(pred_toks == gold_toks)  # no words on a side: 1 only if both are empty
    same = sum((Counter(pred_toks) & Counter(gold_toks)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred_toks), same / len(gold_toks)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction: str, golds: Iterable[str]) -> int:
    """1 if the normalised prediction equals a normalised gold answer, else 0.

    ``golds`` is the question's list of gold answer texts; an empty list (unanswerable)
    means the gold answer is ``""`` (see :func:`gold_answers`).
    """
    pred = normalize_answer(prediction)
    return max(int(pred == normalize_answer(g)) for g in gold_answers(golds))


def f1(prediction: str, golds: Iterable[str]) -> float:
    """The best word-overlap F1 of ``prediction`` over the gold answers (0.0 .. 1.0)."""
    return max(_f1_one(prediction, g) for g in gold_answers(golds))


@dataclass(frozen=True)
class QuestionScore:
    """One question's raw scores, before any no-answer threshold."""

    exact: int  # 0 or 1
    f1: float  # 0.0 .. 1.0
    has_answer: bool  # the question has gold answers (it counts as HasAns)


def raw_scores(predictions: Mapping[str, str],
               golds: Mapping[str, Sequence[str]]) -> dict[str, QuestionScore]:
    """Exact match and F1 of every question of ``golds``, in the order of ``golds``.

    Every question needs a prediction: the official script cannot summarise a run with a
    missing one either (it stops with a ``KeyError``), so this raises a ``KeyError`` naming
    them. Predictions for questions not in ``golds`` are ignored, as the script does.
    """
    missing = [qid for qid in golds if qid not in predictions]
    if missing:
        raise KeyError(f"no prediction for {len(missing)} question(s), e.g. {missing[:3]}")
    return {qid: QuestionScore(exact=exact_match(predictions[qid], answers),
                               f1=f1(predictions[qid], answers),
                               has_answer=bool(answers))
            for qid, answers in golds.items()}


def best_threshold(predictions: Mapping[str, str], scores: Mapping[str, float],
                   na_probs: Mapping[str, float],
                   has_answer: Mapping[str, bool]) -> tuple[float, float]:
    """The best total score over no-answer thresholds, and the threshold that reaches it.

    The official ``find_best_thresh`` rule, step by step:

    * start as if every question were answered "no answer": the score is the number of
      unanswerable questions, the threshold 0.0;
    * walk the questions in increasing ``na_probs`` order. Equal probabilities keep the
      order of ``na_probs`` itself (a stable sort), and the walk may stop in the middle of
      such a tie; questions with a probability but no score are skipped;
    * each question now keeps its prediction: an answerable one adds its raw score; an
      unanswerable one loses 1 if its prediction is a non-empty string (even ``" "`` or
      ``"."``, which normalise to nothing), else 0;
    * the threshold moves to a question's probability only when the running score is
      strictly higher than the best so far (ties keep the earlier one).

    ``scores`` maps question ids to raw exact or F1 scores; ``has_answer`` covers every
    question of the data (it counts the unanswerable ones). Returns (percentage of
    ``len(scores)``, threshold).
    """
    running = best = sum(1 for has in has_answer.values() if not has)
    thresh = 0.0
    for qid in sorted(na_probs, key=lambda q: na_probs[q]):
        if qid not in scores:
            continue
        if has_answer[qid]:
            running += scores[qid]
        elif predictions[qid]:
            running -= 1
        if running > best:
            best, thresh = running, na_probs[qid]
    return 100.0 * best / len(scores), thresh


def _percentages(exact: Mapping[str, float], f1s: Mapping[str, float],
                 qids: Sequence[str]) -> tuple[float, float, int]:
    """(exact %, F1 %, count) over ``qids``."""
    return (100.0 * sum(exact[q] for q in qids) / len(qids),
            100.0 * sum(f1s[q] for q in qids) / len(qids), len(qids))


def squad_v2(predictions: dict[str, str], golds: dict[str, list[str]],
             na_probs: dict[str, float] | None = None, threshold: float = 1.0) -> dict:
    """The numbers of the official ``evaluate-v2.0.py``, as the dict it prints.

    ``predictions`` maps question ids to answer texts; ``golds`` maps every question id to
    its gold answer texts (``[]`` for an unanswerable question); ``na_probs`` maps question
    ids to the model's probability that there is no answer, and ``threshold`` is the
    script's ``--na-prob-thresh``.

    A question whose no-answer probability is above ``threshold`` (strictly) is taken as
    answered "no answer": it scores 1 if it is unanswerable, else 0. Without ``na_probs``
    every probability is 0.0, as in the script, so only a negative threshold applies.

    Keys, in the script's order: ``exact``, ``f1``, ``total``, then ``HasAns_exact``,
    ``HasAns_f1``, ``HasAns_total`` if some question is answerable, ``NoAns_...`` if some
    is unanswerable, and with ``na_probs`` ``best_exact``, ``best_exact_thresh``,
    ``best_f1``, ``best_f1_thresh`` (:func:`best_threshold`, on the raw scores). Exact and
    F1 are percentages (0..100).
    """
    raw = raw_scores(predictions, golds)
    probs = na_probs if na_probs is not None else {qid: 0.0 for qid in predictions}
    has_answer = {qid: s.has_answer for qid, s in raw.items()}

    exact, f1s = {}, {}
    for qid, s in raw.items():
        if probs[qid] > threshold:  # taken as "no answer"
            exact[qid] = f1s[qid] = float(not s.has_answer)
        else:
            exact[qid], f1s[qid] = s.exact, s.f1

    out: dict = {}
    out["exact"], out["f1"], out["total"] = _percentages(exact, f1s, list(raw))
    for prefix, wanted in (("HasAns", True), ("NoAns", False)):
        qids = [qid for qid, has in has_answer.items() if has == wanted]
        if qids:
            (out[f"{prefix}_exact"], out[f"{prefix}_f1"],
             out[f"{prefix}_total"]) = _percentages(exact, f1s, qids)
    if na_probs is not None:
        out["best_exact"], out["best_exact_thresh"] = best_threshold(
            predictions, {q: s.exact for q, s in raw.items()}, na_probs, has_answer)
        out["best_f1"], out["best_f1_thresh"] = best_threshold(
            predictions, {q: s.f1 for q, s in raw.items()}, na_probs, has_answer)
    return out


# --- our addition for the learner suites (not SQuAD) ----------------------------------------

#: Common Korean particles and endings that may trail an answer word, longest first: the
#: order :func:`strip_particle` tries them in (so ``으로`` wins over ``로``).
KOREAN_PARTICLES: tuple[str, ...] = (
    "이에요",
    "에서", "에게", "한테", "으로", "까지", "부터", "예요", "이다", "께서",
    "은", "는", "이", "가", "을", "를", "에", "의", "와", "과", "로", "도", "만",
)


def strip_particle(text: str) -> str:
    """``text`` with at most one particle of :data:`KOREAN_PARTICLES` cut off its last word.

    The longest particle that ends the last word is cut, and only if something of the word
    remains: ``"강릉에서"`` -> ``"강릉"``, ``"강릉에서도"`` -> ``"강릉에서"`` (one only), and
    ``"이"`` stays ``"이"``. Trailing whitespace is dropped; the rest of ``text`` is kept.
    """
    text = text.rstrip()
    words = text.split()
    if not words:
        return text
    last = words[-1]
    head = text[: len(text) - len(last)]
    for particle in KOREAN_PARTICLES:
        if last.endswith(particle) and len(last) > len(particle):
            return head + last[: -len(particle)]
    return text


def _check_lang(lang: str) -> None:
    if lang not in ("en", "ko"):
        raise ValueError(f"lang must be 'en' or 'ko', not {lang!r}")


def learner_exact_match(prediction: str, golds: Iterable[str], lang: str) -> int:
    """Exact match for the learner suites: SQuAD's, plus one trailing particle for Korean.

    Our addition, not SQuAD's rule. For ``lang == "en"`` this is :func:`exact_match`. For
    ``"ko"`` the prediction also matches when, normalised and with one particle cut from
    its last word (:func:`strip_particle`), it equals a normalised gold answer: ``강릉에``
    and ``한빛전자에서`` match ``강릉`` and ``한빛전자``, ``강릉에서 일해요`` does not match
    ``강릉``. The gold answers are taken as they are (see :func:`gold_answers`).
    """
    _check_lang(lang)
    golds = list(golds)
    score = exact_match(prediction, golds)
    if lang == "ko":
        score = max(score, exact_match(strip_particle(normalize_answer(prediction)), golds))
    return score


def learner_f1(prediction: str, golds: Iterable[str], lang: str) -> float:
    """F1 for the learner suites: SQuAD's, plus one trailing particle for Korean.

    Our addition, not SQuAD's rule. For ``"en"`` this is :func:`f1`; for ``"ko"`` it is the
    better of the F1 of the prediction and of the prediction with one particle cut from its
    last word: ``"서울 대학교에"`` against ``"서울 대학교"`` scores 1.0 (SQuAD's F1: 0.5),
    while in ``"강릉에 있어요"`` only the last word ``있어요`` is looked at, so ``강릉에``
    still does not count as ``강릉``.
    """
    _check_lang(lang)
    golds = list(golds)
    score = f1(prediction, golds)
    if lang == "ko":
        score = max(score, f1(strip_particle(normalize_answer(prediction)), golds))
    return score
