"""The classification head's output, read as data: logits, probabilities, prediction.

``RobertaClassificationHead`` returns *logits*: one unnormalised score per label.
This module turns them into what a reader wants to look at:

* :func:`head_steps` recomputes the head by hand from a sequence output
  (token 0 -> dense -> tanh -> out_proj), keeping every intermediate tensor;
* :func:`logits_view` turns logits into probabilities (softmax for single-label,
  sigmoid for multi-label, nothing for regression), optionally divided by a
  temperature first, and names the predicted label.

Both are pure functions (tensors in, dataclass out); the explorer and the plots
only draw what they return.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import torch

#: temperatures pre-computed for the static logits explorer
TEMPERATURES: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0)

_PROBLEM_TYPES = ("single_label_classification", "multi_label_classification", "regression")


@dataclass
class HeadSteps:
    """Every intermediate tensor of ``RobertaClassificationHead`` in eval mode."""

    first_token: torch.Tensor  # (B, H) features[:, 0, :], the <s> vector
    dense: torch.Tensor  # (B, H) first_token @ W_dense.T + b_dense
    tanh: torch.Tensor  # (B, H) tanh(dense)
    logits: torch.Tensor  # (B, C) tanh @ W_out.T + b_out


def head_steps(classifier: torch.nn.Module, sequence_output: torch.Tensor) -> HeadSteps:
    """Recompute ``classifier(sequence_output)`` by hand, step by step.

    ``classifier`` is a ``RobertaClassificationHead`` (``model.classifier``) and
    ``sequence_output`` the body's ``last_hidden_state`` of shape (B, L, H). The two
    dropouts are left out: in eval mode they are the identity, which is the mode in
    which the result equals the module's own output.
    """
    if not isinstance(sequence_output, torch.Tensor) or sequence_output.dim() != 3:
        got = getattr(sequence_output, "shape", type(sequence_output).__name__)
        raise ValueError(
            "head_steps expects the body's last_hidden_state, a tensor of shape "
            f"(batch, length, hidden); got {got}. Pass outputs.last_hidden_state "
            "(or outputs[0]) of model.roberta(...)."
        )
    for name in ("dense", "out_proj"):
        if not hasattr(classifier, name):
            raise TypeError(
                f"head_steps expects a RobertaClassificationHead (model.classifier) with "
                f".dense and .out_proj; got {type(classifier).__name__} without .{name}."
            )
    hidden = classifier.dense.in_features
    if sequence_output.shape[-1] != hidden:
        raise ValueError(
            f"sequence_output has hidden size {sequence_output.shape[-1]} but the head "
            f"expects {hidden}."
        )
    with torch.no_grad():
        first = sequence_output[:, 0, :]  # (B, H): only position 0 is read
        dense = first @ classifier.dense.weight.T + classifier.dense.bias  # (B, H)
        tanh = torch.tanh(dense)  # (B, H)
        logits = tanh @ classifier.out_proj.weight.T + classifier.out_proj.bias  # (B, C)
    return HeadSteps(first_token=first, dense=dense, tanh=tanh, logits=logits)


@dataclass
class LogitsView:
    """Logits of a batch with their probabilities and predictions.

    ``function`` is what turned ``scaled`` (= logits / temperature) into
    ``probabilities``: ``"softmax"`` (each row sums to 1), ``"sigmoid"`` (each label
    independently in (0, 1)) or ``"none"`` (regression: the scores are the values).
    """

    logits: torch.Tensor  # (B, C) raw scores from the head
    scaled: torch.Tensor  # (B, C) logits / temperature
    probabilities: torch.Tensor  # (B, C)
    labels: list[str]  # C label names, in id order
    temperature: float
    problem_type: str
    function: str  # "softmax" | "sigmoid" | "none"
    predicted_index: torch.Tensor  # (B,) argmax of each row
    predicted: list[str]  # B readable predictions
    active: torch.Tensor  # (B, C) bool: label predicted (argmax / prob >= threshold)


def default_problem_type(num_labels: int, problem_type: str | None = None) -> str:
    """The problem type the pipeline assumes when none is set: 1 label -> sigmoid-scored
    single output, several labels -> single-label classification."""
    if problem_type is not None:
        if problem_type not in _PROBLEM_TYPES:
            raise ValueError(
                f"problem_type must be one of {_PROBLEM_TYPES} or None; got {problem_type!r}."
            )
        return problem_type
    return "multi_label_classification" if num_labels == 1 else "single_label_classification"


def label_names(id2label: Mapping[int, str] | None, num_labels: int) -> list[str]:
    if id2label is None:
        return [f"LABEL_{i}" for i in range(num_labels)]
    names = []
    for i in range(num_labels):
        if i in id2label:
            names.append(str(id2label[i]))
        elif str(i) in id2label:  # configs read from JSON may keep string keys
            names.append(str(id2label[str(i)]))
        else:
            raise ValueError(
                f"id2label has no name for label id {i}; it must cover 0..{num_labels - 1}, "
                f"got keys {sorted(id2label)}."
            )
    return names


def logits_view(logits: torch.Tensor, id2label: Mapping[int, str] | None = None,
                temperature: float = 1.0, problem_type: str | None = None,
                threshold: float = 0.5) -> LogitsView:
    """Probabilities and predictions for ``logits`` of shape (C,) or (B, C).

    ``problem_type`` None follows the text-classification pipeline's default: sigmoid
    for a single output, softmax for several. ``"multi_label_classification"`` uses
    sigmoid per label and predicts every label with probability >= ``threshold``;
    ``"regression"`` leaves the scores as they are. ``temperature`` divides the
    logits before the normalisation (T > 1 flattens, T < 1 sharpens; the argmax never
    changes).
    """
    if not isinstance(logits, torch.Tensor):
        raise TypeError(f"logits must be a torch.Tensor of shape (C,) or (B, C); got "
                        f"{type(logits).__name__}. Use outputs.logits.")
    if logits.dim() == 1:
        logits = logits.unsqueeze(0)  # (1, C)
    if logits.dim() != 2:
        raise ValueError(f"logits must have shape (C,) or (B, C); got {tuple(logits.shape)}.")
    if not logits.is_floating_point():
        raise TypeError(f"logits must be floating point; got dtype {logits.dtype}.")
    temperature = float(temperature)
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0 (it divides the logits); got {temperature}.")
    num_labels = logits.shape[-1]
    names = label_names(id2label, num_labels)
    ptype = default_problem_type(num_labels, problem_type)
    logits = logits.detach().float()  # (B, C)
    scaled = logits / temperature  # (B, C)
    if ptype == "regression":
        function, probs = "none", scaled.clone()
    elif ptype == "multi_label_classification":
        function, probs = "sigmoid", torch.sigmoid(scaled)
    else:
        function, probs = "softmax", torch.softmax(scaled, dim=-1)
    top = probs.argmax(dim=-1)  # (B,)
    if function == "sigmoid":
        active = probs >= threshold  # (B, C)
        predicted = [" + ".join(n for n, a in zip(names, row) if a) or "(no label)"
                     for row in active.tolist()]
    else:
        active = torch.nn.functional.one_hot(top, num_labels).bool()  # (B, C)
        if function == "none":
            predicted = [", ".join(f"{v:.3f}" for v in row) for row in scaled.tolist()]
        else:
            predicted = [names[i] for i in top.tolist()]
    return LogitsView(logits=logits, scaled=scaled, probabilities=probs, labels=names,
                      temperature=temperature, problem_type=ptype, function=function,
                      predicted_index=top, predicted=predicted, active=active)


def classify(model, tokenizer, texts: str | list[str]) -> torch.Tensor:
    """Logits (B, C) of ``model`` for ``texts``, one text at a time (no padding), like the
    text-classification pipeline does."""
    if isinstance(texts, str):
        texts = [texts]
    rows = []
    with torch.no_grad():
        for text in texts:
            enc = tokenizer(text, return_tensors="pt", truncation=True)
            rows.append(model(**enc).logits[0])  # (C,)
    return torch.stack(rows)  # (B, C)
