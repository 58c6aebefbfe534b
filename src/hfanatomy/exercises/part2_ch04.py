"""Exercises for Part II, chapter 4 (from logits to an answer): check your answers in a cell.

Each checker prints what is right or what is off and returns True/False; it never
raises for a wrong answer. The truth comes from :mod:`hfanatomy.qa`, which the
tests hold equal to transformers' ``select_starts_ends``.
"""

from __future__ import annotations

import torch

from hfanatomy import qa
from hfanatomy.exercises.feedback import placeholder

__all__ = ["EXERCISE_START", "EXERCISE_END", "EXERCISE_CONTEXT", "check_best_span",
           "check_valid_cells", "check_best_span_function"]

# one window of 8 tokens: [CLS] q q [SEP] c c c [SEP]
EXERCISE_START = torch.tensor([1.0, 4.0, 0.5, 0.0, 2.0, 3.0, 0.5, 6.0])
EXERCISE_END = torch.tensor([1.0, 0.0, 5.0, 0.0, 3.0, 0.25, 2.5, 0.0])
EXERCISE_CONTEXT = torch.tensor([False, False, False, False, True, True, True, False])


def check_best_span(my_answer, max_answer_len: int = 2) -> bool:
    """The best (start, end) of EXERCISE_START/END/CONTEXT with max_answer_len=2."""
    if placeholder(my_answer, "a (start, end) pair of token positions, end inclusive", ellipsis=True):
        return False
    sc = qa.span_scores(EXERCISE_START, EXERCISE_END, EXERCISE_CONTEXT, max_answer_len)
    best = qa.top_spans(sc, 1)[0][0]
    truth = (best.start, best.end)
    try:
        got = (int(my_answer[0]), int(my_answer[1]))
    except (TypeError, ValueError, IndexError):
        print(f"Expected a pair like (4, 5); got {my_answer!r}.")
        return False
    if got == truth:
        print(f"Right: {truth}, score {best.score:.4f}. The separate argmaxes "
              f"(start {int(EXERCISE_START.argmax())}, end {int(EXERCISE_END.argmax())}) are a "
              f"[SEP] and a question token.")
        return True
    ctx = EXERCISE_CONTEXT
    i, j = got
    if not (0 <= i < len(ctx) and 0 <= j < len(ctx)) or not (ctx[i] and ctx[j]):
        print(f"Not {got}: both ends must be context tokens (positions "
              f"{ctx.nonzero().flatten().tolist()}).")
    elif j < i:
        print(f"Not {got}: the end comes before the start.")
    elif j - i + 1 > max_answer_len:
        print(f"Not {got}: that span has {j - i + 1} tokens, more than max_answer_len="
              f"{max_answer_len}.")
    else:
        print(f"Not {got}: it is allowed, but its score {float(sc.grid[0, i, j]):.4f} is lower "
              f"than the best one. Compare p_start[i] * p_end[j] of every allowed pair.")
    return False


def check_valid_cells(my_answer, n_context: int = 12, max_answer_len: int = 4) -> bool:
    """How many (start, end) cells are allowed with 12 context tokens and max_answer_len=4."""
    if placeholder(my_answer, "an int: the number of allowed (start, end) cells", ellipsis=True):
        return False
    mask = torch.tensor([False] * 3 + [True] * n_context + [False])  # [CLS] q [SEP] c... [SEP]
    truth = int((qa.mask_reasons(mask, max_answer_len) == qa.VALID).sum())
    if isinstance(my_answer, bool) or not isinstance(my_answer, int):
        print(f"Expected an int; got {type(my_answer).__name__}.")
        return False
    if my_answer == truth:
        print(f"Right: {truth}. Each start i allows min({max_answer_len}, {n_context} - i) ends.")
        return True
    if my_answer == n_context * max_answer_len:
        print(f"Not {my_answer}: near the end of the context fewer than {max_answer_len} ends "
              f"are left.")
    elif my_answer == n_context * (n_context + 1) // 2:
        print(f"Not {my_answer}: that is the whole upper triangle; max_answer_len cuts it.")
    else:
        print(f"Not {my_answer}: count, for each of the {n_context} starts, the ends from the "
              f"start itself up to {max_answer_len - 1} tokens later, inside the context.")
    return False


def check_best_span_function(my_fn, trials: int = 200) -> bool:
    """Your ``fn(start_logits, end_logits, context_mask, max_answer_len) -> (start, end)``
    against :func:`hfanatomy.qa.top_spans` on random windows (null token at position 0)."""
    if placeholder(my_fn, "your function fn(start_logits, end_logits, context_mask, "
                          "max_answer_len) -> (start, end)", ellipsis=True):
        return False
    if not callable(my_fn):
        print(f"Expected a function; got {type(my_fn).__name__}.")
        return False
    g = torch.Generator().manual_seed(0)
    for t in range(trials):
        length = int(torch.randint(4, 30, (1,), generator=g))
        q = int(torch.randint(1, max(2, length // 3), (1,), generator=g))
        mask = torch.zeros(length, dtype=torch.bool)
        mask[q + 2: length - 1] = True
        if not mask.any():
            continue
        start = torch.randn(length, generator=g) * 3
        end = torch.randn(length, generator=g) * 3
        m = int(torch.randint(1, 8, (1,), generator=g))
        best = qa.top_spans(qa.span_scores(start, end, mask, m), 1)[0][0]
        try:
            got = my_fn(start.clone(), end.clone(), mask.clone(), m)
            got = (int(got[0]), int(got[1]))
        except Exception as exc:  # the learner's code: report, never raise
            print(f"Your function raised {type(exc).__name__}: {exc} (trial {t}, length "
                  f"{length}, max_answer_len {m}).")
            return False
        if got != (best.start, best.end):
            print(f"Trial {t}: expected {(best.start, best.end)}, got {got} (length {length}, "
                  f"context positions {mask.nonzero().flatten().tolist()}, max_answer_len {m}). "
                  "Did you mask non-context tokens before the softmax, and forbid end < start "
                  "and spans longer than max_answer_len?")
            return False
    print(f"Right on {trials} random windows: your decoder agrees with hfanatomy.qa "
          "(and so with transformers' select_starts_ends).")
    return True
