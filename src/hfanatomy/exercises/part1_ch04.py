"""Exercises of Part I, chapter 4 (Inside the encoder)."""

from __future__ import annotations

import math
from typing import Any

import torch

from hfanatomy.exercises.feedback import as_float, as_int, placeholder, report

__all__ = ["check_additive_mask", "check_num_hidden_states", "check_one_weight", "check_padded_key",
           "check_scaling"]


def check_additive_mask(answer: Any, attention_mask: Any) -> bool:
    """The additive mask row for a 1-D ``attention_mask`` (0 where kept, a huge negative where masked)."""
    if placeholder(answer, "a list of floats: what gets added to the scores for each key", marked=True):
        return False
    mask = torch.as_tensor(attention_mask).flatten()
    try:
        value = torch.as_tensor(answer, dtype=torch.float32).flatten()
    except (TypeError, ValueError, RuntimeError):
        return report(False, f"Give a list of numbers, got {answer!r}.")
    if value.shape != mask.shape:
        return report(False, f"Expected {mask.numel()} numbers (one per key), got {value.numel()}.")
    keep_ok = bool((value[mask == 1] == 0).all())
    drop_ok = bool((value[mask == 0] <= -1e4).all())
    if keep_ok and drop_ok:
        return report(True, "0 leaves a score alone; a huge negative (the model uses "
                             f"torch.finfo(float32).min = {torch.finfo(torch.float32).min:.3g}) makes its "
                             "softmax weight 0.")
    if bool((value == mask.float()).all()):
        return report(False, "That is the 0/1 mask itself; it must be turned into something you *add* "
                              "to the scores before the softmax.")
    if not keep_ok:
        return report(False, "Kept keys must get 0 added, so their scores are unchanged.")
    return report(False, "Masked keys need a very large negative number (e.g. -1e9 or finfo.min), "
                          "so exp() of the score becomes 0.")


def check_num_hidden_states(answer: Any, config: Any) -> bool:
    """``len(outputs.hidden_states)`` for a model with this config."""
    if placeholder(answer, "len(outputs.hidden_states) for this model (an int)", marked=True):
        return False
    truth = config.num_hidden_layers + 1
    value = as_int(answer)
    if value == truth:
        return report(True, f"The embeddings' output plus one per layer: {truth}.")
    if value == config.num_hidden_layers:
        return report(False, "One is missing: hidden_states[0] is the embeddings' output, before any layer.")
    return report(False, f"Got {answer!r}. Look at config.num_hidden_layers.")


def check_scaling(answer: Any, config: Any) -> bool:
    """The number the scores Q·K are multiplied by, for this config."""
    if placeholder(answer, "the scaling factor applied to Q @ K^T (a float)", marked=True):
        return False
    head = config.hidden_size // config.num_attention_heads
    truth = head ** -0.5
    value = as_float(answer)
    if value is None:
        return report(False, f"Give a number, got {answer!r}.")
    if math.isclose(value, truth, rel_tol=1e-4):
        return report(True, f"1/sqrt(head size {head}) = {truth:.4f}.")
    if math.isclose(value, config.hidden_size ** -0.5, rel_tol=1e-4):
        return report(False, "Use the size of one head (hidden_size / num_attention_heads), not hidden_size.")
    if math.isclose(value, math.sqrt(head), rel_tol=1e-4):
        return report(False, "The scores are divided by sqrt(d): the factor is 1/sqrt(d).")
    return report(False, f"Got {answer!r}. Head size = hidden_size / num_attention_heads.")


def check_one_weight(answer: Any, data: dict) -> bool:
    """The softmax weight the query of ``data`` (a ``LayerStepsExplorer.compute`` result)
    gives its key, computed by hand from ``q``, ``k``, ``scaling`` and ``mask``."""
    key = data["key"]
    if placeholder(answer, f"a float: the weight the query gives key {key}", marked=True):
        return False
    value = as_float(answer)
    if value is None:
        return report(False, f"Give a number, got {answer!r}.")
    q = torch.tensor(data["q"], dtype=torch.float64)  # (d,)
    k = torch.tensor(data["k"], dtype=torch.float64)  # (L, d)
    mask = torch.tensor(data["mask"] if data["mask"] is not None else [0.0] * len(k),
                        dtype=torch.float64)  # (L,)
    truth = float(data["weights"][key])
    if math.isclose(value, truth, rel_tol=1e-3, abs_tol=1e-5):
        return report(True, f"softmax(q·k_j / sqrt(d) + mask_j) at key {key}: {truth:.5f}. "
                            "Padded keys add nothing to the sum, so the real keys share it all.")
    raw = k @ q
    near = lambda x: math.isclose(value, float(x), rel_tol=1e-3, abs_tol=1e-5)  # noqa: E731
    if near((raw * data["scaling"] + mask)[key]):
        return report(False, "That is the score, before the softmax: turn the scores of all "
                             "the keys into weights with a softmax, then read this key's.")
    if near((raw + mask).softmax(-1)[key]):
        return report(False, "Multiply each dot product by the scaling 1/sqrt(d) before the "
                             "softmax.")
    if near((raw * data["scaling"]).softmax(-1)[key]):
        return report(False, "Add the mask first: the padded keys must get no weight.")
    return report(False, f"Got {answer!r}. Score each key (q·k_j times 1/sqrt(d), plus its "
                         "mask value), take the softmax over the keys, read this key's.")


def check_padded_key(weight: Any, real_weights_change: Any) -> bool:
    """A padded key's weight (0) and whether padding changes the real keys' weights (no)."""
    if placeholder(weight, "a number: the weight of a padded key", marked=True) \
            or placeholder(real_weights_change, "True or False: do the real keys' weights "
                                                "change?", marked=True):
        return False
    value = as_float(weight)
    if value is None:
        return report(False, f"Give the weight as a number, got {weight!r}.")
    if value != 0.0:
        return report(False, "exp(score + the lowest float32) is exactly 0 in float32: a "
                             "padded key gets no weight at all, not a small one.")
    if not isinstance(real_weights_change, bool):
        return report(False, f"Give True or False for the real keys, got "
                             f"{real_weights_change!r}.")
    if real_weights_change:
        return report(False, "A padded key adds 0 to the softmax's sum, so the real keys' "
                             "weights are what they were without the padding.")
    return report(True, "0, and the real keys keep their weights: padding changes nothing "
                        "a real token computes (up to float rounding).")
