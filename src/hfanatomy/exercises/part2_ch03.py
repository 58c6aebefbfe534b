"""Exercises for Part II, chapter 3 (the QA loss): check your answers in a cell.

Each checker prints what is right or off and returns True/False; it never raises
for a wrong answer. ``check_loss_function`` compares your function with the loss
a (tiny, randomly initialised) ``BertForQuestionAnswering`` computes itself.
"""

from __future__ import annotations

import math

import torch

from hfanatomy.exercises.feedback import as_float, placeholder

__all__ = ["check_clamped", "check_single_example_loss", "check_loss_function"]


def check_clamped(my_answer) -> bool:
    """Gold starts [-5, 3, 24, 100] in a window of L = 24 tokens, after the model clamps them."""
    if placeholder(my_answer, "a list of 4 ints: the clamped positions", ellipsis=True):
        return False
    truth = torch.tensor([-5, 3, 24, 100]).clamp(0, 24).tolist()
    try:
        got = [int(v) for v in my_answer]
    except (TypeError, ValueError):
        print(f"Expected a list of 4 ints; got {my_answer!r}.")
        return False
    if got == truth:
        print(f"Right: {truth}. -5 lands on [CLS] (0) and counts; 24 and 100 become L = 24, "
              "the ignore_index, and drop out of the loss.")
        return True
    if got == [0, 3, 23, 23]:
        print("Close, but the clamp goes up to L itself (24), not L - 1: that is what makes it ignorable.")
    else:
        print(f"Not {got}: clamp(0, L) with L = 24.")
    return False


def check_single_example_loss(my_answer) -> bool:
    """Loss of ONE example whose gold start is inside the window and gold end past it."""
    if placeholder(my_answer, "a float (or the string 'nan')", ellipsis=True):
        return False
    value = as_float(my_answer)
    if value is None:
        print(f"Expected a number; got {my_answer!r}.")
        return False
    if math.isnan(value):
        print("Right: nan. The end term is a mean over zero rows (0/0), and (start + nan) / 2 is nan.")
        return True
    print(f"Not {value}: with one example, what is the mean of the end terms when that one row is ignored?")
    return False


def check_loss_function(my_loss_fn) -> bool:
    """Your ``fn(start_logits, end_logits, start_positions, end_positions) -> loss`` vs the model's."""
    if placeholder(my_loss_fn, "your loss function", ellipsis=True):
        return False
    if not callable(my_loss_fn):
        print(f"Expected a function; got {type(my_loss_fn).__name__}.")
        return False
    from transformers import BertConfig, BertForQuestionAnswering

    from hfanatomy.models import quiet

    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=32)
    with quiet():
        model = BertForQuestionAnswering(cfg).eval()
    L = 12
    ids = torch.randint(5, 50, (4, L))
    cases = {
        "all inside the window": ([1, 2, 5, 11], [3, 2, 8, 11]),
        "a negative start (clamped to 0)": ([-5, 2, 5, 7], [3, 2, 8, 9]),
        "some rows outside the window": ([1, 12, 40, 3], [3, 13, 2, 30]),
    }
    for name, (s, e) in cases.items():
        sp, ep = torch.tensor(s), torch.tensor(e)
        with torch.no_grad():
            out = model(input_ids=ids, start_positions=sp, end_positions=ep)
            try:
                mine = my_loss_fn(out.start_logits, out.end_logits, sp.clone(), ep.clone())
            except Exception as exc:  # noqa: BLE001 - report, never raise
                print(f"Your function raised on '{name}': {type(exc).__name__}: {exc}")
                return False
        try:
            mine = torch.as_tensor(mine, dtype=out.loss.dtype)
        except (TypeError, ValueError, RuntimeError):
            print(f"On '{name}' your function returned {mine!r}, not a number.")
            return False
        if not torch.allclose(mine, out.loss, atol=1e-5):
            print(f"On '{name}' (starts {s}, ends {e}, L = {L}) the model says "
                  f"{out.loss.item():.5f}, yours {float(mine):.5f}. Clamp to [0, L], ignore L, "
                  "average the two cross entropies.")
            return False
    print("Right: your loss equals the model's on all three cases, out-of-window rows included.")
    return True
