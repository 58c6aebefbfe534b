"""Exercises for Part II, chapter 2 (the QA head): check your answers in a cell.

Each checker prints what is right or off and returns True/False; it never raises
for a wrong answer. Model-dependent truths come from ``hfanatomy.load_qa()`` (or
the ``model=`` you pass).
"""

from __future__ import annotations

from hfanatomy.exercises._models import book_qa
from hfanatomy.exercises.feedback import as_shape, placeholder

__all__ = ["check_head_weight_shape", "check_logits_shape", "check_softmax_dim"]


def check_head_weight_shape(my_answer, model=None) -> bool:
    """Shape of ``model.qa_outputs.weight``."""
    if placeholder(my_answer, "a tuple: the shape of model.qa_outputs.weight", ellipsis=True):
        return False
    model = model if model is not None else book_qa()[0]
    truth = tuple(model.qa_outputs.weight.shape)
    got = as_shape(my_answer)
    if got == truth:
        print(f"Right: {truth}. nn.Linear stores (out_features, in_features): 2 outputs "
              f"(start, end) from {truth[1]} hidden features, shared by every token.")
        return True
    if got == truth[::-1]:
        print("Close: nn.Linear stores its weight as (out_features, in_features), the other way round.")
    elif got is None:
        print(f"Expected a shape such as (a, b); got {my_answer!r}.")
    else:
        print(f"Not {got}: how many numbers does the head give each token, and from how many features?")
    return False


def check_logits_shape(my_answer) -> bool:
    """Shape of ``start_logits`` for 3 (question, context) pairs padded to 40 tokens."""
    if placeholder(my_answer, "a tuple: the shape of start_logits", ellipsis=True):
        return False
    got = as_shape(my_answer)
    if got == (3, 40):
        print("Right: (B, L) = (3, 40), one start score per token of each example.")
        return True
    if got == (3, 40, 1):
        print("Almost: squeeze(-1) removes the last axis of size 1.")
    elif got in ((3, 40, 2), (3, 2)):
        print("No: the two columns (start, end) are split apart; each half is one score per token.")
    else:
        print(f"Not {got}: one score per token, for each of the 3 examples.")
    return False


def check_softmax_dim(my_answer) -> bool:
    """The ``dim`` of ``start_logits.softmax(dim)`` that gives each example a distribution over positions."""
    if placeholder(my_answer, "an int: the dim to softmax over", ellipsis=True):
        return False
    if my_answer in (1, -1) and not isinstance(my_answer, bool):
        print("Right: the sequence axis (dim 1 = -1 of a (B, L) tensor); each row then sums to 1.")
        return True
    if my_answer == 0:
        print("No: dim 0 is the batch; that would compare different examples at the same position.")
    else:
        print(f"{my_answer!r} is not an axis of a (B, L) tensor to normalise over positions.")
    return False
