"""Exercises of Part I, chapter 6 (the loss): checkers that explain, never raise."""

from __future__ import annotations

import torch

from hfanatomy.exercises.feedback import as_float, is_dict_of, placeholder, say
from hfanatomy.losses import infer_problem_type

#: the cases of the problem_type exercise: (num_labels, labels given to the model)
PROBLEM_TYPE_CASES = {
    "a": (1, torch.tensor([3, 1])),
    "b": (4, torch.tensor([3, 1])),
    "c": (4, torch.tensor([[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])),
    "d": (4, torch.tensor([3.0, 1.0])),
}

_VALID = ("regression", "single_label_classification", "multi_label_classification")


def check_problem_types(answers) -> bool:
    """``answers`` maps each case of :data:`PROBLEM_TYPE_CASES` to the problem_type a model
    with ``config.problem_type = None`` infers on its first call."""
    if placeholder(answers, 'a dict like {"a": "regression", "b": ..., "c": ..., "d": ...}'):
        return False
    if not is_dict_of(answers, PROBLEM_TYPE_CASES):
        return False
    ok = True
    for key, (num_labels, labels) in PROBLEM_TYPE_CASES.items():
        want, why = infer_problem_type(num_labels, labels)
        got = answers[key]
        if got not in _VALID:
            say(f"case {key}: {got!r} is not a problem_type; use one of {_VALID}.")
            ok = False
        elif got != want:
            # the hint names what decides, never the verdict (``why`` would give it away)
            say(f"case {key}: not {got!r}. Hint: the model tests num_labels first (here "
                f"{num_labels}), then the labels' dtype (here {labels.dtype}); the first "
                "test that holds decides. Read the branches in the source above again.")
            ok = False
    if ok:
        say("All four right. Note case d: float class ids are read as multi-label targets, "
            "and then fail on their shape. The dtype, not your intention, decides.")
    return ok


def _loss_answer(my_loss, what: str) -> float | None:
    """The learner's loss as a float, or None after saying what to fill in or what was wrong."""
    if placeholder(my_loss, what):
        return None
    got = as_float(my_loss)
    if got is None:
        say(f"Expected a number (a float or a 0-d tensor); got {my_loss!r}.")
    return got


def check_cross_entropy(my_loss, logits: torch.Tensor, labels: torch.Tensor) -> bool:
    """Cross entropy of ``logits`` (B, C) against class ids ``labels`` (B,), by hand."""
    got = _loss_answer(my_loss, "a number: the mean over examples of -log softmax(logits)[label]")
    if got is None:
        return False
    logp = torch.log_softmax(logits.float(), dim=-1)  # (B, C)
    per = -logp[torch.arange(len(labels)), labels]  # (B,)
    want = per.mean().item()
    if abs(got - want) < 1e-4:
        say(f"Right: {want:.4f}, the mean of the per-example terms {per.tolist()}.")
        return True
    if abs(got - per.sum().item()) < 1e-4:
        say("That is the sum over examples; CrossEntropyLoss averages (reduction='mean').")
    elif abs(got + want) < 1e-4:
        say("Sign flipped: the loss is MINUS the log probability of the gold label.")
    elif abs(got - (-torch.log_softmax(logits.float(), dim=0)[labels, torch.arange(len(labels))]
                    ).mean().item()) < 1e-4:
        say("You normalised over the batch; take log_softmax over the labels (dim=-1).")
    else:
        say(f"Not quite ({got:.4f}). Steps: log_softmax over labels, pick each example's gold "
            "column, negate, then average over the examples.")
    return False


def check_bce(my_loss, logits: torch.Tensor, targets: torch.Tensor) -> bool:
    """BCE-with-logits of ``logits`` (B, C) against multi-hot ``targets`` (B, C), by hand."""
    got = _loss_answer(my_loss, "a number: the mean over ALL (example, label) pairs of the BCE term")
    if got is None:
        return False
    p = torch.sigmoid(logits.float())
    terms = -(targets * torch.log(p) + (1 - targets) * torch.log(1 - p))  # (B, C)
    want = terms.mean().item()
    if abs(got - want) < 1e-4:
        say(f"Right: {want:.4f}, the mean over all {terms.numel()} (example, label) terms.")
        return True
    if abs(got - terms.sum(-1).mean().item()) < 1e-4:
        say("You summed over labels and averaged over examples; BCEWithLogitsLoss averages "
            "over every element (divide by C too).")
    elif abs(got - terms.sum().item()) < 1e-4:
        say("That is the sum of all terms; the loss is their mean.")
    else:
        say(f"Not quite ({got:.4f}). Per element: -[y log sigmoid(z) + (1 - y) log(1 - "
            "sigmoid(z))], then the mean over all elements.")
    return False
