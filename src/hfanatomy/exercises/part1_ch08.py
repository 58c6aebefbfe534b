"""Exercises of Part I, chapter 8 (training the classification head): checkers that
explain, never raise."""

from __future__ import annotations

from hfanatomy.exercises.feedback import as_float, as_int, placeholder, report
from hfanatomy.finetune import linear_lr


def check_trainable_count(my_count, model) -> bool:
    """How many numbers the optimizer updates once ``model``'s body is frozen: the head's."""
    if placeholder(my_count, "an int: the number of numbers in the head's tensors", marked=True):
        return False
    got = as_int(my_count)
    head = sum(p.numel() for n, p in model.named_parameters()
               if not n.startswith(model.base_model_prefix + "."))
    total = sum(p.numel() for p in model.parameters())
    if got == head:
        return report(True, f"{head:,} of the model's {total:,} numbers "
                            f"({100 * head / total:.1f} %): only the head's tensors.")
    if got == total:
        return report(False, "That is every number of the model. With the body frozen, only "
                             "the tensors outside model.base_model still require a gradient.")
    if got == total - head:
        return report(False, "That is the body, the part that no longer changes.")
    return report(False, f"Not {my_count!r}. Hint: add up p.numel() for the parameters whose "
                         "name starts with 'classifier.' (two Linear layers, weights and "
                         "biases).")


def check_learning_rate(my_lr, step: int, peak: float, total: int) -> bool:
    """The rate the linear schedule gives optimizer step ``step`` (0-based) of ``total``."""
    if placeholder(my_lr, "a float: the learning rate of that step", marked=True):
        return False
    got = as_float(my_lr)
    want = linear_lr(step, peak, total)
    if got is not None and abs(got - want) <= 1e-9 + 1e-6 * abs(want):
        return report(True, f"{want:.4g}: peak x (total - step) / total = {peak:g} x "
                            f"({total} - {step}) / {total}.")
    if got is not None and abs(got - linear_lr(step + 1, peak, total)) <= 1e-9 + 1e-6 * want:
        return report(False, "Off by one step: the first optimizer step is step 0 and uses "
                             "the full peak rate.")
    if got is not None and abs(got - peak) <= 1e-12:
        return report(False, "That is the peak. Trainer's default schedule is linear: it "
                             "falls to 0 at the last step.")
    return report(False, f"Not {my_lr!r}. Hint: with no warm-up the multiplier is "
                         "(total - step) / total.")
