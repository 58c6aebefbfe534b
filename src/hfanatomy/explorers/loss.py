"""The loss explorer: choose a target, see every term the loss is made of.

For one sentence's logits (C scores) and a chosen target,
:func:`hfanatomy.losses.loss_breakdown` writes the loss as per-label terms:

* single-label (cross entropy): term_c = -y_c log softmax(z)_c with one-hot y, so
  only the gold label's term is non-zero; loss = sum of terms;
* multi-label (BCE with logits): term_c = -[y_c log s(z_c) + (1-y_c) log(1-s(z_c))];
  loss = mean of terms;
* regression (MSE): term_c = (z_c - t)^2 with the same target t for every output
  (a real regression model has one output); loss = mean of terms.

The loss is computed by :func:`hfanatomy.losses.classification_loss` (equal to the
model's own ``outputs.loss``); the terms add up to it.

The drawing is the JS view ``web/views/loss.js`` (kind ``"loss"``), in a kernel and on the
site alike: a text box, the example picker, the problem type, and the gold label,
present labels or regression target. :class:`LossExplorer` computes its JSON
(:func:`loss_data`) with the explorer's model; ``web/compute/loss.js`` computes the same
with the embedded classifier in the reader's browser. A page built with a checkpoint other
than the embedded classifier is recorded (see :mod:`hfanatomy.explorers.live`): each
example sentence with every gold label, multi-hot target of :func:`target_options` and
regression target the view's slider stops on, computed at build time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import torch

from hfanatomy.explorers.live import LiveExplorer, jsonable
from hfanatomy.head import classify, label_names
from hfanatomy.losses import MODES, loss_breakdown

#: the error of an empty text (or whitespace only): the view shows it alone
EMPTY_LOSS_TEXT = "text is empty: type some words to see the terms of the loss"

REGRESSION_TARGETS = (-1.0, 0.0, 0.5, 1.0, 2.0)


def target_options(num_labels: int, max_multi_hot: int = 16) -> list[tuple[str, str, object]]:
    """(key, shown text, (problem_type, target)) for the targets a chapter checks and a
    recorded page holds: every gold label; every multi-hot vector (up to ``max_multi_hot``
    of them; more labels: none, each one-hot, all); each of REGRESSION_TARGETS."""
    opts = []
    for i in range(num_labels):
        opts.append((f"s{i}", f"gold = label {i}", ("single_label_classification", i)))
    if 2 ** num_labels <= max_multi_hot:
        hots = list(itertools.product((0, 1), repeat=num_labels))
    else:  # too many combinations: none, each one-hot, all
        hots = [tuple([0] * num_labels)] + [tuple(int(j == i) for j in range(num_labels))
                                            for i in range(num_labels)] + [tuple([1] * num_labels)]
    for h in hots:
        opts.append(("m" + "".join(map(str, h)), f"multi-hot {list(h)}",
                     ("multi_label_classification", list(h))))
    for t in REGRESSION_TARGETS:
        opts.append((f"r{t:g}", f"regression target {t:g}", ("regression", t)))
    return opts


_GROUPS = {"s": "single-label (cross entropy)", "m": "multi-label (BCE with logits)",
           "r": "regression (MSE)"}


def max_tokens(model: Any, tokenizer: Any) -> int:
    """The most tokens ``model`` reads: its position table's size (RoBERTa: minus the rows up
    to padding_idx), and no more than the tokenizer's ``model_max_length``."""
    cfg = model.config
    rows = int(cfg.max_position_embeddings)
    most = rows - int(cfg.pad_token_id) - 1 if "roberta" in str(cfg.model_type) else rows
    limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(limit, int) and limit < most:
        most = limit
    return most


def state_target(state: dict, num_labels: int) -> tuple[str, object]:
    """(problem_type, target) of an explorer state, checked: ``problem_type`` with ``gold``
    (single-label), ``hots`` (multi-label) or ``target`` (regression)."""
    ptype = state.get("problem_type")
    if ptype == "single_label_classification":
        gold = state.get("gold")
        if isinstance(gold, bool) or not isinstance(gold, int) or not 0 <= gold < num_labels:
            raise ValueError(f"gold must be a label id in 0..{num_labels - 1}; got {gold!r}.")
        return ptype, gold
    if ptype == "multi_label_classification":
        hots = state.get("hots")
        if (not isinstance(hots, (list, tuple)) or len(hots) != num_labels
                or any(isinstance(v, bool) or v not in (0, 1) for v in hots)):
            raise ValueError(f"hots must be {num_labels} zeros/ones (1 = the label is present); "
                             f"got {hots!r}.")
        return ptype, [int(v) for v in hots]
    if ptype == "regression":
        t = state.get("target")
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t):
            raise ValueError(f"the regression target must be a finite number; got {t!r}.")
        return ptype, float(t)
    raise ValueError(f"problem_type must be one of {MODES}; got {ptype!r}.")


def loss_data(logits: torch.Tensor, target, problem_type: str, id2label=None) -> dict:
    """The JSON the loss view draws for one sentence's ``logits`` (C,) and a target."""
    b = loss_breakdown(logits, target, problem_type, id2label)
    return jsonable({"problem_type": b.problem_type, "labels": b.labels, "logits": b.logits,
                     "targets": b.targets, "probabilities": b.probabilities, "terms": b.terms,
                     "reduction": b.reduction, "loss": b.loss, "formula": b.formula})


class LossExplorer(LiveExplorer):
    """``LossExplorer(model, tokenizer, texts=[...])``: type a sentence, pick a target, see the terms.

    ``gold`` (default 0) is the label id it opens with: the gold label of the first text.

    ``compute(state)`` is the JSON the view shows (:func:`loss_data` plus the text, its
    token count and warnings); ``explorer.widget.data`` is that of the state shown in a kernel. A text longer than the model reads is cut to its first
    :func:`max_tokens` tokens, as the pipeline does with ``truncation=True``, and the view
    says so.
    """

    kind = "loss"
    title = "Loss explorer: every term of the loss"

    def __init__(self, model, tokenizer, texts: Sequence[str], gold: int = 0):
        if isinstance(texts, str):
            texts = [texts]
        if not texts:
            raise ValueError("LossExplorer needs at least one example text.")
        self.model, self.tokenizer, self.texts = model, tokenizer, list(texts)
        self.id2label = dict(model.config.id2label)
        self.logits = classify(model, tokenizer, self.texts)  # (B, C)
        self.num_labels = self.logits.shape[-1]
        self.names = label_names(self.id2label, self.num_labels)
        self.max_tokens = max_tokens(model, tokenizer)
        if isinstance(gold, bool) or not isinstance(gold, int) or not 0 <= gold < self.num_labels:
            raise ValueError(f"gold must be a label id in 0..{self.num_labels - 1}; got {gold!r}.")
        self.gold = gold
        self._last: tuple[str, torch.Tensor, int, int] | None = None  # text, logits (C,), n, all

    def config(self) -> dict:
        examples = {}
        for t in self.texts:
            label = t if len(t) <= 48 else t[:45] + "..."
            examples[label] = {"text": t}
        return {"title": self.title,
                "caption": ("Type a sentence and choose a target: the bars are the terms the loss "
                            "adds up (cross entropy) or averages (BCE, MSE); a confident wrong "
                            "prediction makes a long bar."),
                "examples": examples, "labels": self.names,
                "problem_types": [[m, _GROUPS[k]] for m, k in zip(MODES, "smr")],
                "regression": {"min": -3.0, "max": 3.0, "step": 0.1},
                "max_tokens": self.max_tokens}

    def initial_state(self) -> dict:
        return {"example": next(iter(self.config()["examples"])), "text": self.texts[0],
                "problem_type": MODES[0], "gold": self.gold, "hots": [0] * self.num_labels,
                "target": 0.0}

    def sentence_logits(self, text: str) -> tuple[torch.Tensor, int, int]:
        """(logits (C,), tokens read, tokens in the text) of ``text``; the last one is kept."""
        if not isinstance(text, str):
            raise ValueError(f"text must be a string; got {type(text).__name__}.")
        if self._last is None or self._last[0] != text:
            # verbose=False: no "will result in indexing errors" about a text the model gets cut
            n_all = len(self.tokenizer(text, verbose=False)["input_ids"])
            enc = self.tokenizer(text, return_tensors="pt", truncation=True,
                                 max_length=self.max_tokens)
            with torch.no_grad():
                logits = self.model(**enc).logits[0]  # (C,)
            self._last = (text, logits, int(enc["input_ids"].shape[1]), n_all)
        return self._last[1:]

    def compute(self, state: dict) -> dict:
        ptype, target = state_target(state, self.num_labels)
        text = state.get("text")
        if isinstance(text, str) and not text.strip():
            raise ValueError(EMPTY_LOSS_TEXT)
        logits, n, n_all = self.sentence_logits(text)
        data = loss_data(logits, target, ptype, self.id2label)
        warnings = []
        if n_all > n:
            warnings.append(f"{n_all} tokens: the model reads the first {n} (the text is cut, "
                            f"as truncation=True does).")
        return {"text": state["text"], "tokens": n, **data, "warnings": warnings}

    def recorded_variants(self) -> list[dict]:
        """The first state's target, then every target the view's controls set from it:
        each gold label, each multi-hot vector of :func:`target_options`, each stop of the
        regression slider."""
        steps = self.config()["regression"]
        n = round((steps["max"] - steps["min"]) / steps["step"])
        slider = [round(steps["min"] + k * steps["step"], 6) + 0.0 for k in range(n + 1)]
        key = {"single_label_classification": "gold", "multi_label_classification": "hots"}
        return ([{}] + [{"problem_type": ptype, key[ptype]: target}
                 for _, _, (ptype, target) in target_options(self.num_labels) if ptype in key]
                + [{"problem_type": "regression", "target": t} for t in slider])
