"""The two heads' losses, recomputed by hand, term by term.

``RobertaForSequenceClassification`` and ``BertForQuestionAnswering`` compute
their loss inline in ``forward`` (transformers 5.23). This module does exactly
the same computation outside the model and keeps what the model throws away:
which problem type was chosen and why, the per-example (or per-element) terms
that the mean is taken over, which rows a cross entropy ignored, and the
positions after clamping.

* :func:`classification_loss` mirrors ``RobertaForSequenceClassification``:
  ``num_labels == 1`` -> regression (``MSELoss`` on squeezed logits); integer
  labels (``torch.long`` or ``torch.int``) -> single-label classification
  (``CrossEntropyLoss``); anything else -> multi-label classification
  (``BCEWithLogitsLoss``). A ``problem_type`` you pass wins, exactly like a
  ``config.problem_type`` that an earlier call already wrote into the config
  (the inference is *sticky*: the model writes its guess into the config).
* :func:`qa_loss` mirrors ``BertForQuestionAnswering``: positions are squeezed
  from ``(B, 1)``, clamped to ``[0, L]``; ``L`` (one past the last token) is the
  ``ignore_index`` of both cross entropies; the loss is their average.

* :func:`loss_breakdown` writes one example's classification loss label by label
  (:class:`LossBreakdown`: the per-label terms and the formula); :func:`target_tensor`
  makes the ``labels`` the model would get for it. The loss explorer and Part I
  chapter 6 draw them.

For every input the model accepts, ``.loss`` is computed with the same torch
calls in the same order as the model, so it equals ``outputs.loss``.

Bad labels: the helpers never compute something the model would refuse, and never
let a torch traceback through. Each case, what the model (5.23) does, and what the
helper does:

=====================================  ==========================================  ==========================
labels                                 the model                                   the helper
=====================================  ==========================================  ==========================
``int32`` class ids                    infers single-label, then ``cross_entropy``  ``TypeError``: needs
                                       raises RuntimeError "expected target dtype   ``torch.long``, use
                                       to be Long or Byte, but got Int"             ``.long()``
float class ids (B,), C > 1            infers multi-label, BCE raises "Target       ``ValueError``: shape
                                       size ... must be the same as input size"     (B, C) expected, or
                                                                                    ``.long()`` for ids
float labels, problem_type stuck at    no re-inference; ``cross_entropy`` raises    ``TypeError`` naming the
single-label                           (RuntimeError for (B,), ValueError           stuck config and both
                                       "batch_size" for (B, C))                     fixes
``long`` multi-hot (B, C)              single-label, ValueError "Expected input     ``ValueError``: pass
                                       batch_size (B) to match target batch_size"   ``.float()``
``int16``/``uint8``/``bool`` labels    infer multi-label, BCE fails                 ``TypeError`` explaining
                                                                                    the inference
class id outside 0..C-1 (not -100)     IndexError "Target 3 is out of bounds"       ``ValueError`` with the
                                                                                    range and the position
regression target of another shape     broadcasts with a UserWarning: a             ``ValueError`` (stricter
                                       meaningless loss                             than the model)
multi-label target outside [0, 1]      computes a number (can be negative)          ``ValueError`` (stricter
                                                                                    than the model)
QA positions ``int32`` / float         ``cross_entropy`` raises                     ``TypeError``: use
                                                                                    ``.long()``
QA: one of the positions ``None``      returns ``loss=None``                        ``ValueError`` saying so
=====================================  ==========================================  ==========================

Labels of ``-100`` (single-label) are ignored exactly as by the model
(``CrossEntropyLoss``'s default ``ignore_index``); all ignored -> ``nan``, as in
the model. ``uint8`` class ids with an explicit single-label ``problem_type`` are
accepted, as torch accepts them.
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch.nn import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss

from hfanatomy.head import label_names

__all__ = [
    "MODES",
    "PROBLEM_TYPES",
    "ClassificationLoss",
    "LossBreakdown",
    "QALoss",
    "classification_loss",
    "infer_problem_type",
    "loss_breakdown",
    "qa_loss",
    "target_tensor",
]

#: The three values ``config.problem_type`` can take (``None`` means "infer on first call").
PROBLEM_TYPES = ("regression", "single_label_classification", "multi_label_classification")
#: the same three in the order the loss explorer offers them
MODES = ("single_label_classification", "multi_label_classification", "regression")

#: ``CrossEntropyLoss``'s default ``ignore_index``: single-label rows with this label count for
#: nothing (not in the sum, not in the count).
CE_IGNORE_INDEX = -100

_LOSS_NAMES = {
    "regression": "MSELoss",
    "single_label_classification": "CrossEntropyLoss",
    "multi_label_classification": "BCEWithLogitsLoss",
}
# Target dtypes cross_entropy accepts for class ids ("expected target dtype to be Long or Byte").
_CE_TARGET_DTYPES = (torch.long, torch.uint8)


# --------------------------------------------------------------------------- classification


@dataclass
class ClassificationLoss:
    """What ``RobertaForSequenceClassification`` computes from ``logits`` and ``labels``.

    Attributes:
        problem_type: ``"regression"``, ``"single_label_classification"`` or
            ``"multi_label_classification"``.
        loss: 0-d tensor, equal to the model's ``outputs.loss``.
        terms: the items the loss averages.
            single-label: per-example cross entropy ``-log softmax(logits)[label]``, shape (B,)
            (0 where the label is ``-100``, see ``ignored``);
            multi-label: per-element binary cross entropy, shape (B, C);
            regression: per-element squared error, shape (B,) when ``num_labels == 1``
            (the model squeezes), else (B, C).
        inferred_from: one sentence saying why this problem type was used.
        num_labels: C, the number of logits per example.
        loss_name: the torch loss class the model uses (``"CrossEntropyLoss"``, ...).
        formula: how ``loss`` is made from ``terms``, in words.
        ignored: single-label only: (B,) bool, True where the label is ``-100`` (the default
            ``ignore_index`` of ``CrossEntropyLoss``); ``None`` for the other problem types.
        probabilities: softmax over labels (single-label) or sigmoid per label (multi-label),
            (B, C); ``None`` for regression (logits are the predictions themselves).
        targets: the labels exactly as the loss function received them (after the model's
            ``view(-1)`` or ``squeeze()``).
        logits: the (B, C) logits the loss was computed from.

    Displayed in a notebook, it shows the chosen problem type, why, and one row per example.
    """

    problem_type: str
    loss: torch.Tensor
    terms: torch.Tensor
    inferred_from: str
    num_labels: int
    loss_name: str
    formula: str
    ignored: torch.Tensor | None
    probabilities: torch.Tensor | None
    targets: torch.Tensor
    logits: torch.Tensor | None = None

    def __str__(self) -> str:
        return (f"{self.problem_type} ({self.loss_name}): loss = {self.loss.item():.4f}\n"
                f"  why: {self.inferred_from}\n  how: {self.formula}")

    def rows(self) -> tuple[list[str], list[list[str]]]:
        """(header, rows) of the per-example view, as strings (4 decimals)."""
        B = self.terms.shape[0]
        if self.problem_type == "single_label_classification":
            header = ["example", "label", "p(label)", "term = -log p(label)"]
            rows = []
            for i in range(B):
                y = int(self.targets[i])
                if self.ignored is not None and bool(self.ignored[i]):
                    rows.append([str(i), str(y), "", "ignored (label -100)"])
                else:
                    rows.append([str(i), str(y), _f(self.probabilities[i, y]), _f(self.terms[i])])
            return header, rows
        if self.problem_type == "multi_label_classification":
            C = self.terms.shape[1]
            header = ["example"] + [f"label {c}: target / term" for c in range(C)]
            rows = [[str(i)] + [f"{self.targets[i, c].item():g} / {_f(self.terms[i, c])}"
                                for c in range(C)] for i in range(B)]
            return header, rows
        preds = self.logits.reshape(self.terms.shape) if self.logits is not None else None
        if self.terms.dim() == 1:
            header = ["example", "prediction (logit)", "target", "term = (pred - target)^2"]
            targets = self.targets.reshape(B)
            rows = [[str(i), _f(preds[i]) if preds is not None else "", f"{targets[i].item():g}",
                     _f(self.terms[i])] for i in range(B)]
            return header, rows
        header = ["example"] + [f"output {c}: term" for c in range(self.terms.shape[1])]
        return header, [[str(i)] + [_f(t) for t in self.terms[i]] for i in range(B)]

    def _repr_html_(self) -> str:
        header, rows = self.rows()
        head = (f"{self.problem_type} · {self.loss_name} · loss = {self.loss.item():.4f}")
        notes = [f"why: {self.inferred_from}", f"loss = {self.formula}"]
        return _html_table(head, notes, header, rows)


def infer_problem_type(num_labels: int, labels: torch.Tensor) -> tuple[str, str]:
    """The model's inline inference when ``config.problem_type is None``.

    Returns ``(problem_type, reason)``. Same three branches, same order, as
    ``RobertaForSequenceClassification.forward`` in transformers 5.23::

        if num_labels == 1:                                   -> "regression"
        elif num_labels > 1 and labels.dtype in (long, int):  -> "single_label_classification"
        else:                                                 -> "multi_label_classification"

    Note ``torch.int`` is ``torch.int32``; any other dtype (float, but also ``int16``,
    ``uint8`` or ``bool``) falls through to multi-label.
    """
    if num_labels == 1:
        return "regression", (
            "num_labels == 1, so the model treats the single logit as a number to predict "
            f"(regression), whatever the labels' dtype ({_dt(labels.dtype)})")
    if num_labels > 1 and (labels.dtype == torch.long or labels.dtype == torch.int):
        return "single_label_classification", (
            f"num_labels == {num_labels} > 1 and labels are integers ({_dt(labels.dtype)}), "
            "so each label is read as one class id (single-label classification)")
    return "multi_label_classification", (
        f"num_labels == {num_labels} and labels are {_dt(labels.dtype)}, not torch.long/torch.int, "
        "so the model reads them as one target per label (multi-label classification)")


def classification_loss(logits: torch.Tensor, labels: torch.Tensor, num_labels: int | None = None,
                        problem_type: str | None = None) -> ClassificationLoss:
    """Recompute ``RobertaForSequenceClassification``'s loss, term by term.

    Args:
        logits: (B, C) raw scores from the classification head (``outputs.logits``).
        labels: class ids (B,) ``torch.long`` for single-label; multi-hot floats (B, C) for
            multi-label; float targets (B,) (or (B, 1)) for regression with one logit, (B, C)
            for regression with C outputs.
        num_labels: C; defaults to ``logits.shape[-1]`` (must agree with it when given).
        problem_type: one of :data:`PROBLEM_TYPES`, or ``None`` to infer it like the model does
            on its first call. Pass ``model.config.problem_type`` to reproduce a model whose
            config already holds a value (set by you, or stuck there by an earlier call).

    Returns:
        :class:`ClassificationLoss` whose ``loss`` equals the model's ``outputs.loss``.

    Raises:
        TypeError / ValueError, with what was expected and how to fix it, for labels of a
        dtype, shape or range the loss cannot use (see the module docstring).
    """
    logits = _check_tensor("logits", logits)
    labels = _check_tensor("labels", labels)
    if not logits.is_floating_point():
        raise TypeError(f"logits must be a floating-point tensor (the head's raw scores), got "
                        f"{_dt(logits.dtype)}")
    if logits.dim() != 2:
        raise ValueError(f"logits must have shape (batch, num_labels) like outputs.logits, got "
                         f"shape {_shape(logits)}; for a single example use logits[None]")
    C = logits.shape[-1]  # logits: (B, C)
    if num_labels is None:
        num_labels = C
    elif num_labels != C:
        raise ValueError(f"num_labels={num_labels} but logits have {C} columns (shape "
                         f"{_shape(logits)}); the head always outputs num_labels logits per example")
    labels = labels.to(logits.device)  # the model: "move labels to correct device"

    given = problem_type is not None
    if problem_type is None:
        problem_type, why = infer_problem_type(num_labels, labels)
    elif problem_type in PROBLEM_TYPES:
        why = (f"problem_type={problem_type!r} was given (like a config.problem_type that is already "
               "set, by you or by an earlier call: the model only infers it while it is None)")
    else:
        raise ValueError(f"problem_type must be one of {PROBLEM_TYPES} or None, got {problem_type!r} "
                         "(with any other value the model computes no loss at all: loss is None)")

    if problem_type == "regression":
        return _regression(logits, labels, num_labels, why)
    if problem_type == "single_label_classification":
        return _single_label(logits, labels, num_labels, why, given)
    return _multi_label(logits, labels, num_labels, why, given)


def _regression(logits: torch.Tensor, labels: torch.Tensor, num_labels: int,
                why: str) -> ClassificationLoss:
    B, C = logits.shape
    if labels.dtype == torch.bool or labels.is_complex():
        raise TypeError(f"regression targets must be numbers (float, or integers which MSE promotes), "
                        f"got {_dt(labels.dtype)}; use labels.float()")
    if num_labels == 1:
        # the model: loss_fct(logits.squeeze(), labels.squeeze())
        if labels.numel() != B or labels.dim() > 2 or (labels.dim() == 2 and labels.shape[1] != 1):
            raise ValueError(
                f"regression with num_labels == 1 needs one target per example: shape ({B},) or "
                f"({B}, 1), got {_shape(labels)}. (The model squeezes both sides, so a mismatched "
                "shape would either fail inside torch or silently broadcast into a meaningless loss.)")
        preds = logits.squeeze()  # (B,)  [0-d when B == 1, exactly like the model]
        targets = labels.squeeze()  # (B,)
    else:
        # the model: loss_fct(logits, labels)
        if tuple(labels.shape) != (B, C):
            raise ValueError(f"regression with num_labels == {C} needs one target per logit: shape "
                             f"({B}, {C}), got {_shape(labels)}")
        preds, targets = logits, labels  # (B, C)
    loss = MSELoss()(preds, targets)  # 0-d, same call as the model
    terms = F.mse_loss(preds, targets, reduction="none")  # (B,) or (B, C): (pred - target) ** 2
    if num_labels == 1:
        terms = terms.reshape(B)  # keep (B,) even when B == 1
    return ClassificationLoss(
        problem_type="regression", loss=loss, terms=terms, inferred_from=why, num_labels=num_labels,
        loss_name="MSELoss", formula="mean over all elements of (logit - target) ** 2",
        ignored=None, probabilities=None, targets=targets, logits=logits)


def _single_label(logits: torch.Tensor, labels: torch.Tensor, num_labels: int,
                  why: str, given: bool) -> ClassificationLoss:
    B, C = logits.shape
    if labels.is_floating_point() or labels.dtype == torch.bool:
        if given:
            model_does = (
                "Because problem_type is already 'single_label_classification' (stuck in the config "
                "after an earlier call with integer labels, or set by you), the model does not "
                "re-infer it: it sends these labels to cross_entropy, which raises "
                + ("'expected target dtype to be Long or Byte'" if labels.numel() == B else
                   "'Expected input batch_size ... to match target batch_size'")
                + ". ")
        else:
            model_does = ""
        raise TypeError(
            f"single-label classification needs class ids of dtype torch.long, got {_dt(labels.dtype)} "
            f"labels of shape {_shape(labels)}. {model_does}Fix: class ids -> labels.long(); "
            "multi-hot targets -> set problem_type (and model.config.problem_type) to "
            "'multi_label_classification', or reset model.config.problem_type = None to let the "
            "model infer again.")
    if labels.dtype not in _CE_TARGET_DTYPES:
        model_does = (
            "The model itself infers single-label from torch.int32 (it checks `labels.dtype == "
            "torch.long or labels.dtype == torch.int`), then cross_entropy raises RuntimeError "
            "'expected target dtype to be Long or Byte, but got Int'. "
            if labels.dtype == torch.int32 else "")
        raise TypeError(f"CrossEntropyLoss needs class ids of dtype torch.long, got "
                        f"{_dt(labels.dtype)}. {model_does}Fix: pass labels.long().")
    flat = labels.view(-1) if labels.is_contiguous() else labels.reshape(-1)  # (B,)
    if flat.numel() != B:
        hint = (f" Shape ({B}, {C}) looks like multi-hot targets: for multi-label classification "
                "pass them as floats (labels.float()) so the model infers "
                "'multi_label_classification'." if tuple(labels.shape) == (B, C) else "")
        raise ValueError(
            f"single-label classification needs one class id per example: shape ({B},) or ({B}, 1), "
            f"got {_shape(labels)} ({flat.numel()} values for {B} examples; the model would raise "
            f"'Expected input batch_size ({B}) to match target batch_size ({flat.numel()})').{hint}")
    ids = flat.long()
    bad = ((ids < 0) | (ids >= C)) & (ids != CE_IGNORE_INDEX)
    if bool(bad.any()):
        i = int(bad.nonzero()[0, 0])
        raise ValueError(
            f"label {int(ids[i])} at position {i} is out of range: class ids must be in "
            f"0..{C - 1} (num_labels = {C}), or {CE_IGNORE_INDEX} to ignore an example. "
            f"Out-of-range positions: {bad.nonzero()[:, 0].tolist()}. (The model would raise "
            f"'IndexError: Target {int(ids[i])} is out of bounds'.)")
    scores = logits.view(-1, num_labels)  # (B, C), the model's view
    loss = CrossEntropyLoss()(scores, flat)  # 0-d, same call as the model
    terms = F.cross_entropy(scores, flat, reduction="none")  # (B,), 0 where ignored
    ignored = ids == CE_IGNORE_INDEX  # (B,)
    return ClassificationLoss(
        problem_type="single_label_classification", loss=loss, terms=terms, inferred_from=why,
        num_labels=num_labels, loss_name="CrossEntropyLoss",
        formula="mean over examples (label != -100) of -log softmax(logits)[label]",
        ignored=ignored, probabilities=scores.softmax(-1), targets=flat, logits=logits)


def _multi_label(logits: torch.Tensor, labels: torch.Tensor, num_labels: int,
                 why: str, given: bool) -> ClassificationLoss:
    B, C = logits.shape
    if not labels.is_floating_point():
        model_does = (
            f"The model's inference took the multi-label branch because {_dt(labels.dtype)} is "
            "neither torch.long nor torch.int; " if not given else "")
        if labels.dim() == 1 and labels.dtype != torch.bool:
            fix = ("If these are class ids, pass labels.long() (single-label); if they are "
                   f"multi-hot targets, they need shape ({B}, {C}) and a float dtype.")
        else:
            fix = "Pass multi-hot targets as floats: labels.float()."
        raise TypeError(
            f"multi-label classification (BCEWithLogitsLoss) needs float targets, got "
            f"{_dt(labels.dtype)} of shape {_shape(labels)}. {model_does}"
            f"BCEWithLogitsLoss then fails inside torch. {fix}")
    if tuple(labels.shape) != (B, C):
        hint = ""
        if labels.numel() == B:
            hint = (" If these are class ids (one per example), pass labels.long(): the model "
                    "infers single-label classification only from torch.long or torch.int labels.")
        raise ValueError(
            f"multi-label classification needs one target per label: shape ({B}, {C}) like the "
            f"logits, got {_shape(labels)} (the model would raise 'Target size ... must be the same "
            f"as input size').{hint}")
    outside = (labels < 0) | (labels > 1)
    if bool(outside.any()):
        r, c = outside.nonzero()[0].tolist()
        raise ValueError(
            f"multi-label targets must lie in [0, 1] (1 = label present, 0 = absent), got "
            f"{labels[r, c].item():g} at example {r}, label {c}. BCEWithLogitsLoss would compute a "
            "number anyway, but it is not a loss (it can be negative); this helper refuses.")
    loss = BCEWithLogitsLoss()(logits, labels)  # 0-d, same call as the model
    terms = F.binary_cross_entropy_with_logits(logits, labels, reduction="none")  # (B, C)
    return ClassificationLoss(
        problem_type="multi_label_classification", loss=loss, terms=terms, inferred_from=why,
        num_labels=num_labels, loss_name="BCEWithLogitsLoss",
        formula=("mean over all (example, label) pairs of "
                 "-[y * log sigmoid(z) + (1 - y) * log(1 - sigmoid(z))]"),
        ignored=None, probabilities=logits.sigmoid(), targets=labels, logits=logits)


# --------------------------------------------------------------------------- question answering


@dataclass
class QALoss:
    """What ``BertForQuestionAnswering`` computes from start/end logits and gold positions.

    Attributes:
        loss: 0-d, ``(start_loss + end_loss) / 2``, equal to the model's ``outputs.loss``
            (``nan`` when every row is ignored, like the model).
        start_loss, end_loss: 0-d means of the non-ignored ``start_terms`` / ``end_terms``.
        start_terms, end_terms: (B,) per-row cross entropy ``-log softmax(logits)[position]``
            over the sequence axis; 0 for ignored rows (torch's convention).
        start_ignored, end_ignored: (B,) bool, True where the clamped position equals
            ``ignore_index`` (the gold position was at or beyond the end of the window).
        ignored: (B,) bool, True where both terms of a row are ignored (the row contributes
            nothing to the loss).
        clamped_start, clamped_end: (B,) positions after ``clamp(0, L)``: negative positions
            became 0 (the ``[CLS]`` token, which *does* count), too-large ones became ``L``.
        ignore_index: ``L``, the sequence length (one past the last valid position).
        start_positions, end_positions: (B,) the gold positions as given (after squeezing a
            (B, 1) shape), before clamping.

    Displayed in a notebook, it shows one row per example with both terms.
    """

    loss: torch.Tensor
    start_loss: torch.Tensor
    end_loss: torch.Tensor
    start_terms: torch.Tensor
    end_terms: torch.Tensor
    start_ignored: torch.Tensor
    end_ignored: torch.Tensor
    ignored: torch.Tensor
    clamped_start: torch.Tensor
    clamped_end: torch.Tensor
    ignore_index: int
    start_positions: torch.Tensor | None = None
    end_positions: torch.Tensor | None = None

    def rows(self) -> tuple[list[str], list[list[str]]]:
        """(header, rows) of the per-example view, as strings (4 decimals)."""
        header = ["example", "start: gold -> clamped", "start term", "end: gold -> clamped",
                  "end term"]
        rows = []
        for i in range(self.start_terms.shape[0]):
            row = [str(i)]
            for given, clamped, term, ign in (
                    (self.start_positions, self.clamped_start, self.start_terms, self.start_ignored),
                    (self.end_positions, self.clamped_end, self.end_terms, self.end_ignored)):
                g = int(given[i]) if given is not None else int(clamped[i])
                c = int(clamped[i])
                row.append(f"{g}" if g == c else f"{g} -> {c}")
                row.append(f"ignored (= L = {self.ignore_index})" if bool(ign[i]) else _f(term[i]))
            rows.append(row)
        return header, rows

    def _repr_html_(self) -> str:
        header, rows = self.rows()
        head = (f"QA loss = (start {self.start_loss.item():.4f} + end {self.end_loss.item():.4f})"
                f" / 2 = {self.loss.item():.4f}")
        notes = [f"positions clamped to [0, {self.ignore_index}]; {self.ignore_index} = L is the "
                 "ignore_index; each loss is the mean of its non-ignored terms"]
        return _html_table(head, notes, header, rows)

    def __str__(self) -> str:
        return (f"QA loss = (start {self.start_loss.item():.4f} + end {self.end_loss.item():.4f}) / 2"
                f" = {self.loss.item():.4f}; ignore_index = {self.ignore_index}; "
                f"rows fully ignored: {self.ignored.nonzero()[:, 0].tolist()}")


def qa_loss(start_logits: torch.Tensor, end_logits: torch.Tensor,
            start_positions: torch.Tensor, end_positions: torch.Tensor) -> QALoss:
    """Recompute ``BertForQuestionAnswering``'s loss, with both terms per row.

    Args:
        start_logits, end_logits: (B, L) scores over token positions (``outputs.start_logits``).
        start_positions, end_positions: (B,) or (B, 1) gold token indices, ``torch.long``.
            Values outside ``[0, L)`` are allowed and treated like the model treats them:
            clamped to ``[0, L]``; ``L`` is then ignored, negatives land on position 0.

    Returns:
        :class:`QALoss` whose ``loss`` equals the model's ``outputs.loss``.

    Raises:
        ValueError if a position tensor is ``None`` (the model then returns ``loss=None``), or
        shapes do not fit; TypeError for non-integer positions or non-float logits.
    """
    if start_positions is None or end_positions is None:
        missing = "start_positions" if start_positions is None else "end_positions"
        raise ValueError(f"{missing} is None: the model computes a loss only when both "
                         "start_positions and end_positions are given (otherwise outputs.loss is "
                         "None), so there is nothing to recompute")
    start_logits = _check_tensor("start_logits", start_logits)
    end_logits = _check_tensor("end_logits", end_logits)
    for name, t in (("start_logits", start_logits), ("end_logits", end_logits)):
        if not t.is_floating_point():
            raise TypeError(f"{name} must be a floating-point tensor, got {_dt(t.dtype)}")
        if t.dim() != 2:
            raise ValueError(f"{name} must have shape (batch, seq_len) like outputs.{name}, got "
                             f"{_shape(t)}; for a single example use {name}[None]")
    if start_logits.shape != end_logits.shape:
        raise ValueError(f"start_logits {_shape(start_logits)} and end_logits {_shape(end_logits)} "
                         "must have the same shape (batch, seq_len)")
    B = start_logits.shape[0]  # logits: (B, L)

    positions = []
    for name, p in (("start_positions", start_positions), ("end_positions", end_positions)):
        p = _check_tensor(name, p).to(start_logits.device)
        if p.dtype not in _CE_TARGET_DTYPES:
            extra = (" (the model itself would fail inside cross_entropy: 'expected target dtype "
                     "to be Long or Byte')")
            raise TypeError(f"{name} must be token indices of dtype torch.long, got "
                            f"{_dt(p.dtype)}{extra}. Fix: pass {name}.long()")
        # the model: squeeze(-1) when there is more than one dimension (B, 1) -> (B,)
        if p.dim() > 1:
            p = p.squeeze(-1)
        if tuple(p.shape) != (B,):
            raise ValueError(f"{name} must have shape ({B},) or ({B}, 1), one token index per "
                             f"example, got {_shape(p)} "
                             f"(logits are {_shape(start_logits)})")
        positions.append(p)
    start_positions, end_positions = positions

    # sometimes the positions are outside the model inputs: clamp, then ignore index L
    ignored_index = start_logits.size(1)  # L
    clamped_start = start_positions.clamp(0, ignored_index)  # (B,)
    clamped_end = end_positions.clamp(0, ignored_index)  # (B,)

    loss_fct = CrossEntropyLoss(ignore_index=ignored_index)
    start_loss = loss_fct(start_logits, clamped_start)  # 0-d, mean over non-ignored rows
    end_loss = loss_fct(end_logits, clamped_end)  # 0-d
    total_loss = (start_loss + end_loss) / 2

    start_terms = F.cross_entropy(start_logits, clamped_start, ignore_index=ignored_index,
                                  reduction="none")  # (B,)
    end_terms = F.cross_entropy(end_logits, clamped_end, ignore_index=ignored_index,
                                reduction="none")  # (B,)
    start_ignored = clamped_start == ignored_index  # (B,)
    end_ignored = clamped_end == ignored_index  # (B,)
    return QALoss(
        loss=total_loss, start_loss=start_loss, end_loss=end_loss,
        start_terms=start_terms, end_terms=end_terms,
        start_ignored=start_ignored, end_ignored=end_ignored,
        ignored=start_ignored & end_ignored,
        clamped_start=clamped_start.long(), clamped_end=clamped_end.long(),
        ignore_index=ignored_index, start_positions=start_positions,
        end_positions=end_positions)


# --------------------------------------------------------------------------- helpers


def _check_tensor(name: str, value: object) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(value).__name__}; "
                        f"wrap it: torch.tensor({name})")
    return value


def _f(x: torch.Tensor | float) -> str:
    return f"{float(x):.4f}"


def _html_table(head: str, notes: list[str], header: list[str], rows: list[list[str]]) -> str:
    """Small self-contained table (inline styles only), for the results' ``_repr_html_``."""
    esc = _html.escape
    cell = "padding:2px 8px;border-bottom:1px solid #eaeef2;text-align:left;white-space:nowrap;"
    th = "".join(f'<th style="{cell}background:#f6f8fa">{esc(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f'<td style="{cell}">{esc(c)}</td>' for c in row) + "</tr>"
                   for row in rows)
    note = "".join(f'<div style="color:#57606a;margin:2px 0">{esc(n)}</div>' for n in notes)
    return ('<div class="hfa-loss" style="font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'
            'monospace;font-size:12px;color:#1f2328;background:#fff;border:1px solid #d0d7de;'
            'border-radius:6px;padding:6px 8px;margin:0.5em 0;overflow-x:auto">'
            f'<div style="font-weight:600">{esc(head)}</div>{note}'
            f'<table style="border-collapse:collapse;margin:4px 0"><tr>{th}</tr>{body}</table>'
            "</div>")


def _dt(dtype: torch.dtype) -> str:
    return str(dtype)


def _shape(t: torch.Tensor) -> str:
    return str(tuple(t.shape))


# ------------------------------------------------------------ one example, term by term
@dataclass
class LossBreakdown:
    """One sentence's loss, label by label."""

    problem_type: str
    labels: list[str]  # C names
    logits: torch.Tensor  # (C,)
    targets: torch.Tensor  # (C,) one-hot / multi-hot / regression target per output
    probabilities: torch.Tensor | None  # (C,) softmax or sigmoid; None for regression
    terms: torch.Tensor  # (C,) per-label term
    reduction: str  # "sum" (cross entropy of one example) or "mean"
    loss: torch.Tensor  # 0-d, = the model's loss for this sentence and target
    formula: str


def target_tensor(problem_type: str, target, num_labels: int) -> torch.Tensor:
    """The ``labels`` tensor the model would get for one example.

    single-label: ``target`` is a class id -> ``tensor([id])`` (long);
    multi-label: ``target`` is C zeros/ones -> (1, C) float;
    regression: ``target`` is a number -> (1,) float if C == 1 else (1, C) filled with it.
    """
    if problem_type == "single_label_classification":
        if isinstance(target, bool) or not isinstance(target, int) or not 0 <= target < num_labels:
            raise ValueError(f"single-label target must be a class id in 0..{num_labels - 1}; "
                             f"got {target!r}.")
        return torch.tensor([target])  # (1,) long
    if problem_type == "multi_label_classification":
        values = list(target)
        if len(values) != num_labels or any(v not in (0, 1) for v in values):
            raise ValueError(f"multi-label target must be {num_labels} zeros/ones (one per label); "
                             f"got {values!r}.")
        return torch.tensor([values], dtype=torch.float)  # (1, C)
    if problem_type == "regression":
        t = float(target)
        return torch.tensor([t]) if num_labels == 1 else torch.full((1, num_labels), t)
    raise ValueError(f"problem_type must be one of {MODES}; got {problem_type!r}.")


def loss_breakdown(logits: torch.Tensor, target, problem_type: str,
                   id2label=None) -> LossBreakdown:
    """Per-label terms of the loss of one example with ``logits`` of shape (C,) or (1, C)."""
    logits = logits.detach().float().reshape(1, -1)  # (1, C)
    C = logits.shape[-1]
    labels = target_tensor(problem_type, target, C)
    result = classification_loss(logits, labels, problem_type=problem_type)
    z = logits[0]  # (C,)
    if problem_type == "single_label_classification":
        y = torch.nn.functional.one_hot(labels, C)[0].float()  # (C,)
        probs = torch.softmax(z, -1)  # (C,)
        terms = -y * torch.log_softmax(z, -1)  # (C,) zero except the gold label
        reduction = "sum"
        formula = "loss = -log softmax(z)[gold] (the gold label's term; the others are 0)"
    elif problem_type == "multi_label_classification":
        y = labels[0]  # (C,)
        probs = torch.sigmoid(z)
        terms = result.terms[0]  # (C,)
        reduction = "mean"
        formula = "loss = mean over labels of -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]"
    else:
        y = labels.reshape(-1).expand(C) if C > 1 else labels.reshape(1)  # (C,)
        probs = None
        terms = (z - y) ** 2  # (C,)
        reduction = "mean"
        formula = "loss = mean over outputs of (z - target)^2"
    return LossBreakdown(problem_type=problem_type, labels=label_names(id2label, C), logits=z,
                         targets=y, probabilities=probs, terms=terms, reduction=reduction,
                         loss=result.loss, formula=formula)
