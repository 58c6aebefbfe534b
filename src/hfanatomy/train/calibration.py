"""Do the classifier's probabilities mean something? Expected calibration error and temperature.

- ``ece(confidence, correct)``: sort predictions into equal-width confidence bins; the
  error is the item-weighted mean of |accuracy - mean confidence| over bins (Guo et al.
  2017, "On Calibration of Modern Neural Networks", 15 bins there and here).
- ``reliability(confidence, correct)``: those bins as data (range, count, mean confidence,
  accuracy), for a reliability diagram; ``ece`` is computed from them.
- ``fit_temperature(logits, targets)``: the one scalar T > 0 minimising the cross-entropy
  of ``softmax(logits / T)`` on a calibration split (a grid search over log T: one
  parameter, no optimiser to tune).
- ``fold_temperature(linear, T)``: divide a final ``nn.Linear``'s weight and bias by T, so
  the model's own logits are the tempered ones and every consumer (pipeline, pages) sees
  the calibrated probabilities without knowing about T.
"""

from __future__ import annotations

import torch

ECE_BINS = 15


def ece(confidence: torch.Tensor, correct: torch.Tensor, bins: int = ECE_BINS) -> float:
    """Expected calibration error of predictions with top probability ``confidence`` (N,)
    that are ``correct`` (N,) bool."""
    if confidence.shape != correct.shape or confidence.dim() != 1 or len(confidence) == 0:
        raise ValueError("confidence and correct must be two 1-D tensors of the same length > 0")
    rows = reliability(confidence, correct, bins)
    return sum(r["n"] * abs(r["accuracy"] - r["confidence"]) for r in rows) / len(confidence)


def reliability(confidence: torch.Tensor, correct: torch.Tensor,
                bins: int = 10) -> list[dict[str, float]]:
    """A reliability diagram's data: per equal-width confidence bin (only the bins that hold
    predictions), its range, count, mean confidence and accuracy."""
    conf = confidence.double()
    # bin k holds (k/bins, (k+1)/bins]; a confidence of exactly 0 goes to bin 0
    index = (conf * bins).ceil().long().clamp(1, bins) - 1  # (N,)
    out = []
    for k in range(bins):
        sel = index == k
        if sel.any():
            out.append({"lo": k / bins, "hi": (k + 1) / bins, "n": int(sel.sum()),
                        "confidence": conf[sel].mean().item(),
                        "accuracy": correct[sel].double().mean().item()})
    return out


def soft_cross_entropy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of ``logits`` (N, C) against target distributions ``target`` (N, C)."""
    return -(target * logits.log_softmax(-1)).sum(-1).mean()


def fit_temperature(logits: torch.Tensor, target: torch.Tensor, lo: float = 0.05,
                    hi: float = 20.0, steps: int = 400) -> float:
    """The T in [lo, hi] (log-spaced grid) minimising cross-entropy of softmax(logits / T).

    ``target``: class ids (N,) or target distributions (N, C).
    """
    if target.dim() == 1:
        target = torch.nn.functional.one_hot(target, logits.shape[-1]).to(logits.dtype)
    grid = torch.logspace(torch.log10(torch.tensor(lo)), torch.log10(torch.tensor(hi)), steps)
    losses = torch.stack([soft_cross_entropy(logits / t, target) for t in grid])  # (steps,)
    return float(grid[losses.argmin()])


@torch.no_grad()
def fold_temperature(linear: torch.nn.Linear, temperature: float) -> None:
    """Make ``linear`` output its logits divided by ``temperature`` (in place)."""
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    linear.weight.div_(temperature)
    if linear.bias is not None:
        linear.bias.div_(temperature)
