"""The other QA decoder: the Hugging Face course's and ``run_qa``'s post-processing.

Learners who trained a QA model with the Hugging Face course (chapter 7) or the
``run_qa.py`` example met a different rule from the v4 pipeline's
(``postprocess_qa_predictions`` in the example's ``utils_qa.py``). Per window:

1. the ``n_best_size`` largest start logits and the ``n_best_size`` largest end logits
   (positions, each list best first);
2. every pair of them with both ends in the context, ``start <= end`` and
   ``end - start + 1 <= max_answer_length`` is a candidate, scored by the *sum of raw
   logits* ``start_logit + end_logit`` (no softmax: windows compare on the logit scale);
3. the null candidate of the window is ``start_logits[0] + end_logits[0]``; over the
   windows the smallest one is kept (as in the pipeline).

Over an example's windows the candidates are sorted by score (stable) and the first
``n_best_size`` kept; with ``version_2_with_negative`` the null candidate joins them (and
is put back if the cut removed it). A softmax over the kept scores gives
``probability``. The answer is the best candidate's text; with ``version_2_with_negative``
it is ``""`` when ``null_score - (best non-empty start_logit + end_logit)`` exceeds
``null_score_diff_threshold``. As in ``utils_qa``, an example without any candidate gets
the text ``"empty"``. Text is ``context[offsets[start][0]:offsets[end][1]]``: token
offsets, no widening to whole words.

One difference on purpose: ``run_qa`` pads every window to ``max_seq_length`` and its
padding positions can take some of the ``n_best_size`` places (and are then skipped);
here only the window's real tokens are ranked.

Shapes: W windows, L tokens per window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import torch

from hfanatomy import qa
from hfanatomy.checks import whole_number

__all__ = ["CourseCandidate", "CoursePrediction", "course_decode", "course_answer"]


@dataclass
class CourseCandidate:
    """One n-best entry: ``context[start:end] == text``; the null one is ``("", 0, 0)``."""

    text: str
    start: int
    end: int
    score: float  # start_logit + end_logit
    start_logit: float
    end_logit: float
    probability: float = 0.0  # softmax over the kept n-best scores
    window: int | None = None
    start_token: int | None = None
    end_token: int | None = None

    def __repr__(self) -> str:
        where = "" if self.window is None else f", window={self.window}"
        return (f"CourseCandidate(text={self.text!r}, start={self.start}, end={self.end}, "
                f"score={self.score:.4g}, probability={self.probability:.3g}{where})")


@dataclass
class CoursePrediction:
    """The decision for one example, with the n-best list it was made from."""

    text: str  # the predicted answer ("" when the null answer wins)
    n_best: list[CourseCandidate] = field(default_factory=list)
    null_score: float | None = None  # the smallest start_logits[0] + end_logits[0]
    score_diff: float | None = None  # null_score - best non-empty start_logit + end_logit


def _best_positions(logits: torch.Tensor, n: int) -> list[int]:
    """The n largest positions of a 1-D row, best first (ties: lower position first)."""
    order = torch.sort(logits, descending=True, stable=True).indices  # (l,)
    return order[:n].tolist()


def course_decode(
    windows: qa.Windows,
    start_logits: torch.Tensor,
    end_logits: torch.Tensor,
    *,
    n_best_size: int = 20,
    max_answer_length: int = 30,
    version_2_with_negative: bool = False,
    null_score_diff_threshold: float = 0.0,
) -> list[CoursePrediction]:
    """The course / ``run_qa`` decision for every pair in ``windows`` from (W, L) logits."""
    whole_number(n_best_size, "n_best_size", 1)
    whole_number(max_answer_length, "max_answer_length", 1)
    out = []
    for sample, context in enumerate(windows.contexts):
        prelim: list[CourseCandidate] = []
        null: CourseCandidate | None = None
        for w in windows.windows_of(sample):
            keep = windows.tokens_of(w)  # the real tokens of the window
            s_row = start_logits[w, keep].float()  # (n,)
            e_row = end_logits[w, keep].float()
            ctx = windows.context_mask[w, keep]  # (n,)
            offs = windows.offsets[w, keep]  # (n, 2)
            null_here = float(s_row[0] + e_row[0])
            if null is None or null.score > null_here:
                null = CourseCandidate("", 0, 0, null_here, float(s_row[0]), float(e_row[0]))
            for i in _best_positions(s_row, n_best_size):
                for j in _best_positions(e_row, n_best_size):
                    if not (ctx[i] and ctx[j]) or j < i or j - i + 1 > max_answer_length:
                        continue
                    a, b = int(offs[i, 0]), int(offs[j, 1])
                    prelim.append(CourseCandidate(
                        context[a:b], a, b, float(s_row[i] + e_row[j]), float(s_row[i]),
                        float(e_row[j]), window=w, start_token=i + keep.start,
                        end_token=j + keep.start))
        if version_2_with_negative and null is not None:
            prelim.append(null)
        n_best = sorted(prelim, key=lambda c: c.score, reverse=True)[:n_best_size]
        if version_2_with_negative and null is not None and not any(
                (c.start, c.end) == (0, 0) for c in n_best):
            n_best.append(null)
        if not n_best or (len(n_best) == 1 and n_best[0].text == ""):
            n_best.insert(0, CourseCandidate("empty", 0, 0, 0.0, 0.0, 0.0))
        scores = torch.tensor([c.score for c in n_best], dtype=torch.float64)  # (n,)
        for c, p in zip(n_best, torch.softmax(scores, 0).tolist()):
            c.probability = p
        if not version_2_with_negative:
            out.append(CoursePrediction(n_best[0].text, n_best))
            continue
        best = next(c for c in n_best if c.text != "")
        diff = null.score - best.start_logit - best.end_logit
        text = "" if diff > null_score_diff_threshold else best.text
        out.append(CoursePrediction(text, n_best, null.score, diff))
    return out


def course_answer(
    question: str | Sequence[str],
    context: str | Sequence[str],
    model,
    tokenizer,
    *,
    max_seq_len: int = 384,
    doc_stride: int = 128,
    n_best_size: int = 20,
    max_answer_length: int = 30,
    version_2_with_negative: bool = False,
    null_score_diff_threshold: float = 0.0,
) -> CoursePrediction | list[CoursePrediction]:
    """Encode, run and decode with the course / ``run_qa`` rule (its defaults: 384 tokens,
    stride 128, 20 best, answers up to 30 tokens). Lists of pairs give a list."""
    windows = qa.encode_windows(question, context, tokenizer, max_seq_len, doc_stride)
    start_logits, end_logits = qa.run_model(model, windows)
    found = course_decode(windows, start_logits, end_logits, n_best_size=n_best_size,
                          max_answer_length=max_answer_length,
                          version_2_with_negative=version_2_with_negative,
                          null_score_diff_threshold=null_score_diff_threshold)
    return found[0] if isinstance(question, str) else found
