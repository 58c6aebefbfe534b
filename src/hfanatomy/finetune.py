"""Fine-tuning helpers for the two training chapters (Part I ch8, Part II ch7).

The chapters write their training loops out; this module holds only what they share with
the tests:

* :func:`fresh_head`: a pretrained body under a new, randomly initialised head, made the
  way a learner makes one from a Hub checkpoint: ``AutoModelFor...from_pretrained(body,
  num_labels=...)``. The body is saved to a temporary folder first, so the loading report
  (``missing_keys``: the head's weights) is transformers' own.
* :func:`linear_lr`: the learning rate of ``get_linear_schedule_with_warmup`` (``Trainer``'s
  default schedule) at a step, written out.
* :func:`gradient_norms`: which parameters received a gradient, grouped by block.
* :func:`threshold_curve`: SQuAD 2.0's exact match as the no-answer threshold moves (the
  course's ``null_score_diff_threshold``), through :func:`hfanatomy.metrics.squad_v2`.

Nothing here draws.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch

from hfanatomy import metrics
from hfanatomy.models import quiet

__all__ = ["fresh_head", "linear_lr", "gradient_norms", "block_of", "ThresholdCurve",
           "threshold_curve"]


def fresh_head(model, auto_class, seed: int = 0, **config):
    """``(new_model, loading_info)``: ``model``'s body under a new head of ``auto_class``.

    ``model.base_model`` (the body without its head) is saved and loaded back with
    ``auto_class.from_pretrained(folder, **config)`` after ``torch.manual_seed(seed)``, so
    the new head's random start is reproducible. ``config`` takes what a learner passes,
    such as ``num_labels``, ``id2label`` and ``label2id``. ``loading_info["missing_keys"]``
    names the weights that start random: the head. transformers' report of them is
    silenced here; the chapters print ``loading_info`` instead.
    """
    with tempfile.TemporaryDirectory() as folder, quiet():
        model.base_model.save_pretrained(folder)
        torch.manual_seed(seed)
        new, info = auto_class.from_pretrained(folder, output_loading_info=True,
                                               attn_implementation="eager", **config)
    return new, info


def linear_lr(step: int, peak: float, total: int, warmup: int = 0) -> float:
    """The learning rate used by optimizer step ``step`` (0-based) under the linear schedule.

    Warm-up rises from 0 to ``peak`` over ``warmup`` steps, then the rate falls linearly to 0
    at ``total`` steps: the multiplier of transformers' ``get_linear_schedule_with_warmup``.
    """
    if step < warmup:
        return peak * step / max(1, warmup)
    return peak * max(0.0, (total - step) / max(1, total - warmup))


def block_of(name: str) -> str:
    """The block a parameter belongs to: ``embeddings``, ``layer N``, or the head's name."""
    parts = name.split(".")
    if "embeddings" in parts:
        return "embeddings"
    if "layer" in parts:
        return f"layer {parts[parts.index('layer') + 1]}"
    return parts[0] if len(parts) > 1 and parts[0] not in ("roberta", "bert") else parts[1]


def gradient_norms(model) -> dict[str, float | None]:
    """Per block (:func:`block_of`), the L2 norm of all gradients it received, or None when
    none of its parameters has a ``.grad`` (frozen, or not reached by the loss)."""
    sq: dict[str, float | None] = {}
    for name, p in model.named_parameters():
        block = block_of(name)
        if p.grad is None:
            sq.setdefault(block, None)
            continue
        sq[block] = (sq.get(block) or 0.0) + float(p.grad.float().pow(2).sum())
    return {b: (None if v is None else v ** 0.5) for b, v in sq.items()}


@dataclass
class ThresholdCurve:
    """Exact match (%) over all, answerable and unanswerable questions, per threshold."""

    thresholds: list[float]
    exact: list[float]
    has_ans_exact: list[float]
    no_ans_exact: list[float]
    best_exact: float  # the official best (``squad_v2``'s ``best_exact``)
    best_threshold: float  # where it is reached (``best_exact_thresh``)


def threshold_curve(best_text: Mapping[str, str], score_diff: Mapping[str, float],
                    golds: Mapping[str, Sequence[str]],
                    thresholds: Sequence[float]) -> ThresholdCurve:
    """SQuAD 2.0 exact match when a question is answered ``""`` iff its
    ``score_diff = null score - best span score`` exceeds the threshold.

    ``best_text`` is each question's best non-empty answer. The official script takes a
    no-answer *probability* in [0, 1] (its search starts at threshold 0.0: "answer nothing
    anywhere"), so each difference goes in as ``sigmoid(score_diff)``: the probability of
    the null answer against the best span alone. The sigmoid keeps the order, so each
    threshold ``t`` here is the script's ``sigmoid(t)``, and the best one comes back through
    the inverse (``-inf`` when answering nothing anywhere is best).
    """
    golds = {q: list(g) for q, g in golds.items()}
    na_probs = {q: _sigmoid(d) for q, d in score_diff.items()}
    rows = [metrics.squad_v2(dict(best_text), golds, na_probs, threshold=_sigmoid(t))
            for t in thresholds]
    best = metrics.squad_v2(dict(best_text), golds, na_probs)
    return ThresholdCurve(
        thresholds=[float(t) for t in thresholds],
        exact=[r["exact"] for r in rows],
        has_ans_exact=[r.get("HasAns_exact", float("nan")) for r in rows],
        no_ans_exact=[r.get("NoAns_exact", float("nan")) for r in rows],
        best_exact=best["best_exact"], best_threshold=_logit(best["best_exact_thresh"]))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _logit(p: float) -> float:
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    return math.log(p / (1.0 - p))
